import type { ProviderLimits } from './provider'

/**
 * Yahoo's request limits, kept apart from the adapter so the engine can size its rate limiter
 * before (and without) loading the HTTP stack the adapter needs.
 */
export const YAHOO_LIMITS: ProviderLimits = { maxBatch: 50, minTimeMs: 500, maxConcurrent: 2 }
