import type { ProviderQuota } from './quota/provider-quotas'
import type { SymbolPriority } from './quota/quota-planner'
import { utcDay, type QuotaUsageSnapshot } from './quota/quota-usage'
import { UsageReporter } from './quota/usage-reporter'
import type { MarketHoursOptions } from './quota/quota-gate'
import { MarketStateStamp } from './market-hours/market-state-stamp'
import type { EngineConfig, ProviderState, ProviderStatus } from '../shared/ipc/engine-protocol'
import { PROVIDER_LABELS, type ProviderId } from '../shared/providers'
import type { Quote } from '../shared/quote'
import type { BackoffOptions } from './backoff'
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker'
import type { Heartbeat } from './heartbeat'
import { routeFor, sameRouting, singleProviderRouting, type Routing } from './provider-router'
import type { FetchResult, ProviderErrorKind, QuoteProvider } from './providers/provider'
import type { QuoteStream, StreamState, StreamTick } from './providers/quote-stream'
import { quoteProblem } from './quote-check'
import { RefreshScheduler } from './refresh-scheduler'
import type { CreateLimiter } from './request-limiter'
import { mergeTick } from './stream-merge'
import type { Timers } from './timers'

type LogLevel = 'debug' | 'info' | 'warn' | 'error'

/** How every adapter words a symbol it does not know. */
const UNKNOWN_SYMBOL = /^Unknown symbol\b/i

/** Symbols a live stream keeps current still get a REST quote this often, for the fields ticks lack. */
export const DEFAULT_STREAM_REST_REFRESH_MS = 60_000

/** Usage and the next refresh time change with every request: they go out at most this often per provider. */
export const USAGE_STATUS_MIN_GAP_MS = 1_000

const MINUTE_MS = 60_000

export interface LanesConfig {
  provider: ProviderId
  refreshIntervalSec: number
  routing?: Routing
  providerLimits?: EngineConfig['providerLimits']
  /** Follow the NYSE calendar for US equities; absent or null: poll at all hours. */
  marketHours?: EngineConfig['marketHours']
}

export interface ProviderLanesOptions {
  now(): number
  timers: Timers
  createProvider(id: ProviderId): QuoteProvider
  /** The provider's live feed, or null when it has none. */
  createStream?(id: ProviderId): QuoteStream | null
  createHeartbeat(): Heartbeat
  createLimiter?: CreateLimiter
  rateLimitBackoff?: BackoffOptions
  offlineBackoff?: BackoffOptions
  breaker?: Omit<CircuitBreakerOptions, 'now'>
  streamRestRefreshMs?: number
  /**
   * The provider's request budget under the current configuration; null or absent polls on the
   * flat refresh interval alone (tests of routing and streams, providers without limits).
   */
  quotaFor?(id: ProviderId, providerLimits: EngineConfig['providerLimits']): ProviderQuota | null
  /** Quotes (polled, or stream ticks merged onto the last full quote) and per-symbol errors. */
  onResult(provider: ProviderId, result: FetchResult): void
  onStatus(status: ProviderStatus): void
  /** Symbols now served by another provider than before: what the previous one said about them no longer holds. */
  onMoved(symbols: string[]): void
  /** A quota-limited provider's usage changed (throttled), and once more for each on dispose. */
  onQuotaUsage?(provider: ProviderId, snapshot: QuotaUsageSnapshot): void
  /** A user refresh the provider's quota could not allow, in plain words. */
  onRefreshRefused?(provider: ProviderId, message: string): void
  /** Seam for tests of the quota-usage throttle. */
  quotaUsageMinGapMs?: number
  log(level: LogLevel, message: string): void
}

/** Everything the engine runs for one provider that has symbols to serve (or a circuit to probe). */
interface Lane {
  readonly id: ProviderId
  readonly scheduler: RefreshScheduler
  readonly symbols: Set<string>
  /** Symbols the stream said it will not carry (over its cap, refused): polled as usual. */
  readonly unstreamed: Set<string>
  stream: QuoteStream | null
  streamState: StreamState
  /** The stream has been open at least once: only then is a reconnect news worth a status line. */
  streamWasOpen: boolean
  streamDetail: string | null
  readonly unsubscribe: (() => void)[]
  baseStatus: ProviderStatus
  sentStatus: string | null
  /** The last sent status without its fast-changing fields (usage, next refresh). */
  sentCore: string | null
  sentAt: number
  readonly quota: ProviderQuota | null
  /** A pending status refresh: throttled usage news, or the minute window letting old requests go. */
  refreshTimer: { handle: unknown; at: number } | null
}

/**
 * Routes every wanted symbol to one provider and runs a refresh scheduler (its own limiter and
 * health), a circuit breaker and, where the provider has one, a live stream per provider in use.
 * While a provider's circuit is open its symbols go to the next healthy provider on their route;
 * after the cool-down one symbol goes back as the probe, and the answer decides for all of them.
 */
