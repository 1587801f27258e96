import type { ProviderLimits as ProviderLimitSettings } from '../../shared/provider-settings'
import { PROVIDER_IDS, PROVIDER_LABELS, type ProviderId } from '../../shared/providers'

/**
 * How a request is charged against a provider's budget.
 * - 'request': every request costs 1 whatever it carries (Alpha Vantage, Finnhub, CoinGecko, ...).
 * - 'symbol': every symbol costs 1 credit ("3 symbols = 3 credits", Twelve Data).
 * - 'binance-weight': 24 h ticker weight 2 for 1–20 symbols, 40 for 21–100, 80 above 100.
 */
export type QuotaCostModel = 'request' | 'symbol' | 'binance-weight'

/** One provider's budget. A null limit means none is documented or applies. */
export interface ProviderQuota {
  provider: ProviderId
  /** Cost units per sliding second. */
  perSecond: number | null
  /** Cost units per sliding minute. */
  perMinute: number | null
  /** Cost units per UTC calendar day; the budget resets at 00:00 UTC. */
  perDay: number | null
  costModel: QuotaCostModel
  /** What one cost unit is called in messages ("requests", "credits", "weight"). */
  unit: string
  /** Most symbols one request may carry on this plan. */
  maxBatch: number
  /** Least spacing between two requests, for providers with no documented quota. */
  minSpacingMs: number
}

/** Paid plans and corrections: any field given replaces the free-tier value; null removes a limit. */
export type QuotaOverride = Partial<Pick<ProviderQuota, 'perSecond' | 'perMinute' | 'perDay' | 'maxBatch' | 'minSpacingMs'>>
export type QuotaOverrides = Partial<Record<ProviderId, QuotaOverride>>

const quota = (provider: ProviderId, q: Omit<ProviderQuota, 'provider'>): ProviderQuota => ({ provider, ...q })

/**
 * Free-tier limits as documented (see the provider notes). Alpha Vantage's 25/day is the binding
 * one; its old 5/min and "1 request per second" burst rule are kept as conservative caps.
 * Yahoo documents nothing and blocks by IP: one request every 2 s is a conservative pace.
 * CoinGecko keyless shares a per-IP 30/min budget (Demo keys get 100/min: an override).
 */
export const FREE_TIER_QUOTAS: Readonly<Record<ProviderId, ProviderQuota>> = {
  alphavantage: quota('alphavantage', {
    perSecond: 1,
    perMinute: 5,
    perDay: 25,
    costModel: 'request',
    unit: 'requests',
    maxBatch: 1, // REALTIME_BULK_QUOTES (100 symbols) is premium: override maxBatch to 100
    minSpacingMs: 0
  }),
  finnhub: quota('finnhub', {
    perSecond: 30,
    perMinute: 60,
    perDay: null,
    costModel: 'request',
    unit: 'requests',
    maxBatch: 1,
    minSpacingMs: 0
  }),
  twelvedata: quota('twelvedata', {
    perSecond: null,
    perMinute: 8,
    perDay: 800,
    costModel: 'symbol',
    unit: 'credits',
    maxBatch: 8,
    minSpacingMs: 0
  }),
  yahoo: quota('yahoo', {
    perSecond: null,
    perMinute: null,
    perDay: null,
    costModel: 'request',
    unit: 'requests',
    maxBatch: 50,
    minSpacingMs: 2_000
  }),
  coinbase: quota('coinbase', {
    perSecond: 10,
    perMinute: null,
    perDay: null,
    costModel: 'request',
    unit: 'requests',
    maxBatch: 1,
    minSpacingMs: 0
  }),
  binance: quota('binance', {
    perSecond: null,
    perMinute: 6_000,
    perDay: null,
    costModel: 'binance-weight',
    unit: 'weight',
    maxBatch: 100,
    minSpacingMs: 0
  }),
  coingecko: quota('coingecko', {
    perSecond: null,
    perMinute: 30,
    perDay: null,
    costModel: 'request',
    unit: 'requests',
    maxBatch: 100,
    minSpacingMs: 0
  }),
  simulated: quota('simulated', {
    perSecond: null,
    perMinute: null,
    perDay: null,
    costModel: 'request',
    unit: 'requests',
    maxBatch: 500,
    minSpacingMs: 0
  })
}

