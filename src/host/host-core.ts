import { randomUUID } from 'node:crypto'
import type { AlertsState } from '../shared/alerts'
import type { AppNotification, EngineState, EventPayload, HostEventName, HostImpl, Notice, Settings, Status, WatchlistsState } from '../shared/ipc/contract'
import { hostEvents, refreshRefusedNoticeId } from '../shared/ipc/contract'
import { z } from 'zod'
import { ProviderStatusSchema, type EngineCommand, type EngineEvent, type ProviderStatus, type Routing } from '../shared/ipc/engine-protocol'
import { UserError } from '../shared/ipc/result'
import { PROVIDER_LABELS, ProviderIdSchema, type ProviderId } from '../shared/providers'
import { QUOTE_FIELDS, SymbolErrorSchema, type Quote, type QuotePatch } from '../shared/quote'
import { normaliseSymbol } from '../shared/symbols'
import { AlertCenter } from './alerts/alert-center'
import { DirectoryRefresher } from './directory/directory-refresher'
import { SearchService } from './directory/search-service'
import { HistoryClient } from './history-client'
import type { EngineHandle } from './engine-handle'
import { routingFromSettings, routingProviders } from './engine-routing'
import { composeStatus, ENGINE_RESTARTING_MESSAGE } from './host-status'
import { checkProviderChoices } from './provider-choice'
import { createNotice, describeError } from './notices'
import { ProviderKeys, type KeyEnv } from './provider-keys'
import { compactLimits } from '../shared/provider-settings'
import { checkProviderLimits } from './provider-limits'
import { PrioritySymbols } from './priority-symbols'
import { MemorySecretStore, type SecretStore } from './secrets/secret-store'
import type { HostStores } from './state/open-host-stores'
import { realTimers, type Timers } from './state/timers'
import * as ops from './watchlist-ops'

type LogLevel = 'debug' | 'info' | 'warn' | 'error'

/** Command-line choices for one run, never saved. */
export type HostOverrides = Partial<Settings> & {
  /**
   * Poll US equities at every hour, whatever the extended-hours setting: replays on a wall
   * display, and tests that must not depend on the time of day.
   */
  allHours?: boolean
}

export interface HostCoreDeps {
  engine: EngineHandle
  stores: HostStores
  /** Broadcast to every client. */
  emit: <K extends HostEventName>(event: K, payload: EventPayload<K>) => void
  now?: () => number
  log?: (level: LogLevel, message: string) => void
  /** Overrides from the command line (e.g. --provider simulated, --all-hours), not persisted. */
  overrides?: HostOverrides
  /**
   * Shows a notification the policy let through (Electron: a native one). Every notification is
   * also emitted as the 'notification' event, which the web shell's pages show themselves.
   */
  notifier?: (notification: AppNotification) => void
  /** For the notification summary delay and alert expiry. */
  timers?: Timers
  /** Minutes since local midnight at a time, for quiet hours; defaults to this machine's time zone. */
  localMinutes?: (at: number) => number
  /** Keep the symbol directory fresh (daily cron job and a catch-up after start); off for tests. */
  refreshDirectory?: boolean
  /** Where API keys saved in the app live; in memory only when absent. */
  secrets?: SecretStore
  /** For TICKERDESK_<ID>_KEY (reported as a key "from the environment"); process.env by default. */
  env?: KeyEnv
}

export type HostEventListener = <K extends HostEventName>(event: K, payload: EventPayload<K>) => void

/**
 * The engine consumer that stands for the active watchlist itself, so a symbol added to it is
 * fetched at once and its cached prices stay fresh whichever clients are connected.
 */
export const ACTIVE_LIST_CONSUMER = 'host:active-watchlist'
export const ENGINE_CRASH_NOTICE = 'The quote engine stopped unexpectedly and is restarting.'
/** Quote batches arrive up to once a frame; the status line (lastUpdate) needs far less. */
const STATUS_REFRESH_ON_QUOTES_MS = 1_000
const ENGINE_FLUSH_INTERVAL_MS = 16

