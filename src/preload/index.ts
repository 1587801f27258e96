import { contextBridge, ipcRenderer } from 'electron'
import { createRendererApi } from '../shared/ipc/helpers'
import { createIpcTransport } from './ipc-transport'

/** The page gets the typed contract API as `window.tickerdesk`, and nothing else from Electron. */
const api = createRendererApi(createIpcTransport(ipcRenderer), (event) => {
  console.warn(`TickerDesk ignored a malformed "${event}" event from the app.`)
})

contextBridge.exposeInMainWorld('tickerdesk', api)
