import type { ProviderErrorKind } from './providers/provider'

export type BreakerState = 'closed' | 'open' | 'half-open'

export interface CircuitBreakerOptions {
  now(): number
  /** Consecutive failures that open the circuit. */
  threshold?: number
  /** Wait before the first probe after opening; doubles on every failed probe up to maxCoolDownMs. */
  coolDownMs?: number
  maxCoolDownMs?: number
}

export const DEFAULT_BREAKER_THRESHOLD = 5
export const DEFAULT_BREAKER_COOL_DOWN_MS = 30_000
export const DEFAULT_BREAKER_MAX_COOL_DOWN_MS = 10 * 60_000

/** Rate limits are the provider pacing us, not the provider failing: the scheduler's cooldown handles them. */
export function opensBreaker(kind: ProviderErrorKind): boolean {
  return kind !== 'rate-limit'
}

/**
 * One provider's circuit: after `threshold` consecutive failures it opens, so the engine stops
 * sending it symbols; once the cool-down has passed it is half-open and the next answer decides
 * (success closes it, failure opens it again for twice as long). Pure: time comes from `now`.
 */
export class CircuitBreaker {
  private failures = 0
  private openedAt: number | null = null
  private coolDown: number
  private readonly threshold: number
  private readonly baseCoolDown: number
  private readonly maxCoolDown: number

  constructor(private readonly options: CircuitBreakerOptions) {
    this.threshold = Math.max(1, options.threshold ?? DEFAULT_BREAKER_THRESHOLD)
    this.baseCoolDown = Math.max(0, options.coolDownMs ?? DEFAULT_BREAKER_COOL_DOWN_MS)
    this.maxCoolDown = Math.max(this.baseCoolDown, options.maxCoolDownMs ?? DEFAULT_BREAKER_MAX_COOL_DOWN_MS)
    this.coolDown = this.baseCoolDown
  }

  get state(): BreakerState {
    if (this.openedAt === null) return 'closed'
    return this.options.now() >= this.openedAt + this.coolDown ? 'half-open' : 'open'
  }

  /** Failures in a row since the last success. */
  get consecutiveFailures(): number {
    return this.failures
  }

  /** When an open circuit becomes half-open (epoch ms); null unless open. */
  get retryAt(): number | null {
    return this.state === 'open' && this.openedAt !== null ? this.openedAt + this.coolDown : null
  }

  /** Returns true when this closed the circuit. */
  recordSuccess(): boolean {
    const wasOpen = this.openedAt !== null
    this.failures = 0
    this.openedAt = null
    this.coolDown = this.baseCoolDown
    return wasOpen
  }

  /** Returns true when this opened (or re-opened) the circuit. */
  recordFailure(kind: ProviderErrorKind): boolean {
    if (!opensBreaker(kind)) return false
    this.failures++
    const state = this.state
    if (state === 'half-open') {
      // The probe failed: back off for longer before the next one.
      this.coolDown = Math.min(this.maxCoolDown, this.coolDown * 2)
      this.openedAt = this.options.now()
      return true
    }
    if (state === 'closed' && this.failures >= this.threshold) {
      this.openedAt = this.options.now()
      return true
    }
    return false
  }

  /** Forget everything, e.g. after the user changed providers. */
  reset(): void {
    this.failures = 0
    this.openedAt = null
    this.coolDown = this.baseCoolDown
  }
}
