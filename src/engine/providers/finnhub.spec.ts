import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { QuoteSchema } from '../../shared/quote'
import { FAKE_FINNHUB_KEY, FINNHUB_BODIES, startFakeFinnhub, type FakeFinnhub } from '../../../tests/fakes/finnhub-server'
import { createProvider } from './index'
import { FINNHUB_LIMITS } from './finnhub-limits'
import { createFinnhubProvider, type FinnhubProvider, type FinnhubProviderOptions } from './finnhub'
import { ProviderError, type ProviderDeps } from './provider'

const T0 = Date.UTC(2026, 1, 17, 15, 0, 0)

let fake: FakeFinnhub
let clock: number
let deps: ProviderDeps
let finnhub: FinnhubProvider

function make(options: Partial<FinnhubProviderOptions> = {}): FinnhubProvider {
  return createFinnhubProvider({ key: FAKE_FINNHUB_KEY, baseUrl: fake.url, deps, timeoutMs: 2_000, ...options })
}

beforeEach(async () => {
  clock = T0
  deps = { now: () => clock, log: vi.fn<ProviderDeps['log']>() }
  fake = await startFakeFinnhub({ now: () => clock, pingIntervalMs: 0 })
  finnhub = make()
})

afterEach(async () => {
  await fake.close()
})

const paths = (): string[] => fake.requests.map((r) => r.path)

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(ProviderError)
  return error as ProviderError
}

describe('Finnhub provider: quotes', () => {
  it('prices a symbol from /quote and names it from /stock/profile2, market cap in units not millions', async () => {
    fake.setQuote('AAPL', { c: 261.74, d: 2.29, dp: 0.8826, h: 263.31, l: 260.68, o: 261.07, pc: 259.45, t: 1771340400 })
    clock = T0 + 321

    const { quotes, errors } = await finnhub.fetchQuotes(['AAPL'])

    expect(errors).toEqual([])
    expect(QuoteSchema.safeParse(quotes[0]).success).toBe(true)
    expect(quotes[0]).toEqual({
      symbol: 'AAPL',
      name: 'Apple Inc',
      price: 261.74,
      change: 2.29,
      changePercent: 0.8826,
      open: 261.07,
      previousClose: 259.45,
      dayHigh: 263.31,
      dayLow: 260.68,
      volume: null,
      marketCap: 3_882_000 * 1e6,
      currency: 'USD',
      marketState: 'regular',
      preMarketPrice: null,
      postMarketPrice: null,
      fiftyTwoWeekHigh: null,
      fiftyTwoWeekLow: null,
      providerTime: 1771340400 * 1000,
      receivedAt: T0 + 321,
      source: 'finnhub',
      delayed: false
    })
    expect(paths()).toEqual(['/quote', '/stock/profile2'])
    expect(fake.requests[0]).toMatchObject({ query: { symbol: 'AAPL' }, token: FAKE_FINNHUB_KEY, tokenVia: 'header' })
  })

  it('looks a profile up once per symbol per UTC day', async () => {
    await finnhub.fetchQuotes(['MSFT'])
    await finnhub.fetchQuotes(['MSFT'])
    expect(paths().filter((p) => p === '/stock/profile2')).toHaveLength(1)

    clock = Date.UTC(2026, 1, 18, 0, 0, 5)
    const { quotes } = await finnhub.fetchQuotes(['MSFT'])
    expect(paths().filter((p) => p === '/stock/profile2')).toHaveLength(2)
    expect(quotes[0]?.name).toBe('Microsoft Corp')
  })

  it('skips profiles when asked to, leaving name, currency and market cap empty', async () => {
    const { quotes } = await make({ profiles: false }).fetchQuotes(['AAPL'])
    expect(quotes[0]).toMatchObject({ name: null, currency: null, marketCap: null, price: 261.74 })
    expect(paths()).toEqual(['/quote'])
  })

  it('works out the session: NYSE calendar for US stocks, always open for crypto, age for the rest', async () => {
    const provider = make({ profiles: false })
    clock = Date.UTC(2026, 1, 17, 13, 0, 0) // 08:00 New York
    expect((await provider.fetchQuotes(['AAPL'])).quotes[0]?.marketState).toBe('pre')
    clock = Date.UTC(2026, 1, 21, 15, 0, 0) // a Saturday
    fake.resetQuota()
    expect((await provider.fetchQuotes(['AAPL'])).quotes[0]?.marketState).toBe('closed')
    expect((await provider.fetchQuotes(['BINANCE:BTCUSDT'])).quotes[0]?.marketState).toBe('regular')
    const withCalendar = make({ profiles: false, marketState: () => 'post' })
    expect((await withCalendar.fetchQuotes(['AAPL'])).quotes[0]?.marketState).toBe('post')
  })

  it('reports the all-zero answer as an unknown symbol without hiding the others', async () => {
    const { quotes, errors } = await make({ profiles: false }).fetchQuotes(['XYZQ', 'MSFT', 'msft'])
    expect(errors).toEqual([{ symbol: 'XYZQ', message: 'Unknown symbol XYZQ' }])
    expect(quotes.map((q) => q.symbol)).toEqual(['MSFT'])
    expect(paths()).toEqual(['/quote', '/quote'])
  })

  it('answers an empty request without calling Finnhub', async () => {
    expect(await finnhub.fetchQuotes([' ', ''])).toEqual({ quotes: [], errors: [] })
    expect(fake.requests).toHaveLength(0)
  })
})

