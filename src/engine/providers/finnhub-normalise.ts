import type { MarketState, Quote } from '../../shared/quote'
import { assetClassOf } from '../market-hours/market-policy'
import { sessionAt } from '../market-hours/nyse-calendar'
import type { FinnhubProfile } from './finnhub-profile'
import type { FinnhubQuoteBody } from './finnhub-schemas'

/** A quote older than this is taken to be from a closed market. */
export const FRESH_QUOTE_MS = 15 * 60_000

/** Exchange prefixes of Finnhub's crypto symbols (`BINANCE:BTCUSDT`): those markets never close. */
const CRYPTO_EXCHANGES = new Set(['BINANCE', 'COINBASE', 'KRAKEN', 'BITFINEX', 'BITSTAMP', 'GEMINI', 'HUOBI', 'KUCOIN', 'OKEX', 'POLONIEX', 'BITTREX', 'HITBTC', 'BITMEX'])

export type FinnhubMarketStateFn = (symbol: string, now: number, providerTime: number) => MarketState

/**
 * `/quote` says nothing about the session, so it is worked out: crypto trades around the clock,
 * US equities follow the NYSE calendar, and for anything else (FX, foreign listings) a fresh
 * price is taken as regular trading and a stale one as closed.
 */
export const finnhubMarketState: FinnhubMarketStateFn = (symbol, now, providerTime) => {
  const colon = symbol.indexOf(':')
  if (colon > 0) {
    if (CRYPTO_EXCHANGES.has(symbol.slice(0, colon).toUpperCase())) return 'regular'
    return now - providerTime <= FRESH_QUOTE_MS ? 'regular' : 'closed'
  }
  const assetClass = assetClassOf(symbol, 'finnhub')
  if (assetClass === 'crypto') return 'regular'
  if (assetClass === 'us-equity') return sessionAt(now)
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
  marketState: FinnhubMarketStateFn
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
    marketState: marketState(symbol, receivedAt, providerTime),
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
