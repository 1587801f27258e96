/**
 * Coinbase Exchange public market data (no key).
 *
 * - Symbols: the app's `BTC-USD` is already a Coinbase product id (`BTC/USD` is accepted and
 *   sent as `BTC-USD`). Rows come back under the symbol the user asked for.
 * - Quotes: one product per call (limits.maxBatch 1): `/products/{id}/ticker` for the last trade
 *   and `/products/{id}/stats` for the 24 h open, high, low and volume, fetched together. Crypto
 *   trades around the clock, so change and change % are measured against the 24 h open, and
 *   previousClose stays null.
 * - Failures: 404 `{"message":"NotFound"}` is a per-symbol "Unknown symbol"; 429 fails the call
 *   as 'rate-limit'; 5xx as 'server'; HTML or unreadable JSON as 'bad-payload'.
 * - `/products` is the listing behind `listSymbols()` and `search()`, cached for an hour.
 *
 * Endpoints: real base `https://api.exchange.coinbase.com`. TICKERDESK_COINBASE_URL replaces that
 * whole base (e.g. `http://127.0.0.1:P` + `/products/BTC-USD/ticker`).
 */
import type { AxiosInstance } from 'axios'
import { z } from 'zod'
import type { Quote } from '../../shared/quote'
import { COINBASE_LIMITS } from './coinbase-limits'
import { changeFrom, filterHits, parsePair, toNumber, type CryptoSearchHit } from './crypto-pair'
import { createHttpClient, getText, type HttpReply } from './http-client'
import { describeWait, looksLikeHtml, parseRetryAfter, snippet } from './http-errors'
import { ProviderError, type FetchResult, type ProviderDeps, type QuoteProvider } from './provider'
import { readJsonShape } from './json-reply'
import { guarded } from './provider-failure'
import { uniqueSymbols } from './unique-symbols'

export const COINBASE_LABEL = 'Coinbase'
export const COINBASE_REST_URL = 'https://api.exchange.coinbase.com'
export const COINBASE_USER_AGENT = 'TickerDesk/0.1 (+https://tickerdesk.app)'
const DEFAULT_TIMEOUT_MS = 10_000
const LISTING_TTL_MS = 60 * 60 * 1000
/** Coinbase sends no Retry-After; its bucket refills within a second. */
const DEFAULT_RETRY_MS = 1000

const TickerSchema = z.object({ price: z.string(), time: z.string(), volume: z.string().optional() })
const StatsSchema = z.object({ open: z.string(), high: z.string(), low: z.string(), volume: z.string() })
const ProductSchema = z.object({
  id: z.string(),
  base_currency: z.string(),
  quote_currency: z.string(),
  status: z.string().optional(),
  trading_disabled: z.boolean().optional()
})
const ErrorBodySchema = z.object({ message: z.string() })

export interface CoinbaseProvider extends QuoteProvider {
  /** Every online product as a directory row (`BTC-USD`, "BTC / USD"). */
  listSymbols(signal?: AbortSignal): Promise<CryptoSearchHit[]>
  search(query: string, signal?: AbortSignal): Promise<CryptoSearchHit[]>
}

export interface CoinbaseProviderOptions {
  baseUrl?: string
  timeoutMs?: number
  deps: ProviderDeps
  http?: AxiosInstance
}

/** The Coinbase product id for an app symbol, or null when it is not a BASE-QUOTE pair. */
export function coinbaseProductId(symbol: string): string | null {
  const pair = parsePair(symbol)
  return pair ? `${pair.base}-${pair.quote}` : null
}

export function unknownSymbol(symbol: string): string {
  return `Unknown symbol ${symbol}: Coinbase has no such product (use the BASE-QUOTE form, e.g. BTC-USD).`
}

function errorMessage(body: string): string | null {
  try {
    const parsed = ErrorBodySchema.safeParse(JSON.parse(body))
    return parsed.success ? parsed.data.message : null
  } catch {
    return null
  }
}

