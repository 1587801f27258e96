/**
 * CoinGecko prices (keyless, or with a free Demo key).
 *
 * - Symbols: `BTC-USD` is coin `bitcoin` priced in `usd` (any quote CoinGecko knows works:
 *   `ETH-EUR`, `SOL-BTC`). Coin ids come from coingecko-ids.ts or a cached `/search` lookup;
 *   a ticker CoinGecko does not know is a per-symbol "Unknown symbol" (retried after an hour).
 * - Quotes: one `/simple/price` call for up to limits.maxBatch coins, with market cap, 24 h
 *   volume (in the quote currency, as CoinGecko reports it), 24 h change % and last update.
 *   CoinGecko gives no open or previous close: change is derived from the 24 h change %.
 *   Coins it does not know are simply missing from the reply.
 * - Limits: keyless calls share a per-IP quota of roughly 30 per minute (COINGECKO_LIMITS). A
 *   429, or a 200 whose body is the rate-limit error, fails the call as 'rate-limit'.
 * - Key: TICKERDESK_COINGECKO_KEY (or the app setting) is sent as `x-cg-demo-api-key`; error
 *   codes 10002/10005/10010/10011 and HTTP 401/403 fail as 'auth'.
 *
 * Endpoints: real base `https://api.coingecko.com/api/v3`. TICKERDESK_COINGECKO_URL replaces that
 * whole base, prefix included (e.g. `http://127.0.0.1:P` + `/simple/price`).
 */
import type { AxiosInstance } from 'axios'
import { z } from 'zod'
import type { Quote } from '../../shared/quote'
import { COINGECKO_KNOWN } from './coingecko-ids'
import { COINGECKO_LIMITS } from './coingecko-limits'
import { parsePair, type CryptoSearchHit } from './crypto-pair'
import { createHttpClient, getText, type HttpReply } from './http-client'
import { describeWait, looksLikeHtml, parseRetryAfter, snippet } from './http-errors'
import { ProviderError, type FetchResult, type ProviderDeps, type QuoteProvider } from './provider'
import { readJsonShape } from './json-reply'
import { guarded } from './provider-failure'
import { uniqueSymbols } from './unique-symbols'

export const COINGECKO_LABEL = 'CoinGecko'
export const COINGECKO_REST_URL = 'https://api.coingecko.com/api/v3'
const USER_AGENT = 'TickerDesk/0.1 (+https://tickerdesk.app)'
const DEFAULT_TIMEOUT_MS = 10_000
const UNKNOWN_TTL_MS = 60 * 60 * 1000
/** CoinGecko's 429 carries no Retry-After; its quota is per minute. */
const DEFAULT_RETRY_MS = 60_000
const KEY_ERRORS = new Set([10002, 10005, 10010, 10011])

const StatusBodySchema = z.object({ status: z.object({ error_code: z.number(), error_message: z.string().optional() }) })
const PriceBodySchema = z.record(z.string(), z.record(z.string(), z.number().nullable()))
const SearchBodySchema = z.object({
  coins: z.array(
    z.object({ id: z.string(), name: z.string(), symbol: z.string(), market_cap_rank: z.number().nullable().optional() })
  )
})

interface Coin {
  id: string
  name: string
}

export interface CoinGeckoProvider extends QuoteProvider {
  search(query: string, signal?: AbortSignal): Promise<CryptoSearchHit[]>
}

export interface CoinGeckoProviderOptions {
  baseUrl?: string
  apiKey?: string
  timeoutMs?: number
  deps: ProviderDeps
  http?: AxiosInstance
}

export function unknownCoinGeckoSymbol(symbol: string): string {
  return `Unknown symbol ${symbol}: CoinGecko knows no such coin (use the BASE-QUOTE form, e.g. BTC-USD).`
}

function statusError(body: string): { code: number; message: string } | null {
  try {
    const parsed = StatusBodySchema.safeParse(JSON.parse(body))
    return parsed.success ? { code: parsed.data.status.error_code, message: parsed.data.status.error_message ?? '' } : null
  } catch {
    return null
  }
}

