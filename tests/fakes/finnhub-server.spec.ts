import WebSocket from 'ws'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FAKE_FINNHUB_KEY, FINNHUB_BODIES, startFakeFinnhub, until, type FakeFinnhub } from './finnhub-server'

const T0 = Date.UTC(2026, 1, 17, 15, 0, 0)
let fake: FakeFinnhub
let clock: number

beforeEach(async () => {
  clock = T0
  fake = await startFakeFinnhub({ now: () => clock, pingIntervalMs: 0 })
})

afterEach(async () => {
  await fake.close()
})

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${fake.url}${path}`, { headers })
const withKey = (path: string) => get(`${path}${path.includes('?') ? '&' : '?'}token=${FAKE_FINNHUB_KEY}`)

function connect(key = FAKE_FINNHUB_KEY): Promise<{ ws: WebSocket; messages: unknown[] }> {
  const ws = new WebSocket(`${fake.wsUrl}?token=${key}`)
  const messages: unknown[] = []
  ws.on('message', (data) => messages.push(JSON.parse(data.toString())))
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, messages }))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

describe('fake Finnhub server: REST', () => {
  it('refuses calls without a known key with 401 "Please use an API key."', async () => {
    const none = await get('/quote?symbol=AAPL')
    expect(none.status).toBe(401)
    expect(await none.text()).toBe(FINNHUB_BODIES.noKey)
    expect((await get('/quote?symbol=AAPL', { 'X-Finnhub-Token': 'nope' })).status).toBe(401)
    expect((await get('/quote?symbol=AAPL', { 'X-Finnhub-Token': FAKE_FINNHUB_KEY })).status).toBe(200)
  })

  it('answers /quote in Finnhub units and all zeros for unknown symbols', async () => {
    const aapl = (await (await withKey('/quote?symbol=AAPL')).json()) as Record<string, number>
    expect(Object.keys(aapl).sort()).toEqual(['c', 'd', 'dp', 'h', 'l', 'o', 'pc', 't'])
    expect(aapl.t).toBe(Math.floor(T0 / 1000))
    expect(await (await withKey('/quote?symbol=NOPE')).json()).toEqual({ c: 0, d: null, dp: null, h: 0, l: 0, o: 0, pc: 0, t: 0 })
  })

  it('reports market cap in millions and {} for unknown profiles', async () => {
    expect(await (await withKey('/stock/profile2?symbol=AAPL')).json()).toMatchObject({ marketCapitalization: 3_882_000, name: 'Apple Inc' })
    expect(await (await withKey('/stock/profile2?symbol=NOPE')).json()).toEqual({})
  })

  it('keeps premium data behind 403', async () => {
    const candle = await withKey('/stock/candle?symbol=AAPL&resolution=D&from=1&to=2')
    expect(candle.status).toBe(403)
    expect(await candle.text()).toBe(FINNHUB_BODIES.noAccess)
  })

  it('enforces 60 calls a minute and 30 a second per key, counting the refusals', async () => {
    for (let i = 0; i < 30; i++) expect((await withKey('/quote?symbol=AAPL')).status).toBe(200)
    const burst = await withKey('/quote?symbol=AAPL')
    expect(burst.status).toBe(429)
    expect(await burst.text()).toBe(FINNHUB_BODIES.limit)
    clock += 1_000
    for (let i = 0; i < 30; i++) expect((await withKey('/quote?symbol=AAPL')).status).toBe(200)
    clock += 1_000
    const minute = await withKey('/quote?symbol=AAPL')
    expect(minute.status).toBe(429)
    expect(minute.headers.get('x-ratelimit-reset')).toBe(String(Math.ceil((T0 + 60_000) / 1000)))
    expect(fake.overQuota).toBe(2)
    clock = T0 + 60_001
    expect((await withKey('/quote?symbol=AAPL')).status).toBe(200)
  })
})

describe('fake Finnhub server: websocket', () => {
  it('refuses a bad key and a second connection for the same key', async () => {
    await expect(connect('nope')).rejects.toThrow('HTTP 401')
    const { ws } = await connect()
    await expect(connect()).rejects.toThrow('HTTP 429')
    expect(fake.rejectedConnections).toBe(2)
    ws.close()
    await until(() => fake.connections === 0)
    const again = await connect()
    again.ws.close()
  })

  it('pushes trades only to subscribers and names invalid symbols', async () => {
    const { ws, messages } = await connect()
    ws.send(JSON.stringify({ type: 'subscribe', symbol: 'AAPL' }))
    ws.send(JSON.stringify({ type: 'subscribe', symbol: 'FX:EURUSD' }))
    await until(() => messages.length === 1 && fake.subscriptions().length === 1)
    expect(messages[0]).toEqual({ type: 'error', msg: 'Invalid symbol FX:EURUSD' })
    expect(fake.pushTrade('MSFT', 400)).toBe(0)
    expect(fake.pushTrade('AAPL', 262, { time: 1771340400123, volume: 0 })).toBe(1)
    fake.ping()
    await until(() => messages.length === 3)
    expect(messages.slice(1)).toEqual([
      { type: 'trade', data: [{ c: ['1', '12'], p: 262, s: 'AAPL', t: 1771340400123, v: 0 }] },
      { type: 'ping' }
    ])
    ws.send(JSON.stringify({ type: 'unsubscribe', symbol: 'AAPL' }))
    await until(() => fake.subscriptions().length === 0)
    ws.close()
  })

  it('caps a connection at 50 symbols', async () => {
    await fake.close()
    fake = await startFakeFinnhub({ pingIntervalMs: 0, maxStreamSymbols: 1 })
    const { ws, messages } = await connect()
    ws.send(JSON.stringify({ type: 'subscribe', symbol: 'AAPL' }))
    ws.send(JSON.stringify({ type: 'subscribe', symbol: 'MSFT' }))
    await until(() => messages.length === 1)
    expect(fake.overSymbolLimit).toBe(1)
    expect(fake.subscriptions()).toEqual(['AAPL'])
    ws.close()
  })

  it('drops clients and comes back on the same port after stop/start', async () => {
    const { ws } = await connect()
    const closed = new Promise((resolve) => ws.once('close', resolve))
    fake.dropClients()
    await closed
    const port = fake.port
    await fake.stop()
    await expect(connect()).rejects.toThrow()
    await fake.start()
    expect(fake.port).toBe(port)
    const again = await connect()
    again.ws.close()
  })
})
