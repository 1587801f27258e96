import { defaultSettings } from './state/app-state'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { BootstrapSchema, type EventPayload, type HostEventName, type Notice } from '../shared/ipc/contract'
import { dispatchCall } from '../shared/ipc/helpers'
import { AVAILABLE_PROVIDERS, PROVIDER_IDS, PROVIDER_LABELS, type ProviderId } from '../shared/providers'
import type { QuotePatch } from '../shared/quote'
import { ACTIVE_LIST_CONSUMER, ENGINE_CRASH_NOTICE, HostCore, type HostCoreDeps } from './host-core'
import { ENGINE_RESTARTING_MESSAGE } from './host-status'
import { confBackend } from './state/conf-backend'
import { memoryBackend, type MemoryBackend } from './state/memory-backend'
import { openHostStores, type HostStores } from './state/open-host-stores'
import { FakeEngine } from './testing/fake-engine'
import { makeQuote } from './testing/quote-fixture'

interface Emitted {
  event: HostEventName
  payload: unknown
}

function setup(options: { files?: Record<string, string>; overrides?: HostCoreDeps['overrides']; emit?: HostCoreDeps['emit'] } = {}) {
  let clock = 1_000_000
  const now = () => clock
  const backend: MemoryBackend = memoryBackend(options.files)
  const storeNotices: Notice[] = []
  const stores: HostStores = openHostStores(backend, { now, onNotice: (n) => storeNotices.push(n), files: backend.fileOps })
  const engine = new FakeEngine()
  const emitted: Emitted[] = []
  const log = vi.fn()
  const emit =
    options.emit ??
    (<K extends HostEventName>(event: K, payload: EventPayload<K>) => {
      emitted.push({ event, payload })
    })
  const core = new HostCore({ engine, stores, emit, now, log, overrides: options.overrides })
  const call = (name: string, payload: unknown, clientId = 'window:1') => dispatchCall(core.impl, name, payload, { clientId })
  const events = <K extends HostEventName>(event: K) => emitted.filter((e) => e.event === event).map((e) => e.payload as EventPayload<K>)
  const saved = () => JSON.parse(backend.files.get('app-state')!) as Record<string, unknown>
  return {
    core,
    engine,
    backend,
    stores,
    emitted,
    events,
    call,
    saved,
    log,
    advance: (ms: number) => {
      clock += ms
    },
    now
  }
}

const interestOf = (engine: FakeEngine, consumer: string) =>
  engine
    .sentOfType('set-interest')
    .filter((c) => c.consumer === consumer)
    .at(-1)?.symbols

