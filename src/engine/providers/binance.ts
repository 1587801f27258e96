/**
 * Binance Spot public market data (no key).
 *
 * - Symbols: see binance-symbols.ts (`BTC-USD` → `BTCUSDT`); rows come back under the symbol the
 *   user asked for.
 * - Quotes: `/api/v3/ticker/24hr?symbols=["BTCUSDT",…]` (URL-encoded JSON array), up to 100 pairs
 *   per call (weight 2 for 1–20, 40 for 21–100; the limit is 6000 per minute per IP).
 * - One unknown pair makes Binance refuse the whole batch (400, code -1121 "Invalid symbol."), so
 *   the batch is split in halves until the bad pairs stand alone; they become per-symbol
 *   "Unknown symbol" errors and are not asked for again for ten minutes. The other rows survive.
 * - 429 (over the weight limit) and 418 (IP banned after ignoring 429s) carry Retry-After in
 *   seconds and fail the call as 'rate-limit'. 451 means Binance refuses the user's country: it
 *   fails as 'auth', since no retry will help and the user has to pick another provider.
 * - `/api/v3/exchangeInfo` is the listing behind `listSymbols()` and `search()`, cached an hour.
 *
 * Endpoints: real base `https://api.binance.com`. TICKERDESK_BINANCE_URL replaces that whole base
 * (e.g. `http://127.0.0.1:P` + `/api/v3/ticker/24hr`).
 */
import type { AxiosInstance } from 'axios'
import { z } from 'zod'
import type { Quote } from '../../shared/quote'
import { BINANCE_LIMITS } from './binance-limits'
import { appSymbolFor, binancePair, binanceQuoteAsset, unknownBinanceSymbol } from './binance-symbols'
import { filterHits, toNumber, type CryptoSearchHit } from './crypto-pair'
import { createHttpClient, getText, type HttpReply } from './http-client'
import { describeWait, looksLikeHtml, parseRetryAfter, snippet } from './http-errors'
import { ProviderError, type FetchResult, type ProviderDeps, type QuoteProvider } from './provider'
import { parseJsonBody } from './json-reply'
import { guarded } from './provider-failure'
import { uniqueSymbols } from './unique-symbols'

export const BINANCE_LABEL = 'Binance'
export const BINANCE_REST_URL = 'https://api.binance.com'
const USER_AGENT = 'TickerDesk/0.1 (+https://tickerdesk.app)'
const DEFAULT_TIMEOUT_MS = 10_000
const LISTING_TTL_MS = 60 * 60 * 1000
const INVALID_TTL_MS = 10 * 60 * 1000
const WEIGHT_LIMIT = 6000

const TickerSchema = z.object({
  symbol: z.string(),
  lastPrice: z.string(),
  priceChange: z.string().optional(),
  priceChangePercent: z.string().optional(),
  prevClosePrice: z.string().optional(),
  openPrice: z.string().optional(),
  highPrice: z.string().optional(),
  lowPrice: z.string().optional(),
  volume: z.string().optional(),
  closeTime: z.number()
})
type Ticker = z.infer<typeof TickerSchema>
const ErrorBodySchema = z.object({ code: z.number(), msg: z.string() })
const ExchangeInfoSchema = z.object({
  symbols: z.array(z.object({ symbol: z.string(), status: z.string(), baseAsset: z.string(), quoteAsset: z.string() }))
})

export interface BinanceProvider extends QuoteProvider {
  /** Every trading pair as a directory row (USDT pairs as `BASE-USD`). */
  listSymbols(signal?: AbortSignal): Promise<CryptoSearchHit[]>
  search(query: string, signal?: AbortSignal): Promise<CryptoSearchHit[]>
}

export interface BinanceProviderOptions {
  baseUrl?: string
  timeoutMs?: number
  deps: ProviderDeps
  http?: AxiosInstance
}

