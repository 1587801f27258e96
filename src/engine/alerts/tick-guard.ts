import type { TickFlag } from '../../shared/alerts'
import type { Quote } from '../../shared/quote'

export interface TickGuardOptions {
  /** A live-market tick older than this (relative to now) is stale. */
  staleAfterMs: number
  /** Extra age allowed for quotes the provider marks as delayed (exchange delays of 15–20 min). */
  delayedAllowanceMs?: number
  /** A move larger than this from the last accepted price is held back until confirmed. */
  outlierPercent?: number
  /** The next tick confirms an outlier when it lies within this of it. */
  confirmPercent?: number
}

export const DEFAULT_OUTLIER_PERCENT = 25
export const DEFAULT_CONFIRM_PERCENT = 5
export const DEFAULT_DELAYED_ALLOWANCE_MS = 30 * 60_000

interface Baseline {
  price: number
  providerTime: number
  /** An unconfirmed outlier price, NaN when none. */
  pending: number
}

/**
 * Decides whether a provider tick may drive alerts. Zero, negative, stale (too old, or older
 * than the last accepted tick) and unconfirmed outlier prices are flagged; the outlier test is
 * against the last accepted price, and the next tick near the outlier confirms it as the new
 * baseline (a real gap), while a tick back near the baseline shows it was a glitch.
 */
export class TickGuard {
  private readonly baselines = new Map<string, Baseline>()
  private staleAfterMs: number
  private readonly delayedAllowanceMs: number
  private readonly outlier: number
  private readonly confirm: number

  constructor(options: TickGuardOptions) {
    this.staleAfterMs = options.staleAfterMs
    this.delayedAllowanceMs = options.delayedAllowanceMs ?? DEFAULT_DELAYED_ALLOWANCE_MS
    this.outlier = (options.outlierPercent ?? DEFAULT_OUTLIER_PERCENT) / 100
    this.confirm = (options.confirmPercent ?? DEFAULT_CONFIRM_PERCENT) / 100
  }

  setStaleAfter(ms: number): void {
    this.staleAfterMs = ms
  }

  /** Null when the tick is good (and becomes the baseline), else why it is not. */
  check(quote: Quote, now: number): TickFlag | null {
    const price = quote.price
    if (price === 0) return 'zero'
    if (price < 0) return 'negative'
    const time = quote.providerTime
    const base = this.baselines.get(quote.symbol)
    if (base !== undefined && time < base.providerTime) return 'stale'
    // Outside regular hours the last trade time is legitimately old and the price does not move.
    if (quote.marketState === 'regular' && now - time > this.staleAfterMs + (quote.delayed ? this.delayedAllowanceMs : 0)) {
      return 'stale'
    }
    if (base === undefined) {
      this.baselines.set(quote.symbol, { price, providerTime: time, pending: Number.NaN })
      return null
    }
    if (Math.abs(price - base.price) > base.price * this.outlier) {
      const pending = base.pending
      if (!(Math.abs(price - pending) <= pending * this.confirm)) {
        base.pending = price
        return 'outlier'
      }
    }
    base.price = price
    base.providerTime = time
    base.pending = Number.NaN
    return null
  }

  forget(symbol: string): void {
    this.baselines.delete(symbol)
  }

  reset(): void {
    this.baselines.clear()
  }
}