describe('HostCore start and engine commands', () => {
  afterEach(() => vi.useRealTimers())

  it('starts the engine, configures it and subscribes the active watchlist', async () => {
    const { core, engine } = setup()
    await core.start()
    expect(engine.startCalls).toBe(1)
    expect(engine.sentOfType('configure')).toEqual([
      {
        type: 'configure',
        config: {
          provider: 'yahoo',
          refreshIntervalSec: 15,
          flushIntervalMs: 16,
          routing: { equity: 'yahoo', crypto: 'yahoo', fallbacks: [], pins: {} },
          marketHours: { extendedHours: false }
        }
      }
    ])
    expect(interestOf(engine, ACTIVE_LIST_CONSUMER)).toEqual(['AAPL', 'MSFT', 'BTC-USD', '^GSPC'])
  })

  it('records interests set before the engine is up and restores them after start', async () => {
    const { core, engine, call } = setup()
    expect(await call('setInterest', { symbols: ['aapl', 'ETH-USD'] }, 'ws:7')).toEqual({ ok: true, value: null })
    expect(engine.sent).toEqual([])
    await core.start()
    expect(interestOf(engine, 'ws:7')).toEqual(['AAPL', 'ETH-USD'])
  })

  it('passes each client interest on with the client id as consumer, and drops clients', async () => {
    const { core, engine, call } = setup()
    await core.start()
    await call('setInterest', { symbols: ['NVDA', 'NVDA', 'AMD'] }, 'window:3')
    expect(engine.sentOfType('set-interest').at(-1)).toEqual({ type: 'set-interest', consumer: 'window:3', symbols: ['NVDA', 'AMD'] })
    core.dropClient('window:3')
    expect(engine.sentOfType('drop-consumer').at(-1)).toEqual({ type: 'drop-consumer', consumer: 'window:3' })
    engine.clearSent()
    core.dropClient('window:3')
    expect(engine.sent).toEqual([])
  })

  it('refuses the reserved consumer id', async () => {
    const { call } = setup()
    const result = await call('setInterest', { symbols: ['AAPL'] }, ACTIVE_LIST_CONSUMER)
    expect(result.ok).toBe(false)
  })

  it('forwards refreshNow to the engine as a user refresh', async () => {
    const { core, engine, call } = setup()
    await core.start()
    await call('refreshNow', {})
    expect(engine.sent.at(-1)).toEqual({ type: 'refresh', reason: 'user' })
    await call('refreshNow', { automatic: false })
    expect(engine.sent.at(-1)).toEqual({ type: 'refresh', reason: 'user' })
  })

  it('forwards an automatic refreshNow as a wake refresh, whose refusals the engine keeps silent', async () => {
    const { core, engine, call } = setup()
    await core.start()
    await call('refreshNow', { automatic: true })
    expect(engine.sent.at(-1)).toEqual({ type: 'refresh', reason: 'wake' })
  })

  it('survives an engine that cannot start: resolves, raises a notice, reports it in the status', async () => {
    const { core, engine, events, call } = setup()
    engine.failStart = new Error('spawn ENOENT')
    await expect(core.start()).resolves.toBeUndefined()
    expect(events('notice').map((n) => n.message)).toEqual([expect.stringMatching(/^The quote engine could not start: spawn ENOENT/)])
    const boot = await call('bootstrap', {})
    expect(boot.ok && (boot.value as { status: { engine: string; lastError: string } }).status).toMatchObject({
      engine: 'stopped',
      lastError: 'The quote engine could not start: spawn ENOENT'
    })
    // A later start may succeed.
    engine.failStart = null
    await core.start()
    expect(engine.sentOfType('configure')).toHaveLength(1)
  })

  it('disposes once: flushes the quote cache and stops the engine', async () => {
    vi.useFakeTimers()
    const { core, engine, backend } = setup()
    await core.start()
    engine.push({ type: 'quotes', patches: [makeQuote('AAPL', { price: 190 })] })
    const before = backend.writes.get('quote-cache')
    await Promise.all([core.dispose(), core.dispose()])
    expect(engine.disposed).toBe(true)
    expect(backend.writes.get('quote-cache')).toBe((before ?? 0) + 1)
    expect(JSON.parse(backend.files.get('quote-cache')!).quotes.AAPL.price).toBe(190)
  })
})

describe('HostCore bootstrap', () => {
  it('returns watchlists, settings, status, cached quotes for every list, symbol errors and notices', async () => {
    const cached = makeQuote('MSFT', { price: 410 })
    const { call, engine, core } = setup({
      files: {
        'quote-cache': JSON.stringify({ schemaVersion: 1, quotes: { MSFT: cached, OLD: makeQuote('OLD') } }),
        'app-state': '{"watchlists": '
      }
    })
    await core.start()
    engine.push({ type: 'symbol-errors', errors: [{ symbol: 'XYZ', message: 'Unknown symbol XYZ' }] })
    const result = await call('bootstrap', {})
    expect(result.ok).toBe(true)
    const boot = (result as { value: Record<string, unknown> }).value
    expect(boot.watchlists).toMatchObject({ activeId: 'default' })
    expect(boot.settings).toEqual({ ...defaultSettings(), provider: 'yahoo', refreshIntervalSec: 15, theme: 'system' })
    expect(boot.status).toMatchObject({ engine: 'running', provider: 'yahoo', online: true })
    // OLD is in no watchlist, so it was dropped from the cache.
    expect(boot.quotes).toEqual([cached])
    expect(boot.symbolErrors).toEqual([{ symbol: 'XYZ', message: 'Unknown symbol XYZ' }])
    expect((boot.notices as Notice[]).map((n) => n.message)).toEqual([expect.stringMatching(/^Your watchlists file was damaged and has been reset/)])
  })

  it('shows and applies command-line overrides without persisting them', async () => {
    const { call, core, engine, saved } = setup({ overrides: { provider: 'simulated' } })
    await core.start()
    expect(engine.sentOfType('configure')[0]!.config.provider).toBe('simulated')
    const boot = await call('bootstrap', {})
    expect(boot.ok && (boot.value as { settings: { provider: string } }).settings.provider).toBe('simulated')
    await call('updateSettings', { theme: 'dark' })
    expect((saved().settings as { provider: string }).provider).toBe('yahoo')
    expect(engine.sentOfType('configure')).toHaveLength(1)
  })
})

