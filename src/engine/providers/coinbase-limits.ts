import type { ProviderLimits } from './provider'

/**
 * Coinbase Exchange public REST allows 10 requests/s per IP (bursts to 15). One product per
 * call, and a call costs two requests (ticker + 24 h stats), so calls start at most every 250 ms:
 * 8 requests/s, clear of the limit even with three in flight.
 */
export const COINBASE_LIMITS: ProviderLimits = { maxBatch: 1, minTimeMs: 250, maxConcurrent: 3 }
