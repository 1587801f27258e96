import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeTwelveData, type FakeTwelveData } from '../../../tests/fakes/twelvedata-server'
import { createProvider } from './index'
import { ProviderError } from './provider'
import { zonedToEpochMs } from './twelvedata-bars'
import { TWELVEDATA_LIMITS } from './twelvedata-limits'
import { createTwelveDataProvider, type TwelveDataOptions, type TwelveDataProvider } from './twelvedata'

/** Tuesday 2026-01-06 10:00:20 New York: 20 s into a minute. */
const START = Date.UTC(2026, 0, 6, 15, 0, 20)
let clock = START
const now = (): number => clock
const deps = { now, log: () => undefined }
let fake: FakeTwelveData

beforeEach(async () => {
  clock = START
  fake = await startFakeTwelveData({ now })
})

afterEach(async () => {
  await fake.close()
})

function provider(extra: Partial<TwelveDataOptions> = {}): TwelveDataProvider {
  return createTwelveDataProvider({ baseUrl: fake.url, key: 'TDKEY', deps, timeoutMs: 2_000, ...extra })
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(ProviderError)
  return error as ProviderError
}

const nextMinute = (): void => {
  clock += 60_000 - (clock % 60_000)
}

describe('Twelve Data quotes', () => {
  it('prices one symbol from string values, with the key in the Authorization header', async () => {
    const td = provider()
    const { quotes, errors } = await td.fetchQuotes(['AAPL'])
    expect(errors).toEqual([])
    expect(quotes[0]).toMatchObject({
      symbol: 'AAPL',
      name: 'Apple Inc.',
      price: 319.97,
      open: 328.31,
      previousClose: 328.20999,
      dayHigh: 328.92999,
      dayLow: 317.85999,
      volume: 39_551_800,
      currency: 'USD',
      marketState: 'closed',
      fiftyTwoWeekHigh: 331.2,
      fiftyTwoWeekLow: 190.1,
      marketCap: null,
      source: 'twelvedata',
      receivedAt: START
    })
    expect(quotes[0]?.change).toBeCloseTo(-8.23999, 5)
    expect(quotes[0]?.changePercent).toBeCloseTo(-2.51059, 4)
    expect(quotes[0]?.providerTime).toBe(Math.floor(START / 1000) * 1000) // last_quote_at, seconds
    expect(fake.requests[0]).toMatchObject({ path: '/quote', query: { symbol: 'AAPL' }, key: 'TDKEY', keyFrom: 'header', cost: 1 })
    expect(td.credits()).toEqual({ used: 1, left: 7, at: START })
  })

  it('sends the key as ?apikey= when asked to', async () => {
    await provider({ keyIn: 'query' }).fetchQuotes(['AAPL'])
    expect(fake.requests[0]).toMatchObject({ keyFrom: 'query', key: 'TDKEY' })
  })

  it('maps is_market_open, and prefers last_quote_at over the bar timestamp', async () => {
    fake.setQuote('MSFT', { isMarketOpen: true, lastQuoteAt: 1_767_711_000 })
    const { quotes } = await provider().fetchQuotes(['MSFT'])
    expect(quotes[0]).toMatchObject({ marketState: 'regular', providerTime: 1_767_711_000_000 })
  })

  it('prices a batch in one request, charged a credit per symbol, with unknown symbols as their own errors', async () => {
    const { quotes, errors } = await provider().fetchQuotes(['AAPL', 'NOPE', 'msft'])
    expect(fake.requests).toHaveLength(1)
    expect(fake.requests[0]).toMatchObject({ query: { symbol: 'AAPL,NOPE,msft' }, cost: 3 })
    expect(quotes.map((q) => q.symbol)).toEqual(['AAPL', 'msft'])
    expect(errors).toEqual([{ symbol: 'NOPE', message: 'Unknown symbol NOPE' }])
  })

  it('turns an unusable price into that symbol\'s error only', async () => {
    fake.setQuote('IBM', { wire: { close: 'n/a' } })
    const { quotes, errors } = await provider().fetchQuotes(['IBM', 'AAPL'])
    expect(quotes.map((q) => q.symbol)).toEqual(['AAPL'])
    expect(errors).toEqual([{ symbol: 'IBM', message: 'Twelve Data sent unusable data for IBM' }])
  })

  it('says a key is needed, without any request, when none is set', async () => {
    const error = await failure(provider({ key: '' }).fetchQuotes(['AAPL']))
    expect(error.kind).toBe('auth')
    expect(error.message).toBe('Twelve Data needs an API key (invalid API key: none set); set TICKERDESK_TWELVEDATA_KEY')
    expect(fake.requests).toHaveLength(0)
  })

  describe.each(['status', 'body'] as const)('errors sent as %s', (mode) => {
    beforeEach(() => fake.setErrorMode(mode))

    it('maps 401 to an auth error naming an invalid API key', async () => {
      fake.setKeyValid(false)
      const error = await failure(provider().fetchQuotes(['AAPL', 'MSFT']))
      expect(error.kind).toBe('auth')
      expect(error.message).toMatch(/^Twelve Data rejected the key: invalid API key \(apikey parameter is incorrect or not specified\)/)
    })

    it('maps running out of the minute\'s credits to a rate limit until the next minute', async () => {
      fake.exhaustMinute()
      const error = await failure(provider().fetchQuotes(['AAPL']))
      expect(error.kind).toBe('rate-limit')
      expect(error.message).toBe('Twelve Data rate limit reached (8 credits/min); resumes at the next minute')
      expect(error.retryAfterMs).toBe(40_000)
      expect(fake.overQuota.minute).toBe(1)
    })

    it('maps running out of the day\'s credits to the daily limit until 00:00 UTC', async () => {
      fake.exhaustDaily()
      const error = await failure(provider().fetchQuotes(['AAPL']))
      expect(error.kind).toBe('rate-limit')
      expect(error.message).toBe('Twelve Data daily limit reached (800 credits/day); resumes 00:00 UTC')
      expect(error.retryAfterMs).toBe(Date.UTC(2026, 0, 7) - START)
      expect(fake.overQuota.day).toBe(1)
    })

    it('reports a single unknown symbol as that symbol\'s error', async () => {
      const result = await provider().fetchQuotes(['ZZZZ'])
      expect(result).toEqual({ quotes: [], errors: [{ symbol: 'ZZZZ', message: 'Unknown symbol ZZZZ' }] })
    })
  })

  it('enforces 8 credits a minute: a full batch spends them, the next request waits for the minute', async () => {
    const td = provider()
    const batch = ['AAPL', 'MSFT', 'IBM', 'TSLA', 'NVDA', 'AMZN', 'GOOGL', 'META']
    expect((await td.fetchQuotes(batch)).quotes).toHaveLength(8)
    expect(td.credits()?.left).toBe(0)
    const error = await failure(td.fetchQuotes(['AAPL']))
    expect(error.message).toContain('rate limit')
    expect(fake.overQuota.minute).toBe(1)
    nextMinute()
    expect((await td.fetchQuotes(['AAPL'])).quotes).toHaveLength(1)
    expect(fake.credits('TDKEY')).toEqual({ minute: 1, day: 9 })
  })

  it('enforces the daily credits across minutes', async () => {
    fake.setLimits({ perDay: 10 })
    const td = provider()
    await td.fetchQuotes(['AAPL', 'MSFT', 'IBM', 'TSLA', 'NVDA', 'AMZN', 'GOOGL', 'META'])
    nextMinute()
    await td.fetchQuotes(['AAPL', 'MSFT'])
    const error = await failure(td.fetchQuotes(['AAPL']))
    expect(error.message).toContain('daily limit')
    expect(fake.overQuota).toEqual({ minute: 0, day: 1 })
  })

  it('reads inline per-symbol errors: unknown, plan-restricted, and a batch limited everywhere', async () => {
    fake.failWith(
      1,
      200,
      JSON.stringify({
        AAPL: { code: 403, message: '**symbol** AAPL is available exclusively with pro plan.', status: 'error' },
        XXX: { code: 400, message: '**symbol** not found: XXX.', status: 'error' }
      }),
      'application/json'
    )
    const result = await provider().fetchQuotes(['AAPL', 'XXX'])
    expect(result.errors).toEqual([
      { symbol: 'AAPL', message: "Twelve Data refused the request for this key's plan (symbol AAPL is available exclusively with pro plan)" },
      { symbol: 'XXX', message: 'Unknown symbol XXX' }
    ])
    const limited = { code: 429, message: 'You have run out of API credits for the current minute.', status: 'error' }
    fake.failWith(1, 200, JSON.stringify({ AAPL: limited, MSFT: limited }), 'application/json')
    expect((await failure(provider().fetchQuotes(['AAPL', 'MSFT']))).kind).toBe('rate-limit')
  })

  it('treats web pages, broken JSON, bare statuses and a lost network as the matching failures', async () => {
    const td = provider()
    fake.failWith(1, 502, '<html><body>Bad Gateway</body></html>')
    expect((await failure(td.fetchQuotes(['AAPL']))).kind).toBe('server')
    fake.failWith(1, 200, '<!DOCTYPE html><html></html>')
    expect((await failure(td.fetchQuotes(['AAPL']))).kind).toBe('bad-payload')
    fake.failWith(1, 200, '{"AAPL":', 'application/json')
    expect((await failure(td.fetchQuotes(['AAPL']))).kind).toBe('bad-payload')
    fake.failWith(1, 429, 'Too Many Requests', 'text/plain')
    expect((await failure(td.fetchQuotes(['AAPL']))).message).toContain('rate limit')
    await fake.stop()
    expect((await failure(td.fetchQuotes(['AAPL']))).kind).toBe('network')
    await fake.start()
    expect((await td.fetchQuotes(['AAPL'])).quotes).toHaveLength(1)
  })

  it('spaces full batches a minute apart', () => {
    expect(TWELVEDATA_LIMITS).toEqual({ maxBatch: 8, minTimeMs: 60_000, maxConcurrent: 1 })
  })
})

