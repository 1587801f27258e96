import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import { emptyKeysState, type ProviderKeysState } from '@shared/provider-settings'
import type { ProviderId } from '@shared/providers'
import { useApiStore } from './api'

/** Whether each provider has an API key and where it comes from; the keys themselves never reach the page. */
export const useProviderKeysStore = defineStore('providerKeys', () => {
  const keys = shallowRef<ProviderKeysState>(emptyKeysState())

  function apply(next: ProviderKeysState): void {
    keys.value = { ...emptyKeysState(), ...next }
  }

  /** Saves a key (null removes the saved one); the host answers with the new state. */
  async function save(provider: ProviderId, key: string | null): Promise<void> {
    apply(await useApiStore().api().setProviderKey({ provider, key }))
  }

  return { keys, apply, save }
})
