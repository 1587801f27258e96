import type { ProviderLimits } from './provider'
import type { ProviderEnv } from './provider-env'

/**
 * Alpha Vantage request limits, apart from the adapter so the engine can size its limiter without
 * loading the HTTP stack.
 *
 * Free key: one symbol per GLOBAL_QUOTE request and at most 5 requests a minute (12 s apart), the
 * conservative reading of the published limits; the service itself also stops at 25 requests a
 * day, which the daily quota planner accounts for. Premium key: REALTIME_BULK_QUOTES prices up to
 * 100 symbols in one request; one request a second stays inside every premium plan's burst rule.
 */
export const ALPHAVANTAGE_FREE_LIMITS: ProviderLimits = { maxBatch: 1, minTimeMs: 12_000, maxConcurrent: 1 }
export const ALPHAVANTAGE_PREMIUM_LIMITS: ProviderLimits = { maxBatch: 100, minTimeMs: 1_000, maxConcurrent: 1 }

/** TICKERDESK_ALPHAVANTAGE_PREMIUM=1 (or true/yes) marks the key as premium. */
export function alphaVantagePremium(env: ProviderEnv): boolean {
  return /^(1|true|yes|on)$/i.test(env.TICKERDESK_ALPHAVANTAGE_PREMIUM?.trim() ?? '')
}

export function alphaVantageLimits(premium: boolean): ProviderLimits {
  return premium ? ALPHAVANTAGE_PREMIUM_LIMITS : ALPHAVANTAGE_FREE_LIMITS
}