/** What one request carrying `symbols` symbols costs. */
export function requestCost(q: Pick<ProviderQuota, 'costModel'>, symbols: number): number {
  const n = Math.max(1, Math.floor(symbols))
  switch (q.costModel) {
    case 'request':
      return 1
    case 'symbol':
      return n
    case 'binance-weight':
      return n <= 20 ? 2 : n <= 100 ? 40 : 80
  }
}

/** True when no window limits the provider (only pacing and the refresh interval apply). */
export function isUnlimited(q: ProviderQuota): boolean {
  return q.perSecond === null && q.perMinute === null && q.perDay === null
}

/** Whether `value` is usable as an override; a plain-words problem otherwise. */
export function quotaOverrideProblem(provider: string, value: unknown): string | null {
  if (!(PROVIDER_IDS as readonly string[]).includes(provider)) return `"${provider}" is not a known provider.`
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `The quota for ${provider} must be an object such as {"perDay": 500}.`
  }
  const label = PROVIDER_LABELS[provider as ProviderId]
  for (const [key, v] of Object.entries(value)) {
    const nullable = key === 'perSecond' || key === 'perMinute' || key === 'perDay'
    if (!nullable && key !== 'maxBatch' && key !== 'minSpacingMs') {
      return `${label} quota: "${key}" is not a quota setting (use perSecond, perMinute, perDay, maxBatch or minSpacingMs).`
    }
    if (v === null && nullable) continue
    const min = key === 'minSpacingMs' ? 0 : 1
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      return `${label} quota: ${key} must be a whole number of at least ${min}${nullable ? ' (or null for no limit)' : ''}.`
    }
  }
  return null
}

/**
 * The free tier with the user's overrides for `id` merged over it. Invalid overrides are not
 * applied: the free tier is the safe fallback, and quotaOverrideProblem says what was wrong.
 */
export function effectiveQuota(id: ProviderId, overrides: QuotaOverrides = {}): ProviderQuota {
  const base = FREE_TIER_QUOTAS[id]
  const override = overrides[id]
  if (override === undefined || quotaOverrideProblem(id, override) !== null) return { ...base }
  const merged: ProviderQuota = { ...base }
  for (const key of ['perSecond', 'perMinute', 'perDay', 'maxBatch', 'minSpacingMs'] as const) {
    const v = override[key]
    if (v !== undefined) (merged as unknown as Record<string, number | null>)[key] = v
  }
  return merged
}

/**
 * The user's plan settings (EngineConfig.providerLimits) as quota overrides. An Alpha Vantage
 * premium key has no daily cap and bulk quotes of 100 symbols unless the settings say otherwise.
 */
export function quotaOverridesFromSettings(limits: ProviderLimitSettings | undefined): QuotaOverrides {
  const overrides: QuotaOverrides = {}
  if (limits === undefined) return overrides
  for (const id of PROVIDER_IDS) {
    const entry = limits[id]
    if (entry === undefined) continue
    const o: QuotaOverride = {}
    if (id === 'alphavantage' && entry.premium === true) Object.assign(o, { perDay: null, maxBatch: 100 })
    if (entry.perSecond !== undefined) o.perSecond = entry.perSecond
    if (entry.perMinute !== undefined) o.perMinute = entry.perMinute
    if (entry.perDay !== undefined) o.perDay = entry.perDay
    if (entry.batch !== undefined) o.maxBatch = entry.batch
    if (Object.keys(o).length > 0) overrides[id] = o
  }
  return overrides
}
