import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { getApi, getConnection } from './api'
import { useSessionStore } from './stores/session'
import { useSettingsStore } from './stores/settings'
import './styles/theme.css'
import './styles/base.css'

const pinia = createPinia()
const app = createApp(App)
app.use(pinia)

useSettingsStore(pinia).watchSystemTheme(
  typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null
)
app.mount('#app')
void useSessionStore(pinia).start({ api: getApi(), connection: getConnection() })
