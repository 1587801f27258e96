import type { ProviderQuota } from './quota/provider-quotas'
import {
  EngineCommandSchema,
  type EngineCommand,
  type EngineConfig,
  type EngineEvent,
  type ProviderStatus
} from '../shared/ipc/engine-protocol'
import { DEFAULT_PROVIDER, PROVIDER_LABELS, type ProviderId } from '../shared/providers'
import type { Quote, SymbolError } from '../shared/quote'
import { normaliseSymbol, symbolProblem } from '../shared/symbols'
import { AlertEngine } from './alerts/alert-engine'
import type { BackoffOptions } from './backoff'
import type { CircuitBreakerOptions } from './circuit-breaker'
import { createCronHeartbeat, type Heartbeat } from './heartbeat'
import { ProviderLanes } from './provider-lanes'
import type { FetchResult, QuoteProvider } from './providers/provider'
import type { ProviderEnv } from './providers/provider-env'
import type { QuoteStream } from './providers/quote-stream'
import { changedLimits, changedProviders, settingsEnv, type ProviderKeys } from './provider-settings-env'
import { QuoteCoalescer } from './quote-coalescer'
import { quoteProblem } from './quote-check'
import type { CreateLimiter } from './request-limiter'
import { SubscriptionRegistry, type InterestChange } from './subscription-registry'
import { refreshDirectory } from './search/directory-refresh'
import type { DirectorySource, SearchSource } from './search/search-source'
import { SymbolSearch } from './search/symbol-search'
import { HistoryService } from './history/history-service'
import type { HistorySource } from './history/history-source'
import { singleProviderRouting } from './provider-router'
import { systemTimers, type Timers } from './timers'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface EngineDeps {
  now(): number
  emit(event: EngineEvent): void
  /**
   * `settings` holds what the app's settings say (saved API keys as TICKERDESK_<ID>_KEY, Alpha
   * Vantage premium): spread it over the process environment so the settings win.
   */
  createProvider(id: ProviderId, settings: ProviderEnv): QuoteProvider
  /** A provider's live feed (null when it has none); see providers/streams.ts. */
  createStream?: (id: ProviderId, settings: ProviderEnv) => QuoteStream | null
  /** Local diagnostics; everything at info level and above also reaches the host as 'log' events. */
  log(level: LogLevel, message: string): void
  /** Seams for tests; production uses node-cron, the global timers and Bottleneck. */
  createHeartbeat?: () => Heartbeat
  timers?: Timers
  createLimiter?: CreateLimiter
  rateLimitBackoff?: BackoffOptions
  offlineBackoff?: BackoffOptions
  /** When a failing provider's symbols move to a fallback, and for how long. */
  breaker?: Omit<CircuitBreakerOptions, 'now'>
  /** REST refresh of symbols a live stream keeps current (default 60 s). */
  streamRestRefreshMs?: number
  /** Request budget per provider (see quota/); without it every provider polls on the flat interval. */
  quotaFor?: (id: ProviderId, providerLimits: EngineConfig['providerLimits']) => ProviderQuota | null
  /** A provider's symbol search (null when it has none); see search/search-sources.ts. */
  createSearchSource?: (id: ProviderId, settings: ProviderEnv) => SearchSource | null
  /** A provider's symbol listing for the local directory (null when it has none). */
  createDirectorySource?: (id: ProviderId, settings: ProviderEnv) => DirectorySource | null
  /** Listing providers asked by a 'refresh-directory' without a list. */
  directoryProviders?: readonly ProviderId[]
  searchTimeoutMs?: number
  /** A provider's price history (null when it has none); see history/history-sources.ts. */
  createHistorySource?: (id: ProviderId, settings: ProviderEnv) => HistorySource | null
  /** Least time between two 'quota-usage' reports for one provider (default 10 s). */
  quotaUsageMinGapMs?: number
}

/**
 * The quote engine: tracks what every consumer shows, routes each symbol to a provider (with
 * fallbacks while one is failing, and live streams where a provider has one), and sends
 * coalesced changes, per-symbol problems and every provider's status to the host.
 * Nothing a provider or a command does may throw out of here.
 */
