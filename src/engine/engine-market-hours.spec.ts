import { afterEach, describe, expect, it, vi } from 'vitest'
import { engineRig, freshProvider, type EngineRig } from './testing/engine-rig'
import { makeQuote } from './testing/fake-quote-provider'

const SATURDAY_NOON_NY = Date.parse('2026-03-14T12:00:00-04:00')
const TUESDAY_8AM_NY = Date.parse('2026-03-10T08:00:00-04:00')

const count = (calls: string[][], symbol: string): number => calls.flat().filter((s) => s === symbol).length

describe('Engine market hours', () => {
  let rig: EngineRig | null = null
  afterEach(async () => {
    await rig?.dispose()
    rig = null
    vi.useRealTimers()
  })

  it('leaves US equities alone while their market is closed, keeps crypto going, and polls again when market hours are turned off', async () => {
    vi.useFakeTimers({ now: SATURDAY_NOON_NY })
    const finnhub = freshProvider('finnhub')
    rig = engineRig({ providers: { finnhub } })
    rig.configure({ provider: 'finnhub', marketHours: { extendedHours: false } })
    rig.watch('AAPL', 'BTC-USD')
    await rig.seconds(60)
    // One fetch for a first (closing) quote, then nothing until Monday.
    expect(count(finnhub.calls, 'AAPL')).toBe(1)
    expect(count(finnhub.calls, 'BTC-USD')).toBeGreaterThanOrEqual(10)

    rig.configure({ provider: 'finnhub', marketHours: null })
    await rig.seconds(30)
    expect(count(finnhub.calls, 'AAPL')).toBeGreaterThanOrEqual(5)
    // Same lane, same symbols: nothing was dropped or rebuilt.
    expect(rig.logs.filter((m) => m.startsWith('Using Finnhub'))).toHaveLength(1)
  })

  it("fetches closed US equities once more on the user's refresh, silently and within the quota; a wake-up leaves them be", async () => {
    vi.useFakeTimers({ now: SATURDAY_NOON_NY })
    const finnhub = freshProvider('finnhub')
    rig = engineRig({ providers: { finnhub } })
    rig.configure({ provider: 'finnhub', marketHours: { extendedHours: false } })
    rig.watch('AAPL')
    await rig.seconds(10)
    expect(count(finnhub.calls, 'AAPL')).toBe(1)
    rig.engine.handle({ type: 'refresh', reason: 'wake' })
    await rig.seconds(10)
    expect(count(finnhub.calls, 'AAPL')).toBe(1)
    rig.engine.handle({ type: 'refresh' })
    await rig.seconds(10)
    expect(count(finnhub.calls, 'AAPL')).toBe(2)
    expect(rig.of('refresh-refused')).toHaveLength(0)
  })

  it('follows the extended-hours switch in the pre-market without losing symbols', async () => {
    vi.useFakeTimers({ now: TUESDAY_8AM_NY })
    const finnhub = freshProvider('finnhub')
    rig = engineRig({ providers: { finnhub } })
    rig.configure({ provider: 'finnhub', marketHours: { extendedHours: true } })
    rig.watch('AAPL', 'MSFT')
    await rig.seconds(30)
    expect(count(finnhub.calls, 'AAPL')).toBeGreaterThanOrEqual(5)

    rig.configure({ provider: 'finnhub', marketHours: { extendedHours: false } })
    await rig.seconds(2)
    const held = finnhub.calls.length
    await rig.seconds(60)
    expect(finnhub.calls.length).toBe(held)

    rig.configure({ provider: 'finnhub', marketHours: { extendedHours: true } })
    await rig.seconds(10)
    expect(count(finnhub.calls.slice(held), 'AAPL')).toBeGreaterThanOrEqual(1)
    expect(count(finnhub.calls.slice(held), 'MSFT')).toBeGreaterThanOrEqual(1)
  })

  it('lets the simulated market move at any hour', async () => {
    vi.useFakeTimers({ now: SATURDAY_NOON_NY })
    const simulated = freshProvider('simulated')
    rig = engineRig({ providers: { simulated } })
    rig.configure({ provider: 'simulated', marketHours: { extendedHours: false } })
    rig.watch('AAPL')
    await rig.seconds(30)
    expect(count(simulated.calls, 'AAPL')).toBeGreaterThanOrEqual(5)
  })

  it('marks a pre-market quote from a provider that only says open or closed', async () => {
    vi.useFakeTimers({ now: TUESDAY_8AM_NY })
    const twelvedata = freshProvider('twelvedata')
    twelvedata.answer = (symbols) => ({
      quotes: symbols.map((s) => makeQuote(s, { source: 'twelvedata', marketState: 'closed', providerTime: Date.now(), receivedAt: Date.now() })),
      errors: []
    })
    const yahoo = freshProvider('yahoo')
    yahoo.answer = (symbols) => ({
      quotes: symbols.map((s) => makeQuote(s, { source: 'yahoo', marketState: 'closed', providerTime: Date.now(), receivedAt: Date.now() })),
      errors: []
    })
    rig = engineRig({ providers: { twelvedata, yahoo } })
    rig.configure({ provider: 'twelvedata', routing: { equity: 'twelvedata', crypto: 'yahoo', fallbacks: [], pins: { MSFT: 'yahoo' } } })
    rig.watch('AAPL', 'MSFT')
    await rig.seconds(1)
    const state = (symbol: string) => rig?.patches().find((p) => p.symbol === symbol)?.marketState
    expect(state('AAPL')).toBe('pre')
    // Yahoo's own word stands.
    expect(state('MSFT')).toBe('closed')
  })

  it('gives a streamed tick the session at its trade time', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-03-10T09:29:00-04:00') })
    const finnhub = freshProvider('finnhub')
    finnhub.answer = (symbols) => ({
      quotes: symbols.map((s) => makeQuote(s, { source: 'finnhub', marketState: 'pre', providerTime: Date.now(), receivedAt: Date.now() })),
      errors: []
    })
    rig = engineRig({ providers: { finnhub }, streams: ['finnhub'] })
    rig.configure({ provider: 'finnhub' })
    rig.watch('AAPL')
    await rig.seconds(1)
    rig.streams.get('finnhub')?.state('open')
    await rig.seconds(90)
    rig.streams.get('finnhub')?.tick({ symbol: 'AAPL', price: 101, time: Date.now() })
    await rig.settle()
    const last = rig.patches().filter((p) => p.symbol === 'AAPL' && p.marketState !== undefined).at(-1)
    expect(last?.marketState).toBe('regular')
  })
})