/**
 * Everything a TickerDesk host does, whichever shell runs it: answers the renderer's calls,
 * persists watchlists and settings, keeps the last-known quotes, and drives the engine.
 */
export class HostCore {
  readonly impl: HostImpl
  readonly notices: Notice[]

  private readonly engine: EngineHandle
  private readonly stores: HostStores
  private readonly now: () => number
  private readonly logFn: (level: LogLevel, message: string) => void
  private readonly keys: ProviderKeys
  private overrides: Partial<Settings>
  private readonly allHours: boolean
  private readonly priorities: PrioritySymbols

  private readonly quotes = new Map<string, Quote>()
  private readonly symbolErrors = new Map<string, string>()
  private readonly interests = new Map<string, string[]>()
  private readonly unsubscribe: (() => void)[] = []
  private readonly hostListeners = new Set<HostEventListener>()
  private readonly alertCenter: AlertCenter
  private readonly searchService: SearchService
  private readonly historyClient: HistoryClient
  private readonly directoryRefresher: DirectoryRefresher | null
  /** Not persisted: an app that starts paused and silent would look broken. */
  private paused = false
  private listSymbols: Set<string>
  private activeInterestKey: string | null = null
  /** The engine's latest report per provider in use. */
  private readonly providerStatuses = new Map<ProviderId, ProviderStatus>()
  /** The routing last sent to the engine, to re-send only when it changes. */
  private routingKey: string | null = null
  private engineState: EngineState
  private engineError: string | null = null
  private lastQuoteAt: number | null = null
  private lastStatusAt = Number.NEGATIVE_INFINITY
  private engineReady = false
  private starting: Promise<void> | null = null
  private disposing: Promise<void> | null = null

  constructor(private readonly deps: HostCoreDeps) {
    this.engine = deps.engine
    this.stores = deps.stores
    this.now = deps.now ?? Date.now
    this.keys = new ProviderKeys(deps.secrets ?? new MemorySecretStore(), deps.env ?? process.env)
    const sink = deps.log ?? (() => {})
    // Whatever ends up in a log line (engine messages, errors), an API key never does.
    this.logFn = (level, message) => sink(level, this.keys.redact(message))
    const { allHours = false, ...overrides } = deps.overrides ?? {}
    this.overrides = overrides
    this.allHours = allHours
    this.notices = [...deps.stores.notices]
    this.engineState = deps.engine.state

    this.unsubscribe.push(
      deps.stores.onNotice((notice) => this.addNotice(notice)),
      deps.engine.onEvent((event) => this.guard('engine event', () => this.handleEngineEvent(event))),
      deps.engine.onState((state) => this.guard('engine state', () => this.handleEngineState(state)))
    )
    this.listSymbols = ops.allSymbols(this.watchlists)
    this.stores.quoteCache.retain(this.listSymbols)
    this.priorities = new PrioritySymbols({
      armedAlertSymbols: () => this.alertCenter.armedSymbols(),
      engineReady: () => this.engineReady,
      send: (symbols) => this.send({ type: 'set-priority', symbols })
    })
    this.alertCenter = new AlertCenter({
      store: deps.stores.alerts,
      now: this.now,
      timers: deps.timers ?? realTimers,
      watchlists: () => this.watchlists,
      notificationSettings: () => this.settings.notifications,
      engineReady: () => this.engineReady,
      send: (command) => this.send(command),
      emit: (event, payload) => this.safeEmit(event, payload),
      deliver: (notification) => this.deliverNotification(notification),
      log: (level, message) => this.log(level, message),
      localMinutes: deps.localMinutes,
      armedMayHaveChanged: () => this.priorities.sync()
    })
    const timers = deps.timers ?? realTimers
    this.searchService = new SearchService({
      send: (command) => this.engine.send(command),
      engineReady: () => this.engineReady && this.engineState === 'running',
      online: () => this.providerStatus?.online ?? true,
      directory: deps.stores.directory,
      timers
    })
    this.historyClient = new HistoryClient({
      send: (command) => this.engine.send(command),
      engineReady: () => this.engineReady && this.engineState === 'running',
      timers,
      redact: (text) => this.keys.redact(text)
    })
    this.directoryRefresher = deps.refreshDirectory
      ? new DirectoryRefresher({
          send: (command) => this.send(command),
          engineReady: () => this.engineReady && this.engineState === 'running',
          directory: deps.stores.directory,
          now: this.now,
          timers,
          log: (level, message) => this.log(level, message)
        })
      : null
    this.impl = this.createImpl()
  }