export class Engine {
  private readonly registry = new SubscriptionRegistry()
  private readonly coalescer: QuoteCoalescer
  private readonly symbolErrors = new Map<string, string>()
  private readonly lanes: ProviderLanes
  private config: EngineConfig | null = null
  private readonly alerts: AlertEngine
  private suspended = false
  /** The user's pause; independent of sleep, so waking up does not resume a paused engine. */
  private paused = false
  private disposed = false
  private readonly symbolSearch: SymbolSearch
  private readonly history: HistoryService
  private readonly directoryRefresh = new AbortController()
  /** Saved API keys; only ever used to build providers, never logged or emitted. */
  private keys: ProviderKeys = {}
  private providerSettings: ProviderEnv = {}

  constructor(private readonly deps: EngineDeps) {
    this.alerts = new AlertEngine({ now: deps.now })
    this.symbolSearch = new SymbolSearch({
      source: (id) => deps.createSearchSource?.(id, this.providerSettings) ?? null,
      timers: deps.timers ?? systemTimers,
      now: deps.now,
      timeoutMs: deps.searchTimeoutMs
    })
    this.history = new HistoryService({
      now: deps.now,
      timers: deps.timers ?? systemTimers,
      source: (id) => deps.createHistorySource?.(id, this.providerSettings) ?? null,
      assigned: (symbol) => this.lanes.providerOf(symbol),
      routing: () => (this.config === null ? null : (this.config.routing ?? singleProviderRouting(this.config.provider))),
      spend: (id, cost, charge) => this.lanes.spendOutside(id, cost, 'a chart', charge),
      answer: (requestId, response) => this.emit({ type: 'history', requestId, response }),
      log: (level, message) => this.log(level, message)
    })
    this.coalescer = new QuoteCoalescer({
      onFlush: (patches) => this.emit({ type: 'quotes', patches }),
      timers: deps.timers
    })
    this.lanes = new ProviderLanes({
      now: deps.now,
      timers: deps.timers ?? systemTimers,
      createProvider: (id) => deps.createProvider(id, this.providerSettings),
      createStream: deps.createStream && ((id) => deps.createStream?.(id, this.providerSettings) ?? null),
      createHeartbeat: deps.createHeartbeat ?? createCronHeartbeat,
      createLimiter: deps.createLimiter,
      rateLimitBackoff: deps.rateLimitBackoff,
      offlineBackoff: deps.offlineBackoff,
      breaker: deps.breaker,
      streamRestRefreshMs: deps.streamRestRefreshMs,
      quotaFor: deps.quotaFor,
      onResult: (provider, result) => this.acceptResult(provider, result),
      onStatus: (status) => {
        this.alerts.noteOnline(this.lanes.online)
        this.emitStatus(status)
      },
      // Another provider may well know symbols the previous one could not price.
      onMoved: (symbols) => this.clearSymbolErrors(symbols),
      onQuotaUsage: (provider, snapshot) => this.emit({ type: 'quota-usage', provider, snapshot }),
      onRefreshRefused: (provider, message) => this.emit({ type: 'refresh-refused', provider, message }),
      quotaUsageMinGapMs: deps.quotaUsageMinGapMs,
      log: (level, message) => this.log(level, message)
    })
  }