export class ProviderLanes {
  private config: LanesConfig | null = null
  private routing: Routing | null = null
  private readonly wanted = new Set<string>()
  private readonly routes = new Map<string, ProviderId[]>()
  private readonly assignment = new Map<string, ProviderId>()
  private readonly lanes = new Map<ProviderId, Lane>()
  private readonly breakers = new Map<ProviderId, CircuitBreaker>()
  private readonly breakerTimers = new Map<ProviderId, unknown>()
  /** Providers that could not be built, with the reason; cleared by the next configuration. */
  private readonly unavailable = new Map<ProviderId, string>()
  /** Rate-limit answers per provider since the engine started. */
  private readonly rateLimitHits = new Map<ProviderId, number>()
  /** The kind of the provider's last failure, cleared by its next success or a rebuild (a new key). */
  private readonly lastFailure = new Map<ProviderId, ProviderErrorKind>()
  /** The last full quote handed on per symbol: the base stream ticks are merged onto. */
  private readonly lastQuotes = new Map<string, Quote>()
  /** Provider time of the last stream tick used per symbol. */
  private readonly lastTickTimes = new Map<string, number>()
  /**
   * Providers that answered "unknown symbol" for a symbol (not pinned to them), while the symbol is
   * watched and until its provider is rebuilt or the routing changes.
   */
  private readonly unknownOn = new Map<string, Set<ProviderId>>()
  private held = false
  private disposed = false
  private readonly streamRestRefreshMs: number
  /** Symbols on screen or watched by an armed alert: a larger share of a limited quota. */
  private priority: ReadonlySet<string> = new Set()
  private readonly priorityOf = (symbol: string): SymbolPriority => (this.priority.has(symbol) ? 'high' : 'normal')
  /** Usage the host saved before this run, applied whenever the provider's lane opens. */
  private readonly storedUsage = new Map<ProviderId, unknown>()
  /** Usage of lanes closed during this run (a new key, a routing change), carried into their next lane. */
  private readonly ownUsage = new Map<ProviderId, QuotaUsageSnapshot>()
  private readonly usageReporter: UsageReporter
  private readonly stamp = new MarketStateStamp()

  constructor(private readonly options: ProviderLanesOptions) {
    this.streamRestRefreshMs = options.streamRestRefreshMs ?? DEFAULT_STREAM_REST_REFRESH_MS
    this.usageReporter = new UsageReporter({
      now: options.now,
      timers: options.timers,
      minGapMs: options.quotaUsageMinGapMs,
      emit: (provider, snapshot) => options.onQuotaUsage?.(provider, snapshot)
    })
  }

  /** The current status of every provider in use. */
  get statuses(): ProviderStatus[] {
    return [...this.lanes.values()].map((lane) => this.composeStatus(lane))
  }

  /** False while any provider in use cannot be reached. */
  get online(): boolean {
    for (const lane of this.lanes.values()) if (!lane.baseStatus.online) return false
    return true
  }

  /** The provider serving a symbol now; undefined when none can. */
  providerOf(symbol: string): ProviderId | undefined {
    return this.assignment.get(symbol)
  }

  /** Which providers the engine runs right now. */
  activeProviders(): ProviderId[] {
    return [...this.lanes.keys()]
  }

  /**
   * Applies a configuration. Returns true when routing changed (symbols may have moved);
   * a change of interval alone keeps every provider as it is.
   */
  configure(config: LanesConfig): boolean {
    const routing = config.routing ?? singleProviderRouting(config.provider)
    const previous = this.routing
    const hoursChanged = !sameMarketHours(this.config?.marketHours, config.marketHours)
    this.config = config
    for (const lane of this.lanes.values()) {
      lane.scheduler.setRefreshInterval(config.refreshIntervalSec)
      if (hoursChanged) lane.scheduler.setMarketHours(this.marketHoursFor(lane.id))
    }
    if (previous !== null && sameRouting(previous, routing)) return false
    this.routing = routing
    this.routes.clear()
    for (const symbol of this.wanted) this.routes.set(symbol, routeFor(symbol, routing))
    // Another route (a new pin, another fallback) deserves a fresh look at who knows what.
    this.unknownOn.clear()
    // A new configuration is a new chance for providers that could not be built. Open circuits
    // stay open: a failing provider is no healthier because a watchlist pin changed.
    this.unavailable.clear()
    this.reassign()
    return true
  }

  add(symbols: Iterable<string>): void {
    let added = false
    for (const symbol of symbols) {
      if (this.wanted.has(symbol)) continue
      this.wanted.add(symbol)
      if (this.routing !== null) this.routes.set(symbol, routeFor(symbol, this.routing))
      added = true
    }
    if (added) this.reassign()
  }

