import type { ProviderLimits } from './provider'

/**
 * Binance counts request weight, 6000 per minute per IP. A 24 h ticker batch of 21–100 symbols
 * weighs 40, so one batch of 100 every 500 ms is at most 120 × 40 = 4800 per minute, leaving
 * room for the listing (weight 20) and the per-symbol retries after an invalid symbol.
 */
export const BINANCE_LIMITS: ProviderLimits = { maxBatch: 100, minTimeMs: 500, maxConcurrent: 2 }
