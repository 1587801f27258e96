import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AlertFiring, AlertRuleInput, AlertsState } from '../shared/alerts'
import { BootstrapSchema, type AppNotification, type EventPayload, type HostEventName, type Notice } from '../shared/ipc/contract'
import { dispatchCall } from '../shared/ipc/helpers'
import { ALERTS_CONSUMER } from './alerts/alert-center'
import { offsetClockMinutes } from './alerts/notification-policy'
import { HostCore, type HostCoreDeps } from './host-core'
import { confBackend } from './state/conf-backend'
import { memoryBackend } from './state/memory-backend'
import { openHostStores } from './state/open-host-stores'
import { FakeEngine } from './testing/fake-engine'
import { makeQuote } from './testing/quote-fixture'

// 2024-05-01 12:00 UTC.
const START = Date.UTC(2024, 4, 1, 12, 0, 0)

interface Emitted {
  event: HostEventName
  payload: unknown
}

function setup(options: { files?: Record<string, string>; deps?: Partial<HostCoreDeps> } = {}) {
  const backend = memoryBackend(options.files)
  const stores = openHostStores(backend, { now: () => Date.now(), onNotice: () => {}, files: backend.fileOps })
  const engine = new FakeEngine()
  const emitted: Emitted[] = []
  const notifier = vi.fn<(n: AppNotification) => void>()
  const core = new HostCore({
    engine,
    stores,
    emit: (event, payload) => emitted.push({ event, payload }),
    now: () => Date.now(),
    notifier,
    localMinutes: offsetClockMinutes(0),
    ...options.deps
  })
  const call = async <T = AlertsState>(name: string, payload: unknown): Promise<T> => {
    const result = await dispatchCall(core.impl, name, payload, { clientId: 'window:1' })
    if (!result.ok) throw new Error(result.error.message)
    return result.value as T
  }
  const failure = async (name: string, payload: unknown): Promise<string> => {
    const result = await dispatchCall(core.impl, name, payload, { clientId: 'window:1' })
    if (result.ok) throw new Error(`${name} should have failed`)
    return result.error.message
  }
  const events = <K extends HostEventName>(event: K) => emitted.filter((e) => e.event === event).map((e) => e.payload as EventPayload<K>)
  const lastRules = () => engine.sentOfType('set-alert-rules').at(-1)?.rules
  const alertInterest = () => engine.sentOfType('set-interest').filter((c) => c.consumer === ALERTS_CONSUMER).at(-1)?.symbols
  const saved = () => JSON.parse(backend.files.get('alerts')!) as { rules: { id: string }[]; inbox: unknown[]; lastFired: Record<string, unknown> }
  return { core, engine, backend, emitted, events, call, failure, lastRules, alertInterest, notifier, saved }
}

const priceAbove = (symbol: string, price: number, extra: Partial<AlertRuleInput> = {}): AlertRuleInput => ({
  target: { type: 'symbol', symbol },
  condition: { kind: 'price-above', price },
  trigger: { mode: 'every', cooldownMinutes: 5 },
  ...extra
})

const firing = (ruleId: string, symbol: string, extra: Partial<AlertFiring> = {}): AlertFiring => ({
  ruleId,
  symbol,
  at: Date.now(),
  occurredAt: null,
  catchUp: false,
  message: `${symbol} rose above 200.00 (now 201.35)`,
  quote: makeQuote(symbol, { price: 201.35 }),
  ...extra
})