  /** Every event this host emits, for in-process consumers such as the tray. Returns an unsubscribe. */
  onHostEvent(listener: HostEventListener): () => void {
    this.hostListeners.add(listener)
    return () => this.hostListeners.delete(listener)
  }

  /** The last-known quote (live, or from the offline cache). */
  getQuote(symbol: string): Quote | undefined {
    const key = normaliseSymbol(symbol)
    return this.quotes.get(key) ?? this.stores.quoteCache.get(key)
  }

  get settings(): Settings {
    return { ...this.stores.appState.settings, ...this.overrides }
  }

  /** The equity provider's latest report. */
  private get providerStatus(): ProviderStatus | null {
    return this.providerStatuses.get(this.settings.provider) ?? null
  }

  status(): Status {
    return composeStatus({
      engine: this.engineState,
      provider: this.settings.provider,
      providerStatus: this.providerStatus,
      providerStatuses: [...this.providerStatuses.values()],
      lastQuoteAt: this.lastQuoteAt,
      engineError: this.engineError,
      paused: this.paused
    })
  }

  get alerts(): AlertsState {
    return this.alertCenter.state
  }

  /** A notice from the shell around the host (e.g. its secret store), shown until dismissed. */
  showNotice(level: Notice['level'], message: string): void {
    this.raiseNotice(level, this.keys.redact(message))
  }

  /** Asks every client to open this symbol (tray menu, notification click). */
  focusSymbol(symbol: string): void {
    this.safeEmit('focusSymbol', { symbol: normaliseSymbol(symbol) })
  }

  /** Starts the engine, configures it and restores every recorded interest. Never rejects. */
  start(): Promise<void> {
    if (this.disposing) return Promise.resolve()
    this.starting ??= this.startEngine()
    return this.starting
  }

  dropClient(clientId: string): void {
    this.priorities.dropClient(clientId)
    if (!this.interests.delete(clientId)) return
    if (this.engineReady) this.send({ type: 'drop-consumer', consumer: clientId })
  }

  /** Flushes the quote cache and stops the engine. Safe to call more than once. */
  dispose(): Promise<void> {
    this.disposing ??= this.shutdown()
    return this.disposing
  }

  private get watchlists(): WatchlistsState {
    return this.stores.appState.watchlists
  }

  private async startEngine(): Promise<void> {
    try {
      await this.engine.start()
    } catch (error) {
      this.starting = null
      this.engineError = `The quote engine could not start: ${describeError(error)}`
      this.log('error', this.engineError)
      this.raiseNotice('error', `${this.engineError}. Saved prices are shown until it runs again.`)
      this.emitStatus()
      return
    }
    if (this.disposing) return
    this.engineReady = true
    this.engineError = null
    // Before configure, so the first providers are built with their keys and their spent quota.
    this.sendKeys()
    this.send({ type: 'restore-quota-usage', usage: this.stores.quotaUsage.all() })
    // Before configure as well, so the first planning round already favours the rows on screen.
    this.priorities.engineRestarted()
    this.configureEngine()
    this.syncActiveInterest(true)
    for (const [consumer, symbols] of this.interests) this.send({ type: 'set-interest', consumer, symbols })
    this.restoreEngineState()
    this.directoryRefresher?.start()
    this.emitStatus()
  }

