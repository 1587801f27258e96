import type { MarketState, Quote } from '../../shared/quote'
import type { FinnhubProfile } from './finnhub-profile'
import type { FinnhubQuoteBody } from './finnhub-schemas'

/** A quote older than this is taken to be from a closed market. */
export const FRESH_QUOTE_MS = 15 * 60_000

/**
 * `/quote` says nothing about the session. Without a market-hours calendar a fresh price is
 * taken as regular trading and a stale one as closed.
 */
export function marketStateByAge(now: number, providerTime: number): MarketState {
  return now - providerTime <= FRESH_QUOTE_MS ? 'regular' : 'closed'
}

/** The all-zero body (`c:0`, `t:0`) is how Finnhub answers for a symbol it does not know. */
export function isUnknownSymbolBody(body: FinnhubQuoteBody): boolean {
  return body.c === 0 && !body.t
}

/** Finnhub reports 0 for fields it has no value for. */
const positive = (value: number | null | undefined): number | null => (typeof value === 'number' && value > 0 ? value : null)
const orNull = (value: number | null | undefined): number | null => (typeof value === 'number' ? value : null)
const round6 = (value: number): number => Math.round(value * 1e6) / 1e6

export function quoteFromBody(
  body: FinnhubQuoteBody,
  symbol: string,
  receivedAt: number,
  profile: FinnhubProfile | null,
  marketState: (now: number, providerTime: number) => MarketState
): Quote {
  const price = body.c
  const previousClose = positive(body.pc)
  const providerTime = typeof body.t === 'number' && body.t > 0 ? Math.round(body.t * 1000) : receivedAt
  const change = orNull(body.d) ?? (previousClose === null ? null : round6(price - previousClose))
  const changePercent = orNull(body.dp) ?? (previousClose === null || change === null ? null : round6((change / previousClose) * 100))
  return {
    symbol,
    name: profile?.name ?? null,
    price,
    change,
    changePercent,
    open: positive(body.o),
    previousClose,
    dayHigh: positive(body.h),
    dayLow: positive(body.l),
    volume: null,
    marketCap: profile?.marketCap ?? null,
    currency: profile?.currency ?? null,
    marketState: marketState(receivedAt, providerTime),
    preMarketPrice: null,
    postMarketPrice: null,
    fiftyTwoWeekHigh: null,
    fiftyTwoWeekLow: null,
    providerTime,
    receivedAt,
    source: 'finnhub',
    delayed: false
  }
}