describe('HostCore watchlist calls', () => {
  it('adds a normalised symbol: persists, emits, and subscribes it at once when the list is active', async () => {
    const { core, call, engine, events, saved } = setup()
    await core.start()
    const result = await call('addSymbol', { listId: 'default', symbol: ' tsla ' })
    expect(result.ok).toBe(true)
    const lists = (saved().watchlists as { lists: { symbols: string[] }[] }).lists
    expect(lists[0]!.symbols).toEqual(['AAPL', 'MSFT', 'BTC-USD', '^GSPC', 'TSLA'])
    expect(events('watchlists').at(-1)!.lists[0]!.symbols).toContain('TSLA')
    expect(interestOf(engine, ACTIVE_LIST_CONSUMER)).toEqual(['AAPL', 'MSFT', 'BTC-USD', '^GSPC', 'TSLA'])
  })

  it('returns plain-words errors and changes nothing on bad input', async () => {
    const { call, events, saved } = setup()
    const before = JSON.stringify(saved())
    const cases: [string, unknown, RegExp][] = [
      ['addSymbol', { listId: 'default', symbol: 'aapl' }, /^AAPL is already in My watchlist\.$/],
      ['addSymbol', { listId: 'default', symbol: 'no way!' }, /"no way!" is not a valid ticker symbol/],
      ['addSymbol', { listId: 'nope', symbol: 'TSLA' }, /That watchlist no longer exists/],
      ['deleteWatchlist', { listId: 'default' }, /^Keep at least one watchlist\.$/],
      ['createWatchlist', { name: 'my WATCHLIST' }, /You already have a watchlist named "My watchlist"/],
      ['removeSymbol', { listId: 'default', symbol: 'TSLA' }, /TSLA is not in My watchlist/],
      ['renameWatchlist', { listId: 'nope', name: 'X' }, /That watchlist no longer exists/],
      ['selectWatchlist', { listId: 'nope' }, /That watchlist no longer exists/],
      ['moveSymbol', { listId: 'default', symbol: 'TSLA', toIndex: 0 }, /TSLA is not in My watchlist/]
    ]
    for (const [name, payload, message] of cases) {
      const result = await call(name, payload)
      expect(result.ok, name).toBe(false)
      if (!result.ok) expect(result.error.message).toMatch(message)
    }
    expect(JSON.stringify(saved())).toBe(before)
    expect(events('watchlists')).toEqual([])
  })

  it('creates, renames, selects, moves, removes and deletes, persisting each step', async () => {
    const { core, call, engine, saved, events } = setup()
    await core.start()
    const created = await call('createWatchlist', { name: 'Crypto' })
    expect(created.ok).toBe(true)
    const state = (created as { value: { lists: { id: string; name: string }[]; activeId: string } }).value
    const id = state.activeId
    expect(state.lists.at(-1)).toMatchObject({ id, name: 'Crypto' })
    // The new, empty list is active now: the engine is told so.
    expect(interestOf(engine, ACTIVE_LIST_CONSUMER)).toEqual([])

    await call('addSymbol', { listId: id, symbol: 'eth-usd' })
    await call('addSymbol', { listId: id, symbol: 'SOL-USD' })
    expect(interestOf(engine, ACTIVE_LIST_CONSUMER)).toEqual(['ETH-USD', 'SOL-USD'])
    await call('moveSymbol', { listId: id, symbol: 'SOL-USD', toIndex: 0 })
    await call('renameWatchlist', { listId: id, name: 'Coins' })
    await call('removeSymbol', { listId: id, symbol: 'ETH-USD' })
    let persisted = saved().watchlists as { lists: { id: string; name: string; symbols: string[] }[]; activeId: string }
    expect(persisted.lists.find((l) => l.id === id)).toEqual({ id, name: 'Coins', symbols: ['SOL-USD'] })

    await call('selectWatchlist', { listId: 'default' })
    expect(interestOf(engine, ACTIVE_LIST_CONSUMER)).toEqual(['AAPL', 'MSFT', 'BTC-USD', '^GSPC'])
    await call('deleteWatchlist', { listId: id })
    persisted = saved().watchlists as typeof persisted
    expect(persisted.lists.map((l) => l.id)).toEqual(['default'])
    expect(events('watchlists')).toHaveLength(8)
  })

  it('does not touch the engine when a list other than the active one changes', async () => {
    const { core, call, engine } = setup()
    await call('createWatchlist', { name: 'Other' })
    await call('selectWatchlist', { listId: 'default' })
    await core.start()
    engine.clearSent()
    const lists = (await call('bootstrap', {})) as { value: { watchlists: { lists: { id: string }[] } } }
    const other = lists.value.watchlists.lists[1]!.id
    await call('addSymbol', { listId: other, symbol: 'AMD' })
    expect(engine.sentOfType('set-interest')).toEqual([])
  })
})

