import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FAKE_FINNHUB_KEY, startFakeFinnhub, until, type FakeFinnhub } from '../../../tests/fakes/finnhub-server'
import { createFinnhubStream, type FinnhubStream, type FinnhubStreamOptions } from './finnhub-stream'
import type { ProviderDeps } from './provider'
import type { StreamState, StreamTick } from './quote-stream'
import { jitteredBackoff, type SocketTimers } from './reconnecting-socket'

/** Timers the test fires by hand; the sockets underneath stay real. */
class ManualTimers implements SocketTimers {
  private next = 1
  readonly pending = new Map<number, { fn: () => void; ms: number }>()
  readonly delays: number[] = []
  setTimeout(fn: () => void, ms: number): number {
    const id = this.next++
    this.pending.set(id, { fn, ms })
    this.delays.push(ms)
    return id
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number)
  }
  has(ms: number): boolean {
    return [...this.pending.values()].some((t) => t.ms === ms)
  }
  fire(ms: number): void {
    for (const [id, timer] of [...this.pending]) {
      if (timer.ms !== ms) continue
      this.pending.delete(id)
      timer.fn()
    }
  }
}

const WATCHDOG = 60_000

let fake: FakeFinnhub
let timers: ManualTimers
let deps: ProviderDeps
let streams: FinnhubStream[]
let states: [StreamState, string | null][]
let ticks: StreamTick[][]
let symbolErrors: [string, string][]

function open(options: Partial<FinnhubStreamOptions> = {}): FinnhubStream {
  const stream = createFinnhubStream({ key: FAKE_FINNHUB_KEY, url: fake.wsUrl, deps, timers, random: () => 0.5, ...options })
  stream.onState((state, detail) => states.push([state, detail]))
  stream.onTick((batch) => ticks.push([...batch]))
  stream.onSymbolError((symbol, message) => symbolErrors.push([symbol, message]))
  streams.push(stream)
  return stream
}

const subscribed = (...symbols: string[]) => () => fake.subscriptions().join(',') === [...symbols].sort().join(',')
const lastState = (): StreamState | undefined => states.at(-1)?.[0]

beforeEach(async () => {
  fake = await startFakeFinnhub({ pingIntervalMs: 0 })
  timers = new ManualTimers()
  deps = { now: () => Date.now(), log: vi.fn<ProviderDeps['log']>() }
  streams = []
  states = []
  ticks = []
  symbolErrors = []
})

afterEach(async () => {
  for (const stream of streams) stream.close()
  await fake.close()
})

