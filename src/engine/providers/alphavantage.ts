/**
 * Alpha Vantage quotes, search, listings and company overview (API key required, sent as the
 * `apikey` query parameter: the service accepts it nowhere else).
 *
 * - Free key: GLOBAL_QUOTE, one symbol per request, end-of-day data (`delayed: true`).
 * - Premium key (TICKERDESK_ALPHAVANTAGE_PREMIUM=1): REALTIME_BULK_QUOTES, up to 100 symbols.
 * - Every problem arrives as HTTP 200 with an `Information`, `Note` or `Error Message` body; see
 *   alphavantage-replies.ts for how each maps to a ProviderError. `{"Global Quote":{}}` is an
 *   unknown symbol and only that symbol's error.
 * - Market cap, name and 52-week range come from OVERVIEW, one request per symbol, cached per
 *   symbol per UTC day. The quote path spends a request on it only with a premium key (one per
 *   call); on a free key only profiles fetched through `profile()` are used.
 *
 * URLs: the real endpoint is `https://www.alphavantage.co/query`. TICKERDESK_ALPHAVANTAGE_URL
 * replaces the origin, so requests go to `<override>/query?function=…`; an override that already
 * ends in `/query` is used as it is.
 */
import type { AxiosInstance } from 'axios'
import type { Quote } from '../../shared/quote'
import { createHttpClient, getText, type HttpReply } from './http-client'
import { ProviderError, type FetchResult, type ProviderDeps, type QuoteProvider } from './provider'
import { alphaVantageLimits } from './alphavantage-limits'
import { parseListingCsv, type AvListingTable } from './alphavantage-listing'
import { profileFromOverview, quoteFromBulk, quoteFromGlobal, type AvProfile } from './alphavantage-normalise'
import {
  AV_LABEL,
  AV_NO_KEY_MESSAGE,
  avMalformed,
  avSignal,
  parseAvJson,
  signalError,
  transportFailure
} from './alphavantage-replies'
import { utcDay } from './alphavantage-time'
import { isRecord } from './json-reply'
import { asProviderError } from './provider-failure'
import { uniqueSymbols } from './unique-symbols'

export type { AvListing, AvListingTable } from './alphavantage-listing'
export type { AvProfile } from './alphavantage-normalise'

export const ALPHAVANTAGE_DEFAULT_URL = 'https://www.alphavantage.co/query'
export const ALPHAVANTAGE_USER_AGENT = 'TickerDesk/0.1 (+https://tickerdesk.app)'
export const ALPHAVANTAGE_DEFAULT_TIMEOUT_MS = 15_000
/** REALTIME_BULK_QUOTES ignores symbols past the 100th. */
export const ALPHAVANTAGE_BULK_MAX = 100

export interface SymbolSearchHit {
  symbol: string
  name: string | null
  exchange: string | null
  type: string | null
}

export interface AlphaVantageProvider extends QuoteProvider {
  readonly premium: boolean
  /** SYMBOL_SEARCH. `exchange` holds the region ("United States"): the search gives no venue. */
  search(query: string, signal?: AbortSignal): Promise<SymbolSearchHit[]>
  /** LISTING_STATUS (CSV), active listings by default. */
  listingStatus(options?: { state?: 'active' | 'delisted'; date?: string }, signal?: AbortSignal): Promise<AvListingTable>
  /** OVERVIEW for one symbol, cached for the UTC day; null when Alpha Vantage has none. */
  profile(symbol: string, signal?: AbortSignal): Promise<AvProfile | null>
}

export interface AlphaVantageOptions {
  baseUrl?: string
  key?: string
  premium?: boolean
  deps: ProviderDeps
  http?: AxiosInstance
  timeoutMs?: number
  /** OVERVIEW requests a quote call may spend on missing profiles; default 1 with premium, else 0. */
  overviewsPerCall?: number
}

export function alphaVantageQueryUrl(baseUrl?: string): string {
  if (baseUrl === undefined || baseUrl.trim() === '') return ALPHAVANTAGE_DEFAULT_URL
  const base = baseUrl.trim().replace(/\/+$/, '')
  return /\/query$/.test(base) ? base : `${base}/query`
}

