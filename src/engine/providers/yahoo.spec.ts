import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { QuoteSchema } from '../../shared/quote'
import { startFakeYahoo, type FakeYahoo } from '../../../tests/fakes/yahoo-server'
import { ProviderError, type ProviderDeps } from './provider'
import { createYahooProvider, YAHOO_USER_AGENT, type YahooProvider } from './yahoo'
import { yahooUrls } from './yahoo-context'
import { CRUMB_RETRY_MS } from './yahoo-session'

const T0 = Date.UTC(2026, 1, 14, 16, 0, 0)
const INVALID_CRUMB = '{"finance":{"result":null,"error":{"code":"Unauthorized","description":"Invalid Crumb"}}}'

let fake: FakeYahoo
let clock: number
let deps: ProviderDeps & { log: ReturnType<typeof vi.fn<ProviderDeps['log']>> }
let yahoo: YahooProvider

beforeEach(async () => {
  clock = T0
  deps = { now: () => clock, log: vi.fn<ProviderDeps['log']>() }
  fake = await startFakeYahoo({ now: () => clock })
  yahoo = createYahooProvider({ baseUrl: fake.url, deps, timeoutMs: 2_000 })
})

afterEach(async () => {
  await fake.close()
})

const paths = (): string[] => fake.requests.map((r) => r.path)
const count = (prefix: string): number => paths().filter((p) => p.startsWith(prefix)).length

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(ProviderError)
  return error as ProviderError
}

describe('Yahoo provider: v7 batch quotes', () => {
  it('fetches a batch through the cookie + crumb session and normalises every field', async () => {
    fake.setQuote('AAPL', { price: 244.6, previousClose: 241.53, marketState: 'POST', postMarketPrice: 244.64, time: 1739566800 })
    fake.setQuote('MSFT', { marketState: 'PREPRE', preMarketPrice: 410.2, delayedBy: 15 })
    clock = T0 + 1234

    const { quotes, errors } = await yahoo.fetchQuotes(['AAPL', 'MSFT', '^GSPC', 'BTC-USD'])

    expect(errors).toEqual([])
    expect(quotes.map((q) => q.symbol)).toEqual(['AAPL', 'MSFT', '^GSPC', 'BTC-USD'])
    for (const quote of quotes) expect(QuoteSchema.safeParse(quote).success).toBe(true)
    const [aapl, msft, gspc, btc] = quotes
    expect(aapl).toMatchObject({
      name: 'Apple Inc.',
      price: 244.6,
      previousClose: 241.53,
      marketState: 'post',
      postMarketPrice: 244.64,
      preMarketPrice: null,
      marketCap: 3_674_405_863_424,
      fiftyTwoWeekHigh: 269.06,
      fiftyTwoWeekLow: 171.22,
      currency: 'USD',
      providerTime: 1739566800 * 1000,
      receivedAt: T0 + 1234,
      source: 'yahoo',
      delayed: false
    })
    expect(aapl?.change).toBeCloseTo(3.07, 6)
    expect(aapl?.changePercent).toBeCloseTo(1.2710636, 5)
    expect(msft).toMatchObject({ marketState: 'pre', preMarketPrice: 410.2, delayed: true })
    expect(gspc).toMatchObject({ name: 'S&P 500', marketCap: null })
    expect(btc?.price).toBeGreaterThan(10_000)

    expect(paths()).toEqual(['/', '/v1/test/getcrumb', '/v7/finance/quote'])
    const quoteRequest = fake.requests[2]
    expect(quoteRequest?.query.symbols).toBe('AAPL,MSFT,^GSPC,BTC-USD')
    expect(quoteRequest?.query.crumb).toMatch(/^.{11}$/)
    expect(quoteRequest?.cookie).toContain('A3=')
    expect(quoteRequest?.userAgent).toBe(YAHOO_USER_AGENT)
  })

  it('reuses the crumb for later batches', async () => {
    await yahoo.fetchQuotes(['AAPL'])
    fake.setQuote('AAPL', { price: 250.01 })
    const { quotes } = await yahoo.fetchQuotes(['AAPL'])
    expect(quotes[0]?.price).toBe(250.01)
    expect(count('/v1/test/getcrumb')).toBe(1)
    expect(count('/v7/')).toBe(2)
  })

  it('reports an unknown symbol on its own row and keeps the others', async () => {
    const { quotes, errors } = await yahoo.fetchQuotes(['AAPL', 'ZZZZ', 'MSFT'])
    expect(quotes.map((q) => q.symbol)).toEqual(['AAPL', 'MSFT'])
    expect(errors).toEqual([{ symbol: 'ZZZZ', message: 'Unknown symbol ZZZZ' }])
  })

  it('treats an empty result as every symbol unknown', async () => {
    const { quotes, errors } = await yahoo.fetchQuotes(['QQQQ', 'ZZZZ'])
    expect(quotes).toEqual([])
    expect(errors.map((e) => e.message)).toEqual(['Unknown symbol QQQQ', 'Unknown symbol ZZZZ'])
  })

  it('says a symbol with quoteType NONE appears to be delisted', async () => {
    fake.delist('MSFT')
    const { quotes, errors } = await yahoo.fetchQuotes(['AAPL', 'MSFT'])
    expect(quotes.map((q) => q.symbol)).toEqual(['AAPL'])
    expect(errors).toEqual([{ symbol: 'MSFT', message: 'MSFT appears to be delisted' }])
  })

  it('turns one malformed item into that symbol’s error, not a batch failure', async () => {
    fake.setQuote('MSFT', { regularMarketPrice: 'n/a' })
    fake.setQuote('AAPL', { someNewYahooField: { nested: true }, marketCap: 'lots' as unknown as number })
    const { quotes, errors } = await yahoo.fetchQuotes(['AAPL', 'MSFT'])
    expect(quotes.map((q) => q.symbol)).toEqual(['AAPL'])
    expect(quotes[0]?.marketCap).toBeNull()
    expect(errors).toEqual([{ symbol: 'MSFT', message: 'Yahoo Finance sent unusable data for MSFT' }])
    expect(deps.log).toHaveBeenCalledWith('warn', expect.stringContaining('MSFT'))
  })

  it('answers rows in the caller’s spelling and asks once for duplicates', async () => {
    const { quotes } = await yahoo.fetchQuotes(['aapl', 'AAPL'])
    expect(quotes.map((q) => q.symbol)).toEqual(['aapl'])
    expect(fake.requests.at(-1)?.query.symbols).toBe('aapl')
    expect(await yahoo.fetchQuotes([])).toEqual({ quotes: [], errors: [] })
  })
})

