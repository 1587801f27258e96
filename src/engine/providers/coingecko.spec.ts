import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { QuoteSchema } from '../../shared/quote'
import { startFakeCoinGecko, COINGECKO_RATE_LIMIT_BODY, type FakeCoinGecko } from '../../../tests/fakes/coingecko-server'
import { createCoinGeckoProvider, type CoinGeckoProvider } from './coingecko'
import { ProviderError, type ProviderDeps } from './provider'
import { createProvider } from './index'

const T0 = Date.UTC(2026, 1, 14, 16, 0, 0)

let fake: FakeCoinGecko
let clock: number
let deps: ProviderDeps
let gecko: CoinGeckoProvider

async function setUp(options: Parameters<typeof startFakeCoinGecko>[0] = {}, apiKey?: string): Promise<void> {
  await fake?.close()
  fake = await startFakeCoinGecko({ now: () => clock, ...options })
  gecko = createCoinGeckoProvider({ baseUrl: fake.url, apiKey, deps, timeoutMs: 2_000 })
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

const paths = (): string[] => fake.requests.map((r) => r.path)

describe('CoinGecko provider: quotes', () => {
  it('prices known coins in one /simple/price call with every include flag', async () => {
    fake.setCoin('bitcoin', { lastUpdatedAt: 1711356300 })
    const { quotes, errors } = await gecko.fetchQuotes(['BTC-USD', 'ETH-EUR', 'sol/btc'])
    expect(errors).toEqual([])
    for (const q of quotes) expect(QuoteSchema.safeParse(q).success).toBe(true)
    expect(quotes.map((q) => [q.symbol, q.price, q.currency])).toEqual([
      ['BTC-USD', 67187.33, 'USD'],
      ['ETH-EUR', 3610.2, 'EUR'],
      ['sol/btc', 0.00344, 'BTC']
    ])
    const btc = quotes[0]
    expect(btc).toMatchObject({
      name: 'Bitcoin',
      changePercent: 3.637,
      marketCap: 1317802988326.2,
      volume: 31260929299.5,
      open: null,
      previousClose: null,
      providerTime: 1711356300 * 1000,
      receivedAt: T0,
      source: 'coingecko',
      marketState: 'regular'
    })
    expect(btc?.change).toBeCloseTo(67187.33 - 67187.33 / 1.03637, 6)
    expect(paths()).toEqual(['/simple/price'])
    expect(fake.requests[0]?.query).toEqual({
      ids: 'bitcoin,ethereum,solana',
      vs_currencies: 'usd,eur,btc',
      include_market_cap: 'true',
      include_24hr_vol: 'true',
      include_24hr_change: 'true',
      include_last_updated_at: 'true'
    })
    expect(fake.requests[0]?.key).toBeUndefined()
  })

  it('looks up tickers outside the built-in map once, choosing the best market-cap rank', async () => {
    const first = await gecko.fetchQuotes(['KAS-USD'])
    expect(first.quotes[0]).toMatchObject({ symbol: 'KAS-USD', name: 'Kaspa', price: 0.1512 })
    expect(paths()).toEqual(['/search', '/simple/price'])
    expect(fake.requests[0]?.query.query).toBe('KAS')
    await gecko.fetchQuotes(['KAS-USD'])
    expect(paths()).toEqual(['/search', '/simple/price', '/simple/price'])
  })

  it('reports unknown tickers, ids missing from the reply and unpriced currencies per symbol', async () => {
    fake.removeCoin('dogecoin')
    const { quotes, errors } = await gecko.fetchQuotes(['BTC-USD', 'ZZZQ-USD', 'DOGE-USD', 'KAS-BTC', 'AAPL'])
    expect(quotes.map((q) => q.symbol)).toEqual(['BTC-USD'])
    expect(errors.map((e) => e.symbol)).toEqual(['ZZZQ-USD', 'AAPL', 'DOGE-USD', 'KAS-BTC'])
    for (const e of errors) expect(e.message.toLowerCase()).toContain('unknown symbol')
    expect(errors[0]?.message).toContain('Unknown symbol ZZZQ-USD')
    expect(errors[3]?.message).toBe('Unknown symbol KAS-BTC: CoinGecko has no Kaspa price in BTC.')
    // the failed lookup is not repeated within the hour
    const searches = paths().filter((p) => p === '/search').length
    await gecko.fetchQuotes(['ZZZQ-USD'])
    expect(paths().filter((p) => p === '/search').length).toBe(searches)
  })

  it('turns the 429 body into a rate-limit error, and the same body on HTTP 200 too', async () => {
    await setUp({ perMinute: 2 })
    await gecko.fetchQuotes(['BTC-USD'])
    await gecko.fetchQuotes(['BTC-USD'])
    const limited = await failure(gecko.fetchQuotes(['BTC-USD']))
    expect(limited).toMatchObject({ kind: 'rate-limit', retryAfterMs: 60_000 })
    expect(limited.message).toBe('CoinGecko rate limit reached (about 30 calls/min without a key); trying again in 60 s.')
    expect(fake.overQuotaCount).toBe(1)

    await setUp({ perMinute: 0, rateLimitStyle: 'body200' })
    expect((await failure(gecko.fetchQuotes(['ETH-USD']))).kind).toBe('rate-limit')
    expect(fake.requests[0]?.status).toBe(200)
  })

  it('sends the Demo key as x-cg-demo-api-key and reports a refused key in plain words', async () => {
    await setUp({ requireKey: 'CG-good' }, 'CG-good')
    expect((await gecko.fetchQuotes(['BTC-USD'])).quotes).toHaveLength(1)
    expect(fake.requests[0]?.key).toBe('CG-good')

    await setUp({ requireKey: 'CG-good' }, 'CG-wrong')
    const refused = await failure(gecko.fetchQuotes(['BTC-USD']))
    expect(refused).toMatchObject({ kind: 'auth', message: 'CoinGecko rejected the key: invalid API key (Invalid API Key).' })
  })

  it('maps server errors, CDN blocks, web pages and broken JSON', async () => {
    fake.failWith(1, 500, '{}')
    expect((await failure(gecko.fetchQuotes(['BTC-USD']))).kind).toBe('server')
    fake.failWith(1, 403, '{"status":{"error_code":1020,"error_message":"Access denied"}}')
    expect(await failure(gecko.fetchQuotes(['BTC-USD']))).toMatchObject({ kind: 'server', message: expect.stringContaining('1020') })
    fake.failWith(1, 200, '<html><body>Checking your browser</body></html>')
    expect((await failure(gecko.fetchQuotes(['BTC-USD']))).kind).toBe('bad-payload')
    fake.failWith(1, 200, '{"bitcoin":')
    expect(await failure(gecko.fetchQuotes(['BTC-USD']))).toMatchObject({ kind: 'bad-payload', message: 'CoinGecko sent malformed data.' })
    fake.failWith(1, 200, '{"bitcoin":{"usd":"67000"}}')
    expect((await failure(gecko.fetchQuotes(['BTC-USD']))).kind).toBe('bad-payload')
  })

  it('fails as network while CoinGecko is unreachable and recovers on the same port', async () => {
    await fake.stop()
    expect(await failure(gecko.fetchQuotes(['BTC-USD']))).toMatchObject({ kind: 'network', message: expect.stringMatching(/^Cannot reach CoinGecko: /) })
    await fake.start()
    expect((await gecko.fetchQuotes(['BTC-USD'])).quotes).toHaveLength(1)
  })
})

describe('CoinGecko provider: search', () => {
  it('finds coins by name or ticker as BASE-USD rows', async () => {
    expect(await gecko.search('kaspa')).toEqual([
      { symbol: 'KAS-USD', name: 'Kaspa', exchange: 'CoinGecko', type: 'CRYPTOCURRENCY' },
      { symbol: 'KAS-USD', name: 'Kaspa Classic', exchange: 'CoinGecko', type: 'CRYPTOCURRENCY' }
    ])
    expect(await gecko.search(' ')).toEqual([])
  })
})

describe('fake CoinGecko server', () => {
  it('counts calls per minute and resets with the next minute', async () => {
    await setUp({ perMinute: 1 })
    expect((await fetch(`${fake.url}/ping`)).status).toBe(200)
    const limited = await fetch(`${fake.url}/ping`)
    expect(limited.status).toBe(429)
    expect(await limited.json()).toEqual(COINGECKO_RATE_LIMIT_BODY)
    clock += 60_000
    expect((await fetch(`${fake.url}/ping`)).status).toBe(200)
  })

  it('leaves unknown ids out of /simple/price', async () => {
    const body = await (await fetch(`${fake.url}/simple/price?ids=bitcoin,nope&vs_currencies=usd`)).json()
    expect(body).toEqual({ bitcoin: { usd: 67187.33 } })
  })
})

describe('createProvider: coingecko', () => {
  it('sends every request to TICKERDESK_COINGECKO_URL with TICKERDESK_COINGECKO_KEY', async () => {
    await setUp({ requireKey: 'CG-env' })
    const provider = createProvider('coingecko', deps, { TICKERDESK_COINGECKO_URL: fake.url, TICKERDESK_COINGECKO_KEY: 'CG-env' })
    expect(provider.limits).toEqual({ maxBatch: 50, minTimeMs: 2000, maxConcurrent: 1 })
    expect((await provider.fetchQuotes(['DOGE-USD'])).quotes[0]?.price).toBe(0.4123)
    expect(fake.requests[0]?.key).toBe('CG-env')
  })
})
