import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeAlphaVantage, type FakeAlphaVantage } from '../../../tests/fakes/alphavantage-server'
import { ALPHAVANTAGE_FREE_LIMITS, ALPHAVANTAGE_PREMIUM_LIMITS, alphaVantagePremium } from './alphavantage-limits'
import { alphaVantageQueryUrl, createAlphaVantageProvider, type AlphaVantageOptions, type AlphaVantageProvider } from './alphavantage'
import { ProviderError } from './provider'

/** Tuesday 2026-01-06 10:00 New York (EST, UTC-5). */
const START = Date.UTC(2026, 0, 6, 15, 0, 0)
let clock = START
const now = (): number => clock
const logs: string[] = []
const deps = { now, log: (level: string, message: string) => void logs.push(`${level}: ${message}`) }
let fake: FakeAlphaVantage

beforeEach(async () => {
  clock = START
  logs.length = 0
  fake = await startFakeAlphaVantage({ now })
})

afterEach(async () => {
  await fake.close()
})

function provider(extra: Partial<AlphaVantageOptions> = {}): AlphaVantageProvider {
  return createAlphaVantageProvider({ baseUrl: fake.url, key: 'TESTKEY', deps, timeoutMs: 2_000, ...extra })
}

/** Moves both clocks past the burst rule between calls. */
const later = (ms = 12_000): void => {
  clock += ms
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(ProviderError)
  return error as ProviderError
}