  remove(symbols: Iterable<string>): void {
    let removed = false
    for (const symbol of symbols) {
      if (!this.wanted.delete(symbol)) continue
      this.routes.delete(symbol)
      this.unknownOn.delete(symbol)
      this.lastQuotes.delete(symbol)
      this.lastTickTimes.delete(symbol)
      removed = true
    }
    if (removed) this.reassign()
  }

  /** 'wake' (network back, resume) refreshes as well, but a quota refusal stays silent. */
  refreshNow(reason: 'user' | 'wake' = 'user'): void {
    for (const lane of this.lanes.values()) lane.scheduler.refreshNow(reason)
  }

  /**
   * A request to provider `id` outside its quotes (a chart, costing `cost`): charged to the quota
   * of its running lane when that has room now, else the plain-words reason it cannot go yet;
   * `charge` false only asks. Null when no lane with a quota runs for it (nothing to share).
   */
  spendOutside(id: ProviderId, cost: number, purpose: string, charge = true): string | null {
    const lane = this.lanes.get(id)
    if (lane === undefined || lane.quota === null || this.disposed) return null
    const refused = lane.scheduler.spendOutside(cost, purpose, charge)
    if (refused === null && charge) this.usageChanged(id)
    return refused
  }

  /** Replaces the high-priority set; every other symbol is normal. */
  setPriority(symbols: Iterable<string>): void {
    this.priority = new Set(symbols)
    for (const lane of this.lanes.values()) lane.scheduler.setPriorities(this.priorityOf)
  }

  /**
   * Keeps the host's saved usage per provider and applies it to open lanes now; lanes that open
   * later get it when they do. An unusable snapshot is reported once and the provider starts fresh.
   */
  restoreQuotaUsage(usage: Partial<Record<ProviderId, unknown>>): void {
    for (const [id, snapshot] of Object.entries(usage) as [ProviderId, unknown][]) {
      if (snapshot === undefined) continue
      this.storedUsage.set(id, snapshot)
      const lane = this.lanes.get(id)
      if (lane === undefined) continue
      this.applyStoredUsage(lane)
      this.sendStatus(lane)
    }
  }

  /**
   * Builds these providers again (a new API key or plan): their lanes close and their symbols are
   * planned afresh, with a clean circuit and another chance if they could not be built before.
   */
  rebuild(ids: readonly ProviderId[]): void {
    if (this.disposed) return
    for (const id of ids) {
      this.unavailable.delete(id)
      this.lastFailure.delete(id)
      // Another key or plan may know symbols the old one did not.
      for (const [symbol, unknown] of this.unknownOn) if (unknown.delete(id) && unknown.size === 0) this.unknownOn.delete(symbol)
      this.breakers.get(id)?.reset()
      this.clearBreakerTimer(id)
      const lane = this.lanes.get(id)
      if (lane === undefined) continue
      this.lanes.delete(id)
      for (const symbol of lane.symbols) this.assignment.delete(symbol)
      void this.closeLane(lane)
    }
    this.reassign()
  }

  /** Sleep or the user's pause: no requests and no stream subscriptions until resumed. */
  suspend(): void {
    this.held = true
    for (const lane of this.lanes.values()) {
      lane.scheduler.suspend()
      lane.stream?.setSymbols([])
    }
  }

