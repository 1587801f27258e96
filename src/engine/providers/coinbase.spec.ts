import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { QuoteSchema } from '../../shared/quote'
import { startFakeCoinbase, type FakeCoinbase } from '../../../tests/fakes/coinbase-server'
import { COINBASE_USER_AGENT, coinbaseProductId, createCoinbaseProvider, type CoinbaseProvider } from './coinbase'
import { ProviderError, type ProviderDeps } from './provider'
import { createProvider } from './index'

const T0 = Date.UTC(2026, 1, 14, 16, 0, 0)

let fake: FakeCoinbase
let clock: number
let deps: ProviderDeps
let coinbase: CoinbaseProvider

beforeEach(async () => {
  clock = T0
  deps = { now: () => clock, log: vi.fn<ProviderDeps['log']>() }
  fake = await startFakeCoinbase({ now: () => clock })
  coinbase = createCoinbaseProvider({ baseUrl: fake.url, deps, timeoutMs: 2_000 })
})

afterEach(async () => {
  await fake.close()
})

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(ProviderError)
  return error as ProviderError
}

describe('Coinbase provider: quotes', () => {
  it('prices a product from its ticker and 24 h stats, with change against the 24 h open', async () => {
    fake.setProduct('BTC-USD', { time: '2024-12-07T18:00:00.542551Z' })
    const { quotes, errors } = await coinbase.fetchQuotes(['BTC-USD'])
    expect(errors).toEqual([])
    expect(quotes).toHaveLength(1)
    const btc = quotes[0]
    expect(QuoteSchema.safeParse(btc).success).toBe(true)
    expect(btc).toMatchObject({
      symbol: 'BTC-USD',
      price: 99728.83,
      open: 100966.53,
      dayHigh: 102104.12,
      dayLow: 99012.73,
      volume: 9756.916611,
      previousClose: null,
      currency: 'USD',
      marketState: 'regular',
      providerTime: Date.parse('2024-12-07T18:00:00.542Z'),
      receivedAt: T0,
      source: 'coinbase',
      delayed: false
    })
    expect(btc?.change).toBeCloseTo(99728.83 - 100966.53, 6)
    expect(btc?.changePercent).toBeCloseTo(((99728.83 - 100966.53) / 100966.53) * 100, 6)
    expect(fake.requests.map((r) => r.path).sort()).toEqual(['/products/BTC-USD/stats', '/products/BTC-USD/ticker'])
    expect(fake.requests.every((r) => r.userAgent === COINBASE_USER_AGENT)).toBe(true)
  })

  it('accepts BTC/USD and lower case, reporting the row under the symbol asked for', async () => {
    expect(coinbaseProductId('btc/usd')).toBe('BTC-USD')
    const { quotes } = await coinbase.fetchQuotes(['eth/usd'])
    expect(quotes[0]).toMatchObject({ symbol: 'eth/usd', price: 3921.45 })
    expect(fake.requests[0]?.path).toMatch(/^\/products\/ETH-USD\//)
  })

  it('reports an unknown product per symbol and still prices the others', async () => {
    const { quotes, errors } = await coinbase.fetchQuotes(['BTC-USD', 'XYZ-USD', 'AAPL', 'ETH-BTC'])
    expect(quotes.map((q) => q.symbol)).toEqual(['BTC-USD', 'ETH-BTC'])
    expect(errors.map((e) => e.symbol)).toEqual(['XYZ-USD', 'AAPL'])
    for (const e of errors) expect(e.message.toLowerCase()).toContain('unknown symbol')
    expect(errors[0]?.message).toContain('Unknown symbol XYZ-USD')
    // AAPL is not a pair: nothing was asked of Coinbase for it
    expect(fake.requests.some((r) => r.path.includes('AAPL'))).toBe(false)
  })

  it('turns 429 "Public rate limit exceeded" into a rate-limit error with a wait', async () => {
    fake.exhaust()
    const error = await failure(coinbase.fetchQuotes(['BTC-USD']))
    expect(error.kind).toBe('rate-limit')
    expect(error.message.toLowerCase()).toContain('rate limit')
    expect(error.message).toContain('Coinbase')
    expect(error.retryAfterMs).toBe(1000)
    expect(fake.overQuotaCount).toBe(2)
  })

  it('reads Retry-After when a 429 carries one', async () => {
    fake.failWith(2, 429, '{"message":"Public rate limit exceeded"}', { 'Retry-After': '3' })
    const error = await failure(coinbase.fetchQuotes(['BTC-USD']))
    expect(error).toMatchObject({ kind: 'rate-limit', retryAfterMs: 3000 })
  })

  it('maps server errors, web pages and broken JSON to plain-words kinds', async () => {
    fake.failWith(2, 503, '{"message":"service unavailable"}')
    expect(await failure(coinbase.fetchQuotes(['BTC-USD']))).toMatchObject({ kind: 'server', message: 'Coinbase had a server problem (HTTP 503: service unavailable).' })
    fake.failWith(2, 200, '<!DOCTYPE html><html><body>Just a moment…</body></html>')
    expect(await failure(coinbase.fetchQuotes(['BTC-USD']))).toMatchObject({ kind: 'bad-payload', message: 'Coinbase sent a web page instead of market data.' })
    fake.failWith(1, 200, '{"price":')
    expect(await failure(coinbase.fetchQuotes(['BTC-USD']))).toMatchObject({ kind: 'bad-payload', message: 'Coinbase sent malformed data.' })
    fake.failWith(1, 200, '{"price":12}')
    expect((await failure(coinbase.fetchQuotes(['BTC-USD']))).kind).toBe('bad-payload')
  })

  it('fails the call as network when Coinbase cannot be reached, and recovers when it is back', async () => {
    await fake.stop()
    const error = await failure(coinbase.fetchQuotes(['BTC-USD']))
    expect(error.kind).toBe('network')
    expect(error.message).toMatch(/^Cannot reach Coinbase: /)
    await fake.start()
    expect((await coinbase.fetchQuotes(['BTC-USD'])).quotes).toHaveLength(1)
  })

  it('gives up on a request that never answers as a network timeout', async () => {
    const quick = createCoinbaseProvider({ baseUrl: fake.url, deps, timeoutMs: 200 })
    fake.hang(2)
    expect((await failure(quick.fetchQuotes(['BTC-USD']))).kind).toBe('network')
  })
})

describe('Coinbase provider: listing and search', () => {
  it('lists online products once an hour and searches them', async () => {
    const list = await coinbase.listSymbols()
    expect(list.map((h) => h.symbol)).toEqual(['BTC-USD', 'DOGE-USD', 'ETH-BTC', 'ETH-USD', 'SOL-USD'])
    expect(list[0]).toEqual({ symbol: 'BTC-USD', name: 'BTC / USD', exchange: 'Coinbase', type: 'CRYPTOCURRENCY' })
    expect((await coinbase.search('eth')).map((h) => h.symbol)).toEqual(['ETH-BTC', 'ETH-USD'])
    expect((await coinbase.search('ETH-USD')).map((h) => h.symbol)[0]).toBe('ETH-USD')
    expect(await coinbase.search('  ')).toEqual([])
    expect(fake.requests.filter((r) => r.path === '/products')).toHaveLength(1)
    clock += 61 * 60 * 1000
    await coinbase.search('sol')
    expect(fake.requests.filter((r) => r.path === '/products')).toHaveLength(2)
  })
})

describe('fake Coinbase server', () => {
  it('refuses requests without a User-Agent, like Coinbase', async () => {
    const reply = await fetch(`${fake.url}/products/BTC-USD/ticker`, { headers: { 'User-Agent': '' } })
    expect(reply.status).toBe(400)
    expect(await reply.json()).toEqual({ message: 'User-Agent header is required.' })
  })

  it('enforces 10 requests/s with bursts of 15 and counts what went over', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 17; i++) statuses.push((await fetch(`${fake.url}/products/BTC-USD/ticker`)).status)
    expect(statuses.filter((s) => s === 200)).toHaveLength(15)
    const limited = await fetch(`${fake.url}/products/BTC-USD/ticker`)
    expect(limited.status).toBe(429)
    expect(await limited.json()).toEqual({ message: 'Public rate limit exceeded' })
    expect(fake.overQuotaCount).toBe(3)
    clock += 200 // two tokens back
    expect((await fetch(`${fake.url}/products/BTC-USD/ticker`)).status).toBe(200)
    expect((await fetch(`${fake.url}/products/BTC-USD/ticker`)).status).toBe(200)
    expect((await fetch(`${fake.url}/products/BTC-USD/ticker`)).status).toBe(429)
  })

  it('answers 404 NotFound for unknown products and numbers as strings for known ones', async () => {
    const missing = await fetch(`${fake.url}/products/NOPE-USD/ticker`)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({ message: 'NotFound' })
    const ticker = (await (await fetch(`${fake.url}/products/BTC-USD/ticker`)).json()) as Record<string, unknown>
    expect(typeof ticker.price).toBe('string')
    expect(ticker.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)
  })
})

describe('createProvider: coinbase', () => {
  it('sends every request to TICKERDESK_COINBASE_URL', async () => {
    const provider = createProvider('coinbase', deps, { TICKERDESK_COINBASE_URL: fake.url })
    expect(provider.limits).toEqual({ maxBatch: 1, minTimeMs: 250, maxConcurrent: 3 })
    expect((await provider.fetchQuotes(['SOL-USD'])).quotes[0]?.price).toBe(231.07)
    expect(fake.requests).toHaveLength(2)
  })
})
