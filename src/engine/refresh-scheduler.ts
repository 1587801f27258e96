import type { ProviderStatus } from '../shared/ipc/engine-protocol'
import { PROVIDER_LABELS } from '../shared/providers'
import type { BackoffOptions } from './backoff'
import type { Heartbeat } from './heartbeat'
import { ProviderHealth } from './provider-health'
import { ProviderError, type FetchResult, type QuoteProvider } from './providers/provider'
import type { ProviderQuota } from './quota/provider-quotas'
import { QuotaGate, type MarketHoursOptions } from './quota/quota-gate'
import type { SymbolPriority } from './quota/quota-planner'
import type { QuotaUsageSnapshot } from './quota/quota-usage'
import { createBottleneckLimiter, PRIORITY_ROUTINE, PRIORITY_URGENT, type CreateLimiter, type RequestLimiter } from './request-limiter'

type LogLevel = 'debug' | 'info' | 'warn' | 'error'

/** Cron fires on whole seconds while requests start at odd milliseconds; without this slack a
 *  5 s interval would drift to 6 s. */
const DUE_SLACK_MS = 500

export interface RefreshSchedulerOptions {
  provider: QuoteProvider
  refreshIntervalSec: number
  now(): number
  heartbeat: Heartbeat
  /** Results for symbols that are still scheduled; late answers for dropped symbols are filtered out. */
  onResult(result: FetchResult): void
  onStatus(status: ProviderStatus): void
  log(level: LogLevel, message: string): void
  createLimiter?: CreateLimiter
  rateLimitBackoff?: BackoffOptions
  offlineBackoff?: BackoffOptions
  /**
   * The provider's budget (effectiveQuota(id, overrides)): batches are then paced by the quota
   * planner instead of the flat interval, which stays the floor per symbol. Absent, null or a
   * quota without limits (simulated, yahoo): the flat interval alone.
   */
  quota?: ProviderQuota | null
  /** Leave US equities alone while their market is closed; absent: poll at all hours. */
  marketHours?: MarketHoursOptions
  /** A user refresh the quota could not allow, in plain words naming the provider (once per refresh). */
  onRefreshRefused?(message: string): void
}

interface SymbolState {
  /** When the last request for it was queued; null until the first one. */
  requestedAt: number | null
  /**
   * When the last request that got an answer was queued; null until one did. Market hours go by
   * this, not requestedAt: a closing fetch that failed must be tried again, not counted as done.
   */
  answeredAt: number | null
  /** Queued in the limiter or on the wire: never request it twice at once. */
  inFlight: boolean
  /** Fetch at the next opportunity regardless of the interval. */
  urgent: boolean
  /** Own refresh interval (ms), e.g. the slow refresh of a symbol a live stream keeps current; null: the scheduler's. */
  intervalMs: number | null
  /** The user asked for a refresh: fetch it once even though its market is closed. */
  evenIfClosed: boolean
}

/**
 * Decides what to fetch and when for one provider: a cron heartbeat finds symbols whose
 * interval has passed, new symbols go out at once, batches respect the provider's limits,
 * and rate limits or outages hold every request back until their wait is over.
 */
export class RefreshScheduler {
  private readonly provider: QuoteProvider
  private readonly symbols = new Map<string, SymbolState>()
  private readonly health: ProviderHealth
  private readonly limiter: RequestLimiter
  private readonly controllers = new Set<AbortController>()
  private readonly running = new Set<Promise<void>>()
  private intervalMs: number
  private suspended = false
  private disposed = false
  private started = false
  private kickQueued = false
  private readonly gate: QuotaGate
  /** A refresh waiting for the next tick (quota-limited providers only); 'user' ones hear why not. */
  private manualRefresh: 'user' | 'wake' | null = null

