/** An in-memory host for renderer specs: implements the contract's calls and lets a spec push events. */
import { emptyKeysState, type ProviderKeysState } from '@shared/provider-settings'
import { AlertRuleInputSchema, type AlertRule, type AlertsState, type InboxEntry } from '@shared/alerts'
import type { Bootstrap, CallRequest, EventPayload, HostCallName, HostEventName, RendererApi, Settings, WatchlistsState } from '@shared/ipc/contract'
import { DEFAULT_NOTIFICATION_SETTINGS, DEFAULT_TRAY_SETTINGS, HOST_CALL_NAMES } from '@shared/ipc/contract'
import { HostCallError } from '@shared/ipc/helpers'
import type { Quote } from '@shared/quote'
import { normaliseSymbol, symbolProblem } from '@shared/symbols'
import { moveItem } from '../lib/move-item'
import { makeQuote as baseQuote } from '../../../../tests/fakes/fixtures/make-quote'

/** A quote that looks like a real one on screen, timed now unless the spec says otherwise. */
export function makeQuote(symbol: string, overrides: Partial<Quote> = {}): Quote {
  const now = overrides.receivedAt ?? Date.now()
  return baseQuote(symbol, {
    price: 187.42,
    change: 1.25,
    changePercent: 0.67,
    open: 186,
    previousClose: 186.17,
    dayHigh: 188.9,
    dayLow: 185.1,
    volume: 40_912_345,
    marketCap: 3_670_000_000_000,
    providerTime: now,
    receivedAt: now,
    ...overrides
  })
}

export function makeBootstrap(overrides: Partial<Bootstrap> = {}): Bootstrap {
  return {
    watchlists: { lists: [{ id: 'main', name: 'Main', symbols: ['AAPL', 'MSFT'] }], activeId: 'main' },
    settings: {
      provider: 'simulated',
      cryptoProvider: 'simulated',
      fallbackProviders: [],
      symbolProviders: {},
      refreshIntervalSec: 15,
      extendedHours: false,
      theme: 'system',
      notifications: structuredClone(DEFAULT_NOTIFICATION_SETTINGS),
      tray: structuredClone(DEFAULT_TRAY_SETTINGS)
    },
    status: {
      engine: 'running',
      provider: 'simulated',
      online: true,
      offlineSince: null,
      lastUpdate: null,
      lastError: null,
      rateLimitedUntil: null,
      paused: false,
      providers: []
    },
    alerts: { rules: [], inbox: [], unread: 0 },
    quotes: [],
    symbolErrors: [],
    notices: [],
    ...overrides
  }
}

type Handler<K extends HostCallName> = (request: CallRequest<K>) => unknown

export interface FakeHost {
  api: RendererApi
  calls: Array<{ name: HostCallName; request: unknown }>
  callsTo(name: HostCallName): unknown[]
  emit<K extends HostEventName>(event: K, payload: EventPayload<K>): void
  /** Replaces one call's behaviour; throw a HostCallError to simulate a host rejection. */
  handle<K extends HostCallName>(name: K, handler: Handler<K>): void
  /** Fires an alert the way the host does: inbox entry, then 'alertFired' and 'alerts'. */
  fireAlert(entry: Partial<InboxEntry> & { ruleId: string; symbol: string }): InboxEntry
  state: { watchlists: WatchlistsState; settings: Settings; alerts: AlertsState }
}

export function makeRule(overrides: Partial<AlertRule> = {}): AlertRule {
  return {
    id: 'r1',
    target: { type: 'symbol', symbol: 'AAPL' },
    condition: { kind: 'price-above', price: 200 },
    trigger: { mode: 'once' },
    rearmPercent: 0.5,
    expiresAt: null,
    enabled: true,
    note: '',
    createdAt: 0,
    snoozedUntil: null,
    lastFiredAt: null,
    suspendedReason: null,
    ...overrides
  }
}

export function makeInboxEntry(overrides: Partial<InboxEntry> = {}): InboxEntry {
  const symbol = overrides.symbol ?? 'AAPL'
  const at = overrides.at ?? Date.now()
  return {
    id: 'e1',
    ruleId: 'r1',
    symbol,
    at,
    occurredAt: null,
    catchUp: false,
    message: `${symbol} rose above 200.00 (now 201.35)`,
    quote: makeQuote(symbol, { price: 201.35, receivedAt: at }),
    read: false,
    note: '',
    ...overrides
  }
}

