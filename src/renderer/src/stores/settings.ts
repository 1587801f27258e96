import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import type { Settings } from '@shared/ipc/contract'
import { useApiStore } from './api'

export type ResolvedTheme = 'light' | 'dark'

export const useSettingsStore = defineStore('settings', () => {
  const settings = shallowRef<Settings | null>(null)
  /** Mirrors prefers-color-scheme so the "system" theme follows the OS live. */
  const systemDark = shallowRef(false)

  const theme = computed(() => settings.value?.theme ?? 'system')
  const resolvedTheme = computed<ResolvedTheme>(() =>
    theme.value === 'system' ? (systemDark.value ? 'dark' : 'light') : theme.value
  )

  function apply(next: Settings): void {
    settings.value = next
  }

  async function save(changes: Partial<Settings>): Promise<void> {
    apply(await useApiStore().api().updateSettings(changes))
  }

  /** Starts following the OS colour scheme; returns a stop function. */
  function watchSystemTheme(media: Pick<MediaQueryList, 'matches' | 'addEventListener' | 'removeEventListener'> | null): () => void {
    if (!media) return () => {}
    systemDark.value = media.matches
    const onChange = (event: { matches: boolean }) => {
      systemDark.value = event.matches
    }
    media.addEventListener('change', onChange)
    return () => media.removeEventListener('change', onChange)
  }

  return { settings, systemDark, theme, resolvedTheme, apply, save, watchSystemTheme }
})
