/**
 * Twelve Data quotes, symbol search and price history (API key required).
 *
 * - Quotes: `/quote?symbol=A,B,…`, up to 8 symbols a request (1 credit each; see
 *   twelvedata-limits.ts). One symbol answers with a flat quote object; several answer with an
 *   object keyed by the symbols asked for, where a symbol Twelve Data does not know carries its
 *   own `{"code":404,…,"status":"error"}` and becomes that symbol's "Unknown symbol" error.
 * - Errors come either as HTTP 200 with `{"code":…,"message":…,"status":"error"}` or as a real
 *   4xx with the same body; both are read the same way (twelvedata-replies.ts).
 * - The key goes in the `Authorization: apikey KEY` header (Twelve Data also takes `?apikey=`),
 *   which keeps it out of URLs and logs.
 * - `api-credits-used` / `api-credits-left` headers are kept for whoever plans the quota.
 *
 * URLs: the real base is `https://api.twelvedata.com`; TICKERDESK_TWELVEDATA_URL replaces it, so
 * requests go to `<override>/quote`, `<override>/symbol_search`, `<override>/time_series`.
 */
import type { AxiosInstance } from 'axios'
import type { Quote } from '../../shared/quote'
import { createHttpClient, getText, type HttpReply } from './http-client'
import { ProviderError, type FetchResult, type ProviderDeps, type QuoteProvider } from './provider'
import { TD_INTERVALS, barsFromTimeSeries, type BarSeries, type TdInterval } from './twelvedata-bars'
import { TWELVEDATA_LIMITS } from './twelvedata-limits'
import { isQuoteObject, quoteFromTd } from './twelvedata-normalise'
import {
  TD_LABEL,
  TD_NO_KEY_MESSAGE,
  isUnknownSymbolCode,
  replyError,
  tdError,
  tdErrorBody,
  tdJson,
  tdMalformed
} from './twelvedata-replies'
import { isRecord } from './json-reply'
import { asProviderError, guarded } from './provider-failure'
import { fetchUniqueSymbols } from './unique-symbols'

export type { Bar, BarSeries, TdInterval } from './twelvedata-bars'
export { TD_INTERVALS } from './twelvedata-bars'

export const TWELVEDATA_DEFAULT_URL = 'https://api.twelvedata.com'
export const TWELVEDATA_USER_AGENT = 'TickerDesk/0.1 (+https://tickerdesk.app)'
export const TWELVEDATA_DEFAULT_TIMEOUT_MS = 15_000

export interface TwelveDataSearchHit {
  symbol: string
  name: string | null
  exchange: string | null
  type: string | null
}

export interface TwelveDataCredits {
  used: number
  left: number
  /** When the answer carrying them arrived, epoch ms. */
  at: number
}

export interface TwelveDataProvider extends QuoteProvider {
  /** `/symbol_search`; costs a credit like any request. */
  search(query: string, signal?: AbortSignal): Promise<TwelveDataSearchHit[]>
  /**
   * `/time_series`: `outputsize` bars (1–5000) ending now, oldest first. Rejects with ProviderError;
   * a symbol Twelve Data does not know rejects with "Unknown symbol XYZ".
   */
  fetchBars(symbol: string, interval: TdInterval, outputsize?: number, signal?: AbortSignal): Promise<BarSeries>
  /** The credits reported with the last answer, or null before any. */
  credits(): TwelveDataCredits | null
}

export interface TwelveDataOptions {
  baseUrl?: string
  key?: string
  deps: ProviderDeps
  http?: AxiosInstance
  timeoutMs?: number
  /** Where the key goes; the header by default. */
  keyIn?: 'header' | 'query'
}

const headerNumber = (value: unknown): number | null => {
  const n = Number(Array.isArray(value) ? value[0] : value)
  return value === undefined || value === null || value === '' || !Number.isFinite(n) ? null : n
}