  /**
   * What the engine manager does not replay after a restart (it does replay the quota usage, the
   * priorities, the configuration and interests): the user's pause and the alert rules (with the
   * alert symbols' interest). A fresh engine would otherwise evaluate no alerts at all.
   */
  private restoreEngineState(): void {
    this.sendKeys()
    if (this.paused) this.send({ type: 'pause', paused: true })
    this.alertCenter.syncEngine(true)
    // Armed alerts may have changed while the engine was down.
    this.priorities.sync()
  }

  private async shutdown(): Promise<void> {
    for (const off of this.unsubscribe.splice(0)) off()
    // The engine reports its usage once more as it stops; that report must reach the file.
    const offUsage = this.engine.onEvent((event) => {
      if (event.type === 'quota-usage') this.guard('engine event', () => this.saveQuotaUsage(event.provider, event.snapshot))
    })
    this.alertCenter.dispose()
    this.directoryRefresher?.stop()
    this.searchService.abandonAll()
    this.historyClient.abandonAll()
    try {
      this.stores.dispose()
    } catch (error) {
      this.log('error', `Could not save the latest prices: ${describeError(error)}`)
    }
    try {
      await this.engine.dispose()
    } catch (error) {
      this.log('error', `The quote engine did not stop cleanly: ${describeError(error)}`)
    }
    offUsage()
    try {
      this.stores.quotaUsage.flush()
    } catch (error) {
      this.log('error', `Could not save the providers' quota usage: ${describeError(error)}`)
    }
  }

  private createImpl(): HostImpl {
    const editLists = (edit: (state: WatchlistsState) => WatchlistsState): WatchlistsState => {
      const previous = this.watchlists
      const next = edit(previous)
      this.stores.appState.saveWatchlists(next)
      this.listSymbols = ops.allSymbols(next)
      this.stores.quoteCache.retain(this.listSymbols)
      this.syncActiveInterest(false)
      // Watchlist pins follow their symbols.
      if (this.engineReady && this.routingKey !== JSON.stringify(this.routing())) this.configureEngine()
      this.safeEmit('watchlists', next)
      this.alertCenter.watchlistsChanged(previous)
      return next
    }

    return {
      bootstrap: () => ({
        watchlists: this.watchlists,
        settings: this.settings,
        status: this.status(),
        quotes: this.knownQuotes(),
        symbolErrors: [...this.symbolErrors].map(([symbol, message]) => ({ symbol, message })),
        notices: [...this.notices],
        alerts: this.alerts,
        providerKeys: this.keys.state()
      }),
      setProviderKey: ({ provider, key }) => {
        this.keys.set(provider, key)
        this.sendKeys()
        const state = this.keys.state()
        this.safeEmit('providerKeys', state)
        return state
      },
      setUpdatesPaused: ({ paused }) => {
        if (paused === this.paused) return null
        this.paused = paused
        if (this.engineReady) this.send({ type: 'pause', paused })
        this.emitStatus()
        return null
      },
      createAlert: (input) => this.alertCenter.create(input),
      updateAlert: ({ id, changes }) => this.alertCenter.update(id, changes),
      deleteAlert: ({ id }) => this.alertCenter.delete(id),
      snoozeAlert: ({ id, minutes }) => this.alertCenter.snooze(id, minutes),
      markInboxRead: ({ ids }) => this.alertCenter.markRead(ids),
      clearInbox: () => this.alertCenter.clearInbox(),
      searchSymbols: ({ query, limit }) => this.searchService.search(query, limit),
      createWatchlist: ({ name }) => editLists((s) => ops.createWatchlist(s, name, `list-${randomUUID()}`)),
      renameWatchlist: ({ listId, name }) => editLists((s) => ops.renameWatchlist(s, listId, name)),
      deleteWatchlist: ({ listId }) => editLists((s) => ops.deleteWatchlist(s, listId)),
      selectWatchlist: ({ listId }) => editLists((s) => ops.selectWatchlist(s, listId)),
      addSymbol: ({ listId, symbol }) => editLists((s) => ops.addSymbol(s, listId, symbol)),
      removeSymbol: ({ listId, symbol }) => editLists((s) => ops.removeSymbol(s, listId, symbol)),
      moveSymbol: ({ listId, symbol, toIndex }) => editLists((s) => ops.moveSymbol(s, listId, symbol, toIndex)),
      setWatchlistProvider: ({ listId, provider }) => {
        if (provider !== null) checkProviderChoices({ fallbackProviders: [provider] })
        return editLists((s) => ops.setWatchlistProvider(s, listId, provider))
      },
      updateSettings: (patch) => this.updateSettings(patch),
      setInterest: ({ symbols, visible }, { clientId }) => {
        if (clientId === ACTIVE_LIST_CONSUMER) throw new UserError('That client id is reserved.')
        const unique = [...new Set(symbols)]
        this.interests.set(clientId, unique)
        if (this.engineReady) this.send({ type: 'set-interest', consumer: clientId, symbols: unique })
        this.priorities.setClient(clientId, unique, visible)
        return null
      },
      refreshNow: ({ automatic }) => {
        // A page that asked by itself (network back) must not raise refusals nobody asked for.
        if (this.engineReady) this.send({ type: 'refresh', reason: automatic === true ? 'wake' : 'user' })
        return null
      },
      getHistory: (request) => this.historyClient.get(request),
      dismissNotice: ({ id }) => {
        const index = this.notices.findIndex((n) => n.id === id)
        if (index !== -1) this.notices.splice(index, 1)
        return null
      }
    }
  }

