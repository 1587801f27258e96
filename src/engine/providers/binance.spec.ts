import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { QuoteSchema } from '../../shared/quote'
import { startFakeBinance, type FakeBinance } from '../../../tests/fakes/binance-server'
import { createBinanceProvider, type BinanceProvider } from './binance'
import { binancePair, tickerStream } from './binance-symbols'
import { ProviderError, type ProviderDeps } from './provider'
import { createProvider } from './index'

const T0 = Date.UTC(2026, 1, 14, 16, 0, 0)

let fake: FakeBinance
let clock: number
let deps: ProviderDeps
let binance: BinanceProvider

async function setUp(options: Parameters<typeof startFakeBinance>[0] = {}): Promise<void> {
  await fake?.close()
  fake = await startFakeBinance({ now: () => clock, ...options })
  binance = createBinanceProvider({ baseUrl: fake.url, deps, timeoutMs: 2_000 })
}

beforeEach(async () => {
  clock = T0
  deps = { now: () => clock, log: vi.fn<ProviderDeps['log']>() }
  await setUp()
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

const tickerRequests = (): string[] => fake.requests.filter((r) => r.path === '/api/v3/ticker/24hr').map((r) => r.query.symbols ?? '')

describe('Binance symbols', () => {
  it('maps USD to USDT and keeps other quote currencies; streams are lower case', () => {
    expect(binancePair('BTC-USD')).toBe('BTCUSDT')
    expect(binancePair('eth/btc')).toBe('ETHBTC')
    expect(binancePair('BTC-EUR')).toBe('BTCEUR')
    expect(binancePair('AAPL')).toBeNull()
    expect(tickerStream('BTCUSDT')).toBe('btcusdt@ticker')
  })
})

describe('Binance provider: quotes', () => {
  it('prices a batch in one symbols=[…] request and normalises every field', async () => {
    const { quotes, errors } = await binance.fetchQuotes(['BTC-USD', 'ETH-BTC', 'BTC-EUR'])
    expect(errors).toEqual([])
    expect(quotes.map((q) => q.symbol)).toEqual(['BTC-USD', 'ETH-BTC', 'BTC-EUR'])
    for (const q of quotes) expect(QuoteSchema.safeParse(q).success).toBe(true)
    expect(quotes[0]).toMatchObject({
      price: 99712.5,
      open: 100950.01,
      previousClose: 100950.01,
      dayHigh: 102100,
      dayLow: 99000.1,
      volume: 21234.56,
      currency: 'USDT',
      marketState: 'regular',
      providerTime: T0,
      source: 'binance',
      delayed: false
    })
    expect(quotes[0]?.change).toBeCloseTo(99712.5 - 100950.01, 6)
    expect(quotes[0]?.changePercent).toBeCloseTo(-1.226, 3)
    expect(quotes[1]?.currency).toBe('BTC')
    expect(tickerRequests()).toEqual(['["BTCUSDT","ETHBTC","BTCEUR"]'])
  })

  it('answers two spellings of one pair from a single row', async () => {
    const { quotes } = await binance.fetchQuotes(['BTC-USD', 'BTC-USDT'])
    expect(quotes.map((q) => [q.symbol, q.price])).toEqual([
      ['BTC-USD', 99712.5],
      ['BTC-USDT', 99712.5]
    ])
    expect(tickerRequests()).toEqual(['["BTCUSDT"]'])
  })

  it('survives one unknown pair in a batch: the others are priced, the bad one is remembered', async () => {
    const { quotes, errors } = await binance.fetchQuotes(['BTC-USD', 'XYZ-USD', 'ETH-USD', 'SOL-USD', 'AAPL'])
    expect(quotes.map((q) => q.symbol)).toEqual(['BTC-USD', 'ETH-USD', 'SOL-USD'])
    expect(errors.map((e) => e.symbol)).toEqual(['AAPL', 'XYZ-USD'])
    for (const e of errors) expect(e.message.toLowerCase()).toContain('unknown symbol')
    expect(errors[1]?.message).toContain('Unknown symbol XYZ-USD')
    expect(tickerRequests()[0]).toBe('["BTCUSDT","XYZUSDT","ETHUSDT","SOLUSDT"]')
    expect(tickerRequests().length).toBeGreaterThan(1)

    fake.requests.length = 0
    const again = await binance.fetchQuotes(['BTC-USD', 'XYZ-USD'])
    expect(again.errors.map((e) => e.symbol)).toEqual(['XYZ-USD'])
    expect(tickerRequests()).toEqual(['["BTCUSDT"]'])
    clock += 11 * 60 * 1000 // trusted for ten minutes, then asked again
    fake.setTicker('XYZUSDT', { lastPrice: '2.50000000' })
    expect((await binance.fetchQuotes(['XYZ-USD'])).quotes[0]?.price).toBe(2.5)
  })

  it('reports 429 as a rate limit with Retry-After, then the 418 ban with its length', async () => {
    await setUp({ weightLimit: 4, banAfter429s: 2, banSeconds: 300 })
    await binance.fetchQuotes(['BTC-USD'])
    await binance.fetchQuotes(['BTC-USD'])
    clock += 15_000
    const limited = await failure(binance.fetchQuotes(['BTC-USD']))
    expect(limited.kind).toBe('rate-limit')
    expect(limited.message).toBe('Binance rate limit reached (request weight 6000/min); trying again in 45 s.')
    expect(limited.retryAfterMs).toBe(45_000)
    await failure(binance.fetchQuotes(['BTC-USD']))
    const banned = await failure(binance.fetchQuotes(['BTC-USD']))
    expect(banned).toMatchObject({ kind: 'rate-limit', retryAfterMs: 300_000 })
    expect(banned.message).toBe('Binance banned this IP for 5 min (HTTP 418) after too many requests over its rate limit.')
    expect(banned.message.toLowerCase()).toContain('rate limit')
    expect(fake.overQuotaCount).toBe(3)
    clock += 60_000 // a new minute does not lift a ban
    expect((await failure(binance.fetchQuotes(['BTC-USD']))).message).toContain('banned this IP for 4 min')
  })

  it('takes the ban length from the body when Retry-After is missing', async () => {
    fake.failWith(1, 418, JSON.stringify({ code: -1003, msg: `Way too much request weight used; IP banned until ${T0 + 90_000}. Please use WebSocket Streams.` }))
    expect(await failure(binance.fetchQuotes(['BTC-USD']))).toMatchObject({ retryAfterMs: 90_000, message: expect.stringContaining('for 90 s (HTTP 418)') })
  })

  it('explains the 451 geo-block and points to the other crypto providers', async () => {
    fake.geoBlock(true)
    const error = await failure(binance.fetchQuotes(['BTC-USD']))
    expect(error).toMatchObject({
      kind: 'auth',
      message: 'Binance is not available from your location (HTTP 451); choose Coinbase or CoinGecko for crypto.'
    })
    expect((await failure(binance.search('btc'))).kind).toBe('auth')
  })

  it('maps server errors, firewall blocks, web pages and broken JSON', async () => {
    fake.failWith(1, 502, '')
    expect((await failure(binance.fetchQuotes(['BTC-USD']))).kind).toBe('server')
    fake.failWith(1, 403, '<html><body>Forbidden</body></html>')
    expect(await failure(binance.fetchQuotes(['BTC-USD']))).toMatchObject({ kind: 'server', message: expect.stringContaining('firewall') })
    fake.failWith(1, 200, '<!DOCTYPE html><html></html>')
    expect((await failure(binance.fetchQuotes(['BTC-USD']))).kind).toBe('bad-payload')
    fake.failWith(1, 200, '[{"symbol":')
    expect(await failure(binance.fetchQuotes(['BTC-USD']))).toMatchObject({ kind: 'bad-payload', message: 'Binance sent malformed data.' })
    fake.failWith(1, 200, '{"symbol":"BTCUSDT"}')
    expect((await failure(binance.fetchQuotes(['BTC-USD']))).kind).toBe('bad-payload')
  })

  it('fails as network when Binance cannot be reached and recovers on the same port', async () => {
    await fake.stop()
    const error = await failure(binance.fetchQuotes(['BTC-USD']))
    expect(error.kind).toBe('network')
    expect(error.message).toMatch(/^Cannot reach Binance: /)
    await fake.start()
    expect((await binance.fetchQuotes(['BTC-USD'])).quotes).toHaveLength(1)
  })
})

describe('Binance provider: listing and search', () => {
  it('lists trading pairs with USDT pairs as BASE-USD, and searches them', async () => {
    const list = await binance.listSymbols()
    expect(list.map((h) => h.symbol)).toEqual(['BNB-USD', 'BTC-EUR', 'BTC-USD', 'ETH-BTC', 'ETH-USD', 'SOL-USD'])
    expect(list.find((h) => h.symbol === 'BTC-USD')).toEqual({ symbol: 'BTC-USD', name: 'BTC / USDT', exchange: 'Binance', type: 'CRYPTOCURRENCY' })
    expect((await binance.search('btc')).map((h) => h.symbol)).toEqual(['BTC-EUR', 'BTC-USD', 'ETH-BTC'])
    expect(fake.requests.filter((r) => r.path === '/api/v3/exchangeInfo')).toHaveLength(1)
  })
})

describe('fake Binance server', () => {
  it('charges weight by batch size and reports it in X-MBX-USED-WEIGHT-1M', async () => {
    const one = await fetch(`${fake.url}/api/v3/ticker/24hr?symbol=BTCUSDT`)
    expect(one.headers.get('x-mbx-used-weight-1m')).toBe('2')
    const many = Array.from({ length: 21 }, (_, i) => `P${i}USDT`)
    for (const p of many) fake.setTicker(p)
    await fetch(`${fake.url}/api/v3/ticker/24hr?symbols=${encodeURIComponent(JSON.stringify(many))}`)
    expect(fake.usedWeight).toBe(42)
    await fetch(`${fake.url}/api/v3/ticker/24hr`)
    expect(fake.usedWeight).toBe(122)
    clock += 60_000
    expect(fake.usedWeight).toBe(0)
  })

  it('refuses malformed symbols lists and unknown pairs like Binance', async () => {
    const illegal = await fetch(`${fake.url}/api/v3/ticker/24hr?symbols=${encodeURIComponent('["btcusdt"]')}`)
    expect(illegal.status).toBe(400)
    expect(((await illegal.json()) as { code: number }).code).toBe(-1100)
    const unknown = await fetch(`${fake.url}/api/v3/ticker/24hr?symbols=${encodeURIComponent('["BTCUSDT","NOPE"]')}`)
    expect(unknown.status).toBe(400)
    expect(await unknown.json()).toEqual({ code: -1121, msg: 'Invalid symbol.' })
  })
})

describe('createProvider: binance', () => {
  it('sends every request to TICKERDESK_BINANCE_URL', async () => {
    const provider = createProvider('binance', deps, { TICKERDESK_BINANCE_URL: fake.url })
    expect(provider.limits.maxBatch).toBe(100)
    expect((await provider.fetchQuotes(['ETH-USD'])).quotes[0]?.price).toBe(3920.11)
    expect(tickerRequests()).toEqual(['["ETHUSDT"]'])
  })
})