describe('Alpha Vantage quotes (free key: GLOBAL_QUOTE)', () => {
  it('prices one symbol from string values, with the key as the apikey query parameter', async () => {
    const result = await provider().fetchQuotes(['IBM'])
    expect(result.errors).toEqual([])
    expect(result.quotes).toHaveLength(1)
    const q = result.quotes[0]!
    expect(q).toMatchObject({
      symbol: 'IBM',
      price: 291.35,
      previousClose: 289.12,
      open: 289.5,
      dayHigh: 292.1,
      dayLow: 288.9,
      volume: 3_512_448,
      source: 'alphavantage',
      delayed: true,
      marketState: 'regular',
      receivedAt: START,
      marketCap: null,
      name: null
    })
    expect(q.change).toBeCloseTo(2.23, 4)
    expect(q.changePercent).toBeCloseTo(0.7713, 4) // from "0.7713%"
    // Today's trading day, session still running: the price is as of now.
    expect(q.providerTime).toBe(START)
    expect(fake.requests).toEqual([{ fn: 'GLOBAL_QUOTE', params: { function: 'GLOBAL_QUOTE', symbol: 'IBM' }, key: 'TESTKEY', outcome: 'ok' }])
  })

  it('dates an older trading day at its 16:00 New York close, and calls the market closed on a weekend', async () => {
    fake.setQuote('IBM', { latestTradingDay: '2026-01-02' })
    clock = Date.UTC(2026, 0, 3, 17, 0) // Saturday
    const { quotes } = await provider().fetchQuotes(['IBM'])
    expect(quotes[0]?.providerTime).toBe(Date.UTC(2026, 0, 2, 21, 0)) // 16:00 EST
    expect(quotes[0]?.marketState).toBe('closed')

    fake.setQuote('IBM', { latestTradingDay: '2026-07-02' })
    clock = Date.UTC(2026, 6, 3, 17, 0)
    const summer = await provider().fetchQuotes(['IBM'])
    expect(summer.quotes[0]?.providerTime).toBe(Date.UTC(2026, 6, 2, 20, 0)) // 16:00 EDT
  })

  it('reads the sample quote of the reference, percent string included', async () => {
    fake.setQuote('AAPL', {
      wire: { '05. price': '324.9500', '08. previous close': '324.8700', '09. change': '0.0800', '10. change percent': '0.0246%', '07. latest trading day': '2020-02-14' }
    })
    const { quotes } = await provider().fetchQuotes(['AAPL'])
    expect(quotes[0]).toMatchObject({ price: 324.95, previousClose: 324.87, change: 0.08, changePercent: 0.0246, providerTime: Date.UTC(2020, 1, 14, 21, 0) })
  })

  it('reports {"Global Quote":{}} as that symbol\'s "Unknown symbol"', async () => {
    const result = await provider().fetchQuotes(['ZZZZ'])
    expect(result).toEqual({ quotes: [], errors: [{ symbol: 'ZZZZ', message: 'Unknown symbol ZZZZ' }] })
  })

  it('reports an "Invalid API call" answer as an unknown symbol too', async () => {
    fake.failWith(1, 200, JSON.stringify({ 'Error Message': 'Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for GLOBAL_QUOTE.' }), 'application/json')
    const result = await provider().fetchQuotes(['BAD'])
    expect(result.errors).toEqual([{ symbol: 'BAD', message: 'Unknown symbol BAD' }])
  })

  it('turns an unusable price into that symbol\'s error', async () => {
    fake.setQuote('IBM', { wire: { '05. price': 'None' } })
    const result = await provider().fetchQuotes(['IBM'])
    expect(result.errors).toEqual([{ symbol: 'IBM', message: 'Alpha Vantage sent unusable data for IBM' }])
  })

  it('says a key is needed, without any request, when none is set', async () => {
    const error = await failure(provider({ key: undefined }).fetchQuotes(['IBM']))
    expect(error.kind).toBe('auth')
    expect(error.message).toBe('Alpha Vantage needs an API key (invalid API key: none set); set TICKERDESK_ALPHAVANTAGE_KEY')
    expect(fake.requests).toHaveLength(0)
  })

  it('maps the bad-key Error Message to an auth error naming an invalid API key', async () => {
    fake.setKeyValid(false)
    const error = await failure(provider().fetchQuotes(['IBM']))
    expect(error.kind).toBe('auth')
    expect(error.message).toMatch(/^Alpha Vantage rejected the key: invalid API key/)
  })

  it('maps the demo-key Information to an auth error', async () => {
    fake.failWith(1, 200, JSON.stringify({ Information: 'The **demo** API key is for demo purposes only. Please claim your free API key at (https://www.alphavantage.co/support/#api-key) to explore our full API offerings. It takes fewer than 20 seconds.' }), 'application/json')
    const error = await failure(provider().fetchQuotes(['AAPL']))
    expect(error.kind).toBe('auth')
    expect(error.message).toContain('invalid API key')
  })

  it('stops at 25 requests a day with a rate limit that lasts until 00:00 UTC', async () => {
    const av = provider()
    for (let i = 0; i < 25; i++) {
      expect((await av.fetchQuotes(['IBM'])).quotes).toHaveLength(1)
      later()
    }
    const error = await failure(av.fetchQuotes(['IBM']))
    expect(error.kind).toBe('rate-limit')
    expect(error.message).toBe('Alpha Vantage daily limit reached (25/day); resumes 00:00 UTC')
    expect(error.retryAfterMs).toBe(Date.UTC(2026, 0, 7) - clock)
    expect(fake.overQuota.daily).toBe(1)

    clock = Date.UTC(2026, 0, 7, 0, 0, 1)
    expect((await av.fetchQuotes(['IBM'])).quotes).toHaveLength(1)
  })

  it('reads the daily limit from an exhausted key too', async () => {
    fake.exhaustDaily()
    const error = await failure(provider().fetchQuotes(['IBM']))
    expect(error.message).toContain('daily limit')
    expect(error.retryAfterMs).toBe(9 * 3_600_000)
  })

  it('maps the 1-per-second burst rule to a short rate limit', async () => {
    const av = provider()
    await av.fetchQuotes(['IBM'])
    const error = await failure(av.fetchQuotes(['MSFT']))
    expect(error.kind).toBe('rate-limit')
    expect(error.message).toMatch(/^Alpha Vantage rate limit: at most 1 request per second/)
    expect(error.retryAfterMs).toBe(2_000)
    expect(fake.overQuota.burst).toBe(1)
  })

  it('maps the legacy per-minute Note to a one-minute rate limit', async () => {
    fake.setLimits({ perMinute: 1 })
    const av = provider()
    await av.fetchQuotes(['IBM'])
    later(2_000)
    const error = await failure(av.fetchQuotes(['IBM']))
    expect(error.kind).toBe('rate-limit')
    expect(error.message).toContain('rate limit')
    expect(error.retryAfterMs).toBe(60_000)
    expect(fake.overQuota.minute).toBe(1)
  })

  it('keeps prices already fetched when a later symbol of the same call is refused', async () => {
    fake.setLimits({ burstMs: 0, perMinute: 1 })
    const result = await provider().fetchQuotes(['IBM', 'MSFT'])
    expect(result.quotes.map((q) => q.symbol)).toEqual(['IBM'])
    expect(result.errors[0]).toMatchObject({ symbol: 'MSFT' })
    expect(result.errors[0]?.message).toContain('rate limit')
  })

  it('treats web pages, server errors and a lost network as the matching failures', async () => {
    const av = provider()
    fake.failWith(1, 200, '<!DOCTYPE html><html><body>Maintenance</body></html>')
    expect((await failure(av.fetchQuotes(['IBM']))).kind).toBe('bad-payload')
    fake.failWith(1, 503, 'Service Unavailable', 'text/plain')
    expect((await failure(av.fetchQuotes(['IBM']))).kind).toBe('server')
    fake.failWith(1, 200, '{"Global Quote": ', 'application/json')
    expect((await failure(av.fetchQuotes(['IBM']))).kind).toBe('bad-payload')
    await fake.stop()
    const offline = await failure(av.fetchQuotes(['IBM']))
    expect(offline.kind).toBe('network')
    await fake.start()
    expect((await av.fetchQuotes(['IBM'])).quotes).toHaveLength(1)
  })
})