  constructor(private readonly options: RefreshSchedulerOptions) {
    this.provider = options.provider
    this.intervalMs = options.refreshIntervalSec * 1000
    this.health = new ProviderHealth({
      provider: options.provider.id,
      now: options.now,
      onChange: (status) => options.onStatus(status),
      rateLimitBackoff: options.rateLimitBackoff,
      offlineBackoff: options.offlineBackoff
    })
    this.limiter = (options.createLimiter ?? createBottleneckLimiter)(options.provider.limits)
    this.gate = new QuotaGate({
      provider: options.provider.id,
      quota: options.quota ?? null,
      minIntervalMs: this.intervalMs - DUE_SLACK_MS,
      maxBatch: options.provider.limits.maxBatch,
      marketHours: options.marketHours
    })
  }

  get status(): ProviderStatus {
    return this.health.current
  }

  start(): void {
    if (this.started || this.disposed) return
    this.started = true
    this.options.heartbeat.start(() => this.tick())
    this.kick()
  }

  setRefreshInterval(seconds: number): void {
    this.intervalMs = seconds * 1000
    this.gate.setMinInterval(this.intervalMs - DUE_SLACK_MS)
  }

  /** What the provider's quota has been charged, for the host to persist; null without a quota. */
  quotaUsage(): QuotaUsageSnapshot | null {
    return this.gate.usageSnapshot()
  }

  /**
   * When the next request is expected (epoch ms), from what the scheduler already knows: the
   * planner's last wait under a quota, else the stalest symbol's due time; a rate-limit or
   * offline wait pushes it later. Null when nothing is scheduled.
   */
  nextRefreshAt(): number | null {
    if (this.disposed || this.suspended || !this.started || this.symbols.size === 0) return null
    const now = this.options.now()
    let at: number | null = null
    if (this.gate.planner !== null) {
      // In-flight symbols count: they were just charged, so the pace already reflects them.
      at = this.gate.nextBatchAt(now, (symbol) => {
        const state = this.symbols.get(symbol)
        return state !== undefined && this.gate.marketAllows(symbol, state.answeredAt, now)
      })
    } else {
      for (const state of this.symbols.values()) {
        if (state.inFlight) continue
        const due = state.urgent || state.requestedAt === null ? now : state.requestedAt + (state.intervalMs ?? this.intervalMs) - DUE_SLACK_MS
        at = at === null ? due : Math.min(at, due)
      }
    }
    if (at === null) return null
    return Math.max(at, this.health.blockedUntil())
  }

  /**
   * A request to this provider made elsewhere (a chart): charged to the quota when it has room now
   * (null), else the plain-words reason it cannot go yet; `charge` false only asks. Always null
   * without a quota.
   */
  spendOutside(cost: number, purpose: string, charge = true): string | null {
    if (this.disposed) return null
    return this.gate.spendOutside(this.options.now(), cost, purpose, charge)
  }

  /** Restores persisted usage so a restart cannot spend a fresh budget; a plain-words problem if unusable. */
  restoreQuotaUsage(snapshot: unknown): string | null {
    return this.gate.restoreUsage(snapshot, this.options.now())
  }

  /**
   * New symbols are fetched at once rather than on the next interval. `priorityOf` gives each its
   * share of a limited quota (default 'normal').
   */
  add(symbols: Iterable<string>, priorityOf?: (symbol: string) => SymbolPriority): void {
    let added = false
    for (const symbol of symbols) {
      if (this.symbols.has(symbol)) continue
      this.symbols.set(symbol, { requestedAt: null, answeredAt: null, inFlight: false, urgent: true, intervalMs: null, evenIfClosed: false })
      this.gate.add([symbol], priorityOf?.(symbol))
      added = true
    }
    if (added) this.kick()
  }

  /** Re-weighs every scheduled symbol's share of a limited quota. */
  setPriorities(priorityOf: (symbol: string) => SymbolPriority): void {
    for (const symbol of this.symbols.keys()) this.gate.setPriority(symbol, priorityOf(symbol))
  }

  /** Switches the market-hours policy (absent: all hours) without losing symbols or quota usage. */
  setMarketHours(hours: MarketHoursOptions | undefined): void {
    this.gate.setMarketHours(hours)
    // Symbols held back by a closed market may be due now.
    this.kick()
  }