describe('HostCore settings', () => {
  it('persists, re-configures the engine and emits settings and status', async () => {
    const { core, call, engine, events, saved } = setup()
    await core.start()
    const result = await call('updateSettings', { provider: 'simulated', refreshIntervalSec: 5 })
    expect(result).toEqual({ ok: true, value: { ...defaultSettings(), provider: 'simulated', refreshIntervalSec: 5, theme: 'system' } })
    expect(saved().settings).toEqual({ ...defaultSettings(), provider: 'simulated', refreshIntervalSec: 5, theme: 'system' })
    expect(engine.sentOfType('configure').at(-1)!.config).toEqual({
      provider: 'simulated',
      refreshIntervalSec: 5,
      flushIntervalMs: 16,
      routing: { equity: 'simulated', crypto: 'simulated', fallbacks: [], pins: {} },
      marketHours: { extendedHours: false }
    })
    expect(events('settings')).toEqual([{ ...defaultSettings(), provider: 'simulated', refreshIntervalSec: 5, theme: 'system' }])
    expect(events('status').at(-1)!.provider).toBe('simulated')
  })

  it('does not re-configure the engine for a theme change', async () => {
    const { core, call, engine } = setup()
    await core.start()
    await call('updateSettings', { theme: 'dark' })
    expect(engine.sentOfType('configure')).toHaveLength(1)
  })

  it('refuses a provider that is not available yet and bad values', async () => {
    const { call, saved } = setup()
    const unavailable = PROVIDER_IDS.find((id) => !(AVAILABLE_PROVIDERS as readonly ProviderId[]).includes(id))
    if (unavailable !== undefined) {
      const notYet = await call('updateSettings', { provider: unavailable })
      expect(notYet.ok).toBe(false)
      const labels = AVAILABLE_PROVIDERS.map((id) => PROVIDER_LABELS[id])
      const choices = `${labels.slice(0, -1).join(', ')} or ${labels.at(-1)}`
      if (!notYet.ok) expect(notYet.error.message).toBe(`${PROVIDER_LABELS[unavailable]} is not available yet; choose ${choices}.`)
    }
    const bad = await call('updateSettings', { refreshIntervalSec: 0 })
    expect(bad.ok).toBe(false)
    expect((saved().settings as { provider: string }).provider).toBe('yahoo')
  })

  it('lets a choice made in the app replace a command-line override', async () => {
    const { core, call, engine } = setup({ overrides: { provider: 'simulated' } })
    await core.start()
    const result = await call('updateSettings', { provider: 'yahoo' })
    expect(result.ok && (result.value as { provider: string }).provider).toBe('yahoo')
    expect(engine.sentOfType('configure').at(-1)!.config.provider).toBe('yahoo')
  })
})