describe('Alpha Vantage quotes (premium key: REALTIME_BULK_QUOTES)', () => {
  it('prices a batch in one request and marks absent symbols unknown', async () => {
    fake.setPremium(true)
    fake.setQuote('MSFT', { extendedHoursQuote: 410.5 })
    clock = Date.UTC(2026, 0, 6, 12, 30, 0, 250) // 07:30 New York: pre-market
    const av = provider({ premium: true, overviewsPerCall: 0 })
    expect(av.limits).toEqual(ALPHAVANTAGE_PREMIUM_LIMITS)
    const result = await av.fetchQuotes(['MSFT', 'AAPL', 'NOPE'])
    expect(fake.requests).toHaveLength(1)
    expect(fake.requests[0]).toMatchObject({ fn: 'REALTIME_BULK_QUOTES', params: { symbol: 'MSFT,AAPL,NOPE' } })
    expect(result.quotes.map((q) => q.symbol)).toEqual(['MSFT', 'AAPL'])
    expect(result.errors).toEqual([{ symbol: 'NOPE', message: 'Unknown symbol NOPE' }])
    expect(result.quotes[0]).toMatchObject({ price: 408.43, marketState: 'pre', preMarketPrice: 410.5, delayed: false })
    // The naive New York timestamp, milliseconds included, lands on the same instant.
    expect(result.quotes[0]?.providerTime).toBe(clock)
  })

  it('says the endpoint is premium when the key is not', async () => {
    const error = await failure(provider({ premium: true }).fetchQuotes(['MSFT', 'AAPL']))
    expect(error.kind).toBe('auth')
    expect(error.message).toContain('is a premium endpoint')
  })

  it('spends one OVERVIEW a call on a missing market cap, then reuses it for the day', async () => {
    fake.setPremium(true)
    fake.setLimits({ burstMs: 0 })
    const av = provider({ premium: true })
    const first = await av.fetchQuotes(['IBM', 'AAPL'])
    expect(first.quotes[0]).toMatchObject({ symbol: 'IBM', marketCap: 270_450_000_000, name: 'International Business Machines', currency: 'USD', fiftyTwoWeekHigh: 296.16 })
    expect(first.quotes[1]?.marketCap).toBeNull()
    await av.fetchQuotes(['IBM', 'AAPL'])
    await av.fetchQuotes(['IBM', 'AAPL'])
    expect(fake.requests.map((r) => r.fn)).toEqual([
      'REALTIME_BULK_QUOTES', 'OVERVIEW', 'REALTIME_BULK_QUOTES', 'OVERVIEW', 'REALTIME_BULK_QUOTES'
    ])
  })
})