  remove(symbols: Iterable<string>): void {
    for (const symbol of symbols) {
      this.symbols.delete(symbol)
      this.gate.remove([symbol])
    }
  }

  has(symbol: string): boolean {
    return this.symbols.has(symbol)
  }

  /** Gives symbols their own refresh interval (null restores the scheduler's); unknown symbols are ignored. */
  setSymbolInterval(symbols: Iterable<string>, intervalMs: number | null): void {
    for (const symbol of symbols) {
      const state = this.symbols.get(symbol)
      if (state !== undefined) state.intervalMs = intervalMs
    }
  }

  /**
   * The user's refresh: fetch everything now (or say why the quota cannot); a rate-limit cooldown
   * still applies. A user's refresh also fetches US stocks whose market is closed, once: asking
   * again is how someone doubts the last close shown. 'wake' leaves them alone.
   */
  refreshNow(reason: 'user' | 'wake' = 'user'): void {
    this.requestRefresh(reason)
  }

  private requestRefresh(why: 'user' | 'wake'): void {
    this.health.skipOfflineWait()
    // Under a quota only one request can go ahead of the pace; the planner picks it or says why not.
    if (this.gate.planner !== null) this.manualRefresh = this.manualRefresh === 'user' ? 'user' : why
    else {
      for (const state of this.symbols.values()) {
        state.urgent = true
        if (why === 'user') state.evenIfClosed = true
      }
    }
    this.kick()
  }

  suspend(): void {
    this.suspended = true
  }

  /** Also refreshes when no suspend was seen: cron does not replay fires missed during sleep. */
  resume(): void {
    this.suspended = false
    this.requestRefresh('wake')
  }

  /** Reports a problem that keeps this provider from working at all. */
  reportProblem(message: string): void {
    this.health.reportProblem(message)
  }

  /** Runs the due-check now; the heartbeat calls this every second. */
  tick(): void {
    if (this.disposed || this.suspended || !this.started) return
    const now = this.options.now()
    this.health.expire(now)
    if (this.health.blockedUntil() > now) return
    if (this.gate.planner !== null) {
      this.tickUnderQuota(now)
      return
    }
    const retryAll = this.health.offlineRetryDue(now)
    const urgent: string[] = []
    const routine: string[] = []
    for (const [symbol, state] of this.symbols) {
      if (state.inFlight) continue
      if (!state.evenIfClosed && !this.gate.marketAllows(symbol, state.answeredAt, now)) continue
      if (state.urgent || state.requestedAt === null) urgent.push(symbol)
      else if (retryAll || now - state.requestedAt >= (state.intervalMs ?? this.intervalMs) - DUE_SLACK_MS) routine.push(symbol)
    }
    this.dispatch(urgent, PRIORITY_URGENT, now)
    this.dispatch(routine, PRIORITY_ROUTINE, now)
  }

  private tickUnderQuota(now: number): void {
    const available = (symbol: string, evenIfClosed = false): boolean => {
      const state = this.symbols.get(symbol)
      if (state === undefined || state.inFlight) return false
      const own = state.intervalMs
      if (own !== null && state.requestedAt !== null && now - state.requestedAt < own - DUE_SLACK_MS) return false
      return evenIfClosed || this.gate.marketAllows(symbol, state.answeredAt, now)
    }
    if (this.manualRefresh !== null) {
      const byUser = this.manualRefresh === 'user'
      this.manualRefresh = null
      // The planner still picks one batch within the quota; a user's may include closed markets.
      const result = this.gate.refreshNow(now, [...this.symbols.keys()].filter((symbol) => available(symbol, byUser)))
      if ('refused' in result) {
        this.options.log('info', result.refused)
        if (byUser) this.options.onRefreshRefused?.(result.refused)
      } else this.dispatch(result.batch, PRIORITY_URGENT, now)
    }
    for (const batch of this.gate.take(now, available)) this.dispatch(batch, PRIORITY_ROUTINE, now)
  }

