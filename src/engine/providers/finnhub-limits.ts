import type { ProviderLimits } from './provider'

/**
 * Finnhub's free plan allows 60 calls a minute, and every plan at most 30 a second. `/quote`
 * prices one symbol per request, so a batch is one symbol and one request a second keeps the
 * scheduler inside 60/min. Four requests may be in flight at once so one slow answer does not
 * hold up the rest; the one-a-second spacing keeps the 30/s cap far away. The adapter also
 * counts its own calls (profile lookups and searches included) so it never goes over the
 * minute quota by itself: see finnhub-budget.ts.
 *
 * Kept apart from the adapter so the engine can size its limiter without loading the HTTP stack.
 */
export const FINNHUB_LIMITS: ProviderLimits = { maxBatch: 1, minTimeMs: 1000, maxConcurrent: 4 }

/** The free plan's published quota, used in messages and by the adapter's own budget. */
export const FINNHUB_PER_MINUTE = 60
export const FINNHUB_PER_SECOND = 30