  resume(): void {
    this.held = false
    for (const lane of this.lanes.values()) {
      lane.scheduler.resume()
      lane.stream?.setSymbols([...lane.symbols])
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    for (const id of [...this.breakerTimers.keys()]) this.clearBreakerTimer(id)
    const lanes = [...this.lanes.values()]
    const finals = new Map<ProviderId, QuotaUsageSnapshot>()
    for (const lane of lanes) {
      const snapshot = lane.scheduler.quotaUsage()
      if (snapshot !== null) finals.set(lane.id, snapshot)
    }
    this.usageReporter.dispose(finals)
    this.lanes.clear()
    await Promise.allSettled(lanes.map((lane) => this.closeLane(lane)))
  }

  /**
   * Puts every wanted symbol on the first provider of its route that is usable: built, circuit
   * closed. A half-open provider gets one symbol back as its probe. Symbols with no usable
   * provider stay on their first buildable one, whose own backoff paces the retries.
   */
  private reassign(): void {
    if (this.disposed || this.routing === null || this.config === null) return
    // The configured provider runs even without symbols, so its status (or why it cannot be built) shows at once.
    const primary = this.config.provider
    if (!this.lanes.has(primary) && !this.unavailable.has(primary)) this.openLane(primary)
    // Building a lane can fail, which changes what is usable: repeat until nothing changes.
    for (let round = 0; round < 10; round++) {
      const next = this.plan()
      if (this.apply(next)) break
    }
    this.refreshStatuses()
  }

  private plan(): Map<string, ProviderId> {
    const next = new Map<string, ProviderId>()
    const probes = new Set<ProviderId>()
    for (const symbol of this.wanted) {
      const route = this.routes.get(symbol) ?? []
      const built = route.filter((id) => !this.unavailable.has(id))
      const unknown = this.unknownOn.get(symbol)
      // Providers that said they do not know the symbol are skipped, unless nobody else is left.
      const known = unknown === undefined ? built : built.filter((id) => !unknown.has(id))
      const buildable = known.length > 0 ? known : built
      if (buildable.length === 0) continue
      let choice: ProviderId | undefined
      for (const id of buildable) {
        const state = this.breakerState(id)
        if (state === 'closed') {
          choice = id
          break
        }
        // The first symbol that would rather be on a half-open provider is its probe.
        if (state === 'half-open' && !probes.has(id)) {
          probes.add(id)
          choice = id
          break
        }
      }
      next.set(symbol, choice ?? (buildable[0] as ProviderId))
    }
    return next
  }

  /** Moves symbols to their planned lanes. Returns false when a lane could not be built (plan again). */
  private apply(next: Map<string, ProviderId>): boolean {
    const moved: string[] = []
    const byLane = new Map<ProviderId, { add: string[]; remove: string[] }>()
    const entry = (id: ProviderId) => {
      let e = byLane.get(id)
      if (e === undefined) byLane.set(id, (e = { add: [], remove: [] }))
      return e
    }
    for (const [symbol, id] of this.assignment) {
      const target = next.get(symbol)
      if (target === id) continue
      entry(id).remove.push(symbol)
      if (target !== undefined) moved.push(symbol)
    }
    for (const [symbol, id] of next) {
      if (this.assignment.get(symbol) !== id) entry(id).add.push(symbol)
    }
    for (const id of byLane.keys()) {
      if (this.lanes.has(id) || entry(id).add.length === 0) continue
      if (this.openLane(id) === null) return false
    }
    for (const [id, change] of byLane) {
      const lane = this.lanes.get(id)
      if (lane === undefined) continue
      for (const symbol of change.remove) {
        lane.symbols.delete(symbol)
        lane.unstreamed.delete(symbol)
        this.assignment.delete(symbol)
      }
      lane.scheduler.remove(change.remove)
      for (const symbol of change.add) {
        lane.symbols.add(symbol)
        this.assignment.set(symbol, id)
      }
      lane.scheduler.add(change.add, this.priorityOf)
      if (lane.streamState === 'open') lane.scheduler.setSymbolInterval(change.add, this.streamRestRefreshMs)
      if (!this.held) lane.stream?.setSymbols([...lane.symbols])
    }
    for (const lane of [...this.lanes.values()]) {
      // A failing provider stays (empty) while symbols still prefer it, to report its state and be probed.
      if (lane.id === this.config?.provider || lane.symbols.size > 0) continue
      if (this.breakerState(lane.id) === 'closed' || !this.preferredBySome(lane.id)) {
        this.lanes.delete(lane.id)
        void this.closeLane(lane)
      }
    }
    if (moved.length > 0) this.options.onMoved(moved)
    return true
  }

  private openLane(id: ProviderId): Lane | null {
    const config = this.config
    if (config === null) return null
    let provider: QuoteProvider
    try {
      provider = this.options.createProvider(id)
    } catch (error) {
      const message = describe(error)
      this.unavailable.set(id, message)
      this.options.log('warn', message)
      this.options.onStatus(unavailableStatus(id, message))
      return null
    }
    const quota = this.options.quotaFor?.(id, config.providerLimits) ?? null
    const scheduler: RefreshScheduler = new RefreshScheduler({
      provider: this.observe(id, provider),
      refreshIntervalSec: config.refreshIntervalSec,
      quota,
      now: this.options.now,
      heartbeat: this.options.createHeartbeat(),
      onResult: (result) => {
        if (this.lanes.get(id) === lane) this.acceptRest(lane, result)
      },
      onStatus: (status) => {
        if (this.lanes.get(id) !== lane) return
        lane.baseStatus = status
        this.sendStatus(lane)
      },
      log: (level, message) => this.options.log(level, message),
      createLimiter: this.options.createLimiter,
      rateLimitBackoff: this.options.rateLimitBackoff,
      offlineBackoff: this.options.offlineBackoff,
      marketHours: this.marketHoursFor(id),
      onRefreshRefused: (message) => {
        if (this.lanes.get(id) === lane) this.options.onRefreshRefused?.(id, message)
      }
    })
    const lane: Lane = {
      id,
      scheduler,
      symbols: new Set(),
      unstreamed: new Set(),
      stream: null,
      streamState: 'connecting',
      streamWasOpen: false,
      streamDetail: null,
      unsubscribe: [],
      baseStatus: scheduler.status,
      sentStatus: null,
      sentCore: null,
      sentAt: -Infinity,
      quota,
      refreshTimer: null
    }
    this.lanes.set(id, lane)
    this.applyStoredUsage(lane)
    // What this run already spent wins over what the host saved (it started from that anyway).
    const own = this.ownUsage.get(id)
    if (own !== undefined) this.restoreUsage(lane, own, 'this session')
    this.attachStream(lane)
    this.options.log('info', `Using ${PROVIDER_LABELS[id]}${lane.stream ? ' (live stream)' : ''}, refreshing every ${config.refreshIntervalSec} s.`)
    if (this.held) lane.scheduler.suspend()
    lane.scheduler.start()
    this.sendStatus(lane)
    return lane
  }

  /** The market-hours policy for a provider's scheduler; the simulated market trades at all hours. */
  private marketHoursFor(id: ProviderId): MarketHoursOptions | undefined {
    const hours = this.config?.marketHours
    if (hours == null || id === 'simulated') return undefined
    return { extendedHours: hours.extendedHours }
  }

  private applyStoredUsage(lane: Lane): void {
    const stored = this.storedUsage.get(lane.id)
    if (stored === undefined) return
    if (!this.restoreUsage(lane, stored, 'saved')) this.storedUsage.delete(lane.id)
  }

  /** False (after a warning) when the snapshot could not be used; the provider keeps its usage so far. */
  private restoreUsage(lane: Lane, snapshot: unknown, what: string): boolean {
    let problem: string | null
    try {
      problem = lane.scheduler.restoreQuotaUsage(snapshot)
    } catch (error) {
      problem = `${PROVIDER_LABELS[lane.id]}: the ${what} quota usage could not be read (${describe(error)}); starting from the full limits.`
    }
    if (problem === null) return true
    this.options.log('warn', problem)
    return false
  }

  private attachStream(lane: Lane): void {
    let stream: QuoteStream | null = null
    try {
      stream = this.options.createStream?.(lane.id) ?? null
    } catch (error) {
      this.options.log('warn', `The ${PROVIDER_LABELS[lane.id]} stream could not start; polling instead: ${describe(error)}`)
    }
    if (stream === null) return
    lane.stream = stream
    const current = (): boolean => this.lanes.get(lane.id) === lane && lane.stream === stream
    lane.unsubscribe.push(
      stream.onTick((ticks) => {
        if (current()) this.acceptTicks(lane, ticks)
      }),
      stream.onState((state, detail) => {
        if (current()) this.streamStateChanged(lane, state, detail)
      }),
      stream.onSymbolError((symbol, message) => {
        if (!current() || !lane.symbols.has(symbol)) return
        // REST keeps it current instead, and reports it as unknown if it truly is.
        lane.unstreamed.add(symbol)
        lane.scheduler.setSymbolInterval([symbol], null)
        this.options.log('info', message)
      })
    )
  }

  private streamStateChanged(lane: Lane, state: StreamState, detail: string | null): void {
    const wasOpen = lane.streamState === 'open'
    lane.streamState = state
    lane.streamDetail = detail
    if (state === 'open') {
      lane.streamWasOpen = true
      // Ticks keep these current; REST only fills in what ticks do not carry.
      lane.scheduler.setSymbolInterval([...lane.symbols].filter((symbol) => !lane.unstreamed.has(symbol)), this.streamRestRefreshMs)
      if (!wasOpen) this.options.log('info', `${PROVIDER_LABELS[lane.id]} stream open; polling only every ${Math.round(this.streamRestRefreshMs / 1000)} s.`)
    } else {
      lane.scheduler.setSymbolInterval(lane.symbols, null)
      if (wasOpen) this.options.log('info', `${PROVIDER_LABELS[lane.id]} stream down, polling until it reconnects${detail ? `: ${detail}` : '.'}`)
    }
    this.sendStatus(lane)
  }

  private acceptRest(lane: Lane, result: FetchResult): void {
    const quotes: Quote[] = []
    for (const quote of result.quotes) {
      if (quoteProblem(quote) !== null) {
        quotes.push(quote)
        continue
      }
      const last = this.lastQuotes.get(quote.symbol)
      const tickTime = this.lastTickTimes.get(quote.symbol)
      const stamped = this.stamp.stamp(quote, lane.id)
      // A slow REST refresh must not wind the price back behind a newer stream tick.
      const kept =
        last !== undefined && tickTime !== undefined && tickTime > quote.providerTime
          ? {
              ...stamped,
              price: last.price,
              change: last.change,
              changePercent: last.changePercent,
              providerTime: last.providerTime,
              delayed: last.delayed,
              marketState: last.marketState
            }
          : stamped
      // Only a streaming provider needs the base quote; holding every polled quote would keep
      // each refresh's batch alive into the old generation (see engine-exec-argv.ts).
      if (lane.stream !== null && this.wanted.has(quote.symbol)) this.lastQuotes.set(quote.symbol, kept)
      else if (last !== undefined) this.lastQuotes.delete(quote.symbol)
      quotes.push(kept)
    }
    const { errors, failover } = this.unknownFailover(lane, result.errors)
    this.options.onResult(lane.id, { quotes, errors })
    if (failover.length > 0) this.reassign()
  }

  /**
   * A provider that does not know a symbol hands it to the next provider on its route that can
   * serve its asset class, unless the user pinned it there; its error is only shown when no
   * other provider is left to ask. Remembered while the symbol is watched (until that provider is
   * rebuilt or the routing changes), so the symbol cannot bounce.
   */
  private unknownFailover(lane: Lane, errors: FetchResult['errors']): { errors: FetchResult['errors']; failover: string[] } {
    if (errors.length === 0 || this.routing === null) return { errors, failover: [] }
    const kept: FetchResult['errors'] = []
    const failover: string[] = []
    for (const error of errors) {
      const symbol = error?.symbol
      const next = typeof symbol === 'string' && UNKNOWN_SYMBOL.test(String(error.message)) ? this.nextKnown(symbol, lane.id) : null
      if (next === null) {
        kept.push(error)
        continue
      }
      let unknown = this.unknownOn.get(symbol)
      if (unknown === undefined) this.unknownOn.set(symbol, (unknown = new Set()))
      unknown.add(lane.id)
      failover.push(symbol)
      this.options.log('info', `${PROVIDER_LABELS[lane.id]} does not know ${symbol}; asking ${PROVIDER_LABELS[next]} instead.`)
    }
    return { errors: kept, failover }
  }

  /** The provider after `from` on the symbol's route still worth asking; null when pinned to `from` or none is left. */
  private nextKnown(symbol: string, from: ProviderId): ProviderId | null {
    if (!this.wanted.has(symbol) || this.routing?.pins[symbol] === from) return null
    const route = this.routes.get(symbol) ?? []
    const unknown = this.unknownOn.get(symbol)
    for (const id of route) {
      if (id === from || this.unavailable.has(id) || unknown?.has(id)) continue
      return id
    }
    return null
  }

  private acceptTicks(lane: Lane, ticks: readonly StreamTick[]): void {
    if (this.held || this.disposed) return
    const quotes: Quote[] = []
    const now = this.options.now()
    for (const tick of ticks) {
      if (typeof tick?.symbol !== 'string' || !lane.symbols.has(tick.symbol) || !Number.isFinite(tick.time)) continue
      // Until the first REST quote there is nothing to merge onto; it is already on its way.
      const base = this.lastQuotes.get(tick.symbol)
      if (base === undefined) continue
      // Ticks can arrive out of order; an older one must not replace a newer price.
      const previousTick = this.lastTickTimes.get(tick.symbol)
      if (previousTick !== undefined && !(tick.time >= previousTick)) continue
      const merged = this.stamp.stamp(mergeTick(base, tick, lane.id, now), lane.id, true)
      if (quoteProblem(merged) === null) {
        this.lastQuotes.set(tick.symbol, merged)
        this.lastTickTimes.set(tick.symbol, merged.providerTime)
      }
      quotes.push(merged)
    }
    if (quotes.length > 0) this.options.onResult(lane.id, { quotes, errors: [] })
  }

  /** Wraps a provider so every answer also feeds its circuit breaker. */
  private observe(id: ProviderId, provider: QuoteProvider): QuoteProvider {
    return {
      id: provider.id,
      limits: provider.limits,
      fetchQuotes: async (symbols, signal) => {
        let result: FetchResult
        try {
          result = await provider.fetchQuotes(symbols, signal)
        } catch (error) {
          if (!signal?.aborted) this.outcome(id, failureKind(error))
          this.usageChanged(id)
          throw error
        }
        this.outcome(id, null)
        this.usageChanged(id)
        return result
      }
    }
  }

  private outcome(id: ProviderId, failure: ProviderErrorKind | null): void {
    if (this.disposed || !this.lanes.has(id)) return
    if (failure === 'rate-limit') this.rateLimitHits.set(id, (this.rateLimitHits.get(id) ?? 0) + 1)
    if (failure === null) this.lastFailure.delete(id)
    else this.lastFailure.set(id, failure)
    const breaker = this.breaker(id)
    const label = PROVIDER_LABELS[id]
    if (failure === null) {
      if (!breaker.recordSuccess()) return
      this.clearBreakerTimer(id)
      this.options.log('info', `${label} is answering again; its symbols are back on it.`)
      this.reassign()
      return
    }
    if (!breaker.recordFailure(failure)) return
    this.options.log('warn', `${label} failed ${breaker.consecutiveFailures} times in a row; trying again in ${Math.round(((breaker.retryAt ?? 0) - this.options.now()) / 1000)} s.`)
    this.armBreakerTimer(id, breaker)
    this.reassign()
  }

  private armBreakerTimer(id: ProviderId, breaker: CircuitBreaker): void {
    this.clearBreakerTimer(id)
    const at = breaker.retryAt
    if (at === null) return
    const handle = this.options.timers.setTimeout(() => {
      this.breakerTimers.delete(id)
      // Half-open now: the plan hands one symbol back as the probe.
      this.reassign()
    }, Math.max(0, at - this.options.now()))
    this.breakerTimers.set(id, handle)
  }

  private clearBreakerTimer(id: ProviderId): void {
    const handle = this.breakerTimers.get(id)
    if (handle === undefined) return
    this.options.timers.clearTimeout(handle)
    this.breakerTimers.delete(id)
  }

  private breaker(id: ProviderId): CircuitBreaker {
    let breaker = this.breakers.get(id)
    if (breaker === undefined) {
      breaker = new CircuitBreaker({ ...this.options.breaker, now: this.options.now })
      this.breakers.set(id, breaker)
    }
    return breaker
  }

  private breakerState(id: ProviderId): 'closed' | 'open' | 'half-open' {
    return this.breakers.get(id)?.state ?? 'closed'
  }

  private refreshStatuses(): void {
    for (const lane of this.lanes.values()) this.sendStatus(lane)
  }

  /**
   * Sends the lane's status when it changed. A change of health goes out at once; a change of
   * usage or next refresh alone waits until USAGE_STATUS_MIN_GAP_MS after the last status.
   */
  private sendStatus(lane: Lane): void {
    if (this.disposed || this.lanes.get(lane.id) !== lane) return
    const now = this.options.now()
    // Requests leave the sliding minute as time passes, with no request to announce it.
    const leaves = this.minuteWindowLeavesAt(lane, now)
    if (leaves !== null) this.refreshStatusAt(lane, leaves)
    const status = this.composeStatus(lane)
    const key = JSON.stringify(status)
    if (key === lane.sentStatus) return
    const { usage: _usage, nextRefreshAt: _next, ...core } = status
    const coreKey = JSON.stringify(core)
    if (coreKey === lane.sentCore && now - lane.sentAt < USAGE_STATUS_MIN_GAP_MS) {
      this.refreshStatusAt(lane, lane.sentAt + USAGE_STATUS_MIN_GAP_MS)
      return
    }
    lane.sentStatus = key
    lane.sentCore = coreKey
    lane.sentAt = now
    this.options.onStatus(status)
  }

  /** A request went out (or failed): its cost and the next planned time may have changed. */
  private usageChanged(id: ProviderId): void {
    const lane = this.lanes.get(id)
    if (lane === undefined) return
    this.sendStatus(lane)
    if (lane.quota !== null && !this.disposed) this.usageReporter.changed(id, () => lane.scheduler.quotaUsage(), lane.quota.perDay)
  }

  private refreshStatusAt(lane: Lane, at: number): void {
    if (lane.refreshTimer !== null) {
      if (lane.refreshTimer.at <= at) return
      this.options.timers.clearTimeout(lane.refreshTimer.handle)
    }
    const handle = this.options.timers.setTimeout(() => {
      lane.refreshTimer = null
      this.sendStatus(lane)
    }, Math.max(0, at - this.options.now()))
    lane.refreshTimer = { handle, at }
  }

  private clearStatusRefresh(lane: Lane): void {
    if (lane.refreshTimer === null) return
    this.options.timers.clearTimeout(lane.refreshTimer.handle)
    lane.refreshTimer = null
  }

  /** When the oldest request still inside the sliding minute leaves it; null when none is. */
  private minuteWindowLeavesAt(lane: Lane, now: number): number | null {
    if (lane.quota?.perMinute == null) return null
    const recent = lane.scheduler.quotaUsage()?.recent ?? []
    let oldest: number | null = null
    for (const [at] of recent) if (at > now - MINUTE_MS && (oldest === null || at < oldest)) oldest = at
    return oldest === null ? null : oldest + MINUTE_MS
  }

  /** Spent in the current minute and UTC day against the quota's limits; absent without a known quota. */
  private usageOf(lane: Lane, now: number): ProviderStatus['usage'] {
    const quota = lane.quota
    if (quota === null) return undefined
    const snapshot = lane.scheduler.quotaUsage()
    let minuteUsed = 0
    for (const [at, cost] of snapshot?.recent ?? []) if (at > now - MINUTE_MS) minuteUsed += cost
    const dayUsed = snapshot !== null && snapshot.day === utcDay(now) ? snapshot.dayUsed : 0
    return {
      unit: quota.unit,
      minute: quota.perMinute === null ? null : { used: minuteUsed, limit: quota.perMinute },
      day: quota.perDay === null ? null : { used: dayUsed, limit: quota.perDay }
    }
  }

  /** The scheduler's view of the provider plus, in plain words, what the breaker and the stream are doing. */
  private composeStatus(lane: Lane): ProviderStatus {
    const base = lane.baseStatus
    const label = PROVIDER_LABELS[lane.id]
    const parts: string[] = []
    const breaker = this.breakers.get(lane.id)
    const substitutes = breaker !== undefined && breaker.state !== 'closed' ? this.substitutesFor(lane.id) : []
    if (breaker !== undefined && substitutes.length > 0) {
      parts.push(`${label} failed ${breaker.consecutiveFailures} times in a row; using ${joinWords(substitutes.map((id) => PROVIDER_LABELS[id]))} until it recovers.`)
    } else if (base.lastError !== null) {
      parts.push(base.lastError)
    }
    const streamDown =
      lane.stream !== null && lane.symbols.size > 0 && lane.streamState !== 'open' && (lane.streamState === 'down' || lane.streamWasOpen)
    if (streamDown) {
      parts.push(`${label} stream down, polling until it reconnects${lane.streamDetail ? ` (${lane.streamDetail})` : ''}.`)
    }
    const now = this.options.now()
    const usage = this.usageOf(lane, now)
    const breakerState = breaker?.state ?? 'closed'
    const dayFull = usage?.day != null && usage.day.used >= usage.day.limit
    // What is wrong first: a bad key explains an open circuit, which explains an outage.
    let state: ProviderState = 'ok'
    if (this.lastFailure.get(lane.id) === 'auth') state = 'bad-key'
    else if (breakerState !== 'closed') state = 'circuit-open'
    else if (base.rateLimitedUntil !== null || dayFull) state = 'rate-limited'
    else if (!base.online) state = 'offline'
    else if (streamDown) state = 'stream-down'
    const status: ProviderStatus = {
      ...base,
      lastError: parts.length > 0 ? parts.join(' ') : null,
      state,
      circuitOpenUntil: breaker?.retryAt ?? null,
      nextRefreshAt: lane.scheduler.nextRefreshAt(),
      rateLimitHits: this.rateLimitHits.get(lane.id) ?? 0
    }
    if (usage !== undefined) status.usage = usage
    return status
  }

  /** Some wanted symbol would rather be on `id` than where it is. */
  private preferredBySome(id: ProviderId): boolean {
    for (const [symbol, assigned] of this.assignment) {
      const route = this.routes.get(symbol) ?? []
      const preferred = route.indexOf(id)
      if (preferred !== -1 && preferred < route.indexOf(assigned)) return true
    }
    return false
  }

  /** Providers now serving symbols whose route prefers `id`. */
  private substitutesFor(id: ProviderId): ProviderId[] {
    const found: ProviderId[] = []
    for (const [symbol, assigned] of this.assignment) {
      if (assigned === id || found.includes(assigned)) continue
      const route = this.routes.get(symbol) ?? []
      const preferred = route.indexOf(id)
      if (preferred !== -1 && preferred < route.indexOf(assigned)) found.push(assigned)
    }
    return found
  }

  private async closeLane(lane: Lane): Promise<void> {
    this.clearStatusRefresh(lane)
    const usage = lane.scheduler.quotaUsage()
    if (usage !== null && !this.disposed) {
      this.ownUsage.set(lane.id, usage)
      // A report still pending for this lane reads the usage it closed with.
      this.usageReporter.changed(lane.id, () => usage)
    }
    for (const off of lane.unsubscribe.splice(0)) {
      try {
        off()
      } catch {
        // A stream that fails to unsubscribe is closed below anyway.
      }
    }
    try {
      lane.stream?.close()
    } catch (error) {
      this.options.log('warn', `Closing the ${PROVIDER_LABELS[lane.id]} stream failed: ${describe(error)}`)
    }
    lane.stream = null
    try {
      await lane.scheduler.dispose()
    } catch (error) {
      this.options.log('warn', `Stopping ${PROVIDER_LABELS[lane.id]} failed: ${describe(error)}`)
    }
  }
}

function sameMarketHours(a: EngineConfig['marketHours'], b: EngineConfig['marketHours']): boolean {
  if (a == null || b == null) return (a == null) === (b == null)
  return a.extendedHours === b.extendedHours
}

function unavailableStatus(provider: ProviderId, message: string | null): ProviderStatus {
  return {
    provider,
    online: message === null,
    offlineSince: null,
    lastSuccess: null,
    lastError: message,
    rateLimitedUntil: null,
    state: message === null ? 'ok' : 'unavailable'
  }
}

/** Failures a provider throws; anything that is not a ProviderError counts as a server fault. */
function failureKind(error: unknown): ProviderErrorKind {
  const kind = (error as { kind?: unknown } | null)?.kind
  return kind === 'rate-limit' || kind === 'network' || kind === 'bad-payload' || kind === 'auth' || kind === 'server' ? kind : 'server'
}

function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join('')
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
