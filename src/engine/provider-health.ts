import type { ProviderStatus } from '../shared/ipc/engine-protocol'
import type { ProviderId } from '../shared/providers'
import { backoffDelay, type BackoffOptions } from './backoff'
import type { ProviderError } from './providers/provider'

export interface ProviderHealthOptions {
  provider: ProviderId
  now(): number
  onChange(status: ProviderStatus): void
  /** Used when a rate-limit answer carries no Retry-After. */
  rateLimitBackoff?: BackoffOptions
  /** Spacing of retries while the provider cannot be reached. */
  offlineBackoff?: BackoffOptions
}

export const DEFAULT_RATE_LIMIT_BACKOFF: BackoffOptions = { initialMs: 5_000, maxMs: 300_000 }
export const DEFAULT_OFFLINE_BACKOFF: BackoffOptions = { initialMs: 2_000, maxMs: 60_000 }

/**
 * What the engine knows about one provider's reachability and limits, and therefore when it
 * may send the next request. Reports every change of the public status.
 */
export class ProviderHealth {
  private status: ProviderStatus
  private rateLimitStreak = 0
  private offlineStreak = 0
  private offlineRetryAt = 0
  private readonly rateLimitBackoff: BackoffOptions
  private readonly offlineBackoff: BackoffOptions

  constructor(private readonly options: ProviderHealthOptions) {
    this.status = {
      provider: options.provider,
      online: true,
      offlineSince: null,
      lastSuccess: null,
      lastError: null,
      rateLimitedUntil: null
    }
    this.rateLimitBackoff = options.rateLimitBackoff ?? DEFAULT_RATE_LIMIT_BACKOFF
    this.offlineBackoff = options.offlineBackoff ?? DEFAULT_OFFLINE_BACKOFF
  }

  get current(): ProviderStatus {
    return this.status
  }

  get offline(): boolean {
    return !this.status.online
  }

  /** No request may leave before this time (epoch ms); 0 when requests are allowed now. */
  blockedUntil(): number {
    return Math.max(this.status.rateLimitedUntil ?? 0, this.status.online ? 0 : this.offlineRetryAt)
  }

  /** True once an offline retry is due (the whole watch list is retried then). */
  offlineRetryDue(now: number): boolean {
    return !this.status.online && now >= this.offlineRetryAt
  }

  /** Clears an expired rate-limit window so the status stops announcing it. */
  expire(now: number): void {
    const until = this.status.rateLimitedUntil
    if (until !== null && now >= until) this.update({ rateLimitedUntil: null })
  }

  /** A user asked to refresh, or the machine woke: try the network now instead of waiting. */
  skipOfflineWait(): void {
    this.offlineRetryAt = 0
  }

  recordSuccess(): void {
    this.rateLimitStreak = 0
    this.offlineStreak = 0
    this.offlineRetryAt = 0
    this.update({
      online: true,
      offlineSince: null,
      lastSuccess: this.options.now(),
      lastError: null,
      rateLimitedUntil: null
    })
  }

  recordFailure(error: ProviderError): void {
    const now = this.options.now()
    switch (error.kind) {
      case 'rate-limit': {
        this.rateLimitStreak++
        const wait = error.retryAfterMs ?? backoffDelay(this.rateLimitStreak, this.rateLimitBackoff)
        const until = Math.max(now + Math.max(0, wait), this.status.rateLimitedUntil ?? 0)
        this.update({ lastError: error.message, rateLimitedUntil: until })
        return
      }
      case 'network': {
        this.offlineStreak++
        this.offlineRetryAt = now + backoffDelay(this.offlineStreak, this.offlineBackoff)
        this.update({ online: false, offlineSince: this.status.offlineSince ?? now, lastError: error.message })
        return
      }
      default:
        this.update({ lastError: error.message })
    }
  }

  /** A problem that is not a request failure, e.g. a provider that cannot be set up. */
  reportProblem(message: string): void {
    this.update({ lastError: message })
  }

  private update(patch: Partial<ProviderStatus>): void {
    const next = { ...this.status, ...patch }
    const s = this.status
    if (
      next.online === s.online &&
      next.offlineSince === s.offlineSince &&
      next.lastSuccess === s.lastSuccess &&
      next.lastError === s.lastError &&
      next.rateLimitedUntil === s.rateLimitedUntil
    ) {
      return
    }
    this.status = next
    this.options.onChange(next)
  }
}