  private updateSettings(input: Partial<Settings>): Settings {
    const patch = { ...input, ...checkProviderChoices(input), ...checkProviderLimits(input) }
    const before = this.settings
    const stored = { ...this.stores.appState.settings }
    for (const key of Object.keys(patch) as (keyof Settings)[]) {
      if (patch[key] === undefined) continue
      Object.assign(stored, { [key]: patch[key] })
      // A choice made in the app wins over a command-line override for the rest of the session.
      delete this.overrides[key]
    }
    this.stores.appState.saveSettings(stored)
    const after = this.settings
    const rerouted = this.routingKey !== JSON.stringify(this.routing())
    const limitsChanged = JSON.stringify(after.providerLimits ?? {}) !== JSON.stringify(before.providerLimits ?? {})
    const hoursChanged = !this.allHours && after.extendedHours !== before.extendedHours
    if (after.provider !== before.provider || after.refreshIntervalSec !== before.refreshIntervalSec || rerouted || limitsChanged || hoursChanged) {
      if (after.provider !== before.provider) this.providerStatuses.clear()
      if (this.engineReady) this.configureEngine()
      this.emitStatus()
    }
    this.safeEmit('settings', after)
    return after
  }

  /** The saved keys go only here, to the engine; TICKERDESK_<ID>_KEY it reads from its own environment. */
  private sendKeys(): void {
    if (this.engineReady) this.send({ type: 'set-keys', keys: this.keys.engineKeys() })
  }

  private configureEngine(): void {
    const { provider, refreshIntervalSec } = this.settings
    const routing = this.routing()
    this.routingKey = JSON.stringify(routing)
    // Statuses of providers no longer in play would otherwise linger in the list.
    const inPlay = routingProviders(routing)
    for (const id of [...this.providerStatuses.keys()]) if (!inPlay.has(id)) this.providerStatuses.delete(id)
    // Left out when there are none: free tiers everywhere, as before overrides existed.
    const providerLimits = compactLimits(this.settings.providerLimits ?? {})
    const limits = Object.keys(providerLimits).length > 0 ? { providerLimits } : {}
    // Null polls at all hours; otherwise US equities follow their market's calendar.
    const marketHours = this.allHours ? null : { extendedHours: this.settings.extendedHours }
    this.send({
      type: 'configure',
      config: { provider, refreshIntervalSec, flushIntervalMs: ENGINE_FLUSH_INTERVAL_MS, routing, ...limits, marketHours }
    })
  }