describe('HostCore engine events', () => {
  it('forwards quote batches as received and merges patches into full quotes', async () => {
    const { core, engine, events, call } = setup()
    await core.start()
    const first: QuotePatch[] = [makeQuote('AAPL', { price: 187 })]
    engine.push({ type: 'quotes', patches: first })
    const second: QuotePatch[] = [{ symbol: 'AAPL', price: 188.5, change: 2.5 }]
    engine.push({ type: 'quotes', patches: second })
    const forwarded = events('quotes')
    expect(forwarded[0]).toBe(first)
    expect(forwarded[1]).toBe(second)

    const boot = (await call('bootstrap', {})) as { value: { quotes: { symbol: string; price: number; change: number; name: string }[] } }
    expect(boot.value.quotes).toEqual([makeQuote('AAPL', { price: 188.5, change: 2.5 })])
  })

  it('merges a partial patch onto the cached quote from the last session', async () => {
    const { core, engine, call } = setup({ files: { 'quote-cache': JSON.stringify({ schemaVersion: 1, quotes: { MSFT: makeQuote('MSFT', { price: 400 }) } }) } })
    await core.start()
    engine.push({ type: 'quotes', patches: [{ symbol: 'MSFT', price: 401 }] })
    const boot = (await call('bootstrap', {})) as { value: { quotes: { symbol: string; price: number; name: string }[] } }
    expect(boot.value.quotes[0]).toMatchObject({ symbol: 'MSFT', price: 401, name: 'MSFT Inc.' })
  })

  it('forwards but does not store a partial patch for a symbol it knows nothing about', async () => {
    const { core, engine, events, call } = setup()
    await core.start()
    engine.push({ type: 'quotes', patches: [{ symbol: 'AAPL', price: 1 }] })
    expect(events('quotes')).toHaveLength(1)
    const boot = (await call('bootstrap', {})) as { value: { quotes: unknown[] } }
    expect(boot.value.quotes).toEqual([])
  })

  it('writes received quotes to the cache at most once per window', async () => {
    vi.useFakeTimers()
    try {
      const { core, engine, backend } = setup()
      await core.start()
      const base = backend.writes.get('quote-cache') ?? 0
      engine.push({ type: 'quotes', patches: [makeQuote('AAPL')] })
      for (let i = 0; i < 100; i++) engine.push({ type: 'quotes', patches: [{ symbol: 'AAPL', price: 100 + i }] })
      expect(backend.writes.get('quote-cache') ?? 0).toBe(base)
      await vi.advanceTimersByTimeAsync(5_000)
      expect(backend.writes.get('quote-cache')).toBe(base + 1)
      expect(JSON.parse(backend.files.get('quote-cache')!).quotes.AAPL.price).toBe(199)
    } finally {
      vi.useRealTimers()
    }
  })

  it('emits status with lastUpdate on quotes, at most once a second', async () => {
    const { core, engine, events, advance, now } = setup()
    await core.start()
    const statusCount = events('status').length
    advance(5_000)
    engine.push({ type: 'quotes', patches: [makeQuote('AAPL')] })
    expect(events('status')).toHaveLength(statusCount + 1)
    expect(events('status').at(-1)!.lastUpdate).toBe(now())
    advance(100)
    engine.push({ type: 'quotes', patches: [{ symbol: 'AAPL', price: 2 }] })
    expect(events('status')).toHaveLength(statusCount + 1)
    advance(1_000)
    engine.push({ type: 'quotes', patches: [{ symbol: 'AAPL', price: 3 }] })
    expect(events('status')).toHaveLength(statusCount + 2)
  })

  it('forwards symbol errors and clears them when the message is null', async () => {
    const { core, engine, events, call } = setup()
    await core.start()
    engine.push({ type: 'symbol-errors', errors: [{ symbol: 'XYZ', message: 'Unknown symbol XYZ' }] })
    engine.push({ type: 'symbol-errors', errors: [{ symbol: 'XYZ', message: null }] })
    expect(events('symbolErrors')).toEqual([[{ symbol: 'XYZ', message: 'Unknown symbol XYZ' }], [{ symbol: 'XYZ', message: null }]])
    const boot = (await call('bootstrap', {})) as { value: { symbolErrors: unknown[] } }
    expect(boot.value.symbolErrors).toEqual([])
  })

  it('composes status from provider reports and engine state', async () => {
    const { core, engine, events } = setup()
    await core.start()
    engine.push({
      type: 'status',
      status: { provider: 'yahoo', online: false, offlineSince: 500, lastSuccess: 400, lastError: 'Cannot reach Yahoo Finance', rateLimitedUntil: null }
    })
    expect(events('status').at(-1)).toEqual({
      engine: 'running',
      provider: 'yahoo',
      online: false,
      offlineSince: 500,
      lastUpdate: 400,
      lastError: 'Cannot reach Yahoo Finance',
      rateLimitedUntil: null,
      paused: false,
      providers: [{ provider: 'yahoo', online: false, offlineSince: 500, lastSuccess: 400, lastError: 'Cannot reach Yahoo Finance', rateLimitedUntil: null }]
    })
    engine.setState('reconnecting')
    expect(events('status').at(-1)).toMatchObject({ engine: 'reconnecting', lastError: ENGINE_RESTARTING_MESSAGE })
  })

  it('raises one crash notice per pending crash, and dismissNotice removes it', async () => {
    const { core, engine, events, call } = setup()
    await core.start()
    engine.setState('reconnecting')
    engine.setState('running')
    engine.setState('reconnecting')
    const crashes = events('notice').filter((n) => n.message === ENGINE_CRASH_NOTICE)
    expect(crashes).toHaveLength(1)
    expect(core.notices.map((n) => n.message)).toEqual([ENGINE_CRASH_NOTICE])
    await call('dismissNotice', { id: crashes[0]!.id })
    expect(core.notices).toEqual([])
    engine.setState('running')
    engine.setState('reconnecting')
    expect(core.notices.map((n) => n.message)).toEqual([ENGINE_CRASH_NOTICE])
  })

  it('logs engine log events', async () => {
    const { core, engine, log } = setup()
    await core.start()
    engine.push({ type: 'log', level: 'warn', message: 'slow provider' })
    expect(log).toHaveBeenCalledWith('warn', 'engine: slow provider')
  })

  it('survives malformed engine messages and a failing emit', async () => {
    const { core, engine, log, call } = setup({
      emit: () => {
        throw new Error('socket closed')
      }
    })
    await core.start()
    expect(() => engine.push({ type: 'quotes', patches: null })).not.toThrow()
    expect(() => engine.push({ type: 'quotes', patches: [null, { symbol: 'AAPL' }] })).not.toThrow()
    expect(() => engine.push({ type: 'symbol-errors', errors: 'bad' })).not.toThrow()
    expect(() => engine.push({ type: 'status', status: { provider: 'nope' } })).not.toThrow()
    expect(() => engine.push({ type: 'mystery' })).not.toThrow()
    expect(() => engine.push({ type: 'quotes', patches: [makeQuote('AAPL')] })).not.toThrow()
    expect(log).toHaveBeenCalledWith('error', expect.stringMatching(/socket closed/))
    const boot = await call('bootstrap', {})
    expect(boot.ok).toBe(true)
    // What the renderer will check: the garbage above left nothing malformed behind.
    expect(BootstrapSchema.safeParse(boot.ok && boot.value).success).toBe(true)
  })
})

