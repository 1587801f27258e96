/**
 * Yahoo Finance quotes (unofficial API, no key, no SLA).
 *
 * Strategy:
 * 1. Primary path: the v7 batch quote endpoint, up to `limits.maxBatch` symbols per request. It
 *    needs a session: cookies from a Yahoo page (fc.yahoo.com, any status) and a crumb from
 *    /v1/test/getcrumb sent with those cookies. The crumb is cached and reused.
 * 2. When v7 answers 401 ("Invalid Crumb" / "Invalid Cookie") the session is renewed once and the
 *    batch retried. If it is refused again, v7 is left alone for a few minutes.
 * 3. Fallback: when no crumb can be had (getcrumb not 200, or 200 with "Too Many Requests", or no
 *    cookie) or v7 keeps refusing, each symbol is priced from the keyless v8 chart endpoint and
 *    built into the same Quote shape. The crumb is tried again after CRUMB_RETRY_MS.
 * 4. Failures: a lost network or a rate limit fails the whole batch as a ProviderError the
 *    scheduler acts on (offline detection, cool-down with retryAfterMs); unknown or delisted
 *    symbols and odd single items are per-symbol errors that never hide the other rows.
 *
 * With `baseUrl` (TICKERDESK_YAHOO_URL) every request, the cookie step included, goes to that
 * base with the same paths, which is how tests and demos run against a local fake.
 */
import type { AxiosInstance } from 'axios'
import { createHttpClient, getText } from './http-client'
import { type FetchResult, type ProviderDeps, type QuoteProvider } from './provider'
import { fetchViaChart } from './yahoo-chart'
import { yahooUrls, type YahooContext } from './yahoo-context'
import { YAHOO_LABEL, commonFailure, malformed, parseJson, unexpectedStatus } from './yahoo-replies'
import { SearchEnvelopeSchema, SearchHitSchema } from './yahoo-schemas'
import { YAHOO_LIMITS } from './yahoo-limits'
import { YahooSession } from './yahoo-session'
import { fetchV7 } from './yahoo-v7'
import { asProviderError, guarded } from './provider-failure'
import { fetchUniqueSymbols } from './unique-symbols'

export const YAHOO_USER_AGENT = 'Mozilla/5.0 (compatible; TickerDesk/0.1; +https://tickerdesk.app)'
export const YAHOO_DEFAULT_TIMEOUT_MS = 10_000

export interface YahooSearchHit {
  symbol: string
  name: string | null
  type: string | null
  exchange: string | null
}

export interface YahooProvider extends QuoteProvider {
  /** Symbol lookup by name or ticker; rejects with ProviderError like fetchQuotes. */
  search(query: string, signal?: AbortSignal): Promise<YahooSearchHit[]>
}

export interface YahooProviderOptions {
  baseUrl?: string
  timeoutMs?: number
  deps: ProviderDeps
  http?: AxiosInstance
}

export function createYahooProvider(options: YahooProviderOptions): YahooProvider {
  const { deps } = options
  const ctx: YahooContext = {
    http: options.http ?? createHttpClient({ userAgent: YAHOO_USER_AGENT }),
    urls: yahooUrls(options.baseUrl),
    deps,
    timeoutMs: options.timeoutMs ?? YAHOO_DEFAULT_TIMEOUT_MS
  }
  const session = new YahooSession(ctx)

  async function fetchBatch(symbols: readonly string[], signal?: AbortSignal): Promise<FetchResult> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const crumb = await session.getCrumb()
      if (crumb === null) break
      const outcome = await fetchV7(ctx, symbols, crumb, session.cookieHeader(), signal)
      if (outcome.kind === 'ok') return outcome.result
      deps.log('info', `${YAHOO_LABEL}: quote request refused (${outcome.reason}); renewing the session`)
      if (attempt === 0) session.invalidate()
      else session.backOff()
    }
    return fetchViaChart(ctx, symbols, session.cookieHeader(), signal)
  }

  return {
    id: 'yahoo',
    limits: YAHOO_LIMITS,

    fetchQuotes: (symbols, signal) => guarded(YAHOO_LABEL, deps.log, () => fetchUniqueSymbols(symbols, (unique) => fetchBatch(unique, signal))),

    async search(query, signal) {
      try {
        const q = query.trim()
        if (q === '') return []
        const reply = await getText(ctx.http, YAHOO_LABEL, {
          url: `${ctx.urls.search}?q=${encodeURIComponent(q)}&quotesCount=10&newsCount=0&enableFuzzyQuery=false`,
          timeoutMs: ctx.timeoutMs,
          signal,
          headers: { Accept: 'application/json' }
        })
        const failure = commonFailure(reply, deps, 'search')
        if (failure) throw failure
        if (reply.status !== 200) throw unexpectedStatus(reply)
        const envelope = SearchEnvelopeSchema.safeParse(parseJson(reply, deps, 'search'))
        if (!envelope.success) throw malformed()
        const hits: YahooSearchHit[] = []
        for (const raw of envelope.data.quotes ?? []) {
          const hit = SearchHitSchema.safeParse(raw)
          if (!hit.success) continue
          const h = hit.data
          hits.push({ symbol: h.symbol, name: h.shortname ?? h.longname ?? null, type: h.quoteType ?? null, exchange: h.exchDisp ?? null })
        }
        return hits
      } catch (error) {
        throw asProviderError(error, YAHOO_LABEL, deps.log)
      }
    }
  }
}