export function createCoinGeckoProvider(options: CoinGeckoProviderOptions): CoinGeckoProvider {
  const { deps } = options
  const http = options.http ?? createHttpClient({ userAgent: USER_AGENT })
  const base = (options.baseUrl ?? COINGECKO_REST_URL).replace(/\/+$/, '')
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (options.apiKey) headers['x-cg-demo-api-key'] = options.apiKey
  /** Ticker → coin found by /search, or the time until which it counts as unknown. */
  const lookedUp = new Map<string, Coin | number>()

  async function get(path: string, signal?: AbortSignal): Promise<HttpReply> {
    return getText(http, COINGECKO_LABEL, { url: `${base}${path}`, timeoutMs, signal, headers })
  }

  function callFailure(reply: HttpReply, what: string): ProviderError | null {
    const status = statusError(reply.body)
    if (reply.status === 429 || status?.code === 429) {
      const retryAfterMs = parseRetryAfter(reply.headers['retry-after'], deps.now()) ?? DEFAULT_RETRY_MS
      return new ProviderError(
        'rate-limit',
        `CoinGecko rate limit reached (about 30 calls/min without a key); trying again in ${describeWait(retryAfterMs)}.`,
        retryAfterMs
      )
    }
    if ((status !== null && KEY_ERRORS.has(status.code)) || reply.status === 401 || reply.status === 403) {
      if (status?.code === 1020) return new ProviderError('server', 'CoinGecko blocked the request at its CDN (error 1020).')
      const detail = status?.message ? ` (${status.message})` : ''
      return new ProviderError('auth', `CoinGecko rejected the key: invalid API key${detail}.`)
    }
    if (reply.status >= 500) return new ProviderError('server', `CoinGecko had a server problem (HTTP ${reply.status}).`)
    if (looksLikeHtml(reply.body, reply.headers['content-type'])) {
      deps.log('warn', `CoinGecko ${what}: HTML instead of JSON (HTTP ${reply.status}): ${snippet(reply.body)}`)
      return new ProviderError('bad-payload', 'CoinGecko sent a web page instead of market data.')
    }
    if (reply.status !== 200) {
      return new ProviderError('server', `CoinGecko refused the request (HTTP ${reply.status}${status?.message ? `: ${status.message}` : ''}).`)
    }
    return null
  }

  const readJson = <T>(reply: HttpReply, schema: z.ZodType<T>, what: string): T => readJsonShape(reply, schema, 'CoinGecko', what, deps.log)

  async function searchCoins(query: string, signal?: AbortSignal): Promise<z.infer<typeof SearchBodySchema>['coins']> {
    const reply = await get(`/search?query=${encodeURIComponent(query)}`, signal)
    const failure = callFailure(reply, 'search')
    if (failure) throw failure
    return readJson(reply, SearchBodySchema, 'search').coins
  }

  async function coinFor(ticker: string, signal?: AbortSignal): Promise<Coin | null> {
    const known = COINGECKO_KNOWN[ticker]
    if (known) return known
    const cached = lookedUp.get(ticker)
    if (typeof cached === 'object') return cached
    if (typeof cached === 'number' && cached > deps.now()) return null
    const matches = (await searchCoins(ticker, signal)).filter((c) => c.symbol.toUpperCase() === ticker)
    const rank = (c: { market_cap_rank?: number | null }): number => c.market_cap_rank ?? Number.MAX_SAFE_INTEGER
    const best = matches.sort((a, b) => rank(a) - rank(b))[0]
    const coin = best ? { id: best.id, name: best.name } : null
    lookedUp.set(ticker, coin ?? deps.now() + UNKNOWN_TTL_MS)
    return coin
  }

  async function fetchQuotes(symbols: readonly string[], signal?: AbortSignal): Promise<FetchResult> {
    const result: FetchResult = { quotes: [], errors: [] }
    const wanted: { symbol: string; coin: Coin; vs: string }[] = []
    for (const symbol of uniqueSymbols(symbols)) {
      const pair = parsePair(symbol)
      const coin = pair ? await coinFor(pair.base, signal) : null
      if (pair === null || coin === null) result.errors.push({ symbol, message: unknownCoinGeckoSymbol(symbol) })
      else wanted.push({ symbol, coin, vs: pair.quote.toLowerCase() })
    }
    if (wanted.length === 0) return result
    const ids = [...new Set(wanted.map((w) => w.coin.id))].join(',')
    const vs = [...new Set(wanted.map((w) => w.vs))].join(',')
    const reply = await get(
      `/simple/price?ids=${encodeURIComponent(ids)}&vs_currencies=${encodeURIComponent(vs)}` +
        '&include_market_cap=true&include_24hr_vol=true&include_24hr_change=true&include_last_updated_at=true',
      signal
    )
    const failure = callFailure(reply, 'simple/price')
    if (failure) throw failure
    const prices = readJson(reply, PriceBodySchema, 'simple/price')
    for (const { symbol, coin, vs: currency } of wanted) {
      const entry = prices[coin.id]
      const price = entry?.[currency]
      if (entry === undefined || price === undefined || price === null) {
        const message = entry === undefined ? unknownCoinGeckoSymbol(symbol) : `Unknown symbol ${symbol}: CoinGecko has no ${coin.name} price in ${currency.toUpperCase()}.`
        result.errors.push({ symbol, message })
        continue
      }
      result.quotes.push(toQuote(symbol, coin, currency, price, entry))
    }
    return result
  }

  function toQuote(symbol: string, coin: Coin, vs: string, price: number, entry: Record<string, number | null>): Quote {
    const pct = entry[`${vs}_24h_change`] ?? null
    const dayAgo = pct === null || pct <= -100 ? null : price / (1 + pct / 100)
    const updated = entry.last_updated_at
    return {
      symbol,
      name: coin.name,
      price,
      change: dayAgo === null ? null : price - dayAgo,
      changePercent: pct,
      open: null,
      previousClose: null,
      dayHigh: null,
      dayLow: null,
      volume: entry[`${vs}_24h_vol`] ?? null,
      marketCap: entry[`${vs}_market_cap`] ?? null,
      currency: vs.toUpperCase(),
      marketState: 'regular',
      preMarketPrice: null,
      postMarketPrice: null,
      fiftyTwoWeekHigh: null,
      fiftyTwoWeekLow: null,
      providerTime: typeof updated === 'number' ? updated * 1000 : deps.now(),
      receivedAt: deps.now(),
      source: 'coingecko',
      delayed: false
    }
  }

  const guard = <T>(work: () => Promise<T>): Promise<T> => guarded('CoinGecko', deps.log, work)

  return {
    id: 'coingecko',
    limits: COINGECKO_LIMITS,
    fetchQuotes: (symbols, signal) => guard(() => fetchQuotes(symbols, signal)),
    search: (query, signal) =>
      guard(async () => {
        const q = query.trim()
        if (q === '') return []
        const coins = await searchCoins(q, signal)
        return coins.slice(0, 20).map((c) => ({ symbol: `${c.symbol.toUpperCase()}-USD`, name: c.name, exchange: 'CoinGecko', type: 'CRYPTOCURRENCY' }))
      })
  }
}