describe('HostCore alerts', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(START)
  })
  afterEach(() => vi.useRealTimers())

  it('creates rules: persists, emits, and tells the engine the rules and their symbols', async () => {
    const { core, call, events, lastRules, alertInterest, saved } = setup()
    await core.start()
    expect(lastRules()).toEqual([])
    expect(alertInterest()).toEqual([])

    const state = await call('createAlert', priceAbove('aapl', 200, { note: 'trim' }))
    expect(state.rules).toHaveLength(1)
    const rule = state.rules[0]!
    expect(rule).toMatchObject({ target: { type: 'symbol', symbol: 'AAPL' }, note: 'trim', createdAt: START, suspendedReason: null })
    expect(saved().rules.map((r) => r.id)).toEqual([rule.id])
    expect(events('alerts').at(-1)).toEqual(state)
    expect(lastRules()).toEqual([
      {
        id: rule.id,
        symbols: ['AAPL'],
        condition: { kind: 'price-above', price: 200 },
        trigger: { mode: 'every', cooldownMinutes: 5 },
        rearmPercent: 0.5,
        expiresAt: null,
        snoozedUntil: null,
        lastFired: {}
      }
    ])
    expect(alertInterest()).toEqual(['AAPL'])
    expect(core.alerts).toEqual(state)
    const boot = await call<{ alerts: AlertsState }>('bootstrap', {})
    expect(boot.alerts).toEqual(state)
    expect(BootstrapSchema.safeParse(boot).success).toBe(true)
  })

  it('answers bad alert calls in plain words and changes nothing', async () => {
    const { core, call, failure, engine } = setup()
    await core.start()
    engine.clearSent()
    expect(await failure('createAlert', priceAbove('TSLA', 1))).toBe('TSLA is not in any watchlist; add it to one before setting an alert on it.')
    expect(await failure('createAlert', { ...priceAbove('AAPL', 1), target: { type: 'watchlist', listId: 'nope' } })).toMatch(/That watchlist no longer exists/)
    expect(await failure('updateAlert', { id: 'nope', changes: { note: 'x' } })).toMatch(/That alert no longer exists/)
    expect(await failure('deleteAlert', { id: 'nope' })).toMatch(/That alert no longer exists/)
    expect(await failure('snoozeAlert', { id: 'nope', minutes: 5 })).toMatch(/That alert no longer exists/)
    expect(core.alerts.rules).toEqual([])
    expect(engine.sentOfType('set-alert-rules')).toEqual([])
    expect((await call('markInboxRead', {})).unread).toBe(0)
  })

  it('updates only the fields given: editing the note keeps a rule switched off', async () => {
    const { core, call, lastRules } = setup()
    await core.start()
    const { rules } = await call('createAlert', priceAbove('AAPL', 200, { enabled: false, rearmPercent: 2 }))
    const updated = await call('updateAlert', { id: rules[0]!.id, changes: { note: 'later' } })
    expect(updated.rules[0]).toMatchObject({ enabled: false, rearmPercent: 2, note: 'later' })
    expect(lastRules()).toEqual([])
    const enabled = await call('updateAlert', { id: rules[0]!.id, changes: { enabled: true } })
    expect(enabled.rules[0]!.enabled).toBe(true)
    expect(lastRules()!.map((r) => r.rearmPercent)).toEqual([2])
    const snoozed = await call('snoozeAlert', { id: rules[0]!.id, minutes: 15 })
    expect(lastRules()![0]!.snoozedUntil).toBe(snoozed.rules[0]!.snoozedUntil)
    await call('deleteAlert', { id: rules[0]!.id })
    expect(lastRules()).toEqual([])
  })

  it('on a firing: adds to the inbox, emits alertFired and alerts, and notifies', async () => {
    const { core, call, engine, events, notifier, saved } = setup()
    await core.start()
    const { rules } = await call('createAlert', priceAbove('AAPL', 200, { note: 'trim position' }))
    const id = rules[0]!.id
    engine.push({ type: 'alert-fired', firing: firing(id, 'AAPL') })

    const fired = events('alertFired')
    expect(fired).toHaveLength(1)
    expect(fired[0]).toMatchObject({ ruleId: id, symbol: 'AAPL', read: false, note: 'trim position', quote: { price: 201.35 } })
    expect(core.alerts.unread).toBe(1)
    expect(core.alerts.inbox[0]!.id).toBe(fired[0]!.id)
    expect(events('alerts').at(-1)!.unread).toBe(1)
    expect(saved().inbox).toHaveLength(1)
    expect(saved().lastFired).toEqual({ [id]: { AAPL: START } })
    const expected = { title: 'AAPL above 200.00', body: 'AAPL rose above 200.00 (now 201.35)\ntrim position', symbol: 'AAPL', sound: false }
    expect(events('notification')).toEqual([expected])
    expect(notifier).toHaveBeenCalledWith(expected)

    const read = await call('markInboxRead', { ids: [fired[0]!.id] })
    expect(read.unread).toBe(0)
    const cleared = await call('clearInbox', {})
    expect(cleared.inbox).toEqual([])
    expect(saved().inbox).toEqual([])
  })

  it('labels catch-up firings and switches once-rules off, telling the engine', async () => {
    const { core, call, engine, events, lastRules } = setup()
    await core.start()
    const { rules } = await call('createAlert', priceAbove('AAPL', 200, { trigger: { mode: 'once' } }))
    engine.push({
      type: 'alert-fired',
      firing: firing(rules[0]!.id, 'AAPL', { catchUp: true, occurredAt: START - 3_600_000, message: 'While you were away: AAPL rose above 200.00' })
    })
    expect(events('notification')[0]!.title).toBe('While you were away: AAPL above 200.00')
    expect(core.alerts.rules[0]).toMatchObject({ enabled: false, lastFiredAt: START })
    expect(lastRules()).toEqual([])
    // A duplicate that was already on its way is not shown again.
    engine.push({ type: 'alert-fired', firing: firing(rules[0]!.id, 'AAPL') })
    expect(events('alertFired')).toHaveLength(1)
  })

  it('groups a burst into one summary notification; inbox and toasts get every firing', async () => {
    const { core, call, engine, events, notifier } = setup()
    await core.start()
    const { rules } = await call('createAlert', {
      target: { type: 'watchlist', listId: 'default' },
      condition: { kind: 'day-change-above', percent: 3 },
      trigger: { mode: 'every', cooldownMinutes: 30 }
    })
    const id = rules[0]!.id
    for (const symbol of ['AAPL', 'MSFT', 'BTC-USD', '^GSPC', 'AAPL']) engine.push({ type: 'alert-fired', firing: firing(id, symbol) })
    expect(events('alertFired')).toHaveLength(5)
    expect(core.alerts.unread).toBe(5)
    expect(notifier).toHaveBeenCalledTimes(3)
    await vi.advanceTimersByTimeAsync(5_000)
    expect(notifier).toHaveBeenCalledTimes(4)
    expect(notifier.mock.calls[3]![0]).toMatchObject({ title: '2 alerts: ^GSPC, AAPL', symbol: null })
    expect(events('notification')).toHaveLength(4)
  })

  it('holds notifications back in quiet hours and when they are off, still filling the inbox', async () => {
    const { core, call, engine, events, notifier } = setup()
    await core.start()
    await call('updateSettings', { notifications: { enabled: true, sound: true, quietHours: { enabled: true, start: '11:30', end: '13:00' } } })
    const { rules } = await call('createAlert', priceAbove('AAPL', 200))
    engine.push({ type: 'alert-fired', firing: firing(rules[0]!.id, 'AAPL') })
    expect(events('alertFired')).toHaveLength(1)
    expect(notifier).not.toHaveBeenCalled()

    vi.setSystemTime(START + 2 * 3_600_000)
    engine.push({ type: 'alert-fired', firing: firing(rules[0]!.id, 'AAPL') })
    expect(notifier).toHaveBeenCalledWith(expect.objectContaining({ sound: true, symbol: 'AAPL' }))

    await call('updateSettings', { notifications: { enabled: false, sound: true, quietHours: { enabled: false, start: '22:00', end: '07:00' } } })
    engine.push({ type: 'alert-fired', firing: firing(rules[0]!.id, 'AAPL') })
    expect(notifier).toHaveBeenCalledTimes(1)
    expect(core.alerts.inbox).toHaveLength(3)
  })

  it('survives a failing notifier and malformed alert events', async () => {
    const log = vi.fn()
    const { core, call, engine, events } = setup({ deps: { notifier: () => { throw new Error('no display') }, log } })
    await core.start()
    const { rules } = await call('createAlert', priceAbove('AAPL', 200))
    expect(() => engine.push({ type: 'alert-fired', firing: { ruleId: rules[0]!.id } })).not.toThrow()
    expect(() => engine.push({ type: 'tick-flags', flags: 'bad' })).not.toThrow()
    engine.push({ type: 'alert-fired', firing: firing(rules[0]!.id, 'AAPL') })
    expect(events('alertFired')).toHaveLength(1)
    expect(events('notification')).toHaveLength(1)
    expect(log).toHaveBeenCalledWith('error', expect.stringMatching(/no display/))
  })

  it('re-sends the rules, with their fire times, and the pause after an engine restart', async () => {
    const { core, call, engine, lastRules, alertInterest } = setup()
    await core.start()
    const { rules } = await call('createAlert', priceAbove('MSFT', 400))
    engine.push({ type: 'alert-fired', firing: firing(rules[0]!.id, 'MSFT') })
    await call('setUpdatesPaused', { paused: true })
    engine.setState('reconnecting')
    engine.clearSent()
    engine.setState('running')
    expect(engine.sentOfType('set-alert-rules')).toHaveLength(1)
    expect(lastRules()![0]).toMatchObject({ id: rules[0]!.id, symbols: ['MSFT'], lastFired: { MSFT: START } })
    expect(alertInterest()).toEqual(['MSFT'])
    expect(engine.sentOfType('pause')).toEqual([{ type: 'pause', paused: true }])
  })

  it('suspends rules of a symbol removed from every list, with no ghost rules, and revives them when re-added', async () => {
    const { core, call, engine, events, lastRules, alertInterest } = setup()
    await core.start()
    await call('createAlert', priceAbove('MSFT', 400))
    const list = await call('createAlert', { target: { type: 'watchlist', listId: 'default' }, condition: { kind: 'new-52w-high' }, trigger: { mode: 'daily' } })
    const listRuleId = list.rules[1]!.id
    await call('removeSymbol', { listId: 'default', symbol: 'MSFT' })

    expect(events('alerts').at(-1)!.rules[0]!.suspendedReason).toBe('MSFT is no longer in any watchlist')
    expect(lastRules()).toEqual([expect.objectContaining({ id: listRuleId, symbols: ['AAPL', 'BTC-USD', '^GSPC'] })])
    expect(alertInterest()).toEqual(['AAPL', 'BTC-USD', '^GSPC'])
    // A firing that raced the removal is dropped.
    engine.push({ type: 'alert-fired', firing: firing(listRuleId, 'MSFT') })
    expect(events('alertFired')).toEqual([])

    await call('addSymbol', { listId: 'default', symbol: 'MSFT' })
    expect(core.alerts.rules[0]!.suspendedReason).toBeNull()
    expect(lastRules()!.map((r) => r.symbols)).toEqual([['MSFT'], ['AAPL', 'BTC-USD', '^GSPC', 'MSFT']])
  })

  it('suspends the rules of a deleted watchlist and stops sending them', async () => {
    const { core, call, lastRules, alertInterest } = setup()
    await core.start()
    const lists = await call<{ activeId: string }>('createWatchlist', { name: 'Coins' })
    await call('addSymbol', { listId: lists.activeId, symbol: 'ETH-USD' })
    await call('createAlert', { target: { type: 'watchlist', listId: lists.activeId }, condition: { kind: 'day-change-below', percent: -5 }, trigger: { mode: 'daily' } })
    expect(alertInterest()).toEqual(['ETH-USD'])
    await call('deleteWatchlist', { listId: lists.activeId })
    expect(core.alerts.rules[0]!.suspendedReason).toBe('The watchlist "Coins" was deleted')
    expect(lastRules()).toEqual([])
    expect(alertInterest()).toEqual([])
  })

  it('stops fetching for a rule once it expires', async () => {
    const { core, call, alertInterest } = setup()
    await core.start()
    const other = await call<{ activeId: string }>('createWatchlist', { name: 'Other' })
    await call('addSymbol', { listId: other.activeId, symbol: 'NVDA' })
    await call('createAlert', priceAbove('NVDA', 1000, { expiresAt: START + 60_000 }))
    expect(alertInterest()).toEqual(['NVDA'])
    await vi.advanceTimersByTimeAsync(61_000)
    expect(alertInterest()).toEqual([])
  })

  it('pauses and resumes updates, reflected in status', async () => {
    const { core, call, engine, events } = setup()
    await core.start()
    await call('setUpdatesPaused', { paused: true })
    expect(engine.sentOfType('pause')).toEqual([{ type: 'pause', paused: true }])
    expect(core.status().paused).toBe(true)
    expect(events('status').at(-1)!.paused).toBe(true)
    await call('setUpdatesPaused', { paused: false })
    expect(engine.sentOfType('pause').at(-1)).toEqual({ type: 'pause', paused: false })
    expect(core.status().paused).toBe(false)
  })

  it('forwards tick flags', async () => {
    const { core, engine, events } = setup()
    await core.start()
    engine.push({ type: 'tick-flags', flags: [{ symbol: 'AAPL', flag: 'outlier' }, { symbol: 'MSFT', flag: null }] })
    expect(events('tickFlags')).toEqual([[{ symbol: 'AAPL', flag: 'outlier' }, { symbol: 'MSFT', flag: null }]])
  })

  it('gives in-process consumers every event, quotes, settings, status and focusSymbol', async () => {
    const { core, engine, events } = setup()
    const seen: string[] = []
    const off = core.onHostEvent((event) => seen.push(event))
    await core.start()
    engine.push({ type: 'quotes', patches: [makeQuote('AAPL', { price: 190 })] })
    core.focusSymbol(' aapl ')
    expect(events('focusSymbol')).toEqual([{ symbol: 'AAPL' }])
    expect(seen).toEqual(expect.arrayContaining(['status', 'quotes', 'focusSymbol']))
    expect(core.getQuote('aapl')?.price).toBe(190)
    expect(core.getQuote('NOPE')).toBeUndefined()
    expect(core.settings.notifications.enabled).toBe(true)
    expect(core.status().engine).toBe('running')
    off()
    core.focusSymbol('MSFT')
    expect(seen.filter((e) => e === 'focusSymbol')).toHaveLength(1)
  })

  it('reports a damaged alerts file as a notice and still works', async () => {
    const { core, call } = setup({ files: { alerts: '{"rules": [' } })
    await core.start()
    const boot = await call<{ notices: Notice[]; alerts: AlertsState }>('bootstrap', {})
    expect(boot.notices.map((n) => n.message)).toEqual([expect.stringMatching(/^Your alerts file was damaged and has been reset/)])
    expect(boot.alerts).toEqual({ rules: [], inbox: [], unread: 0 })
    expect((await call('createAlert', priceAbove('AAPL', 1))).rules).toHaveLength(1)
  })
})

describe('HostCore alerts over conf files', () => {
  it('keeps rules, inbox and fire times across a restart and sends them to the new engine', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'td-core-alerts-'))
    try {
      const open = () => openHostStores(confBackend(dir), { now: Date.now, onNotice: () => {} })
      const engine = new FakeEngine()
      const first = new HostCore({ engine, stores: open(), emit: () => {} })
      await first.start()
      const created = await dispatchCall(first.impl, 'createAlert', priceAbove('AAPL', 200), { clientId: 'c' })
      const id = (created as { ok: true; value: AlertsState }).value.rules[0]!.id
      const at = Date.now()
      engine.push({ type: 'alert-fired', firing: firing(id, 'AAPL', { at }) })
      await first.dispose()

      const second = new FakeEngine()
      const core = new HostCore({ engine: second, stores: open(), emit: () => {} })
      await core.start()
      expect(core.alerts.inbox).toHaveLength(1)
      expect(core.alerts.unread).toBe(1)
      expect(second.sentOfType('set-alert-rules').at(-1)!.rules).toEqual([expect.objectContaining({ id, lastFired: { AAPL: at } })])
      await core.dispose()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