describe('HostCore over conf files', () => {
  it('keeps watchlists, settings and last prices across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'td-core-'))
    try {
      const open = () => openHostStores(confBackend(dir), { now: Date.now, onNotice: () => {} })
      const engine = new FakeEngine()
      const first = new HostCore({ engine, stores: open(), emit: () => {} })
      await first.start()
      const call = (core: HostCore, name: string, payload: unknown) => dispatchCall(core.impl, name, payload, { clientId: 'c' })
      expect((await call(first, 'addSymbol', { listId: 'default', symbol: 'nvda' })).ok).toBe(true)
      expect((await call(first, 'updateSettings', { theme: 'dark' })).ok).toBe(true)
      engine.push({ type: 'quotes', patches: [makeQuote('NVDA', { price: 912.5 })] })
      await first.dispose()

      const second = new HostCore({ engine: new FakeEngine(), stores: open(), emit: () => {} })
      const boot = (await call(second, 'bootstrap', {})) as { ok: true; value: { watchlists: { lists: { symbols: string[] }[] }; settings: { theme: string }; quotes: { symbol: string; price: number }[] } }
      expect(boot.value.watchlists.lists[0]!.symbols).toContain('NVDA')
      expect(boot.value.settings.theme).toBe('dark')
      expect(boot.value.quotes).toEqual([expect.objectContaining({ symbol: 'NVDA', price: 912.5 })])
      await second.dispose()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('HostCore provider routing', () => {
  it('sends the routing built from settings, watchlist pins and symbol pins in configure', async () => {
    const { core, engine, call } = setup()
    await core.start()
    const result = await call('updateSettings', { cryptoProvider: 'coinbase', fallbackProviders: ['simulated'], symbolProviders: { 'eth-usd': 'binance' } })
    expect(result.ok).toBe(true)
    const config = engine.sentOfType('configure').at(-1)!.config
    expect(config).toMatchObject({ provider: 'yahoo', refreshIntervalSec: 15 })
    expect(config.routing).toEqual({ equity: 'yahoo', crypto: 'coinbase', fallbacks: ['simulated'], pins: { 'ETH-USD': 'binance' } })

    await call('setWatchlistProvider', { listId: 'default', provider: 'simulated' })
    expect(engine.sentOfType('configure').at(-1)!.config.routing?.pins).toEqual({
      AAPL: 'simulated',
      MSFT: 'simulated',
      'BTC-USD': 'simulated',
      '^GSPC': 'simulated',
      'ETH-USD': 'binance'
    })
    // A pinned list's new symbol follows the pin.
    await call('addSymbol', { listId: 'default', symbol: 'NVDA' })
    expect(engine.sentOfType('configure').at(-1)!.config.routing?.pins).toMatchObject({ NVDA: 'simulated' })
    const configures = engine.sentOfType('configure').length
    await call('renameWatchlist', { listId: 'default', name: 'Renamed' })
    expect(engine.sentOfType('configure')).toHaveLength(configures)

    await call('setWatchlistProvider', { listId: 'default', provider: null })
    expect(engine.sentOfType('configure').at(-1)!.config.routing?.pins).toEqual({ 'ETH-USD': 'binance' })
  })

  it('refuses a crypto provider without crypto prices and keeps the settings', async () => {
    const { core, call, saved } = setup()
    await core.start()
    const refused = await call('updateSettings', { cryptoProvider: 'alphavantage' })
    expect(refused.ok).toBe(false)
    if (!refused.ok) expect(refused.error.message).toMatch(/^Alpha Vantage has no crypto prices; choose Yahoo Finance/)
    expect((saved().settings as { cryptoProvider?: string } | undefined)?.cryptoProvider ?? 'yahoo').toBe('yahoo')
  })

  it('lets a command-line provider serve everything for the session', async () => {
    const { core, engine } = setup({ overrides: { provider: 'simulated' } })
    await core.start()
    expect(engine.sentOfType('configure')[0]!.config.routing).toEqual({ equity: 'simulated', crypto: 'simulated', fallbacks: [], pins: {} })
  })

  it('keeps a status per provider in use and drops those no longer routed to', async () => {
    const { core, engine, events, call } = setup()
    await core.start()
    await call('updateSettings', { cryptoProvider: 'coinbase' })
    const yahoo = { provider: 'yahoo' as const, online: true, offlineSince: null, lastSuccess: 10, lastError: null, rateLimitedUntil: null }
    const coinbase = { ...yahoo, provider: 'coinbase' as const, online: false, lastError: 'Cannot reach Coinbase Exchange' }
    engine.push({ type: 'status', status: yahoo })
    engine.push({ type: 'status', status: coinbase })
    expect(events('status').at(-1)).toMatchObject({ provider: 'yahoo', online: true, lastError: null, providers: [yahoo, coinbase] })
    await call('updateSettings', { cryptoProvider: 'yahoo' })
    expect(core.status().providers).toEqual([yahoo])
  })
})