  private saveQuotaUsage(provider: unknown, snapshot: unknown): void {
    const id = ProviderIdSchema.safeParse(provider)
    if (!id.success) throw new Error('malformed quota-usage event')
    this.stores.quotaUsage.set(id.data, snapshot)
  }

  /** One notice per provider, replaced (same id, so pages update it in place) by its next refusal. */
  private refreshRefused(provider: unknown, message: unknown): void {
    const id = ProviderIdSchema.safeParse(provider)
    if (!id.success || typeof message !== 'string' || message.trim() === '') throw new Error('malformed refresh-refused event')
    const label = PROVIDER_LABELS[id.data]
    const said = message.trim()
    const text = this.keys.redact(`Refresh now: ${said.includes(label) ? said : `${label}: ${said}`}`)
    const noticeId = refreshRefusedNoticeId(id.data)
    const index = this.notices.findIndex((n) => n.id === noticeId)
    if (index !== -1) this.notices.splice(index, 1)
    this.log('info', text)
    this.addNotice({ id: noticeId, level: 'info', message: text, at: this.now() })
  }

  /** A provider forced on the command line serves everything, as it did before routing existed. */
  private routing(): Routing {
    return routingFromSettings(this.settings, this.watchlists.lists, this.overrides.provider ?? null)
  }

  /** Keeps the active list's consumer in step with the list; `force` re-sends after a start. */
  private syncActiveInterest(force: boolean): void {
    const symbols = ops.activeSymbols(this.watchlists)
    const key = symbols.join('\n')
    if (!force && key === this.activeInterestKey) return
    this.activeInterestKey = key
    if (this.engineReady) this.send({ type: 'set-interest', consumer: ACTIVE_LIST_CONSUMER, symbols: [...symbols] })
  }

  private knownQuotes(): Quote[] {
    const result: Quote[] = []
    for (const symbol of this.listSymbols) {
      const quote = this.quotes.get(symbol) ?? this.stores.quoteCache.get(symbol)
      if (quote) result.push(quote)
    }
    return result
  }

  private handleEngineEvent(event: EngineEvent): void {
    switch (event.type) {
      case 'quotes':
        this.receiveQuotes(event.patches)
        break
      case 'symbol-errors': {
        const errors = z.array(SymbolErrorSchema).safeParse(event.errors)
        if (!errors.success) throw new Error('malformed symbol-errors event')
        for (const { symbol, message } of errors.data) {
          if (message === null) this.symbolErrors.delete(symbol)
          else this.symbolErrors.set(symbol, message)
        }
        this.safeEmit('symbolErrors', errors.data)
        break
      }
      case 'status': {
        const status = ProviderStatusSchema.safeParse(event.status)
        if (!status.success) throw new Error('malformed status event')
        this.providerStatuses.set(status.data.provider, status.data)
        this.emitStatus()
        break
      }
      case 'alert-fired':
        this.alertCenter.handleFiring(event.firing)
        break
      case 'tick-flags': {
        const flags = hostEvents.tickFlags.safeParse(event.flags)
        if (!flags.success) throw new Error('malformed tick-flags event')
        this.safeEmit('tickFlags', flags.data)
        break
      }
      case 'log':
        this.log(event.level, `engine: ${event.message}`)
        break
      case 'search-results':
        this.searchService.handleEvent(event)
        break
      case 'history':
        this.historyClient.handleEvent(event)
        break
      case 'directory':
        this.directoryRefresher?.handleEvent(event)
        break
      case 'quota-usage':
        this.saveQuotaUsage(event.provider, event.snapshot)
        break
      case 'refresh-refused':
        this.refreshRefused(event.provider, event.message)
        break
      case 'ready':
        break
      default:
        this.log('warn', `Ignored an unknown engine event: ${JSON.stringify(event).slice(0, 200)}`)
    }
  }

