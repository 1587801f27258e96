import type { AlertFiring, EngineAlertRule, TickFlag } from '../../shared/alerts'
import type { Quote } from '../../shared/quote'
import { AlertEvaluator, type AlertEvaluatorOptions, type MarketSnapshot } from './alert-evaluator'
import { TickGuard, type TickGuardOptions } from './tick-guard'

export interface TickFlagChange {
  symbol: string
  flag: TickFlag | null
}

export interface AlertEngineOptions extends AlertEvaluatorOptions {
  now(): number
  refreshIntervalSec?: number
  /** Added to twice the refresh interval before a live tick counts as stale. */
  staleSlackMs?: number
  guard?: Omit<TickGuardOptions, 'staleAfterMs'>
}

export const DEFAULT_STALE_SLACK_MS = 60_000

/**
 * The engine's alert side: guards every provider tick, evaluates the good ones against the
 * rules, and collects firings and flag changes until the engine drains them once per result.
 */
export class AlertEngine {
  readonly evaluator: AlertEvaluator
  readonly guard: TickGuard
  private firings: AlertFiring[] = []
  private flagChanges: TickFlagChange[] = []
  private readonly staleSlackMs: number
  private offline = false
  /** Last good tick per watched symbol, updated in place so the hot path allocates nothing. */
  private readonly lastTicks = new Map<string, MarketSnapshot>()

  constructor(private readonly options: AlertEngineOptions) {
    this.staleSlackMs = options.staleSlackMs ?? DEFAULT_STALE_SLACK_MS
    this.evaluator = new AlertEvaluator(options)
    this.guard = new TickGuard({ ...options.guard, staleAfterMs: this.staleAfter(options.refreshIntervalSec ?? 5) })
  }

  setRules(rules: readonly EngineAlertRule[]): void {
    this.evaluator.setRules(rules, (symbol) => this.lastTicks.get(symbol))
  }

  setRefreshInterval(seconds: number): void {
    this.guard.setStaleAfter(this.staleAfter(seconds))
  }

  /** Provider status: coming back online after an outage starts a catch-up. */
  noteOnline(online: boolean): void {
    if (online && this.offline) this.evaluator.markGap()
    this.offline = !online
  }

  /** The machine woke up: the next tick of each symbol catches up on what happened meanwhile. */
  markGap(): void {
    this.evaluator.markGap()
  }

  /** One quote straight from a provider (never from a cache). */
  accept(quote: Quote): void {
    const now = this.options.now()
    const flag = this.guard.check(quote, now)
    if (this.guard.flagChanged) this.flagChanges.push({ symbol: quote.symbol, flag })
    if (flag !== null) return
    this.remember(quote)
    const fired = this.evaluator.evaluate(quote, now)
    for (let i = 0; i < fired.length; i++) this.firings.push(fired[i]!)
  }

  /** Symbols nobody shows or alerts on any more: their baselines and flags go. */
  forget(symbols: Iterable<string>): void {
    for (const symbol of symbols) {
      this.lastTicks.delete(symbol)
      if (this.guard.forget(symbol)) this.flagChanges.push({ symbol, flag: null })
    }
  }

  /** Another provider: prices are not comparable with the previous one's. */
  resetMarket(): void {
    for (const symbol of this.guard.flaggedSymbols()) this.flagChanges.push({ symbol, flag: null })
    this.guard.reset()
    this.lastTicks.clear()
    this.evaluator.resetMarket()
    this.offline = false
  }

  /** What accumulated since the last drain. */
  drain(): { firings: AlertFiring[]; flags: TickFlagChange[] } {
    const firings = this.firings
    const flags = this.flagChanges
    this.firings = firings.length > 0 ? [] : firings
    this.flagChanges = flags.length > 0 ? [] : flags
    return { firings: firings.length > 0 ? firings : [], flags: flags.length > 0 ? flags : [] }
  }

  private remember(quote: Quote): void {
    let known = this.lastTicks.get(quote.symbol)
    if (known === undefined) {
      known = { time: 0, dayHigh: Number.NaN, dayLow: Number.NaN, high52: Number.NaN, low52: Number.NaN }
      this.lastTicks.set(quote.symbol, known)
    }
    known.time = quote.providerTime
    known.dayHigh = quote.dayHigh ?? Number.NaN
    known.dayLow = quote.dayLow ?? Number.NaN
    known.high52 = quote.fiftyTwoWeekHigh ?? Number.NaN
    known.low52 = quote.fiftyTwoWeekLow ?? Number.NaN
  }

  private staleAfter(seconds: number): number {
    return 2 * seconds * 1000 + this.staleSlackMs
  }
}