  handle(command: unknown): void {
    if (this.disposed) return
    const parsed = EngineCommandSchema.safeParse(command)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const where = issue && issue.path.length > 0 ? ` (${issue.path.join('.')})` : ''
      this.log('warn', `Ignored an invalid engine command${where}: ${issue?.message ?? 'unreadable message'}`)
      return
    }
    try {
      this.apply(parsed.data)
    } catch (error) {
      this.log('error', `The engine could not handle "${parsed.data.type}": ${describe(error)}`)
    }
  }

  /** Sends what is pending and stops polling. */
  async dispose(): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    this.symbolSearch.dispose()
    this.history.dispose()
    this.directoryRefresh.abort()
    try {
      this.coalescer.flush()
    } finally {
      this.coalescer.dispose()
      await this.lanes.dispose()
    }
  }

  private apply(command: EngineCommand): void {
    switch (command.type) {
      case 'configure':
        return this.configure(command.config)
      case 'set-interest':
        return this.applyInterest(this.registry.set(command.consumer, this.cleanSymbols(command.symbols)))
      case 'drop-consumer':
        return this.applyInterest(this.registry.drop(command.consumer))
      case 'refresh':
        this.lanes.refreshNow(command.reason ?? 'user')
        return
      case 'set-priority':
        this.lanes.setPriority(this.cleanSymbols(command.symbols))
        return
      case 'restore-quota-usage':
        this.lanes.restoreQuotaUsage(command.usage)
        return
      case 'power':
        this.suspended = command.state === 'suspend'
        if (this.suspended) {
          this.lanes.suspend()
          return
        }
        this.alerts.markGap()
        if (!this.paused) this.lanes.resume()
        return
      case 'pause':
        this.paused = command.paused
        if (this.paused) this.lanes.suspend()
        else if (!this.suspended) this.lanes.resume()
        return
      case 'set-keys':
        this.keys = { ...command.keys }
        this.applyProviderSettings()
        // A new key can change which source charts a symbol.
        this.history.forget()
        return
      case 'set-alert-rules':
        this.alerts.setRules(command.rules)
        return
      case 'shutdown':
        void this.dispose()
        return
      case 'search':
        void this.search(command.requestId, command.query, command.limit, command.providers)
        return
      case 'refresh-directory':
        void this.refreshDirectory(command.requestId, command.providers)
        return
      case 'history':
        this.history.request(command.requestId, command.symbol, command.range)
        return
    }
  }

  /**
   * Without an explicit list, the active providers are asked; when none has a search endpoint it
   * falls back to Yahoo's keyless search (the simulated market has nothing to search but the
   * host's local directory).
   */
  private async search(requestId: string, query: string, limit: number, providers: ProviderId[] | undefined): Promise<void> {
    let ids = providers ?? this.activeProviders()
    // An explicit choice is respected even without a search endpoint (the directory answers).
    if (providers === undefined && this.symbolSearch.searchable(ids).length === 0 && !ids.every((id) => id === 'simulated')) ids = ['yahoo']
    try {
      const outcome = await this.symbolSearch.search(query, limit, ids)
      if (!this.disposed) this.emit({ type: 'search-results', requestId, ...outcome })
    } catch (error) {
      this.emit({ type: 'search-results', requestId, results: [], errors: [`Search failed: ${describe(error)}`] })
    }
  }

  /** The providers quotes come from: the configured one and, when routing is set, its equity and crypto choices. */
  private activeProviders(): ProviderId[] {
    const config = this.config
    if (config === null) return [DEFAULT_PROVIDER]
    const routing = config.routing
    return [...new Set([...(routing ? [routing.equity, routing.crypto] : []), config.provider])]
  }

  private async refreshDirectory(requestId: string, providers: ProviderId[] | undefined): Promise<void> {
    const sources: DirectorySource[] = []
    // By default only the listings of providers in use: nobody on Yahoo alone should fetch exchange lists.
    const listing = new Set(this.deps.directoryProviders ?? [])
    for (const id of providers ?? this.activeProviders().filter((p) => listing.has(p))) {
      try {
        const source = this.deps.createDirectorySource?.(id, this.providerSettings) ?? null
        if (source !== null) sources.push(source)
      } catch (error) {
        this.log('warn', `The ${PROVIDER_LABELS[id]} symbol list is unavailable: ${describe(error)}`)
      }
    }
    try {
      await refreshDirectory(sources, this.directoryRefresh.signal, (chunk) => this.emit({ type: 'directory', requestId, ...chunk }))
    } catch (error) {
      this.log('warn', `Refreshing the symbol directory failed: ${describe(error)}`)
    }
  }

  private configure(config: EngineConfig): void {
    const previous = this.config
    this.config = config
    // New limits apply through rebuilt schedulers (the quota planner is set up when a lane opens).
    const relimited = previous === null ? [] : changedLimits(previous.providerLimits, config.providerLimits)
    this.coalescer.setFlushInterval(config.flushIntervalMs)
    this.alerts.setRefreshInterval(config.refreshIntervalSec)
    const switched = previous !== null && previous.provider !== config.provider
    if (switched) {
      // Another provider may well know symbols the previous one could not price.
      this.clearSymbolErrors([...this.symbolErrors.keys()])
    }
    // Before the lanes start: a first configuration must build providers with their keys and plan.
    this.applyProviderSettings(relimited)
    // The lanes already know every wanted symbol; the first configuration starts fetching them.
    this.lanes.configure(config)
    // Routing decides which source charts a symbol: answers from before may be another's.
    this.history.forget()
    if (switched) {
      // Prices from another provider are not comparable with the previous one's.
      this.alerts.resetMarket()
      this.emitAlerts()
    }
  }

  /** Rebuilds the providers whose key or plan changed, so the next request uses them. */
  private applyProviderSettings(alsoRebuild: readonly ProviderId[] = []): void {
    const next = settingsEnv(this.keys, this.config?.providerLimits)
    const changed = [...new Set([...changedProviders(this.providerSettings, next), ...alsoRebuild])]
    this.providerSettings = next
    if (changed.length === 0) return
    this.symbolSearch.forget(changed)
    if (this.config !== null) this.lanes.rebuild(changed)
  }

  private cleanSymbols(raw: readonly string[]): string[] {
    const symbols: string[] = []
    for (const entry of raw) {
      const problem = symbolProblem(entry)
      if (problem === null) symbols.push(normaliseSymbol(entry))
      else this.log('warn', `Skipped a symbol: ${problem}`)
    }
    return symbols
  }

  private applyInterest(change: InterestChange): void {
    if (change.removed.length > 0) {
      this.lanes.remove(change.removed)
      for (const symbol of change.removed) this.coalescer.forget(symbol)
      this.clearSymbolErrors(change.removed)
      this.alerts.forget(change.removed)
      this.emitAlerts()
    }
    if (change.added.length > 0) this.lanes.add(change.added)
  }

  private acceptResult(provider: ProviderId, result: FetchResult): void {
    const changed: SymbolError[] = []
    for (const quote of result.quotes) {
      const problem = quoteProblem(quote)
      if (problem !== null) {
        const symbol = typeof quote?.symbol === 'string' && quote.symbol.length > 0 ? quote.symbol : null
        this.log('warn', `${PROVIDER_LABELS[provider]} sent an unusable quote${symbol ? ` for ${symbol}` : ''}: ${problem}.`)
        if (symbol !== null) this.setSymbolError(symbol, `${PROVIDER_LABELS[provider]} sent unusable data for ${symbol}`, changed)
        continue
      }
      // Only provider ticks reach here, so alerts never fire from cached data.
      this.acceptForAlerts(quote)
      this.coalescer.push(quote)
      if (this.symbolErrors.has(quote.symbol)) {
        this.symbolErrors.delete(quote.symbol)
        changed.push({ symbol: quote.symbol, message: null })
      }
    }
    for (const error of result.errors) {
      if (typeof error?.symbol !== 'string' || error.symbol.length === 0) continue
      const message = typeof error.message === 'string' && error.message.length > 0 ? error.message : `No data for ${error.symbol}`
      this.setSymbolError(error.symbol, message, changed)
    }
    if (changed.length > 0) this.emit({ type: 'symbol-errors', errors: changed })
    this.emitAlerts()
  }

  private acceptForAlerts(quote: Quote): void {
    try {
      this.alerts.accept(quote)
    } catch (error) {
      this.log('error', `Alerts could not check ${quote.symbol}: ${describe(error)}`)
    }
  }

  /** Firings one by one, flag changes as one batch per provider result. */
  private emitAlerts(): void {
    const { firings, flags } = this.alerts.drain()
    for (const firing of firings) this.emit({ type: 'alert-fired', firing })
    if (flags.length > 0) this.emit({ type: 'tick-flags', flags })
  }

  private setSymbolError(symbol: string, message: string, changed: SymbolError[]): void {
    if (this.symbolErrors.get(symbol) === message) return
    this.symbolErrors.set(symbol, message)
    changed.push({ symbol, message })
  }

  private clearSymbolErrors(symbols: readonly string[]): void {
    const cleared: SymbolError[] = []
    for (const symbol of symbols) {
      if (this.symbolErrors.delete(symbol)) cleared.push({ symbol, message: null })
    }
    if (cleared.length > 0) this.emit({ type: 'symbol-errors', errors: cleared })
  }

  private emitStatus(status: ProviderStatus): void {
    this.emit({ type: 'status', status })
  }

  private log(level: LogLevel, message: string): void {
    try {
      this.deps.log(level, message)
    } catch {
      // A broken log sink must not take the engine down with it.
    }
    if (level !== 'debug') this.emit({ type: 'log', level, message })
  }

  private emit(event: EngineEvent): void {
    try {
      this.deps.emit(event)
    } catch (error) {
      try {
        this.deps.log('error', `Could not deliver a ${event.type} event: ${describe(error)}`)
      } catch {
        // Nothing left to report to.
      }
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