describe('Alpha Vantage profile, search and listing', () => {
  it('caches OVERVIEW per symbol per UTC day and never spends a free key\'s quota on it while quoting', async () => {
    const av = provider()
    await av.fetchQuotes(['IBM'])
    expect(fake.requests.map((r) => r.fn)).toEqual(['GLOBAL_QUOTE'])
    later()
    const profile = await av.profile('IBM')
    expect(profile).toEqual({ name: 'International Business Machines', currency: 'USD', exchange: 'NYSE', marketCap: 270_450_000_000, fiftyTwoWeekHigh: 296.16, fiftyTwoWeekLow: 203.51 })
    expect(await av.profile('ibm')).toEqual(profile)
    expect(fake.requests).toHaveLength(2)
    later()
    expect((await av.fetchQuotes(['IBM'])).quotes[0]?.marketCap).toBe(270_450_000_000)
    clock = Date.UTC(2026, 0, 7, 1)
    await av.profile('IBM')
    expect(fake.requests.map((r) => r.fn)).toEqual(['GLOBAL_QUOTE', 'OVERVIEW', 'GLOBAL_QUOTE', 'OVERVIEW'])
    later()
    expect(await av.profile('ZZZZ')).toBeNull()
  })

  it('searches with SYMBOL_SEARCH and returns symbol, name, exchange (region) and type', async () => {
    const hits = await provider().search('tesco')
    expect(hits).toEqual([{ symbol: 'TSCO.LON', name: 'Tesco PLC', exchange: 'United Kingdom', type: 'Equity' }])
    expect(fake.requests[0]).toMatchObject({ fn: 'SYMBOL_SEARCH', params: { keywords: 'tesco' } })
    expect(await provider().search('  ')).toEqual([])
  })

  it('passes limits through search as errors', async () => {
    fake.exhaustDaily()
    expect((await failure(provider().search('ibm'))).message).toContain('daily limit')
  })

  it('reads LISTING_STATUS CSV, active and delisted, quoted names included', async () => {
    const av = provider()
    const active = await av.listingStatus()
    expect(active.skipped).toBe(0)
    expect(active.rows.find((r) => r.symbol === 'IBM')).toEqual({
      symbol: 'IBM', name: 'International Business Machines', exchange: 'NYSE', assetType: 'Stock', ipoDate: '1962-01-02', delistingDate: null, status: 'Active'
    })
    expect(active.rows.find((r) => r.symbol === 'SPY')?.assetType).toBe('ETF')
    later()
    const delisted = await av.listingStatus({ state: 'delisted' })
    expect(delisted.rows).toContainEqual({
      symbol: 'TWTR', name: 'Twitter, Inc.', exchange: 'NYSE', assetType: 'Stock', ipoDate: '2013-11-07', delistingDate: '2022-10-28', status: 'Delisted'
    })
    expect(fake.requests[1]?.params).toMatchObject({ state: 'delisted' })
  })

  it('reports a limit on LISTING_STATUS from its JSON body', async () => {
    const av = provider()
    await av.fetchQuotes(['IBM'])
    const error = await failure(av.listingStatus())
    expect(error.kind).toBe('rate-limit')
  })
})

describe('Alpha Vantage configuration', () => {
  it('maps the URL override onto /query and reads the premium flag', () => {
    expect(alphaVantageQueryUrl(undefined)).toBe('https://www.alphavantage.co/query')
    expect(alphaVantageQueryUrl('http://127.0.0.1:5/')).toBe('http://127.0.0.1:5/query')
    expect(alphaVantageQueryUrl('http://127.0.0.1:5/query')).toBe('http://127.0.0.1:5/query')
    expect(alphaVantagePremium({ TICKERDESK_ALPHAVANTAGE_PREMIUM: '1' })).toBe(true)
    expect(alphaVantagePremium({})).toBe(false)
    expect(provider().limits).toEqual(ALPHAVANTAGE_FREE_LIMITS)
    expect(ALPHAVANTAGE_FREE_LIMITS.minTimeMs).toBeGreaterThanOrEqual(12_000)
  })
})
