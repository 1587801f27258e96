import type { ProviderLimits } from './provider'

/**
 * CoinGecko's keyless tier is shared per IP and holds up to about 30 calls per minute, so calls
 * start at most every 2 s. One /simple/price call carries up to 50 coins (kept well under URL
 * length limits); coin-id lookups for symbols outside the built-in map are rare and cached.
 */
export const COINGECKO_LIMITS: ProviderLimits = { maxBatch: 50, minTimeMs: 2000, maxConcurrent: 1 }