describe('Finnhub provider: refusals', () => {
  it('maps 401 "Please use an API key." to auth: invalid API key', async () => {
    const error = await failure(make({ key: 'not-a-key' }).fetchQuotes(['AAPL']))
    expect(fake.requests[0]?.status).toBe(401)
    expect(error.kind).toBe('auth')
    expect(error.message).toContain('invalid API key')
  })

  it('does not call Finnhub at all without a key, and says how to add one', async () => {
    const error = await failure(make({ key: '  ' }).fetchQuotes(['AAPL']))
    expect(error.kind).toBe('auth')
    expect(error.message).toMatch(/No Finnhub API key is set.*invalid API key.*TICKERDESK_FINNHUB_KEY/)
    expect(fake.requests).toHaveLength(0)
  })

  it('maps 403 to auth: not included in your Finnhub plan', async () => {
    fake.denyAccess('/quote')
    const error = await failure(finnhub.fetchQuotes(['AAPL']))
    expect(error.kind).toBe('auth')
    expect(error.message).toBe('Finnhub refused quotes: it is not included in your Finnhub plan.')
  })

  it('still prices quotes when profiles are not in the plan, and stops asking for them that day', async () => {
    fake.denyAccess('/stock/profile2')
    const first = await finnhub.fetchQuotes(['AAPL'])
    const second = await finnhub.fetchQuotes(['MSFT'])
    expect(first.quotes[0]).toMatchObject({ price: 261.74, marketCap: null, name: null })
    expect(second.quotes[0]?.price).toBe(415.3)
    expect(paths()).toEqual(['/quote', '/stock/profile2', '/quote'])
  })

  it('hits the enforced quota and reports the rate limit with the reset time', async () => {
    await fake.close()
    fake = await startFakeFinnhub({ now: () => clock, pingIntervalMs: 0, perMinute: 2 })
    const provider = make({ profiles: false })
    await provider.fetchQuotes(['AAPL'])
    clock += 10_000
    await provider.fetchQuotes(['MSFT'])
    clock += 5_000

    const error = await failure(provider.fetchQuotes(['TSLA']))
    expect(fake.overQuota).toBe(1)
    expect(error.kind).toBe('rate-limit')
    expect(error.message).toMatch(/^Finnhub rate limit reached \(60\/min\); trying again in 45 s\.$/)
    expect(error.retryAfterMs).toBe(45_000)
  })

  it('prefers Retry-After when Finnhub sends it', async () => {
    fake.failWith(1, 429, FINNHUB_BODIES.limit, { headers: { 'Retry-After': '7' } })
    const error = await failure(finnhub.fetchQuotes(['AAPL']))
    expect(error).toMatchObject({ kind: 'rate-limit', retryAfterMs: 7_000 })
    expect(error.message).toContain('rate limit')
  })

  it('reads a 429 without any timing header as a limit with no known wait', async () => {
    fake.failWith(1, 429, FINNHUB_BODIES.limit)
    expect(await failure(finnhub.fetchQuotes(['AAPL']))).toMatchObject({ kind: 'rate-limit', retryAfterMs: null })
  })

  it('maps server errors, web pages and broken JSON to server and bad-payload', async () => {
    fake.failWith(1, 502, '{"error":"Bad gateway"}')
    expect(await failure(finnhub.fetchQuotes(['AAPL']))).toMatchObject({ kind: 'server', message: 'Finnhub had a server problem (HTTP 502: Bad gateway).' })
    fake.failWith(1, 200, '<!DOCTYPE html><html><body>Maintenance</body></html>')
    expect(await failure(finnhub.fetchQuotes(['AAPL']))).toMatchObject({ kind: 'bad-payload' })
    fake.failWith(1, 200, '{"c":26')
    expect(await failure(finnhub.fetchQuotes(['AAPL']))).toMatchObject({ kind: 'bad-payload', message: 'Finnhub sent malformed data.' })
  })

  it('keeps an unreadable answer with its symbol when another symbol was priced', async () => {
    fake.failWith(1, 200, '{"c":"n/a"}', { path: '/quote' })
    const { quotes, errors } = await make({ profiles: false }).fetchQuotes(['AAPL', 'MSFT'])
    expect(errors).toEqual([{ symbol: 'AAPL', message: 'Finnhub sent malformed data.' }])
    expect(quotes.map((q) => q.symbol)).toEqual(['MSFT'])
  })

  it('reports a lost network as network', async () => {
    await fake.stop()
    const error = await failure(finnhub.fetchQuotes(['AAPL']))
    expect(error.kind).toBe('network')
    expect(error.message).toContain('Cannot reach Finnhub')
  })
})