describe('Twelve Data search and history', () => {
  it('searches /symbol_search and returns symbol, name, exchange and type', async () => {
    const hits = await provider().search('micro')
    expect(hits).toEqual([{ symbol: 'MSFT', name: 'Microsoft Corporation', exchange: 'NASDAQ', type: 'Common Stock' }])
    expect(fake.requests[0]).toMatchObject({ path: '/symbol_search', query: { symbol: 'micro' } })
    expect(await provider().search(' ')).toEqual([])
  })

  it('fetches bars oldest first, with exchange-local datetimes turned into instants', async () => {
    const series = await provider().fetchBars('AAPL', '1min', 5)
    expect(fake.requests[0]).toMatchObject({ path: '/time_series', query: { symbol: 'AAPL', interval: '1min', outputsize: '5' } })
    expect(series).toMatchObject({ symbol: 'AAPL', interval: '1min', timeZone: 'America/New_York', currency: 'USD' })
    const minute = START - (START % 60_000)
    expect(series.bars.map((b) => b.time)).toEqual([4, 3, 2, 1, 0].map((i) => minute - i * 60_000))
    expect(series.bars[4]?.volume).toBe(1000)
    nextMinute()
    const daily = await provider().fetchBars('IBM', '1day', 3)
    expect(daily.bars).toHaveLength(3)
    // "2026-01-06" New York is midnight EST, 05:00 UTC.
    expect(daily.bars[2]?.time).toBe(Date.UTC(2026, 0, 6, 5))
  })

  it('rejects bars for an unknown symbol or interval in plain words', async () => {
    expect((await failure(provider().fetchBars('NOPE', '1day'))).message).toBe('Unknown symbol NOPE')
    const bad = await failure(provider().fetchBars('AAPL', '3min' as '1min'))
    expect(bad.message).toContain('has no "3min" interval')
    expect(fake.requests).toHaveLength(1)
  })

  it('reads naive datetimes in any exchange zone', () => {
    expect(zonedToEpochMs('2025-01-31 15:59:00', 'America/New_York')).toBe(Date.UTC(2025, 0, 31, 20, 59))
    expect(zonedToEpochMs('2025-07-01 09:00:00', 'Europe/London')).toBe(Date.UTC(2025, 6, 1, 8, 0))
    expect(zonedToEpochMs('2025-07-01', 'UTC')).toBe(Date.UTC(2025, 6, 1))
    expect(zonedToEpochMs('soon', 'UTC')).toBeNull()
  })
})

describe('createProvider for Alpha Vantage and Twelve Data', () => {
  it('points Twelve Data at TICKERDESK_TWELVEDATA_URL with TICKERDESK_TWELVEDATA_KEY', async () => {
    const td = createProvider('twelvedata', deps, { TICKERDESK_TWELVEDATA_URL: fake.url, TICKERDESK_TWELVEDATA_KEY: 'envkey' })
    expect(td.limits).toEqual(TWELVEDATA_LIMITS)
    expect((await td.fetchQuotes(['AAPL'])).quotes).toHaveLength(1)
    expect(fake.requests[0]?.key).toBe('envkey')
  })

  it('builds Alpha Vantage with free or premium limits from the environment', async () => {
    expect(createProvider('alphavantage', deps, {}).limits.maxBatch).toBe(1)
    const premium = createProvider('alphavantage', deps, { TICKERDESK_ALPHAVANTAGE_PREMIUM: '1' })
    expect(premium.limits.maxBatch).toBe(100)
    await expect(premium.fetchQuotes(['IBM'])).rejects.toMatchObject({ kind: 'auth', message: expect.stringContaining('needs an API key') })
  })
})