describe('Yahoo provider: whole-batch failures', () => {
  beforeEach(async () => {
    await yahoo.fetchQuotes(['AAPL']) // a live session, so the next failure hits the quote call
  })

  it('maps HTTP 429 with Retry-After seconds to a rate-limit error', async () => {
    fake.rateLimit(1, 30)
    const error = await failure(yahoo.fetchQuotes(['AAPL']))
    expect(error.kind).toBe('rate-limit')
    expect(error.retryAfterMs).toBe(30_000)
    expect(error.message).toMatch(/^Yahoo Finance is limiting requests \(HTTP 429\)/)
  })

  it('reads an HTTP-date Retry-After against the injected clock', async () => {
    fake.failWith(1, 429, 'Edge: Too Many Requests\r\n', { headers: { 'Retry-After': new Date(T0 + 90_000).toUTCString(), 'Content-Type': 'text/plain' } })
    const error = await failure(yahoo.fetchQuotes(['AAPL']))
    expect(error.kind).toBe('rate-limit')
    expect(error.retryAfterMs).toBe(90_000)
  })

  it('leaves retryAfterMs null when Yahoo gives no Retry-After', async () => {
    fake.rateLimit(1)
    const error = await failure(yahoo.fetchQuotes(['AAPL']))
    expect(error).toMatchObject({ kind: 'rate-limit', retryAfterMs: null })
  })

  it('reports an HTML page as bad payload and logs why', async () => {
    fake.serveHtml(1)
    const error = await failure(yahoo.fetchQuotes(['AAPL']))
    expect(error).toMatchObject({ kind: 'bad-payload', message: 'Yahoo Finance sent a web page instead of market data.' })
    expect(deps.log).toHaveBeenCalledWith('warn', expect.stringMatching(/HTML instead of JSON/))
  })

  it('reports malformed JSON as bad payload and logs why', async () => {
    fake.failWith(1, 200, '{"quoteResponse":{"result":[{"symbol":"AAPL",')
    const error = await failure(yahoo.fetchQuotes(['AAPL']))
    expect(error).toMatchObject({ kind: 'bad-payload', message: 'Yahoo Finance sent malformed data.' })
    expect(deps.log).toHaveBeenCalledWith('warn', expect.stringMatching(/malformed JSON/))
  })

  it('reports JSON of the wrong shape as bad payload', async () => {
    fake.failWith(1, 200, '{"quoteSummary":{}}')
    const error = await failure(yahoo.fetchQuotes(['AAPL']))
    expect(error.kind).toBe('bad-payload')
  })

  it('maps 5xx to a server error', async () => {
    fake.failWith(1, 503, '{"finance":{"result":null,"error":{"code":"Service Unavailable","description":"backend down"}}}')
    const error = await failure(yahoo.fetchQuotes(['AAPL']))
    expect(error).toMatchObject({ kind: 'server', message: 'Yahoo Finance had a server problem (HTTP 503: backend down).' })
  })
})

