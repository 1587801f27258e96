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
  /** NaN until a good tick arrived. */
  price: number
  providerTime: number
  /** An unconfirmed outlier price, NaN when none. */
  pending: number
  /** The flag of the last tick checked. */
  flag: TickFlag | null
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
  /** Whether the last check changed the symbol's flag (set or cleared). */
  flagChanged = false

  constructor(options: TickGuardOptions) {
    this.staleAfterMs = options.staleAfterMs
    this.delayedAllowanceMs = options.delayedAllowanceMs ?? DEFAULT_DELAYED_ALLOWANCE_MS
    this.outlier = (options.outlierPercent ?? DEFAULT_OUTLIER_PERCENT) / 100
    this.confirm = (options.confirmPercent ?? DEFAULT_CONFIRM_PERCENT) / 100
  }

  setStaleAfter(ms: number): void {
    this.staleAfterMs = ms
  }

  /**
   * Null when the tick is good (and becomes the baseline), else why it is not. Sets
   * `flagChanged` when the answer differs from the previous tick's.
   */
  check(quote: Quote, now: number): TickFlag | null {
    let base = this.baselines.get(quote.symbol)
    if (base === undefined) {
      base = { price: Number.NaN, providerTime: Number.NEGATIVE_INFINITY, pending: Number.NaN, flag: null }
      this.baselines.set(quote.symbol, base)
    }
    const flag = this.judge(base, quote, now)
    this.flagChanged = flag !== base.flag
    base.flag = flag
    return flag
  }

  /** The symbol's current flag (null when its last tick was good or it has none). */
  flagOf(symbol: string): TickFlag | null {
    return this.baselines.get(symbol)?.flag ?? null
  }

  private judge(base: Baseline, quote: Quote, now: number): TickFlag | null {
    const price = quote.price
    if (price === 0) return 'zero'
    if (price < 0) return 'negative'
    const time = quote.providerTime
    if (time < base.providerTime) return 'stale'
    // Outside regular hours the last trade time is legitimately old and the price does not move.
    if (quote.marketState === 'regular' && now - time > this.staleAfterMs + (quote.delayed ? this.delayedAllowanceMs : 0)) {
      return 'stale'
    }
    // NaN (no baseline yet) compares false: the first good tick is the baseline.
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

  /** Returns whether the symbol had a flag. */
  forget(symbol: string): boolean {
    const flagged = this.flagOf(symbol) !== null
    this.baselines.delete(symbol)
    return flagged
  }

  flaggedSymbols(): string[] {
    const out: string[] = []
    for (const [symbol, base] of this.baselines) if (base.flag !== null) out.push(symbol)
    return out
  }

  reset(): void {
    this.baselines.clear()
  }
}