export function createCoinbaseProvider(options: CoinbaseProviderOptions): CoinbaseProvider {
  const { deps } = options
  const http = options.http ?? createHttpClient({ userAgent: COINBASE_USER_AGENT })
  const base = (options.baseUrl ?? COINBASE_REST_URL).replace(/\/+$/, '')
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  let listing: { at: number; hits: CryptoSearchHit[] } | null = null

  const get = (path: string, signal?: AbortSignal): Promise<HttpReply> =>
    getText(http, COINBASE_LABEL, { url: `${base}${path}`, timeoutMs, signal, headers: { Accept: 'application/json' } })

  /** Failures of the whole call, whatever the endpoint; null when the reply needs reading. */
  function callFailure(reply: HttpReply, what: string): ProviderError | null {
    if (reply.status === 429) {
      const retryAfterMs = parseRetryAfter(reply.headers['retry-after'], deps.now()) ?? DEFAULT_RETRY_MS
      return new ProviderError(
        'rate-limit',
        `Coinbase rate limit reached (10 requests/s per IP); trying again in ${describeWait(retryAfterMs)}.`,
        retryAfterMs
      )
    }
    if (reply.status >= 500) {
      const detail = errorMessage(reply.body)
      return new ProviderError('server', `Coinbase had a server problem (HTTP ${reply.status}${detail ? `: ${detail}` : ''}).`)
    }
    if (looksLikeHtml(reply.body, reply.headers['content-type'])) {
      deps.log('warn', `Coinbase ${what}: HTML instead of JSON (HTTP ${reply.status}): ${snippet(reply.body)}`)
      return new ProviderError('bad-payload', 'Coinbase sent a web page instead of market data.')
    }
    return null
  }

  const readJson = <T>(reply: HttpReply, schema: z.ZodType<T>, what: string): T => readJsonShape(reply, schema, 'Coinbase', what, deps.log)

  type ProductOutcome = { quote: Quote } | { error: string }

  async function fetchProduct(symbol: string, signal?: AbortSignal): Promise<ProductOutcome> {
    const product = coinbaseProductId(symbol)
    if (product === null) return { error: unknownSymbol(symbol) }
    const id = encodeURIComponent(product)
    const [ticker, stats] = await Promise.all([get(`/products/${id}/ticker`, signal), get(`/products/${id}/stats`, signal)])
    for (const reply of [ticker, stats]) {
      const failure = callFailure(reply, `product ${product}`)
      if (failure) throw failure
    }
    if (ticker.status === 404 || stats.status === 404) return { error: unknownSymbol(symbol) }
    for (const reply of [ticker, stats]) {
      if (reply.status === 400) return { error: `Coinbase refused ${symbol}: ${errorMessage(reply.body) ?? 'bad request'}.` }
      if (reply.status !== 200) {
        const detail = errorMessage(reply.body)
        const kind = reply.status === 401 || reply.status === 403 ? 'auth' : 'server'
        throw new ProviderError(kind, `Coinbase refused the request (HTTP ${reply.status}${detail ? `: ${detail}` : ''}).`)
      }
    }
    const t = readJson(ticker, TickerSchema, 'ticker')
    const s = readJson(stats, StatsSchema, 'stats')
    const price = toNumber(t.price)
    const time = Date.parse(t.time)
    if (price === null || Number.isNaN(time)) return { error: `Coinbase sent no usable price for ${symbol}.` }
    const open = toNumber(s.open)
    const pair = parsePair(product)
    return {
      quote: {
        symbol,
        name: null,
        price,
        ...changeFrom(price, open),
        open,
        previousClose: null,
        dayHigh: toNumber(s.high),
        dayLow: toNumber(s.low),
        volume: toNumber(s.volume) ?? toNumber(t.volume),
        marketCap: null,
        currency: pair?.quote ?? null,
        marketState: 'regular',
        preMarketPrice: null,
        postMarketPrice: null,
        fiftyTwoWeekHigh: null,
        fiftyTwoWeekLow: null,
        providerTime: time,
        receivedAt: deps.now(),
        source: 'coinbase',
        delayed: false
      }
    }
  }

  async function listSymbols(signal?: AbortSignal): Promise<CryptoSearchHit[]> {
    if (listing !== null && deps.now() - listing.at < LISTING_TTL_MS) return listing.hits
    const reply = await get('/products', signal)
    const failure = callFailure(reply, 'products')
    if (failure) throw failure
    if (reply.status !== 200) throw new ProviderError('server', `Coinbase refused the product listing (HTTP ${reply.status}).`)
    const products = readJson(reply, z.array(z.unknown()), 'products')
    const hits: CryptoSearchHit[] = []
    for (const raw of products) {
      const parsed = ProductSchema.safeParse(raw)
      if (!parsed.success) continue
      const p = parsed.data
      if (p.trading_disabled === true || (p.status !== undefined && p.status !== 'online')) continue
      hits.push({ symbol: p.id.toUpperCase(), name: `${p.base_currency} / ${p.quote_currency}`, exchange: 'Coinbase', type: 'CRYPTOCURRENCY' })
    }
    hits.sort((a, b) => a.symbol.localeCompare(b.symbol))
    listing = { at: deps.now(), hits }
    return hits
  }

  const guard = <T>(work: () => Promise<T>): Promise<T> => guarded('Coinbase', deps.log, work)

  return {
    id: 'coinbase',
    limits: COINBASE_LIMITS,

    fetchQuotes(symbols, signal) {
      return guard(async () => {
        const result: FetchResult = { quotes: [], errors: [] }
        // maxBatch is 1, but a longer list still works: one product after the other.
        for (const symbol of uniqueSymbols(symbols)) {
          const outcome = await fetchProduct(symbol, signal)
          if ('quote' in outcome) result.quotes.push(outcome.quote)
          else result.errors.push({ symbol, message: outcome.error })
        }
        return result
      })
    },

    listSymbols: (signal) => guard(() => listSymbols(signal)),

    search(query, signal) {
      return guard(async () => (query.trim() === '' ? [] : filterHits(await listSymbols(signal), query, 20)))
    }
  }
}