  private receiveQuotes(patches: QuotePatch[]): void {
    if (!Array.isArray(patches) || patches.length === 0) return
    // Forwarded as received: the engine has already coalesced them into one batch.
    this.safeEmit('quotes', patches)
    for (const patch of patches) {
      if (typeof patch?.symbol !== 'string') continue
      let quote = this.quotes.get(patch.symbol) ?? this.stores.quoteCache.get(patch.symbol)
      if (quote) Object.assign(quote, patch)
      else if (isFullQuote(patch)) quote = { ...patch }
      else continue
      this.quotes.set(patch.symbol, quote)
      // Only watchlist symbols are worth keeping across restarts.
      if (this.listSymbols.has(patch.symbol)) this.stores.quoteCache.set(quote)
    }
    this.lastQuoteAt = this.now()
    if (this.lastQuoteAt - this.lastStatusAt >= STATUS_REFRESH_ON_QUOTES_MS) this.emitStatus()
  }

  private handleEngineState(state: EngineState): void {
    const previous = this.engineState
    this.engineState = state
    if (state === previous) return
    // A restarting engine has forgotten the searches it was asked for.
    if (state !== 'running') this.searchService.abandonAll()
    if (state !== 'running') this.historyClient.abandonAll()
    if (state === 'reconnecting') {
      this.log('warn', ENGINE_RESTARTING_MESSAGE)
      this.raiseNotice('warning', ENGINE_CRASH_NOTICE)
    }
    // A restarted engine: the first start restores this itself once start() resolves.
    if (state === 'running' && this.engineReady) {
      // A handle that replays nothing (in-process, fakes) must still hear the priorities again.
      this.priorities.engineRestarted()
      this.restoreEngineState()
    }
    this.emitStatus()
  }

  private deliverNotification(notification: AppNotification): void {
    this.safeEmit('notification', notification)
    if (!this.deps.notifier) return
    try {
      this.deps.notifier(notification)
    } catch (error) {
      this.log('error', `Could not show a notification: ${describeError(error)}`)
    }
  }

  private emitStatus(): void {
    this.lastStatusAt = this.now()
    this.safeEmit('status', this.status())
  }

  private raiseNotice(level: Notice['level'], message: string): void {
    // One pending copy is enough: a crash loop must not bury the user in identical notices.
    if (this.notices.some((n) => n.message === message)) return
    this.addNotice(createNotice(level, message, this.now()))
  }

  private addNotice(notice: Notice): void {
    this.notices.push(notice)
    this.safeEmit('notice', notice)
  }

  private send(command: EngineCommand): void {
    try {
      this.engine.send(command)
    } catch (error) {
      this.log('error', `Could not send "${command.type}" to the quote engine: ${describeError(error)}`)
    }
  }

  private safeEmit<K extends HostEventName>(event: K, payload: EventPayload<K>): void {
    try {
      this.deps.emit(event, payload)
    } catch (error) {
      this.log('error', `Could not deliver the "${event}" event: ${describeError(error)}`)
    }
    for (const listener of [...this.hostListeners]) {
      try {
        listener(event, payload)
      } catch (error) {
        this.log('error', `A "${event}" event listener failed: ${describeError(error)}`)
      }
    }
  }

  private guard(what: string, action: () => void): void {
    try {
      action()
    } catch (error) {
      this.log('error', `Ignored a failure while handling an ${what}: ${describeError(error)}`)
    }
  }

  private log(level: LogLevel, message: string): void {
    try {
      this.logFn(level, message)
    } catch {
      // A broken log sink must not take the host down.
    }
  }
}

function isFullQuote(patch: QuotePatch): patch is Quote {
  for (const field of QUOTE_FIELDS) if (!(field in patch)) return false
  return true
}