export function createTwelveDataProvider(options: TwelveDataOptions): TwelveDataProvider {
  const { deps } = options
  const http = options.http ?? createHttpClient({ userAgent: TWELVEDATA_USER_AGENT })
  const base = (options.baseUrl?.trim() || TWELVEDATA_DEFAULT_URL).replace(/\/+$/, '')
  const timeoutMs = options.timeoutMs ?? TWELVEDATA_DEFAULT_TIMEOUT_MS
  const key = options.key?.trim() || undefined
  const keyIn = options.keyIn ?? 'header'
  let lastCredits: TwelveDataCredits | null = null

  /** One GET; the body comes back parsed, or the reply's error is thrown / returned for the caller to judge. */
  async function request(path: string, params: Record<string, string>, signal?: AbortSignal): Promise<{ reply: HttpReply; body: unknown }> {
    if (key === undefined) throw new ProviderError('auth', TD_NO_KEY_MESSAGE)
    const query = new URLSearchParams(params)
    if (keyIn === 'query') query.set('apikey', key)
    const headers: Record<string, string> = { Accept: 'application/json' }
    if (keyIn === 'header') headers.Authorization = `apikey ${key}`
    const reply = await getText(http, TD_LABEL, { url: `${base}${path}?${query.toString()}`, timeoutMs, signal, headers })
    const used = headerNumber(reply.headers['api-credits-used'])
    const left = headerNumber(reply.headers['api-credits-left'])
    if (used !== null && left !== null) lastCredits = { used, left, at: deps.now() }
    return { reply, body: tdJson(reply, deps, path) }
  }

  async function fetchBatch(symbols: readonly string[], signal?: AbortSignal): Promise<FetchResult> {
    const { reply, body } = await request('/quote', { symbol: symbols.join(',') }, signal)
    const whole = replyError(reply, body)
    if (whole !== null) {
      // A single unknown symbol fails the request; so does a batch of nothing but unknown symbols.
      if (isUnknownSymbolCode(whole.code) && (symbols.length === 1 || /not found|symbol/i.test(whole.message))) {
        return { quotes: [], errors: symbols.map((symbol) => ({ symbol, message: `Unknown symbol ${symbol}` })) }
      }
      throw tdError(whole, deps.now())
    }
    if (!isRecord(body)) throw tdMalformed()

    const items = new Map<string, unknown>()
    if (symbols.length === 1 && isQuoteObject(body)) items.set(symbols[0]!.toUpperCase(), body)
    else for (const [k, v] of Object.entries(body)) items.set(k.toUpperCase(), v)

    const receivedAt = deps.now()
    const quotes: Quote[] = []
    const errors: FetchResult['errors'] = []
    const limited: ProviderError[] = []
    for (const symbol of symbols) {
      const item = items.get(symbol.toUpperCase())
      const inline = tdErrorBody(item)
      if (item === undefined || (inline && isUnknownSymbolCode(inline.code))) {
        errors.push({ symbol, message: `Unknown symbol ${symbol}` })
      } else if (inline) {
        const error = tdError(inline, receivedAt)
        if (error.kind === 'rate-limit') limited.push(error)
        errors.push({ symbol, message: error.message })
      } else if (isQuoteObject(item)) {
        const outcome = quoteFromTd(item, symbol, receivedAt)
        if ('error' in outcome) errors.push({ symbol, message: outcome.error })
        else quotes.push(outcome)
      } else {
        errors.push({ symbol, message: `${TD_LABEL} sent unusable data for ${symbol}` })
      }
    }
    // Limited everywhere: the request as a whole was over the limit, so the scheduler must wait.
    if (limited.length === symbols.length && limited[0]) throw limited[0]
    return { quotes, errors }
  }

  return {
    id: 'twelvedata',
    limits: TWELVEDATA_LIMITS,

    fetchQuotes: (symbols, signal) => guarded(TD_LABEL, deps.log, () => fetchUniqueSymbols(symbols, (unique) => fetchBatch(unique, signal))),

    async search(query, signal) {
      try {
        const q = query.trim()
        if (q === '') return []
        const { reply, body } = await request('/symbol_search', { symbol: q }, signal)
        const error = replyError(reply, body)
        if (error) {
          if (isUnknownSymbolCode(error.code)) return []
          throw tdError(error, deps.now())
        }
        if (!isRecord(body) || !Array.isArray(body.data)) throw tdMalformed()
        const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null)
        const hits: TwelveDataSearchHit[] = []
        for (const row of body.data) {
          if (!isRecord(row) || text(row.symbol) === null) continue
          hits.push({ symbol: text(row.symbol)!, name: text(row.instrument_name), exchange: text(row.exchange), type: text(row.instrument_type) })
        }
        return hits
      } catch (error) {
        throw asProviderError(error, TD_LABEL, deps.log)
      }
    },

    async fetchBars(symbol, interval, outputsize = 30, signal) {
      try {
        if (!TD_INTERVALS.includes(interval)) {
          throw new ProviderError('bad-payload', `${TD_LABEL} has no "${String(interval)}" interval; use one of ${TD_INTERVALS.join(', ')}.`)
        }
        const size = Math.min(5000, Math.max(1, Math.floor(outputsize)))
        const s = symbol.trim()
        const { reply, body } = await request('/time_series', { symbol: s, interval, outputsize: String(size) }, signal)
        const error = replyError(reply, body)
        if (error) {
          if (isUnknownSymbolCode(error.code) && /not found|symbol/i.test(error.message)) throw new ProviderError('bad-payload', `Unknown symbol ${s}`)
          throw tdError(error, deps.now())
        }
        const { series, skipped } = barsFromTimeSeries(body, s, interval)
        if (skipped > 0) deps.log('warn', `${TD_LABEL} time_series: skipped ${skipped} unreadable bars for ${s}`)
        return series
      } catch (error) {
        throw asProviderError(error, TD_LABEL, deps.log)
      }
    },

    credits: () => lastCredits
  }
}