export function createFakeHost(bootstrap: Bootstrap = makeBootstrap()): FakeHost {
  const state = { watchlists: structuredClone(bootstrap.watchlists), settings: { ...bootstrap.settings }, alerts: structuredClone(bootstrap.alerts) }
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const calls: FakeHost['calls'] = []
  const overrides = new Map<HostCallName, (request: unknown) => unknown>()

  const listOf = (id: string) => {
    const list = state.watchlists.lists.find((l) => l.id === id)
    if (!list) throw new HostCallError('That watchlist no longer exists.', 'not-found')
    return list
  }
  const snapshot = (): WatchlistsState => structuredClone(state.watchlists)
  const alertsSnapshot = (): AlertsState => {
    state.alerts.unread = state.alerts.inbox.filter((e) => !e.read).length
    return structuredClone(state.alerts)
  }
  const ruleOf = (id: string) => {
    const rule = state.alerts.rules.find((r) => r.id === id)
    if (!rule) throw new HostCallError('That alert no longer exists.', 'not-found')
    return rule
  }
  const keys: ProviderKeysState = { ...emptyKeysState(), ...bootstrap.providerKeys }
  let ruleCount = state.alerts.rules.length
  let entryCount = state.alerts.inbox.length

  const defaults: Record<HostCallName, (request: never) => unknown> = {
    bootstrap: () => ({ ...bootstrap, watchlists: snapshot(), settings: { ...state.settings }, alerts: alertsSnapshot() }),
    createWatchlist: ({ name }: { name: string }) => {
      const id = `list-${state.watchlists.lists.length + 1}`
      state.watchlists.lists.push({ id, name, symbols: [] })
      state.watchlists.activeId = id
      return snapshot()
    },
    renameWatchlist: ({ listId, name }: { listId: string; name: string }) => {
      listOf(listId).name = name
      return snapshot()
    },
    deleteWatchlist: ({ listId }: { listId: string }) => {
      state.watchlists.lists = state.watchlists.lists.filter((l) => l.id !== listId)
      if (state.watchlists.activeId === listId) state.watchlists.activeId = state.watchlists.lists[0]!.id
      return snapshot()
    },
    selectWatchlist: ({ listId }: { listId: string }) => {
      state.watchlists.activeId = listOf(listId).id
      return snapshot()
    },
    addSymbol: ({ listId, symbol }: { listId: string; symbol: string }) => {
      const problem = symbolProblem(symbol)
      if (problem) throw new HostCallError(problem, 'invalid-request')
      listOf(listId).symbols.push(normaliseSymbol(symbol))
      return snapshot()
    },
    removeSymbol: ({ listId, symbol }: { listId: string; symbol: string }) => {
      const list = listOf(listId)
      list.symbols = list.symbols.filter((s) => s !== symbol)
      return snapshot()
    },
    moveSymbol: ({ listId, symbol, toIndex }: { listId: string; symbol: string; toIndex: number }) => {
      const list = listOf(listId)
      list.symbols = moveItem(list.symbols, list.symbols.indexOf(symbol), toIndex)
      return snapshot()
    },
    setWatchlistProvider: ({ listId, provider }: CallRequest<'setWatchlistProvider'>) => {
      const list = listOf(listId)
      if (provider === null) delete list.provider
      else list.provider = provider
      return snapshot()
    },
    updateSettings: (changes: Partial<Settings>) => {
      Object.assign(state.settings, changes)
      return { ...state.settings }
    },
    // Like the host: remembers only whether a key exists, never the key.
    setProviderKey: ({ provider, key }: CallRequest<'setProviderKey'>) => {
      keys[provider] = { hasKey: key !== null, source: key !== null ? 'settings' : null }
      return { ...keys }
    },
    setInterest: () => null,
    refreshNow: () => null,
    getHistory: ({ symbol, range }: CallRequest<'getHistory'>) => ({ symbol, range, source: null, bars: [], error: 'No history in this test.' }),
    dismissNotice: () => null,
    setUpdatesPaused: () => null,
    createAlert: (input: CallRequest<'createAlert'>) => {
      const parsed = AlertRuleInputSchema.parse(input)
      state.alerts.rules.push({ ...parsed, id: `rule-${++ruleCount}`, createdAt: Date.now(), snoozedUntil: null, lastFiredAt: null, suspendedReason: null })
      return alertsSnapshot()
    },
    updateAlert: ({ id, changes }: CallRequest<'updateAlert'>) => {
      Object.assign(ruleOf(id), changes)
      return alertsSnapshot()
    },
    deleteAlert: ({ id }: CallRequest<'deleteAlert'>) => {
      ruleOf(id)
      state.alerts.rules = state.alerts.rules.filter((r) => r.id !== id)
      return alertsSnapshot()
    },
    snoozeAlert: ({ id, minutes }: CallRequest<'snoozeAlert'>) => {
      ruleOf(id).snoozedUntil = minutes === 0 ? null : Date.now() + minutes * 60_000
      return alertsSnapshot()
    },
    markInboxRead: ({ ids }: CallRequest<'markInboxRead'>) => {
      for (const entry of state.alerts.inbox) if (!ids || ids.includes(entry.id)) entry.read = true
      return alertsSnapshot()
    },
    clearInbox: () => {
      state.alerts.inbox = []
      return alertsSnapshot()
    },
    searchSymbols: ({ query }: CallRequest<'searchSymbols'>) => {
      const q = query.trim().toUpperCase()
      const known = [
        { symbol: 'AAPL', name: 'Apple Inc.', exchange: 'NASDAQ', type: 'EQUITY', source: 'yahoo' as const },
        { symbol: 'AMZN', name: 'Amazon.com, Inc.', exchange: 'NASDAQ', type: 'EQUITY', source: 'yahoo' as const },
        { symbol: 'BTC-USD', name: 'Bitcoin USD', exchange: 'CCC', type: 'CRYPTOCURRENCY', source: 'yahoo' as const }
      ]
      return { matches: known.filter((m) => m.symbol.startsWith(q) || m.name.toUpperCase().includes(q)), offline: false, errors: [] }
    }
  }

  const api: Record<string, unknown> = {}
  for (const name of HOST_CALL_NAMES) {
    api[name] = async (request: unknown) => {
      calls.push({ name, request })
      const run = overrides.get(name) ?? (defaults[name] as (r: unknown) => unknown)
      return run(request)
    }
  }
  api.on = (event: string, listener: (payload: unknown) => void) => {
    let set = listeners.get(event)
    if (!set) listeners.set(event, (set = new Set()))
    set.add(listener)
    return () => set.delete(listener)
  }

  const emit: FakeHost['emit'] = (event, payload) => listeners.get(event)?.forEach((l) => l(payload))

  return {
    api: api as RendererApi,
    calls,
    state,
    callsTo: (name) => calls.filter((c) => c.name === name).map((c) => c.request),
    emit,
    handle: (name, handler) => overrides.set(name, handler as (request: unknown) => unknown),
    fireAlert: (partial) => {
      const entry = makeInboxEntry({ id: `entry-${++entryCount}`, note: state.alerts.rules.find((r) => r.id === partial.ruleId)?.note ?? '', ...partial })
      state.alerts.inbox.unshift(entry)
      emit('alertFired', structuredClone(entry))
      emit('alerts', alertsSnapshot())
      return entry
    }
  }
}

export interface FakeConnection {
  state: 'connected' | 'connecting' | 'disconnected'
  problem: string | null
  onChange(listener: (state: FakeConnection['state']) => void): () => void
  set(state: FakeConnection['state']): void
}

export function createFakeConnection(initial: FakeConnection['state'] = 'connected'): FakeConnection {
  const listeners = new Set<(state: FakeConnection['state']) => void>()
  const connection: FakeConnection = {
    state: initial,
    problem: null,
    onChange: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    set: (state) => {
      connection.state = state
      listeners.forEach((l) => l(state))
    }
  }
  return connection
}

/** Frames that run only when the spec says so. */
export function manualFrames() {
  const callbacks: Array<() => void> = []
  return {
    schedule: (callback: () => void) => void callbacks.push(callback),
    run: () => callbacks.splice(0).forEach((cb) => cb()),
    get pending() {
      return callbacks.length
    }
  }
}