describe('Finnhub provider: its own quota count', () => {
  it('waits rather than going over 60 calls a minute, profile lookups included', async () => {
    const waits: number[] = []
    const provider = make({
      sleep: async (ms) => {
        waits.push(ms)
        clock += ms
      }
    })
    for (let i = 0; i < 70; i++) {
      await provider.fetchQuotes([i % 2 === 0 ? 'AAPL' : 'MSFT'])
      clock += 100
    }
    expect(fake.overQuota).toBe(0)
    expect(fake.requests.filter((r) => r.path === '/quote')).toHaveLength(70)
    expect(fake.requests.filter((r) => r.path === '/stock/profile2')).toHaveLength(2)
    expect(waits.length).toBeGreaterThan(0)
  })

  it('skips a profile lookup when quota is short rather than delaying quotes', async () => {
    const provider = make()
    for (let i = 0; i < 50; i++) {
      expect(provider.client.budget.tryTake()).toBe(true)
      clock += 50
    }
    const { quotes } = await provider.fetchQuotes(['AAPL'])
    expect(quotes[0]).toMatchObject({ price: 261.74, name: null })
    expect(paths()).toEqual(['/quote'])
  })
})

describe('Finnhub provider: search, listing, market hours', () => {
  it('searches by name or ticker', async () => {
    expect(await finnhub.search('apple')).toEqual([{ symbol: 'AAPL', name: 'APPLE INC', exchange: null, type: 'Common Stock' }])
    expect(await finnhub.search('spy', undefined, { exchange: 'US' })).toEqual([{ symbol: 'SPY', name: 'SPDR S&P 500 ETF TRUST', exchange: 'US', type: 'ETP' }])
    expect(fake.requests.map((r) => r.query)).toEqual([{ q: 'apple' }, { q: 'spy', exchange: 'US' }])
    expect(await finnhub.search('  ')).toEqual([])
    expect(fake.requests).toHaveLength(2)
  })

  it('fails a search like a quote when the key is refused', async () => {
    expect(await failure(make({ key: 'wrong' }).search('apple'))).toMatchObject({ kind: 'auth' })
  })

  it('lists the exchange symbols for the directory', async () => {
    const list = await finnhub.symbols('US')
    expect(list.find((s) => s.symbol === 'AAPL')).toEqual({
      symbol: 'AAPL', displaySymbol: 'AAPL', name: 'APPLE INC', type: 'Common Stock', currency: 'USD', mic: 'XNAS', figi: 'BBG000B9XRY4'
    })
    expect(fake.requests[0]?.query).toEqual({ exchange: 'US' })
    expect(await finnhub.symbols('XX')).toEqual([])
  })

  it('reads the market status with its time in ms', async () => {
    fake.setMarketStatus({ isOpen: false, session: 'pre-market' })
    expect(await finnhub.marketStatus()).toEqual({
      exchange: 'US', timezone: 'America/New_York', session: 'pre-market', holiday: null, isOpen: false, time: Math.floor(T0 / 1000) * 1000
    })
    fake.setMarketStatus({ isOpen: false, session: null, holiday: 'Christmas' })
    expect(await finnhub.marketStatus('US')).toMatchObject({ session: null, holiday: 'Christmas' })
  })

  it('reads holidays, marking days with trading hours as early closes', async () => {
    const { holidays, timezone } = await finnhub.marketHolidays()
    expect(timezone).toBe('America/New_York')
    expect(holidays.find((h) => h.date === '2026-11-27')).toEqual({ name: 'Thanksgiving Day', date: '2026-11-27', tradingHours: '09:30-13:00', earlyClose: true })
    expect(holidays.find((h) => h.date === '2026-07-03')).toMatchObject({ earlyClose: false, tradingHours: null })
  })
})

describe('createProvider("finnhub")', () => {
  it('reads the base URL and key from TICKERDESK_FINNHUB_URL and TICKERDESK_FINNHUB_KEY', async () => {
    const provider = createProvider('finnhub', deps, { TICKERDESK_FINNHUB_URL: fake.url, TICKERDESK_FINNHUB_KEY: FAKE_FINNHUB_KEY })
    expect(provider.limits).toEqual(FINNHUB_LIMITS)
    const { quotes } = await provider.fetchQuotes(['TSLA'])
    expect(quotes[0]).toMatchObject({ symbol: 'TSLA', price: 251.05, source: 'finnhub' })
    expect(fake.requests[0]).toMatchObject({ path: '/quote', token: FAKE_FINNHUB_KEY })
  })
})
