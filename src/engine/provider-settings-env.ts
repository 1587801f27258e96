import type { ProviderLimits } from '../shared/provider-settings'
import { PROVIDER_IDS, type ProviderId } from '../shared/providers'
import type { ProviderEnv } from './providers/provider-env'

/** API keys saved in the app, per provider. */
export type ProviderKeys = Partial<Record<ProviderId, string>>

/**
 * What the app's settings say about building a provider, written as the TICKERDESK_<ID>_KEY (and
 * TICKERDESK_ALPHAVANTAGE_PREMIUM) variables the adapters already read, so every adapter, stream
 * and search source picks them up unchanged. Spread over the process environment: settings win.
 */
export function settingsEnv(keys: ProviderKeys, limits: ProviderLimits | undefined): ProviderEnv {
  const env: ProviderEnv = {}
  for (const id of PROVIDER_IDS) {
    const key = keys[id]
    if (key !== undefined && key.length > 0) env[`TICKERDESK_${id.toUpperCase()}_KEY`] = key
  }
  const premium = limits?.alphavantage?.premium
  if (premium !== undefined) env.TICKERDESK_ALPHAVANTAGE_PREMIUM = premium ? '1' : '0'
  return env
}

/** Providers whose build inputs differ between two overlays (they must be rebuilt). */
export function changedProviders(before: ProviderEnv, after: ProviderEnv): ProviderId[] {
  return PROVIDER_IDS.filter((id) => {
    const prefix = `TICKERDESK_${id.toUpperCase()}_`
    const keys = new Set([...Object.keys(before), ...Object.keys(after)].filter((k) => k.startsWith(prefix)))
    for (const k of keys) if (before[k] !== after[k]) return true
    return false
  })
}