  async dispose(): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    this.options.heartbeat.stop()
    for (const controller of this.controllers) controller.abort()
    await this.limiter.stop().catch(() => undefined)
    await Promise.allSettled([...this.running])
  }

  /** Coalesces bursts of interest changes in one microtask into a single round of batches. */
  private kick(): void {
    if (this.kickQueued || !this.started) return
    this.kickQueued = true
    queueMicrotask(() => {
      this.kickQueued = false
      this.tick()
    })
  }

  private dispatch(symbols: string[], priority: number, now: number): void {
    const size = Math.max(1, Math.floor(this.provider.limits.maxBatch))
    for (let i = 0; i < symbols.length; i += size) {
      const batch = symbols.slice(i, i + size)
      for (const symbol of batch) {
        const state = this.symbols.get(symbol)
        if (state === undefined) continue
        state.inFlight = true
        state.urgent = false
        state.evenIfClosed = false
        state.requestedAt = now
      }
      const job = this.limiter
        .schedule(priority, () => this.fetchBatch(batch))
        .catch(() => this.release(batch, true))
        .finally(() => this.running.delete(job))
      this.running.add(job)
    }
  }

  private async fetchBatch(batch: string[]): Promise<void> {
    if (this.disposed) return
    if (this.suspended || this.health.blockedUntil() > this.options.now()) {
      // Queued before a rate limit or outage began: hand the symbols back untouched.
      this.release(batch, true)
      return
    }
    const wanted = batch.filter((symbol) => this.symbols.has(symbol))
    if (wanted.length === 0) return
    const controller = new AbortController()
    this.controllers.add(controller)
    let result: FetchResult
    try {
      result = checkResult(await this.provider.fetchQuotes(wanted, controller.signal))
    } catch (error) {
      if (this.disposed) return
      const failure = this.describeFailure(error)
      this.health.recordFailure(failure)
      this.options.log(failure.kind === 'network' || failure.kind === 'rate-limit' ? 'info' : 'warn', failure.message)
      this.release(wanted, failure.kind === 'network' || failure.kind === 'rate-limit')
      return
    } finally {
      this.controllers.delete(controller)
    }
    if (this.disposed) return
    this.release(wanted, false, true)
    this.health.recordSuccess()
    const quotes = result.quotes.filter((quote) => this.symbols.has(quote?.symbol))
    const errors = result.errors.filter((error) => this.symbols.has(error?.symbol))
    if (quotes.length > 0 || errors.length > 0) this.options.onResult({ quotes, errors })
  }

  private release(batch: readonly string[], retrySoon: boolean, answered = false): void {
    for (const symbol of batch) {
      const state = this.symbols.get(symbol)
      if (state === undefined) continue
      state.inFlight = false
      if (retrySoon) state.urgent = true
      if (answered) state.answeredAt = state.requestedAt
    }
  }

  private describeFailure(error: unknown): ProviderError {
    if (isProviderError(error)) return error
    const label = PROVIDER_LABELS[this.provider.id]
    const detail = error instanceof Error ? error.message : String(error)
    return new ProviderError('server', `${label} failed unexpectedly: ${detail}`)
  }
}

/** Duck-typed too, so an error from a second copy of the provider module still counts. */
function isProviderError(error: unknown): error is ProviderError {
  if (error instanceof ProviderError) return true
  const e = error as Partial<ProviderError> | null
  return (
    typeof e === 'object' &&
    e !== null &&
    e.name === 'ProviderError' &&
    typeof e.message === 'string' &&
    ['rate-limit', 'network', 'bad-payload', 'auth', 'server'].includes(e.kind as string)
  )
}

function checkResult(value: unknown): FetchResult {
  const result = value as Partial<FetchResult> | null | undefined
  if (!result || !Array.isArray(result.quotes) || !Array.isArray(result.errors)) {
    throw new Error('it returned no quote list')
  }
  return result as FetchResult
}
