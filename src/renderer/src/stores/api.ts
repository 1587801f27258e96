import { defineStore } from 'pinia'
import { markRaw, shallowRef } from 'vue'
import type { RendererApi } from '@shared/ipc/contract'

/** Holds the host API the other stores call; set once by the session at start-up. */
export const useApiStore = defineStore('api', () => {
  const current = shallowRef<RendererApi | null>(null)

  function set(api: RendererApi): void {
    current.value = markRaw(api)
  }

  function api(): RendererApi {
    if (!current.value) throw new Error('TickerDesk is still starting; try again in a moment.')
    return current.value
  }

  return { current, set, api }
})
