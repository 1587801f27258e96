import type { ProviderId } from '../../shared/providers'
import type { Quote } from '../../shared/quote'

/** Why a provider call failed, in terms the scheduler and the user both understand. */
export type ProviderErrorKind =
  | 'rate-limit' // 429 or a provider's own limit message; honour retryAfterMs
  | 'network' // connection refused, DNS, reset, timeout: the basis of offline detection
  | 'bad-payload' // HTML, malformed JSON, schema mismatch
  | 'auth' // bad key, crumb/cookie refused after a retry
  | 'server' // 5xx and other unexpected statuses

export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly retryAfterMs: number | null = null
  ) {
    super(message)
    this.name = 'ProviderError'
  }
}

export interface FetchResult {
  quotes: Quote[]
  /** Symbols the provider answered for but could not price, e.g. "Unknown symbol XYZ". */
  errors: { symbol: string; message: string }[]
}

export interface ProviderLimits {
  /** Most symbols one request may carry. */
  maxBatch: number
  /** Minimum spacing between requests, ms. */
  minTimeMs: number
  /** Requests allowed at once. */
  maxConcurrent: number
}

export interface QuoteProvider {
  readonly id: ProviderId
  readonly limits: ProviderLimits
  /**
   * Fetch quotes for up to `limits.maxBatch` symbols. Rejects with ProviderError for failures
   * of the whole request; per-symbol failures go into `errors` and never hide other symbols.
   */
  fetchQuotes(symbols: readonly string[], signal?: AbortSignal): Promise<FetchResult>
}

/** Side effects a provider needs, injected so tests can use fake clocks and servers. */
export interface ProviderDeps {
  now: () => number
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void
}