describe('Yahoo provider: crumb renewal and the chart fallback', () => {
  it('renews the crumb after "Invalid Crumb" and succeeds on v7', async () => {
    await yahoo.fetchQuotes(['AAPL'])
    fake.rotateCrumbs()
    fake.setQuote('AAPL', { price: 199.99 })
    const { quotes } = await yahoo.fetchQuotes(['AAPL'])
    expect(quotes[0]?.price).toBe(199.99)
    expect(count('/v1/test/getcrumb')).toBe(2)
    expect(count('/v7/')).toBe(3) // first batch, the refused one, the retry
    expect(count('/v8/')).toBe(0)
  })

  it.each(['body', 'status'] as const)('falls back to the v8 chart when no crumb can be had (%s)', async (style) => {
    fake.setCrumbBroken(true, style)
    fake.setQuote('AAPL', { price: 244.87, previousClose: 241.53, dayHigh: 246.01, dayLow: 243.16, volume: 32_129_951, time: 1739998801 })
    fake.setQuote('BTC-USD', { marketState: 'CLOSED' })
    const { quotes, errors } = await yahoo.fetchQuotes(['AAPL', 'BTC-USD'])
    expect(errors).toEqual([])
    expect(count('/v7/')).toBe(0)
    expect(count('/v8/finance/chart/')).toBe(2)
    for (const quote of quotes) expect(QuoteSchema.safeParse(quote).success).toBe(true)
    expect(quotes[0]).toMatchObject({
      symbol: 'AAPL',
      name: 'Apple Inc.',
      price: 244.87,
      previousClose: 241.53,
      dayHigh: 246.01,
      dayLow: 243.16,
      volume: 32_129_951,
      currency: 'USD',
      marketState: 'regular',
      providerTime: 1739998801_000,
      receivedAt: T0,
      source: 'yahoo'
    })
    expect(quotes[0]?.change).toBeCloseTo(3.34, 6)
    expect(quotes[1]).toMatchObject({ symbol: 'BTC-USD', marketState: 'closed' })
  })

  it('stays on the chart for a while after the crumb failed, then tries the crumb again', async () => {
    fake.setCrumbBroken(true)
    await yahoo.fetchQuotes(['AAPL'])
    fake.setCrumbBroken(false)
    clock += CRUMB_RETRY_MS - 1
    await yahoo.fetchQuotes(['AAPL'])
    expect(count('/v1/test/getcrumb')).toBe(1)
    expect(count('/v8/')).toBe(2)
    clock += 1
    await yahoo.fetchQuotes(['AAPL'])
    expect(count('/v1/test/getcrumb')).toBe(2)
    expect(count('/v7/')).toBe(1)
  })

  it('falls back to the chart when v7 refuses a fresh crumb too, and leaves v7 alone for a while', async () => {
    fake.failWith(2, 401, INVALID_CRUMB, { path: '/v7/' })
    const { quotes } = await yahoo.fetchQuotes(['AAPL', 'MSFT'])
    expect(quotes.map((q) => q.symbol)).toEqual(['AAPL', 'MSFT'])
    expect(count('/v7/')).toBe(2)
    expect(count('/v8/')).toBe(2)
    await yahoo.fetchQuotes(['AAPL'])
    expect(count('/v7/')).toBe(2)
    expect(count('/v8/')).toBe(3)
  })

  it('reports chart 404 ("No data found, symbol may be delisted") as an unknown symbol', async () => {
    fake.setCrumbBroken(true)
    fake.delist('MSFT')
    const { quotes, errors } = await yahoo.fetchQuotes(['AAPL', 'ZZZZ', 'MSFT'])
    expect(quotes.map((q) => q.symbol)).toEqual(['AAPL'])
    expect(errors).toEqual([
      { symbol: 'ZZZZ', message: 'Unknown symbol ZZZZ' },
      { symbol: 'MSFT', message: 'Unknown symbol MSFT' }
    ])
  })

  it('fails the batch on a chart 429 instead of reporting it per symbol', async () => {
    fake.setCrumbBroken(true)
    fake.failWith(1, 429, 'Too Many Requests\r\n', { headers: { 'Retry-After': '5', 'Content-Type': 'text/plain' }, path: '/v8/' })
    const error = await failure(yahoo.fetchQuotes(['AAPL', 'MSFT', 'NVDA']))
    expect(error).toMatchObject({ kind: 'rate-limit', retryAfterMs: 5_000 })
  })

  it('keeps a single bad chart answer on its symbol, and fails the batch when all are bad', async () => {
    fake.setCrumbBroken(true)
    fake.failWith(1, 200, '<html><body>Oops</body></html>', { path: '/v8/finance/chart/MSFT' })
    const mixed = await yahoo.fetchQuotes(['AAPL', 'MSFT'])
    expect(mixed.quotes.map((q) => q.symbol)).toEqual(['AAPL'])
    expect(mixed.errors).toEqual([{ symbol: 'MSFT', message: 'Yahoo Finance sent a web page instead of market data.' }])

    fake.serveHtml(2)
    const error = await failure(yahoo.fetchQuotes(['AAPL', 'MSFT']))
    expect(error.kind).toBe('bad-payload')
  })
})

