/**
 * Finnhub quotes over REST (API key required; free plan 60 calls/min and 30/s).
 *
 * - `/quote?symbol=` prices one symbol per request (limits.maxBatch is 1). The all-zero answer
 *   (`c:0`, `t:0`) means Finnhub does not know the symbol: "Unknown symbol XYZ" for that symbol.
 * - Name, currency and market cap come from `/stock/profile2` (market cap reported in millions),
 *   once per symbol per UTC day and only with spare quota; a missing profile leaves nulls.
 * - `/quote` has no session field: US equities take it from the NYSE calendar, crypto pairs
 *   (`BINANCE:…`) are always 'regular' (finnhub-normalise.ts).
 * - Refusals: 401 → 'auth' "invalid API key"; 403 → 'auth' "not included in your Finnhub plan";
 *   429 → 'rate-limit' "Finnhub rate limit reached (60/min)…" with Retry-After or
 *   X-Ratelimit-Reset honoured; a lost network → 'network'. These end the whole request; only
 *   per-symbol answers go into `errors`.
 * - Search, the symbol list, market status and holidays are exported for the symbol directory
 *   and the market-hours calendar (finnhub-reference.ts); the live feed is finnhub-stream.ts.
 *
 * With `baseUrl` (TICKERDESK_FINNHUB_URL) the override replaces the whole real base
 * `https://finnhub.io/api/v1`: `http://127.0.0.1:P` + `/quote` → `http://127.0.0.1:P/quote`.
 */
import type { AxiosInstance } from 'axios'
import type { Quote } from '../../shared/quote'
import type { Sleep } from './finnhub-budget'
import { createFinnhubClient, type FinnhubClient } from './finnhub-client'
import { FINNHUB_LIMITS } from './finnhub-limits'
import { finnhubMarketState, isUnknownSymbolBody, quoteFromBody, type FinnhubMarketStateFn } from './finnhub-normalise'
import { ProfileCache } from './finnhub-profile'
import {
  finnhubMarketHolidays,
  finnhubMarketStatus,
  finnhubSearch,
  finnhubSymbols,
  type FinnhubListedSymbol,
  type FinnhubMarketHolidays,
  type FinnhubMarketStatus,
  type FinnhubSearchHit
} from './finnhub-reference'
import { FINNHUB_LABEL, malformed } from './finnhub-replies'
import { QuoteBodySchema } from './finnhub-schemas'
import { ProviderError, type FetchResult, type ProviderDeps, type QuoteProvider } from './provider'
import { asProviderError, guarded } from './provider-failure'
import { fetchUniqueSymbols } from './unique-symbols'

export type { FinnhubHoliday, FinnhubListedSymbol, FinnhubMarketHolidays, FinnhubMarketStatus, FinnhubSearchHit, FinnhubSession } from './finnhub-reference'

export interface FinnhubProviderOptions {
  /** API key; a key saved in Settings wins over TICKERDESK_FINNHUB_KEY before it gets here. */
  key: string | undefined
  baseUrl?: string
  timeoutMs?: number
  deps: ProviderDeps
  http?: AxiosInstance
  /** Look up name, currency and market cap (default true). */
  profiles?: boolean
  /** Market state for a quote; by default crypto is always open and US equities follow the NYSE calendar. */
  marketState?: FinnhubMarketStateFn
  sleep?: Sleep
}

export interface FinnhubProvider extends QuoteProvider {
  readonly client: FinnhubClient
  search(query: string, signal?: AbortSignal, options?: { exchange?: string }): Promise<FinnhubSearchHit[]>
  symbols(exchange?: string, signal?: AbortSignal): Promise<FinnhubListedSymbol[]>
  marketStatus(exchange?: string, signal?: AbortSignal): Promise<FinnhubMarketStatus>
  marketHolidays(exchange?: string, signal?: AbortSignal): Promise<FinnhubMarketHolidays>
}

type Outcome = { quote: Quote } | { message: string }

export function createFinnhubProvider(options: FinnhubProviderOptions): FinnhubProvider {
  const { deps } = options
  const client = createFinnhubClient(options)
  const profiles = options.profiles === false ? null : new ProfileCache(client)
  const marketState = options.marketState ?? finnhubMarketState

  async function fetchOne(symbol: string, signal?: AbortSignal): Promise<Outcome> {
    const parsed = QuoteBodySchema.safeParse(await client.get('/quote', { symbol }, { signal }))
    if (!parsed.success) {
      deps.log('warn', `${FINNHUB_LABEL} quote ${symbol}: unexpected shape: ${parsed.error.issues[0]?.message ?? 'unknown'}`)
      throw malformed()
    }
    const body = parsed.data
    if (isUnknownSymbolBody(body)) return { message: `Unknown symbol ${symbol}` }
    if (!(body.c > 0)) return { message: `${FINNHUB_LABEL} has no price for ${symbol}` }
    const profile = profiles ? await profiles.lookup(symbol, signal) : null
    return { quote: quoteFromBody(body, symbol, deps.now(), profile, marketState) }
  }

  /**
   * One request per symbol, in order. A refusal that would hit every symbol alike (limit, key,
   * plan, network) ends the call at once; a reply that cannot be read stays with its symbol
   * unless every symbol failed that way.
   */
  async function fetchAll(symbols: readonly string[], signal?: AbortSignal): Promise<FetchResult> {
    const quotes: Quote[] = []
    const errors: FetchResult['errors'] = []
    let firstProblem: ProviderError | null = null
    let problems = 0
    for (const symbol of symbols) {
      try {
        const outcome = await fetchOne(symbol, signal)
        if ('quote' in outcome) quotes.push(outcome.quote)
        else errors.push({ symbol, message: outcome.message })
      } catch (error) {
        const problem = asProviderError(error, FINNHUB_LABEL, deps.log)
        if (problem.kind !== 'bad-payload' && problem.kind !== 'server') throw problem
        firstProblem ??= problem
        problems++
        errors.push({ symbol, message: problem.message })
      }
    }
    if (firstProblem !== null && problems === symbols.length) throw firstProblem
    return { quotes, errors }
  }

  return {
    id: 'finnhub',
    limits: FINNHUB_LIMITS,
    client,
    fetchQuotes: (symbols, signal) => guarded(FINNHUB_LABEL, deps.log, () => fetchUniqueSymbols(symbols, (unique) => fetchAll(unique, signal))),
    search: (query, signal, searchOptions = {}) => guarded(FINNHUB_LABEL, deps.log, () => finnhubSearch(client, query, { ...searchOptions, signal })),
    symbols: (exchange, signal) => guarded(FINNHUB_LABEL, deps.log, () => finnhubSymbols(client, exchange, { signal })),
    marketStatus: (exchange, signal) => guarded(FINNHUB_LABEL, deps.log, () => finnhubMarketStatus(client, exchange, { signal })),
    marketHolidays: (exchange, signal) => guarded(FINNHUB_LABEL, deps.log, () => finnhubMarketHolidays(client, exchange, { signal }))
  }
}
