import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useAlertsStore, TOAST_MS } from './alerts'
import { useFocusStore } from './focus'
import { useSessionStore } from './session'
import { useWatchlistsStore } from './watchlists'
import { createFakeConnection, createFakeHost, makeBootstrap, makeInboxEntry, makeRule, type FakeHost } from '../testing/fake-api'

let host: FakeHost

async function start(bootstrap = makeBootstrap()): Promise<void> {
  host = createFakeHost(bootstrap)
  await useSessionStore().start({ api: host.api, connection: createFakeConnection() })
}

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => {
  useSessionStore().stop()
  vi.useRealTimers()
})

describe('useAlertsStore', () => {
  it('loads rules and the inbox from bootstrap', async () => {
    await start(makeBootstrap({ alerts: { rules: [makeRule()], inbox: [makeInboxEntry()], unread: 1 } }))
    const alerts = useAlertsStore()
    expect(alerts.rules.map((r) => r.id)).toEqual(['r1'])
    expect(alerts.inbox.map((e) => e.id)).toEqual(['e1'])
    expect(alerts.unread).toBe(1)
  })

  it('applies alerts events and counts unread fired alerts', async () => {
    await start()
    const alerts = useAlertsStore()
    host.emit('alerts', { rules: [makeRule({ id: 'r9' })], inbox: [], unread: 0 })
    expect(alerts.rules.map((r) => r.id)).toEqual(['r9'])
    host.fireAlert({ ruleId: 'r9', symbol: 'AAPL', at: 1000 })
    host.fireAlert({ ruleId: 'r9', symbol: 'MSFT', at: 2000 })
    expect(alerts.unread).toBe(2)
    expect(alerts.sortedInbox.map((e) => e.symbol)).toEqual(['MSFT', 'AAPL'])
  })

  it('shows a fired alert in the inbox even before the host sends the new state', async () => {
    await start()
    const alerts = useAlertsStore()
    host.emit('alertFired', makeInboxEntry({ id: 'x1' }))
    expect(alerts.inbox.map((e) => e.id)).toEqual(['x1'])
    expect(alerts.unread).toBe(1)
    expect(alerts.toasts).toHaveLength(1)
  })

  it('keeps tick flags per symbol and clears them on null', async () => {
    await start()
    const alerts = useAlertsStore()
    const aapl = alerts.flagRef('AAPL')
    const msft = alerts.flagRef('MSFT')
    host.emit('tickFlags', [{ symbol: 'AAPL', flag: 'outlier' }])
    expect(aapl.value).toBe('outlier')
    expect(msft.value).toBeNull()
    host.emit('tickFlags', [{ symbol: 'AAPL', flag: null }])
    expect(aapl.value).toBeNull()
  })

  it('auto-dismisses toasts after about eight seconds', async () => {
    await start()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const alerts = useAlertsStore()
    host.fireAlert({ ruleId: 'r1', symbol: 'AAPL' })
    expect(alerts.toasts).toHaveLength(1)
    vi.advanceTimersByTime(TOAST_MS - 100)
    expect(alerts.toasts).toHaveLength(1)
    vi.advanceTimersByTime(200)
    expect(alerts.toasts).toHaveLength(0)
  })

  it('marks read, clears and edits through the host', async () => {
    await start(makeBootstrap({ alerts: { rules: [makeRule()], inbox: [makeInboxEntry({ id: 'a' }), makeInboxEntry({ id: 'b' })], unread: 2 } }))
    const alerts = useAlertsStore()
    await alerts.markRead(['a'])
    expect(alerts.unread).toBe(1)
    await alerts.markRead()
    expect(alerts.unread).toBe(0)
    await alerts.setEnabled('r1', false)
    expect(alerts.rules[0]!.enabled).toBe(false)
    await alerts.clearInbox()
    expect(alerts.inbox).toEqual([])
    expect(host.callsTo('markInboxRead')).toEqual([{ ids: ['a'] }, {}])
  })
})

describe('focusSymbol', () => {
  const lists = {
    lists: [
      { id: 'main', name: 'Main', symbols: ['AAPL', 'MSFT'] },
      { id: 'crypto', name: 'Crypto', symbols: ['BTC-USD', 'AAPL'] }
    ],
    activeId: 'main'
  }

  it('selects the list holding the symbol and leaves a focus request', async () => {
    await start(makeBootstrap({ watchlists: lists }))
    host.emit('focusSymbol', { symbol: 'BTC-USD' })
    await vi.waitFor(() => expect(useFocusStore().request?.symbol).toBe('BTC-USD'))
    expect(useWatchlistsStore().activeId).toBe('crypto')
    expect(host.callsTo('selectWatchlist')).toEqual([{ listId: 'crypto' }])
  })

  it('prefers the active list when several hold the symbol', async () => {
    await start(makeBootstrap({ watchlists: lists }))
    expect(await useFocusStore().focusSymbol('AAPL')).toBe(true)
    expect(useWatchlistsStore().activeId).toBe('main')
    expect(host.callsTo('selectWatchlist')).toEqual([])
    expect(await useFocusStore().focusSymbol('NOPE')).toBe(false)
  })
})
