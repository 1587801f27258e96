import WebSocket from 'ws'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startFakeBinance, type FakeBinance } from '../../../tests/fakes/binance-server'
import { binanceWsBase, createBinanceStream } from './binance-stream'
import type { ProviderDeps } from './provider'
import type { QuoteStream, StreamState, StreamTick } from './quote-stream'

let fake: FakeBinance
let stream: QuoteStream
let ticks: StreamTick[]
let states: [StreamState, string | null][]
let symbolErrors: [string, string][]
const deps: ProviderDeps = { now: () => Date.now(), log: () => undefined }

function open(options: { watchdogMs?: number; maxAgeMs?: number } = {}): void {
  stream = createBinanceStream({ url: fake.wsUrl, deps, random: () => 0, backoff: { initialMs: 40, maxMs: 200 }, ...options })
  stream.onTick((batch) => ticks.push(...batch))
  stream.onState((state, detail) => states.push([state, detail]))
  stream.onSymbolError((symbol, message) => symbolErrors.push([symbol, message]))
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

beforeEach(async () => {
  ticks = []
  states = []
  symbolErrors = []
  fake = await startFakeBinance()
})

afterEach(async () => {
  stream?.close()
  await fake.close()
})

describe('Binance stream', () => {
  it('derives its base from the overrides', () => {
    expect(binanceWsBase('ws://127.0.0.1:9/', undefined)).toBe('ws://127.0.0.1:9')
    expect(binanceWsBase(undefined, 'http://127.0.0.1:5000/api')).toBe('ws://127.0.0.1:5000')
    expect(binanceWsBase(undefined, undefined)).toBe('wss://stream.binance.com:9443')
  })

  it('opens one combined stream with lower-case names and unwraps 24hrTicker events', async () => {
    open()
    stream.setSymbols(['BTC-USD', 'ETH-BTC', 'BTC-USDT'])
    await vi.waitFor(() => expect(fake.subscriptions()).toEqual([['btcusdt@ticker', 'ethbtc@ticker']]))
    expect(fake.wsConnections).toEqual(['/stream?streams=btcusdt@ticker/ethbtc@ticker'])
    expect(states.at(-1)).toEqual(['open', null])

    fake.pushTicker('BTCUSDT', { lastPrice: '101000.50000000', openPrice: '100000.00000000' })
    await vi.waitFor(() => expect(ticks).toHaveLength(2))
    expect(ticks.map((t) => t.symbol)).toEqual(['BTC-USD', 'BTC-USDT'])
    expect(ticks[0]).toMatchObject({ price: 101000.5, open: 100000, previousClose: 100000, dayHigh: 102100, dayLow: 99000.1, volume: 21234.56, changePercent: 1 })
    expect(ticks[0]?.change).toBeCloseTo(1000.5, 6)
    expect(Math.abs((ticks[0]?.time ?? 0) - Date.now())).toBeLessThan(60_000)
  })

  it('sends only the differences as live SUBSCRIBE / UNSUBSCRIBE on the same connection', async () => {
    open()
    stream.setSymbols(['BTC-USD'])
    await vi.waitFor(() => expect(fake.subscriptions()).toEqual([['btcusdt@ticker']]))
    stream.setSymbols(['ETH-USD', 'SOL-USD'])
    await vi.waitFor(() => expect(fake.subscriptions()).toEqual([['ethusdt@ticker', 'solusdt@ticker']]))
    expect(fake.wsMessages).toEqual([
      { method: 'UNSUBSCRIBE', params: ['btcusdt@ticker'], id: 1 },
      { method: 'SUBSCRIBE', params: ['ethusdt@ticker', 'solusdt@ticker'], id: 2 }
    ])
    // rapid changes are coalesced and spaced under the 5 messages/s cap
    for (const s of ['BNB-USD', 'ETH-BTC', 'BTC-EUR', 'BTC-USD', 'ETH-USD']) stream.setSymbols([s])
    await vi.waitFor(() => expect(fake.subscriptions()).toEqual([['ethusdt@ticker']]))
    expect(fake.wsConnections).toHaveLength(1)
  })

  it('answers ping frames with the same payload and counts them as liveness', async () => {
    open({ watchdogMs: 300 })
    stream.setSymbols(['BTC-USD'])
    await vi.waitFor(() => expect(fake.wsClientCount).toBe(1))
    for (let i = 0; i < 8; i++) {
      fake.ping(`p${i}`)
      await sleep(100)
    }
    expect(fake.pongs).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'])
    expect(fake.wsConnections).toHaveLength(1)
    await vi.waitFor(() => expect(states.some(([, d]) => /went silent/.test(d ?? ''))).toBe(true))
    await vi.waitFor(() => expect(fake.wsConnections).toHaveLength(2))
  })

  it('renews the connection at once on serverShutdown, keeping every stream', async () => {
    open()
    stream.setSymbols(['BTC-USD'])
    await vi.waitFor(() => expect(fake.wsClientCount).toBe(1))
    stream.setSymbols(['BTC-USD', 'ETH-USD'])
    await vi.waitFor(() => expect(fake.subscriptions()).toEqual([['btcusdt@ticker', 'ethusdt@ticker']]))
    fake.serverShutdown()
    await vi.waitFor(() => expect(fake.wsConnections).toHaveLength(2))
    expect(fake.wsConnections[1]).toBe('/stream?streams=btcusdt@ticker/ethusdt@ticker')
    await vi.waitFor(() => expect(fake.wsClientCount).toBe(1))
    expect(states.some(([s]) => s === 'down')).toBe(false)
  })

  it('renews before the 24 h connection limit', async () => {
    open({ maxAgeMs: 200 })
    stream.setSymbols(['SOL-USD'])
    await vi.waitFor(() => expect(fake.wsConnections.length).toBeGreaterThanOrEqual(3))
    expect(states.some(([s]) => s === 'down')).toBe(false)
  })

  it('reconnects with backoff after a drop and resubscribes from the URL', async () => {
    open()
    stream.setSymbols(['BTC-USD', 'BNB-USD'])
    await vi.waitFor(() => expect(fake.wsClientCount).toBe(1))
    fake.dropClients()
    await vi.waitFor(() => expect(states.some(([s, d]) => s === 'down' && /reconnecting in 1 s\.$/.test(d ?? ''))).toBe(true))
    await vi.waitFor(() => expect(fake.subscriptions()).toEqual([['btcusdt@ticker', 'bnbusdt@ticker']]))
    expect(fake.wsConnections).toEqual(['/stream?streams=btcusdt@ticker/bnbusdt@ticker', '/stream?streams=btcusdt@ticker/bnbusdt@ticker'])
    fake.pushTicker('BNBUSDT', { lastPrice: '720.00000000' })
    await vi.waitFor(() => expect(ticks.map((t) => [t.symbol, t.price])).toEqual([['BNB-USD', 720]]))
  })

  it('reports symbols that are not pairs, and disconnects when nothing is left to stream', async () => {
    open()
    stream.setSymbols(['AAPL', 'BTC-USD'])
    await vi.waitFor(() => expect(fake.wsClientCount).toBe(1))
    expect(symbolErrors).toHaveLength(1)
    expect(symbolErrors[0]?.[1].toLowerCase()).toContain('unknown symbol')
    stream.setSymbols(['AAPL'])
    await vi.waitFor(() => expect(fake.wsClientCount).toBe(0))
    expect(symbolErrors).toHaveLength(1)
    expect(states.at(-1)).toEqual(['down', null])
  })
})

describe('fake Binance streams', () => {
  it('wraps combined events, sends raw ones bare and cuts a client over 5 messages/s', async () => {
    const raw = new WebSocket(`${fake.wsUrl}/ws/ethusdt@ticker`)
    const got: unknown[] = []
    raw.on('message', (data) => got.push(JSON.parse(String(data))))
    await new Promise((resolve) => raw.on('open', resolve))
    fake.pushTicker('ETHUSDT')
    await vi.waitFor(() => expect(got).toHaveLength(1))
    expect(got[0]).toMatchObject({ e: '24hrTicker', s: 'ETHUSDT' })

    const closed = new Promise<number>((resolve) => raw.on('close', (code) => resolve(code)))
    for (let i = 1; i <= 6; i++) raw.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: i }))
    expect(await closed).toBe(1008)
  })
})
