import WebSocket from 'ws'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startFakeCoinbase, type FakeCoinbase } from '../../../tests/fakes/coinbase-server'
import { coinbaseWsUrl, createCoinbaseStream } from './coinbase-stream'
import type { ProviderDeps } from './provider'
import type { QuoteStream, StreamState, StreamTick } from './quote-stream'

let fake: FakeCoinbase
let stream: QuoteStream
let ticks: StreamTick[]
let states: [StreamState, string | null][]
let symbolErrors: [string, string][]
const deps: ProviderDeps = { now: () => Date.now(), log: () => undefined }

function open(watchdogMs = 5_000): void {
  stream = createCoinbaseStream({ url: fake.wsUrl, deps, watchdogMs, random: () => 0, backoff: { initialMs: 40, maxMs: 200 } })
  stream.onTick((batch) => ticks.push(...batch))
  stream.onState((state, detail) => states.push([state, detail]))
  stream.onSymbolError((symbol, message) => symbolErrors.push([symbol, message]))
}

const subscribes = (): unknown[] => fake.wsMessages.filter((m) => (m as { type?: string }).type === 'subscribe')
const lastState = (): StreamState | undefined => states.at(-1)?.[0]

beforeEach(async () => {
  ticks = []
  states = []
  symbolErrors = []
  fake = await startFakeCoinbase({ unlimited: true })
})

afterEach(async () => {
  stream?.close()
  await fake.close()
})