describe('Finnhub stream: subscriptions', () => {
  it('opens one socket with the key and sends only the differences', async () => {
    const stream = open()
    stream.setSymbols(['AAPL', 'MSFT'])
    await until(subscribed('AAPL', 'MSFT'), 'first subscriptions')
    expect(states.slice(0, 2)).toEqual([
      ['connecting', null],
      ['open', null]
    ])

    stream.setSymbols(['MSFT', 'TSLA', ' TSLA '])
    await until(subscribed('MSFT', 'TSLA'), 'changed subscriptions')
    stream.setSymbols(['MSFT', 'TSLA'])
    stream.setSymbols([])
    await until(subscribed(), 'all dropped')

    expect(fake.wsMessages).toEqual([
      { type: 'subscribe', symbol: 'AAPL' },
      { type: 'subscribe', symbol: 'MSFT' },
      { type: 'unsubscribe', symbol: 'AAPL' },
      { type: 'subscribe', symbol: 'TSLA' },
      { type: 'unsubscribe', symbol: 'MSFT' },
      { type: 'unsubscribe', symbol: 'TSLA' }
    ])
    expect(fake.connections).toBe(1)
  })

  it('turns every trade of a message into ticks with millisecond times, price-only updates included', async () => {
    const stream = open()
    stream.setSymbols(['AAPL', 'BINANCE:BTCUSDT'])
    await until(subscribed('AAPL', 'BINANCE:BTCUSDT'))

    fake.pushTrades([
      { symbol: 'AAPL', price: 262.01, volume: 100, time: 1771340400123 },
      { symbol: 'BINANCE:BTCUSDT', price: 97_300.5, volume: 0.0132, time: 1771340400150 },
      { symbol: 'AAPL', price: 262.05, volume: 0, time: 1771340400199 }
    ])
    await until(() => ticks.length === 1, 'ticks')
    expect(ticks[0]).toEqual([
      { symbol: 'AAPL', price: 262.01, time: 1771340400123 },
      { symbol: 'BINANCE:BTCUSDT', price: 97_300.5, time: 1771340400150 },
      { symbol: 'AAPL', price: 262.05, time: 1771340400199 }
    ])

    // Trades for symbols no longer wanted, and unusable items, are dropped; pings are no ticks.
    fake.sendRaw('{"type":"ping"}')
    fake.sendRaw('{"type":"trade","data":[{"s":"TSLA","p":250,"t":1771340400300,"v":1},{"s":"AAPL","p":"x","t":1},{"s":"AAPL","p":262.1,"t":1771340400301,"v":5}]}')
    fake.sendRaw('not json')
    await until(() => ticks.length === 2)
    expect(ticks[1]).toEqual([{ symbol: 'AAPL', price: 262.1, time: 1771340400301 }])
  })

  it('reports a symbol Finnhub calls invalid and stops asking for it', async () => {
    const stream = open()
    stream.setSymbols(['AAPL', 'FX:EURUSD'])
    await until(() => symbolErrors.length === 1, 'symbol error')
    expect(symbolErrors[0]?.[0]).toBe('FX:EURUSD')
    expect(symbolErrors[0]?.[1]).toMatch(/^Unknown symbol FX:EURUSD: Finnhub does not stream it \("Invalid symbol FX:EURUSD"\)\.$/)
    expect(stream.unstreamed()).toEqual(['FX:EURUSD'])
    expect(fake.subscriptions()).toEqual(['AAPL'])
    expect(stream.state).toBe('open')
  })

  it('streams only the first 50 symbols and reports each one beyond once, in plain words', async () => {
    const symbols = Array.from({ length: 53 }, (_, i) => `S${String(i).padStart(2, '0')}`)
    for (const symbol of symbols) fake.setQuote(symbol, { c: 10 + symbols.indexOf(symbol) })
    const stream = open()
    stream.setSymbols(symbols)
    await until(() => fake.subscriptions().length === 50, '50 subscriptions')
    expect(fake.subscriptions()).toEqual(symbols.slice(0, 50))
    expect(symbolErrors.map(([s]) => s)).toEqual(['S50', 'S51', 'S52'])
    expect(symbolErrors[0]?.[1]).toBe('S50 is not streamed: Finnhub streams at most 50 symbols at once on this plan, so it is refreshed over REST instead.')
    expect(stream.unstreamed()).toEqual(['S50', 'S51', 'S52'])

    stream.setSymbols(symbols)
    stream.setSymbols(symbols.slice(3))
    await until(() => fake.subscriptions().includes('S52'), 'room for the overflow')
    expect(fake.subscriptions()).toHaveLength(50)
    expect(stream.unstreamed()).toEqual([])
    expect(symbolErrors).toHaveLength(3)
    expect(fake.overSymbolLimit).toBe(0)
  })
})