export function createAlphaVantageProvider(options: AlphaVantageOptions): AlphaVantageProvider {
  const { deps } = options
  const premium = options.premium ?? false
  const http = options.http ?? createHttpClient({ userAgent: ALPHAVANTAGE_USER_AGENT })
  const url = alphaVantageQueryUrl(options.baseUrl)
  const timeoutMs = options.timeoutMs ?? ALPHAVANTAGE_DEFAULT_TIMEOUT_MS
  const overviewsPerCall = options.overviewsPerCall ?? (premium ? 1 : 0)
  const key = options.key?.trim() || undefined
  const profiles = new Map<string, { day: string; profile: AvProfile | null }>()

  async function request(fn: string, params: Record<string, string>, signal?: AbortSignal): Promise<HttpReply> {
    if (key === undefined) throw new ProviderError('auth', AV_NO_KEY_MESSAGE)
    const query = new URLSearchParams({ function: fn, ...params, apikey: key })
    const reply = await getText(http, AV_LABEL, { url: `${url}?${query.toString()}`, timeoutMs, signal, headers: { Accept: 'application/json, text/csv' } })
    const failure = transportFailure(reply, deps, fn)
    if (failure) throw failure
    return reply
  }

  /** A JSON answer with Alpha Vantage's HTTP-200 signals turned into errors; `invalid-call` is returned as text. */
  async function requestJson(fn: string, params: Record<string, string>, signal?: AbortSignal): Promise<Record<string, unknown> | { invalidCall: string }> {
    const reply = await request(fn, params, signal)
    const body = parseAvJson(reply, deps, fn)
    const sig = avSignal(body)
    if (sig?.kind === 'invalid-call') return { invalidCall: sig.text }
    if (sig) throw signalError(sig, fn, deps.now())
    if (!isRecord(body)) throw avMalformed()
    return body
  }

  function cachedProfile(symbol: string): { fresh: boolean; profile: AvProfile | null } | undefined {
    const entry = profiles.get(symbol.toUpperCase())
    return entry && { fresh: entry.day === utcDay(deps.now()), profile: entry.profile }
  }

  async function loadProfile(symbol: string, signal?: AbortSignal): Promise<AvProfile | null> {
    const body = await requestJson('OVERVIEW', { symbol }, signal)
    const profile = 'invalidCall' in body ? null : profileFromOverview(body)
    profiles.set(symbol.toUpperCase(), { day: utcDay(deps.now()), profile })
    return profile
  }

  /** Spends at most `overviewsPerCall` requests on profiles that are missing or from an earlier day. */
  async function topUpProfiles(symbols: readonly string[], signal?: AbortSignal): Promise<void> {
    let budget = overviewsPerCall
    for (const symbol of symbols) {
      if (budget <= 0) return
      if (cachedProfile(symbol)?.fresh) continue
      budget--
      try {
        await loadProfile(symbol, signal)
      } catch (error) {
        // A profile is extra: its failure never costs the user the price.
        deps.log('debug', `${AV_LABEL}: no overview for ${symbol}: ${error instanceof Error ? error.message : String(error)}`)
        return
      }
    }
  }

  async function globalQuote(symbol: string, signal?: AbortSignal): Promise<Quote | { error: string }> {
    const body = await requestJson('GLOBAL_QUOTE', { symbol }, signal)
    if ('invalidCall' in body) return { error: `Unknown symbol ${symbol}` }
    const item = body['Global Quote']
    if (!isRecord(item)) {
      deps.log('warn', `${AV_LABEL} GLOBAL_QUOTE: no "Global Quote" object for ${symbol}`)
      throw avMalformed()
    }
    if (typeof item['01. symbol'] !== 'string') return { error: `Unknown symbol ${symbol}` }
    return quoteFromGlobal(item, symbol, deps.now(), cachedProfile(symbol)?.profile ?? null)
  }

  async function fetchFree(symbols: readonly string[], signal?: AbortSignal): Promise<FetchResult> {
    const result: FetchResult = { quotes: [], errors: [] }
    for (const [i, symbol] of symbols.entries()) {
      let outcome: Quote | { error: string }
      try {
        outcome = await globalQuote(symbol, signal)
      } catch (error) {
        // Nothing priced yet: the whole request failed. Later on, keep what was priced.
        if (i === 0) throw error
        const message = asProviderError(error, AV_LABEL, deps.log).message
        for (const rest of symbols.slice(i)) result.errors.push({ symbol: rest, message })
        break
      }
      if ('error' in outcome) result.errors.push({ symbol, message: outcome.error })
      else result.quotes.push(outcome)
    }
    return result
  }

  async function fetchBulk(symbols: readonly string[], signal?: AbortSignal): Promise<FetchResult> {
    const asked = symbols.slice(0, ALPHAVANTAGE_BULK_MAX)
    const body = await requestJson('REALTIME_BULK_QUOTES', { symbol: asked.join(',') }, signal)
    if ('invalidCall' in body) return { quotes: [], errors: asked.map((symbol) => ({ symbol, message: `Unknown symbol ${symbol}` })) }
    if (!Array.isArray(body.data)) {
      deps.log('warn', `${AV_LABEL} REALTIME_BULK_QUOTES: no "data" array`)
      throw avMalformed()
    }
    const rows = new Map<string, Record<string, unknown>>()
    for (const row of body.data) {
      if (isRecord(row) && typeof row.symbol === 'string' && !rows.has(row.symbol.toUpperCase())) rows.set(row.symbol.toUpperCase(), row)
    }
    const result: FetchResult = { quotes: [], errors: [] }
    const receivedAt = deps.now()
    for (const symbol of asked) {
      const row = rows.get(symbol.toUpperCase())
      const outcome = row === undefined ? { error: `Unknown symbol ${symbol}` } : quoteFromBulk(row, symbol, receivedAt, cachedProfile(symbol)?.profile ?? null)
      if ('error' in outcome) result.errors.push({ symbol, message: outcome.error })
      else result.quotes.push(outcome)
    }
    for (const symbol of symbols.slice(ALPHAVANTAGE_BULK_MAX)) {
      result.errors.push({ symbol, message: `${AV_LABEL} prices at most ${ALPHAVANTAGE_BULK_MAX} symbols per request; ${symbol} was not asked for` })
    }
    return result
  }

  /** Profiles fetched during this call land on the quotes already built. */
  function attachProfiles(result: FetchResult): FetchResult {
    return {
      errors: result.errors,
      quotes: result.quotes.map((quote) => {
        const profile = cachedProfile(quote.symbol)?.profile
        if (!profile) return quote
        return {
          ...quote,
          name: quote.name ?? profile.name,
          currency: quote.currency ?? profile.currency,
          marketCap: quote.marketCap ?? profile.marketCap,
          fiftyTwoWeekHigh: quote.fiftyTwoWeekHigh ?? profile.fiftyTwoWeekHigh,
          fiftyTwoWeekLow: quote.fiftyTwoWeekLow ?? profile.fiftyTwoWeekLow
        }
      })
    }
  }

  return {
    id: 'alphavantage',
    limits: alphaVantageLimits(premium),
    premium,

    async fetchQuotes(symbols, signal) {
      try {
        const unique = uniqueSymbols(symbols)
        if (unique.length === 0) return { quotes: [], errors: [] }
        const result = premium ? await fetchBulk(unique, signal) : await fetchFree(unique, signal)
        if (overviewsPerCall <= 0) return result
        await topUpProfiles(result.quotes.map((q) => q.symbol), signal)
        return attachProfiles(result)
      } catch (error) {
        throw asProviderError(error, AV_LABEL, deps.log)
      }
    },

    async search(query, signal) {
      try {
        const keywords = query.trim()
        if (keywords === '') return []
        const body = await requestJson('SYMBOL_SEARCH', { keywords }, signal)
        if ('invalidCall' in body) return []
        if (!Array.isArray(body.bestMatches)) throw avMalformed()
        const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null)
        const hits: SymbolSearchHit[] = []
        for (const match of body.bestMatches) {
          if (!isRecord(match)) continue
          const symbol = text(match['1. symbol'])
          if (symbol === null) continue
          hits.push({ symbol, name: text(match['2. name']), exchange: text(match['4. region']), type: text(match['3. type']) })
        }
        return hits
      } catch (error) {
        throw asProviderError(error, AV_LABEL, deps.log)
      }
    },

    async listingStatus(opts = {}, signal) {
      try {
        const params: Record<string, string> = {}
        if (opts.date !== undefined) params.date = opts.date
        if (opts.state !== undefined) params.state = opts.state
        const reply = await request('LISTING_STATUS', params, signal)
        // Limits and key problems still come as JSON, even from this CSV-only function.
        if (/^\s*\{/.test(reply.body)) {
          const body = parseAvJson(reply, deps, 'LISTING_STATUS')
          const sig = avSignal(body)
          if (sig && sig.kind !== 'invalid-call') throw signalError(sig, 'LISTING_STATUS', deps.now())
          throw new ProviderError('bad-payload', `${AV_LABEL} sent no listing (${sig?.text ?? 'JSON instead of CSV'}).`)
        }
        const table = parseListingCsv(reply.body)
        if (table.skipped > 0) deps.log('warn', `${AV_LABEL} LISTING_STATUS: skipped ${table.skipped} unreadable rows`)
        return table
      } catch (error) {
        throw asProviderError(error, AV_LABEL, deps.log)
      }
    },

    async profile(symbol, signal) {
      try {
        const cached = cachedProfile(symbol)
        if (cached?.fresh) return cached.profile
        return await loadProfile(symbol.trim(), signal)
      } catch (error) {
        throw asProviderError(error, AV_LABEL, deps.log)
      }
    }
  }
}