describe('Coinbase stream', () => {
  it('derives its address from the overrides', () => {
    expect(coinbaseWsUrl('ws://127.0.0.1:9/feed', 'http://x')).toBe('ws://127.0.0.1:9/feed')
    expect(coinbaseWsUrl(undefined, 'http://127.0.0.1:5000/api')).toBe('ws://127.0.0.1:5000/')
    expect(coinbaseWsUrl(undefined, undefined)).toBe('wss://ws-feed.exchange.coinbase.com')
  })

  it('subscribes to ticker and heartbeat as soon as it opens and turns tickers into ticks', async () => {
    open()
    stream.setSymbols(['BTC-USD', 'eth/usd'])
    await vi.waitFor(() => expect(fake.subscriptions()).toEqual([['BTC-USD', 'ETH-USD']]))
    expect(fake.wsMessages[0]).toEqual({ type: 'subscribe', product_ids: ['BTC-USD', 'ETH-USD'], channels: ['ticker', 'heartbeat'] })
    expect(lastState()).toBe('open')

    fake.pushTicker('ETH-USD', { price: '3950.50', open: '3900.00', time: '2024-12-07T18:00:00.542551Z' })
    await vi.waitFor(() => expect(ticks).toHaveLength(1))
    expect(ticks[0]).toMatchObject({
      symbol: 'eth/usd',
      price: 3950.5,
      time: Date.parse('2024-12-07T18:00:00.542Z'),
      open: 3900,
      dayHigh: 3999,
      dayLow: 3801.22,
      volume: 152341.11
    })
    expect(ticks[0]?.change).toBeCloseTo(50.5, 6)
    expect(ticks[0]?.changePercent).toBeCloseTo((50.5 / 3900) * 100, 6)
  })

  it('sends only the differences when the wanted symbols change, and disconnects when none are left', async () => {
    open()
    stream.setSymbols(['BTC-USD'])
    await vi.waitFor(() => expect(fake.subscriptions()).toEqual([['BTC-USD']]))
    stream.setSymbols(['ETH-USD'])
    await vi.waitFor(() => expect(fake.subscriptions()).toEqual([['ETH-USD']]))
    expect(fake.wsMessages.slice(1)).toEqual([
      { type: 'unsubscribe', product_ids: ['BTC-USD'], channels: ['ticker', 'heartbeat'] },
      { type: 'subscribe', product_ids: ['ETH-USD'], channels: ['ticker', 'heartbeat'] }
    ])
    stream.setSymbols([])
    await vi.waitFor(() => expect(fake.wsClientCount).toBe(0))
    expect(states.at(-1)).toEqual(['down', null])
  })

  it('reports a product Coinbase refuses as an unknown symbol and keeps the others streaming', async () => {
    open()
    stream.setSymbols(['BTC-USD', 'NOPE-USD', 'AAPL'])
    await vi.waitFor(() => expect(fake.subscriptions()).toEqual([['BTC-USD']]))
    expect(symbolErrors.map(([s]) => s).sort()).toEqual(['AAPL', 'NOPE-USD'])
    for (const [, message] of symbolErrors) expect(message.toLowerCase()).toContain('unknown symbol')
    fake.pushTicker('BTC-USD', { price: '100000.00' })
    await vi.waitFor(() => expect(ticks.map((t) => t.price)).toEqual([100000]))
    stream.setSymbols(['BTC-USD', 'NOPE-USD', 'AAPL'])
    expect(symbolErrors).toHaveLength(2) // told once
  })

  it('reconnects with backoff after a drop and subscribes everything again', async () => {
    open()
    stream.setSymbols(['BTC-USD', 'SOL-USD'])
    await vi.waitFor(() => expect(fake.subscriptions()).toEqual([['BTC-USD', 'SOL-USD']]))
    fake.dropClients()
    await vi.waitFor(() => expect(states.some(([s, d]) => s === 'down' && /^Coinbase stream closed \(code \d+\); reconnecting in 1 s\.$/.test(d ?? ''))).toBe(true))
    await vi.waitFor(() => expect(fake.subscriptions()).toEqual([['BTC-USD', 'SOL-USD']]))
    expect(subscribes()).toHaveLength(2)
    expect(lastState()).toBe('open')
    fake.pushTicker('SOL-USD', { price: '250.00' })
    await vi.waitFor(() => expect(ticks.map((t) => t.symbol)).toEqual(['SOL-USD']))
  })

  it('comes back after the server was down for a while, on the same port', async () => {
    open()
    stream.setSymbols(['BTC-USD'])
    await vi.waitFor(() => expect(fake.subscriptions()).toHaveLength(1))
    await fake.stop()
    await vi.waitFor(() => expect(states.filter(([s]) => s === 'down').length).toBeGreaterThanOrEqual(2))
    await fake.start()
    await vi.waitFor(() => expect(fake.subscriptions()).toEqual([['BTC-USD']]))
    expect(lastState()).toBe('open')
  })

  it('treats heartbeats as liveness and drops a silent line through its watchdog', async () => {
    open(300)
    stream.setSymbols(['BTC-USD'])
    await vi.waitFor(() => expect(fake.subscriptions()).toHaveLength(1))
    for (let i = 0; i < 8; i++) {
      fake.heartbeat('BTC-USD')
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(subscribes()).toHaveLength(1) // 800 ms of heartbeats kept the 300 ms watchdog quiet
    await vi.waitFor(() => expect(states.some(([, d]) => /went silent/.test(d ?? ''))).toBe(true))
    await vi.waitFor(() => expect(subscribes()).toHaveLength(2))
  })

  it('stops for good on close()', async () => {
    open()
    stream.setSymbols(['BTC-USD'])
    await vi.waitFor(() => expect(fake.wsClientCount).toBe(1))
    stream.close()
    await vi.waitFor(() => expect(fake.wsClientCount).toBe(0))
    stream.setSymbols(['ETH-USD'])
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(fake.wsClientCount).toBe(0)
  })
})

describe('fake Coinbase feed', () => {
  it('cuts a client that does not subscribe in time', async () => {
    await fake.close()
    fake = await startFakeCoinbase({ subscribeTimeoutMs: 100 })
    const ws = new WebSocket(fake.wsUrl)
    const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)))
    expect(code).toBe(1000)
  })

  it('acknowledges with the subscriptions message and refuses unknown products', async () => {
    const ws = new WebSocket(fake.wsUrl)
    const replies: unknown[] = []
    ws.on('message', (data) => replies.push(JSON.parse(String(data))))
    await new Promise((resolve) => ws.on('open', resolve))
    ws.send(JSON.stringify({ type: 'subscribe', channels: [{ name: 'ticker', product_ids: ['ETH-USD'] }] }))
    ws.send(JSON.stringify({ type: 'subscribe', product_ids: ['ETH-USD', 'FOO-USD'], channels: ['heartbeat'] }))
    await vi.waitFor(() => expect(replies).toHaveLength(2))
    expect(replies[0]).toEqual({ type: 'subscriptions', channels: [{ name: 'ticker', product_ids: ['ETH-USD'] }] })
    expect(replies[1]).toEqual({ type: 'error', message: 'Failed to subscribe', reason: 'FOO-USD is not a valid product' })
    ws.close()
  })
})
