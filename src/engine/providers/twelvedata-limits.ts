import type { ProviderLimits } from './provider'

/**
 * Twelve Data charges 1 credit per symbol and the free plan has 8 credits a minute (800 a day).
 * A batch of up to 8 symbols once a minute spends at most the whole minute's credits in one
 * request, so the per-minute limit holds whatever the batch size, and a watchlist of 8 symbols is
 * fully refreshed every minute. Smaller batches leave credits unused within their minute rather
 * than risk a 429; searches and bar requests share the same credits and may still meet one, which
 * is reported as a rate limit. The day's 800 credits are the quota planner's concern.
 */
export const TWELVEDATA_LIMITS: ProviderLimits = { maxBatch: 8, minTimeMs: 60_000, maxConcurrent: 1 }

export const TWELVEDATA_CREDITS_PER_MINUTE = 8
export const TWELVEDATA_CREDITS_PER_DAY = 800
