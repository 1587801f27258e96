import { z } from 'zod'
import { PROVIDER_IDS, ProviderIdSchema, type ProviderId } from './providers'

/**
 * Per-provider settings that are not routing: API keys (only ever as "is there one") and limit
 * overrides for paid plans. The keys themselves never leave the host and the engine.
 */

export const ProviderKeyInfoSchema = z.object({
  hasKey: z.boolean(),
  /** 'settings' (saved in the app) wins over 'environment' (TICKERDESK_<ID>_KEY). */
  source: z.enum(['settings', 'environment']).nullable()
})
export type ProviderKeyInfo = z.infer<typeof ProviderKeyInfoSchema>

export const ProviderKeysStateSchema = z.record(ProviderIdSchema, ProviderKeyInfoSchema)
export type ProviderKeysState = Record<ProviderId, ProviderKeyInfo>

/** Longer than any real provider key by far; the bound keeps garbage out of the secret store. */
export const PROVIDER_KEY_MAX = 256

export const ProviderKeyInputSchema = z
  .string()
  .trim()
  .min(1, 'Enter the API key, or remove it instead.')
  .max(PROVIDER_KEY_MAX, `An API key is at most ${PROVIDER_KEY_MAX} characters.`)
  .regex(/^[\x21-\x7e]+$/, 'An API key has no spaces or special characters; check what was pasted.')

const limit = (what: string, max: number) =>
  z
    .number({ error: `${what} must be a number.` })
    .int(`${what} must be a whole number.`)
    .min(1, `${what} must be at least 1.`)
    .max(max, `${what} is at most ${max.toLocaleString('en-US')}.`)

/** A paid plan's limits; any field left out keeps the free tier's value. */
export const ProviderLimitOverrideSchema = z
  .object({
    perSecond: limit('Requests per second', 10_000).optional(),
    perMinute: limit('Requests per minute', 1_000_000).optional(),
    perDay: limit('Requests per day', 100_000_000).optional(),
    /** Most symbols per request. */
    batch: limit('Symbols per request', 1_000).optional(),
    /** Alpha Vantage premium key: bulk quotes, 100 symbols a request. */
    premium: z.boolean().optional()
  })
  .strict()
export type ProviderLimitOverride = z.infer<typeof ProviderLimitOverrideSchema>

export const ProviderLimitsSchema = z.partialRecord(ProviderIdSchema, ProviderLimitOverrideSchema)
export type ProviderLimits = Partial<Record<ProviderId, ProviderLimitOverride>>

/** Drops empty overrides so "no override" has one spelling. */
export function compactLimits(limits: ProviderLimits): ProviderLimits {
  const result: ProviderLimits = {}
  for (const id of PROVIDER_IDS) {
    const entry = limits[id]
    if (entry === undefined) continue
    const kept = Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined)) as ProviderLimitOverride
    if (Object.keys(kept).length > 0) result[id] = kept
  }
  return result
}

export function emptyKeysState(): ProviderKeysState {
  return Object.fromEntries(PROVIDER_IDS.map((id) => [id, { hasKey: false, source: null }])) as ProviderKeysState
}

/** Providers whose adapters use an API key (required or optional); the others have none to set. */
export const KEYED_PROVIDERS = ['alphavantage', 'finnhub', 'twelvedata', 'coingecko'] as const satisfies readonly ProviderId[]

export function usesKey(id: ProviderId): boolean {
  return (KEYED_PROVIDERS as readonly ProviderId[]).includes(id)
}
