import type { ProviderId } from '../../shared/providers'
import { assetClassOf, needsClosingFetch, shouldPoll, type AssetClass } from '../market-hours/market-policy'
import { lastClose, sessionAt, type MarketSession } from '../market-hours/nyse-calendar'
import { isUnlimited, type ProviderQuota } from './provider-quotas'
import { QuotaPlanner, type SymbolPriority } from './quota-planner'
import type { QuotaUsageSnapshot } from './quota-usage'

export interface MarketHoursOptions {
  /** Poll US equities in pre- and post-market too. */
  extendedHours: boolean
  /** Seams for tests; the NYSE calendar otherwise. */
  sessionAt?: (time: number) => MarketSession
  lastClose?: (time: number, options: { extendedHours: boolean }) => number
}

export interface QuotaGateOptions {
  provider: ProviderId
  /** The provider's budget; null or a quota with no limits keeps the scheduler's flat interval. */
  quota: ProviderQuota | null
  /** The user's refresh interval: no symbol is refreshed more often. */
  minIntervalMs: number
  /** The adapter's own batch cap. */
  maxBatch: number
  /** Leave closed-market US equities alone; absent: poll everything always. */
  marketHours?: MarketHoursOptions
}

/**
 * What a RefreshScheduler asks before it fetches: whether the market a symbol trades on is open
 * (and, for quota-limited providers, which batch the quota planner picks next).
 */
export class QuotaGate {
  readonly planner: QuotaPlanner | null
  private readonly classes = new Map<string, AssetClass>()
  private sessionCache: { at: number; session: MarketSession; close: number } | null = null
  private marketHours: MarketHoursOptions | undefined

  constructor(private readonly options: QuotaGateOptions) {
    this.marketHours = options.marketHours
    this.planner =
      options.quota === null || isUnlimited(options.quota)
        ? null
        : new QuotaPlanner({ quota: options.quota, minIntervalMs: options.minIntervalMs, maxBatch: options.maxBatch })
  }

  add(symbols: Iterable<string>, priority?: SymbolPriority): void {
    this.planner?.add(symbols, priority)
  }

  remove(symbols: Iterable<string>): void {
    for (const symbol of symbols) this.classes.delete(symbol)
    this.planner?.remove(symbols)
  }

  setPriority(symbol: string, priority: SymbolPriority): void {
    this.planner?.setPriority(symbol, priority)
  }

  /** Switches the market-hours policy in place: every symbol keeps its place and its usage. */
  setMarketHours(hours: MarketHoursOptions | undefined): void {
    this.marketHours = hours
    this.sessionCache = null
  }

  setMinInterval(ms: number): void {
    this.planner?.setMinInterval(ms)
  }

  /**
   * False while the symbol's market is closed and its closing quote is already in.
   * `lastAnsweredAt`: when the last request the provider answered was sent (a failed one does not count).
   */
  marketAllows(symbol: string, lastAnsweredAt: number | null, now: number): boolean {
    const hours = this.marketHours
    if (hours === undefined) return true
    let cls = this.classes.get(symbol)
    if (cls === undefined) {
      cls = assetClassOf(symbol, this.options.provider)
      this.classes.set(symbol, cls)
    }
    if (cls !== 'us-equity') return true
    const { session, close } = this.session(now, hours)
    if (shouldPoll(symbol, cls, session, hours.extendedHours)) return true
    return needsClosingFetch(lastAnsweredAt, now, close)
  }

  /** Every batch the planner lets go now, among the symbols `available` accepts. */
  take(now: number, available: (symbol: string) => boolean): string[][] {
    const planner = this.planner
    if (planner === null) return []
    const batches: string[][] = []
    const taken = new Set<string>()
    for (;;) {
      const decision = planner.next(now, (s) => !taken.has(s) && available(s))
      if (decision.kind !== 'batch') return batches
      for (const s of decision.symbols) taken.add(s)
      batches.push(decision.symbols)
    }
  }

  /** A user refresh under the quota, among `symbols`: a batch, or the plain-words reason it must wait. */
  refreshNow(now: number, symbols: readonly string[]): { batch: string[] } | { refused: string } {
    const planner = this.planner
    if (planner === null) return { batch: [...symbols] }
    if (symbols.length === 0) return { batch: [] }
    const result = planner.refreshNow(now, symbols)
    return result.kind === 'refused' ? { refused: result.message } : { batch: result.symbols }
  }

  /** When the planner would next let a batch go, among the symbols `available` accepts; null when idle. */
  nextBatchAt(now: number, available: (symbol: string) => boolean): number | null {
    return this.planner?.nextBatchAt(now, available) ?? null
  }

  /**
   * Charges a request made outside the planner (a chart) when the quota has room for it now; null
   * then, or without a planner. Otherwise the plain-words reason it cannot go yet.
   */
  spendOutside(now: number, cost: number, purpose: string, charge = true): string | null {
    return this.planner?.spendOutside(now, cost, purpose, charge) ?? null
  }

  usageSnapshot(): QuotaUsageSnapshot | null {
    return this.planner?.usageSnapshot() ?? null
  }

  restoreUsage(snapshot: unknown, now: number): string | null {
    return this.planner?.restoreUsage(snapshot, now) ?? null
  }

  private session(now: number, hours: MarketHoursOptions): { session: MarketSession; close: number } {
    // The session changes on whole minutes at most; one Intl lookup per second is plenty.
    const cached = this.sessionCache
    if (cached !== null && Math.floor(cached.at / 1_000) === Math.floor(now / 1_000)) return cached
    const session = (hours.sessionAt ?? sessionAt)(now)
    const close = (hours.lastClose ?? lastClose)(now, { extendedHours: hours.extendedHours })
    this.sessionCache = { at: now, session, close }
    return this.sessionCache
  }
}
