import type { ProviderLimits } from '../shared/provider-settings'
import { PROVIDER_IDS, type ProviderId } from '../shared/providers'
import type { ProviderEnv } from './providers/provider-env'
import type { QuotaOverride, QuotaOverrides } from './quota/provider-quotas'

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

/**
 * The user's limit overrides in the quota planner's terms (effectiveQuota(id, overrides)).
 * "batch" is the planner's maxBatch; the premium switch is not a quota and stays out.
 */
export function quotaOverridesFrom(limits: ProviderLimits | undefined): QuotaOverrides {
  const overrides: QuotaOverrides = {}
  for (const id of PROVIDER_IDS) {
    const entry = limits?.[id]
    if (entry === undefined) continue
    const override: QuotaOverride = {}
    if (entry.perSecond !== undefined) override.perSecond = entry.perSecond
    if (entry.perMinute !== undefined) override.perMinute = entry.perMinute
    if (entry.perDay !== undefined) override.perDay = entry.perDay
    if (entry.batch !== undefined) override.maxBatch = entry.batch
    if (Object.keys(override).length > 0) overrides[id] = override
  }
  return overrides
}

/** Providers whose limit overrides differ (their schedulers must be rebuilt to apply them). */
export function changedLimits(before: ProviderLimits | undefined, after: ProviderLimits | undefined): ProviderId[] {
  return PROVIDER_IDS.filter((id) => JSON.stringify(before?.[id] ?? null) !== JSON.stringify(after?.[id] ?? null))
}