describe('Yahoo provider: network failures', () => {
  let silent: Server | undefined
  const sockets = new Set<Socket>()

  afterEach(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise<void>((resolve) => (silent ? silent.close(() => resolve()) : resolve()))
    silent = undefined
  })

  async function startSilent(behaviour: (socket: Socket) => void): Promise<string> {
    silent = createServer()
    silent.on('connection', (socket) => {
      sockets.add(socket)
      behaviour(socket)
    })
    await new Promise<void>((resolve) => silent?.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(silent.address() as AddressInfo).port}`
  }

  it('reports a server that never answers as a network timeout', async () => {
    const url = await startSilent(() => {})
    const provider = createYahooProvider({ baseUrl: url, deps, timeoutMs: 150 })
    const error = await failure(provider.fetchQuotes(['AAPL']))
    expect(error).toMatchObject({ kind: 'network', message: 'Cannot reach Yahoo Finance: the request timed out.' })
  })

  it('reports a reset connection as a network error', async () => {
    const url = await startSilent((socket) => socket.destroy())
    const provider = createYahooProvider({ baseUrl: url, deps })
    const error = await failure(provider.fetchQuotes(['AAPL']))
    expect(error.kind).toBe('network')
    expect(error.message).toMatch(/^Cannot reach Yahoo Finance: /)
  })

  it('reports a refused connection as a network error and recovers when the server returns', async () => {
    await yahoo.fetchQuotes(['AAPL'])
    await fake.stop()
    const error = await failure(yahoo.fetchQuotes(['AAPL']))
    expect(error).toMatchObject({ kind: 'network', message: 'Cannot reach Yahoo Finance: the connection was refused.' })

    fake.setQuote('AAPL', { price: 201.99 })
    await fake.start()
    const { quotes } = await yahoo.fetchQuotes(['AAPL'])
    expect(quotes[0]?.price).toBe(201.99)
  })

  it('reports a network failure during the cookie step as network, not as a fallback', async () => {
    await fake.stop()
    const error = await failure(yahoo.fetchQuotes(['AAPL']))
    expect(error.kind).toBe('network')
  })

  it('never lets a foreign error escape', async () => {
    const provider = createYahooProvider({
      baseUrl: fake.url,
      deps,
      http: { request: () => Promise.reject(new TypeError('boom')) } as never
    })
    const error = await failure(provider.fetchQuotes(['AAPL']))
    expect(error.kind).toBe('network')
    expect(error.message).toContain('boom')
  })
})

describe('Yahoo provider: endpoints and search', () => {
  it('uses the real Yahoo hosts by default and one base for everything otherwise', () => {
    expect(yahooUrls()).toEqual({
      cookie: 'https://fc.yahoo.com/',
      crumb: 'https://query1.finance.yahoo.com/v1/test/getcrumb',
      quote: 'https://query2.finance.yahoo.com/v7/finance/quote',
      chart: 'https://query2.finance.yahoo.com/v8/finance/chart/',
      search: 'https://query2.finance.yahoo.com/v1/finance/search'
    })
    expect(yahooUrls('http://127.0.0.1:9/').quote).toBe('http://127.0.0.1:9/v7/finance/quote')
    expect(yahooUrls('http://127.0.0.1:9').cookie).toBe('http://127.0.0.1:9/')
  })

  it('finds symbols by name', async () => {
    const hits = await yahoo.search('apple')
    expect(hits[0]).toEqual({ symbol: 'AAPL', name: 'Apple Inc.', type: 'EQUITY', exchange: 'NasdaqGS' })
    expect(await yahoo.search('  ')).toEqual([])
  })
})