describe('Finnhub stream: staying connected', () => {
  it('reconnects after the connection drops and subscribes everything again', async () => {
    const stream = open()
    stream.setSymbols(['AAPL', 'MSFT'])
    await until(subscribed('AAPL', 'MSFT'))

    fake.dropClients()
    await until(() => lastState() === 'down', 'down')
    expect(states.at(-1)?.[1]).toMatch(/^Finnhub stream closed \(code \d+\); reconnecting in 1 s\.$/)
    expect(timers.has(750)).toBe(true)
    expect(fake.subscriptions()).toEqual([])

    timers.fire(750)
    await until(subscribed('AAPL', 'MSFT'), 'resubscribed')
    expect(lastState()).toBe('open')
    fake.pushTrade('MSFT', 416, { time: 1771340401000 })
    await until(() => ticks.length === 1)
    expect(ticks[0]).toEqual([{ symbol: 'MSFT', price: 416, time: 1771340401000 }])
  })

  it('backs off exponentially with jitter while the server is away, then resubscribes', async () => {
    const stream = open()
    stream.setSymbols(['AAPL'])
    await until(subscribed('AAPL'))
    await fake.stop()
    await until(() => timers.has(750), 'first retry planned')
    timers.fire(750)
    await until(() => timers.has(1500), 'second retry planned')
    timers.fire(1500)
    await until(() => timers.has(3000), 'third retry planned')

    await fake.start()
    timers.fire(3000)
    await until(subscribed('AAPL'), 'back after restart')
    expect(lastState()).toBe('open')
  })

  it('computes equal-jitter delays that grow to a cap', () => {
    expect([0, 1, 2, 3].map((n) => jitteredBackoff(n, () => 0, 1000, 60_000))).toEqual([500, 1000, 2000, 4000])
    expect(jitteredBackoff(3, () => 0.999999, 1000, 60_000)).toBe(8000)
    expect(jitteredBackoff(20, () => 1, 1000, 60_000)).toBe(60_000)
  })

  it('drops a silent connection when the watchdog fires, and pings keep it fed', async () => {
    const stream = open()
    stream.setSymbols(['AAPL'])
    await until(subscribed('AAPL'))
    const armed = timers.delays.filter((ms) => ms === WATCHDOG).length
    fake.ping()
    await until(() => timers.delays.filter((ms) => ms === WATCHDOG).length === armed + 1, 'watchdog re-armed by a ping')
    expect([...timers.pending.values()].filter((t) => t.ms === WATCHDOG)).toHaveLength(1)

    timers.fire(WATCHDOG)
    expect(stream.state).toBe('down')
    expect(states.at(-1)?.[1]).toBe('Finnhub stream went silent for 60 s; reconnecting in 1 s.')
    await until(() => fake.connections === 0, 'old socket gone')

    timers.fire(750)
    await until(subscribed('AAPL'), 'resubscribed after the watchdog')
    expect(fake.connections).toBe(1)
  })

  it('says when Finnhub refuses a second connection for the same key', async () => {
    open().setSymbols(['AAPL'])
    await until(subscribed('AAPL'))
    const second = createFinnhubStream({ key: FAKE_FINNHUB_KEY, url: fake.wsUrl, deps, timers, random: () => 0.5 })
    streams.push(second)
    const seen: (string | null)[] = []
    second.onState((_state, detail) => seen.push(detail))
    second.setSymbols(['MSFT'])
    await until(() => second.state === 'down', 'second refused')
    expect(seen.at(-1)).toMatch(/refused a second connection for this key/)
    expect(fake.rejectedConnections).toBe(1)
    expect(fake.connections).toBe(1)
  })

  it('reports an invalid key and retries only slowly', async () => {
    const stream = open({ key: 'wrong-key' })
    stream.setSymbols(['AAPL'])
    await until(() => stream.state === 'down')
    expect(states.at(-1)?.[1]).toBe('Finnhub stream refused the key: invalid API key; reconnecting in 45 s.')
    expect(timers.has(45_000)).toBe(true)
  })

  it('stays down without a key and never connects', () => {
    const stream = open({ key: undefined })
    stream.setSymbols(['AAPL'])
    expect(stream.state).toBe('down')
    expect(states).toEqual([['down', 'Finnhub stream needs an API key: add one in Settings or set TICKERDESK_FINNHUB_KEY.']])
  })

  it('stops for good on close', async () => {
    const stream = open()
    stream.setSymbols(['AAPL'])
    await until(subscribed('AAPL'))
    stream.close()
    expect(stream.state).toBe('down')
    expect(timers.pending.size).toBe(0)
    await until(() => fake.connections === 0, 'socket closed')
    stream.setSymbols(['MSFT'])
    fake.pushTrade('AAPL', 1)
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(fake.connections).toBe(0)
    expect(timers.pending.size).toBe(0)
    expect(ticks).toEqual([])
  })
})
