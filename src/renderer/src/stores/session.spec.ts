import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { nextTick } from 'vue'
import { useSessionStore } from './session'
import { useQuotesStore } from './quotes'
import { useStatusStore } from './status'
import { useWatchlistsStore } from './watchlists'
import { useNoticesStore } from './notices'
import { useSettingsStore } from './settings'
import { useVisibleRowsStore } from './visible-rows'
import { createFakeConnection, createFakeHost, makeBootstrap, makeQuote, manualFrames } from '../testing/fake-api'

const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

beforeEach(() => setActivePinia(createPinia()))

describe('useSessionStore', () => {
  it('bootstraps every store and declares interest in the active list', async () => {
    const host = createFakeHost(
      makeBootstrap({
        quotes: [makeQuote('AAPL')],
        symbolErrors: [{ symbol: 'MSFT', message: 'Unknown symbol MSFT' }],
        notices: [{ id: 'n1', level: 'warning', message: 'Using cached prices', at: 1 }]
      })
    )
    const session = useSessionStore()
    await session.start({ api: host.api, connection: createFakeConnection(), schedule: manualFrames().schedule })
    expect(session.ready).toBe(true)
    expect(useWatchlistsStore().activeSymbols).toEqual(['AAPL', 'MSFT'])
    expect(useQuotesStore().quoteRef('AAPL').value?.price).toBe(187.42)
    expect(useQuotesStore().errorRef('MSFT').value).toBe('Unknown symbol MSFT')
    expect(useNoticesStore().notices.map((n) => n.id)).toEqual(['n1'])
    expect(useSettingsStore().settings?.provider).toBe('simulated')
    expect(useStatusStore().status?.engine).toBe('running')
    expect(host.callsTo('setInterest')).toEqual([{ symbols: ['AAPL', 'MSFT'] }])
    session.stop()
  })

  it('applies host events to the stores', async () => {
    const host = createFakeHost()
    const frames = manualFrames()
    const session = useSessionStore()
    await session.start({ api: host.api, connection: createFakeConnection(), schedule: frames.schedule })
    host.emit('quotes', [makeQuote('AAPL', { price: 201.99 })])
    frames.run()
    expect(useQuotesStore().quoteRef('AAPL').value?.price).toBe(201.99)
    host.emit('status', { ...makeBootstrap().status, online: false, offlineSince: 5 })
    expect(useStatusStore().offline).toBe(true)
    host.emit('notice', { id: 'n2', level: 'error', message: 'Provider down', at: 2 })
    expect(useNoticesStore().notices.at(-1)?.message).toBe('Provider down')
    host.emit('symbolErrors', [{ symbol: 'AAPL', message: 'Unknown symbol AAPL' }])
    expect(useQuotesStore().errorRef('AAPL').value).toBe('Unknown symbol AAPL')
    session.stop()
  })

  it('sends interest again when the active list or its symbols change', async () => {
    const host = createFakeHost()
    const session = useSessionStore()
    await session.start({ api: host.api, connection: createFakeConnection() })
    await useWatchlistsStore().addSymbol('nvda')
    await nextTick()
    await flush()
    await useWatchlistsStore().create('Crypto')
    await nextTick()
    await flush()
    expect(host.callsTo('setInterest')).toEqual([
      { symbols: ['AAPL', 'MSFT'] },
      { symbols: ['AAPL', 'MSFT', 'NVDA'] },
      { symbols: [] }
    ])
    session.stop()
  })

  it('re-bootstraps and re-sends interest after the bridge reconnects', async () => {
    const host = createFakeHost()
    const connection = createFakeConnection()
    const session = useSessionStore()
    await session.start({ api: host.api, connection, now: () => 50_000 })
    connection.set('disconnected')
    const status = useStatusStore()
    expect(status.bridgeDown).toBe(true)
    expect(status.offlineSince).toBe(50_000)
    connection.set('connecting')
    connection.set('connected')
    await flush()
    expect(host.callsTo('bootstrap')).toHaveLength(2)
    expect(host.callsTo('setInterest')).toHaveLength(2)
    expect(status.offline).toBe(false)
    session.stop()
  })

  it('shows a plain message when the first bootstrap fails, and retries on reconnect', async () => {
    const host = createFakeHost()
    host.handle('bootstrap', () => {
      throw new Error('Cannot reach TickerDesk right now. Reconnecting…')
    })
    const connection = createFakeConnection('connecting')
    const session = useSessionStore()
    await session.start({ api: host.api, connection })
    expect(session.ready).toBe(false)
    expect(session.bootstrapError).toMatch(/Cannot reach TickerDesk/)
    host.handle('bootstrap', () => makeBootstrap())
    connection.set('connected')
    await flush()
    expect(session.ready).toBe(true)
    expect(session.bootstrapError).toBeNull()
    session.stop()
  })

  it('asks for a refresh at once when the OS reports the network back while the provider is offline', async () => {
    const host = createFakeHost()
    const network = new EventTarget()
    const session = useSessionStore()
    await session.start({ api: host.api, connection: createFakeConnection(), schedule: manualFrames().schedule, network })
    network.dispatchEvent(new Event('online'))
    await flush()
    expect(host.callsTo('refreshNow')).toHaveLength(0)

    host.emit('status', { ...makeBootstrap().status, online: false, offlineSince: 5 })
    network.dispatchEvent(new Event('online'))
    await flush()
    expect(host.callsTo('refreshNow')).toEqual([{ automatic: true }])

    session.stop()
    network.dispatchEvent(new Event('online'))
    await flush()
    expect(host.callsTo('refreshNow')).toHaveLength(1)
  })

  it('sends the rows on screen with the interest, spaced out while scrolling', async () => {
    const symbols = Array.from({ length: 200 }, (_, i) => `S${i}`)
    const host = createFakeHost(makeBootstrap({ watchlists: { lists: [{ id: 'big', name: 'Big', symbols }], activeId: 'big' } }))
    let clock = 0
    const timers: Array<{ at: number; cb: () => void }> = []
    const session = useSessionStore()
    await session.start({
      api: host.api,
      connection: createFakeConnection(),
      schedule: manualFrames().schedule,
      now: () => clock,
      setTimer: (cb, ms) => timers.push({ at: clock + ms, cb }),
      clearTimer: (handle) => {
        const i = timers.indexOf(handle as never)
        if (i >= 0) timers.splice(i, 1)
      }
    })
    expect(host.callsTo('setInterest')).toEqual([{ symbols }])
    const rows = useVisibleRowsStore()
    clock = 1_000
    rows.setRange(0, 25)
    await nextTick()
    expect(host.callsTo('setInterest').at(-1)).toEqual({ symbols, visible: symbols.slice(0, 25) })
    // Ten scroll steps within 100 ms: one trailing send with the last rows.
    for (let i = 1; i <= 10; i++) {
      clock += 10
      rows.setRange(i, i + 25)
      await nextTick()
    }
    expect(host.callsTo('setInterest')).toHaveLength(2)
    expect(timers).toHaveLength(1)
    clock = timers[0]!.at
    timers.splice(0).forEach((t) => t.cb())
    await flush()
    expect(host.callsTo('setInterest')).toHaveLength(3)
    expect(host.callsTo('setInterest').at(-1)).toEqual({ symbols, visible: symbols.slice(10, 35) })
    session.stop()
  })
})