function errorBody(body: string): { code: number; msg: string } | null {
  try {
    const parsed = ErrorBodySchema.safeParse(JSON.parse(body))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

/** Batch outcome: the tickers, or the fact that one of the pairs is not listed. */
type BatchReply = { tickers: Ticker[] } | { invalidSymbol: true }

export function createBinanceProvider(options: BinanceProviderOptions): BinanceProvider {
  const { deps } = options
  const http = options.http ?? createHttpClient({ userAgent: USER_AGENT })
  const base = (options.baseUrl ?? BINANCE_REST_URL).replace(/\/+$/, '')
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  /** Pairs Binance called invalid → when that stops being trusted. */
  const invalid = new Map<string, number>()
  let listing: { at: number; hits: CryptoSearchHit[] } | null = null

  async function get(path: string, signal?: AbortSignal): Promise<HttpReply> {
    const reply = await getText(http, BINANCE_LABEL, { url: `${base}${path}`, timeoutMs, signal, headers: { Accept: 'application/json' } })
    const used = Number(reply.headers['x-mbx-used-weight-1m'])
    if (Number.isFinite(used) && used > WEIGHT_LIMIT * 0.8) deps.log('warn', `Binance: ${used} of ${WEIGHT_LIMIT} request weight used this minute`)
    return reply
  }

  function callFailure(reply: HttpReply, what: string): ProviderError | null {
    const { status } = reply
    if (status === 429 || status === 418) {
      const body = errorBody(reply.body)
      let retryAfterMs = parseRetryAfter(reply.headers['retry-after'], deps.now())
      const until = body ? /banned until (\d{12,})/.exec(body.msg) : null
      if (retryAfterMs === null && until) retryAfterMs = Math.max(0, Number(until[1]) - deps.now())
      if (status === 418) {
        const span = retryAfterMs === null ? '' : ` for ${describeWait(retryAfterMs)}`
        return new ProviderError('rate-limit', `Binance banned this IP${span} (HTTP 418) after too many requests over its rate limit.`, retryAfterMs)
      }
      const when = retryAfterMs === null ? 'TickerDesk will slow down and try again.' : `trying again in ${describeWait(retryAfterMs)}.`
      return new ProviderError('rate-limit', `Binance rate limit reached (request weight ${WEIGHT_LIMIT}/min); ${when}`, retryAfterMs)
    }
    if (status === 451) {
      return new ProviderError('auth', 'Binance is not available from your location (HTTP 451); choose Coinbase or CoinGecko for crypto.')
    }
    if (status === 403) return new ProviderError('server', 'Binance refused the request (HTTP 403: blocked by its web application firewall).')
    if (status >= 500) return new ProviderError('server', `Binance had a server problem (HTTP ${status}); the request's outcome is unknown.`)
    if (looksLikeHtml(reply.body, reply.headers['content-type'])) {
      deps.log('warn', `Binance ${what}: HTML instead of JSON (HTTP ${status}): ${snippet(reply.body)}`)
      return new ProviderError('bad-payload', 'Binance sent a web page instead of market data.')
    }
    return null
  }

  const readJson = (reply: HttpReply, what: string): unknown => parseJsonBody(reply, 'Binance', what, deps.log)

  async function fetchBatch(pairs: readonly string[], signal?: AbortSignal): Promise<BatchReply> {
    const query = encodeURIComponent(JSON.stringify(pairs))
    const reply = await get(`/api/v3/ticker/24hr?symbols=${query}`, signal)
    const failure = callFailure(reply, '24hr ticker')
    if (failure) throw failure
    if (reply.status === 400) {
      const body = errorBody(reply.body)
      if (body?.code === -1121) return { invalidSymbol: true }
      throw new ProviderError('server', `Binance refused the request (HTTP 400${body ? `: ${body.msg}` : ''}).`)
    }
    if (reply.status !== 200) throw new ProviderError('server', `Binance refused the request (HTTP ${reply.status}).`)
    const parsed = z.array(z.unknown()).safeParse(readJson(reply, '24hr ticker'))
    if (!parsed.success) throw new ProviderError('bad-payload', 'Binance sent data TickerDesk could not read.')
    const tickers: Ticker[] = []
    for (const raw of parsed.data) {
      const item = TickerSchema.safeParse(raw)
      if (item.success) tickers.push(item.data)
      else deps.log('warn', `Binance 24hr ticker: skipped an unreadable item: ${snippet(JSON.stringify(raw))}`)
    }
    return { tickers }
  }

  /** Splits a refused batch until every invalid pair stands alone. */
  async function fetchPairs(pairs: readonly string[], found: Map<string, Ticker>, signal?: AbortSignal): Promise<void> {
    if (pairs.length === 0) return
    const reply = await fetchBatch(pairs, signal)
    if ('tickers' in reply) {
      for (const ticker of reply.tickers) found.set(ticker.symbol, ticker)
      return
    }
    if (pairs.length === 1) {
      invalid.set(pairs[0] as string, deps.now() + INVALID_TTL_MS)
      return
    }
    const half = Math.ceil(pairs.length / 2)
    await fetchPairs(pairs.slice(0, half), found, signal)
    await fetchPairs(pairs.slice(half), found, signal)
  }

  function toQuote(symbol: string, t: Ticker): Quote | null {
    const price = toNumber(t.lastPrice)
    if (price === null) return null
    return {
      symbol,
      name: null,
      price,
      change: toNumber(t.priceChange),
      changePercent: toNumber(t.priceChangePercent),
      open: toNumber(t.openPrice),
      previousClose: toNumber(t.prevClosePrice),
      dayHigh: toNumber(t.highPrice),
      dayLow: toNumber(t.lowPrice),
      volume: toNumber(t.volume),
      marketCap: null,
      currency: binanceQuoteAsset(symbol),
      marketState: 'regular',
      preMarketPrice: null,
      postMarketPrice: null,
      fiftyTwoWeekHigh: null,
      fiftyTwoWeekLow: null,
      providerTime: t.closeTime,
      receivedAt: deps.now(),
      source: 'binance',
      delayed: false
    }
  }

  async function fetchQuotes(symbols: readonly string[], signal?: AbortSignal): Promise<FetchResult> {
    const result: FetchResult = { quotes: [], errors: [] }
    const wanted = new Map<string, string[]>() // pair → app symbols asking for it
    const now = deps.now()
    for (const symbol of uniqueSymbols(symbols)) {
      const pair = binancePair(symbol)
      const knownBad = pair !== null && (invalid.get(pair) ?? 0) > now
      if (pair === null || knownBad) {
        result.errors.push({ symbol, message: unknownBinanceSymbol(symbol) })
        continue
      }
      wanted.set(pair, [...(wanted.get(pair) ?? []), symbol])
    }
    const found = new Map<string, Ticker>()
    await fetchPairs([...wanted.keys()], found, signal)
    for (const [pair, askers] of wanted) {
      const ticker = found.get(pair)
      for (const symbol of askers) {
        const quote = ticker ? toQuote(symbol, ticker) : null
        if (quote) result.quotes.push(quote)
        else result.errors.push({ symbol, message: ticker ? `Binance sent no usable price for ${symbol}.` : unknownBinanceSymbol(symbol) })
      }
    }
    return result
  }

  async function listSymbols(signal?: AbortSignal): Promise<CryptoSearchHit[]> {
    if (listing !== null && deps.now() - listing.at < LISTING_TTL_MS) return listing.hits
    const reply = await get('/api/v3/exchangeInfo', signal)
    const failure = callFailure(reply, 'exchangeInfo')
    if (failure) throw failure
    if (reply.status !== 200) throw new ProviderError('server', `Binance refused the pair listing (HTTP ${reply.status}).`)
    const info = ExchangeInfoSchema.safeParse(readJson(reply, 'exchangeInfo'))
    if (!info.success) throw new ProviderError('bad-payload', 'Binance sent data TickerDesk could not read.')
    const bySymbol = new Map<string, CryptoSearchHit>()
    for (const s of info.data.symbols) {
      if (s.status !== 'TRADING') continue
      const symbol = appSymbolFor(s.baseAsset, s.quoteAsset)
      // A real USD pair wins over the USDT pair shown under the same name.
      if (bySymbol.has(symbol) && s.quoteAsset === 'USDT') continue
      bySymbol.set(symbol, { symbol, name: `${s.baseAsset} / ${s.quoteAsset}`, exchange: 'Binance', type: 'CRYPTOCURRENCY' })
    }
    const hits = [...bySymbol.values()].sort((a, b) => a.symbol.localeCompare(b.symbol))
    listing = { at: deps.now(), hits }
    return hits
  }

  const guard = <T>(work: () => Promise<T>): Promise<T> => guarded('Binance', deps.log, work)

  return {
    id: 'binance',
    limits: BINANCE_LIMITS,
    fetchQuotes: (symbols, signal) => guard(() => fetchQuotes(symbols, signal)),
    listSymbols: (signal) => guard(() => listSymbols(signal)),
    search: (query, signal) => guard(async () => (query.trim() === '' ? [] : filterHits(await listSymbols(signal), query, 20)))
  }
}
