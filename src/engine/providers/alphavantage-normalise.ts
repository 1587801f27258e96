import type { MarketState, Quote } from '../../shared/quote'
import { AV_LABEL, avNumber } from './alphavantage-replies'
import { easternDate, easternToEpochMs, parseEasternDateTime, usSessionAt } from './alphavantage-time'

/** What OVERVIEW adds to a quote; cached per symbol per day because it costs a request. */
export interface AvProfile {
  name: string | null
  currency: string | null
  exchange: string | null
  marketCap: number | null
  fiftyTwoWeekHigh: number | null
  fiftyTwoWeekLow: number | null
}

/** A row the adapter could not use, worded for the user. */
export type Unusable = { error: string }

const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' && value !== 'None' ? value.trim() : null)

/** Listings outside the US carry an exchange suffix ("TSCO.LON", "SHOP.TRT"); US hours say nothing about them. */
function sessionFor(symbol: string, now: number): MarketState {
  return /\.[A-Z]{2,5}$/i.test(symbol) ? 'closed' : usSessionAt(now)
}

/**
 * GLOBAL_QUOTE gives a trading day, not a time. The price is as of that day's 16:00 Eastern close,
 * or "now" while that day's session is still running.
 */
function tradingDayTime(day: string, now: number): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day.trim())
  if (m === null || parseEasternDateTime(day) === null) return null
  const close = easternToEpochMs(Number(m[1]), Number(m[2]), Number(m[3]), 16, 0, 0)
  return Math.min(close, now)
}

function withProfile(quote: Omit<Quote, 'name' | 'currency' | 'marketCap' | 'fiftyTwoWeekHigh' | 'fiftyTwoWeekLow'>, profile: AvProfile | null): Quote {
  return {
    ...quote,
    name: profile?.name ?? null,
    currency: profile?.currency ?? null,
    marketCap: profile?.marketCap ?? null,
    fiftyTwoWeekHigh: profile?.fiftyTwoWeekHigh ?? null,
    fiftyTwoWeekLow: profile?.fiftyTwoWeekLow ?? null
  }
}

/** One `Global Quote` object (keys "01. symbol" … "10. change percent") as a Quote. */
export function quoteFromGlobal(raw: Record<string, unknown>, symbol: string, receivedAt: number, profile: AvProfile | null): Quote | Unusable {
  const price = avNumber(raw['05. price'])
  if (price === null) return { error: `${AV_LABEL} sent unusable data for ${symbol}` }
  const day = str(raw['07. latest trading day'])
  const providerTime = (day === null ? null : tradingDayTime(day, receivedAt)) ?? receivedAt
  const state = sessionFor(symbol, receivedAt)
  return withProfile(
    {
      symbol,
      price,
      change: avNumber(raw['09. change']),
      changePercent: avNumber(raw['10. change percent']),
      open: avNumber(raw['02. open']),
      previousClose: avNumber(raw['08. previous close']),
      dayHigh: avNumber(raw['03. high']),
      dayLow: avNumber(raw['04. low']),
      volume: avNumber(raw['06. volume']),
      // A trading day older than today means the market has not traded today (weekend, holiday).
      marketState: day !== null && day !== easternDate(receivedAt) && state === 'regular' ? 'closed' : state,
      preMarketPrice: null,
      postMarketPrice: null,
      providerTime,
      receivedAt,
      source: 'alphavantage',
      // The free quote is refreshed at the end of each trading day.
      delayed: true
    },
    profile
  )
}

/** One REALTIME_BULK_QUOTES row (string values, naive Eastern timestamp) as a Quote. */
export function quoteFromBulk(raw: Record<string, unknown>, symbol: string, receivedAt: number, profile: AvProfile | null): Quote | Unusable {
  const price = avNumber(raw.close)
  if (price === null) return { error: `${AV_LABEL} sent unusable data for ${symbol}` }
  const stamp = str(raw.timestamp)
  const parsed = stamp === null ? null : /^\d{9,13}$/.test(stamp) ? Number(stamp) * (stamp.length > 11 ? 1 : 1000) : parseEasternDateTime(stamp)
  const state = sessionFor(symbol, receivedAt)
  const extended = avNumber(raw.extended_hours_quote)
  return withProfile(
    {
      symbol,
      price,
      change: avNumber(raw.change),
      changePercent: avNumber(raw.change_percent),
      open: avNumber(raw.open),
      previousClose: avNumber(raw.previous_close),
      dayHigh: avNumber(raw.high),
      dayLow: avNumber(raw.low),
      volume: avNumber(raw.volume),
      marketState: state,
      preMarketPrice: state === 'pre' ? extended : null,
      postMarketPrice: state === 'post' ? extended : null,
      providerTime: parsed ?? receivedAt,
      receivedAt,
      source: 'alphavantage',
      delayed: false
    },
    profile
  )
}

/** OVERVIEW: a flat object of strings; `{}` for a symbol it does not know. */
export function profileFromOverview(raw: Record<string, unknown>): AvProfile | null {
  if (str(raw.Symbol) === null) return null
  return {
    name: str(raw.Name),
    currency: str(raw.Currency),
    exchange: str(raw.Exchange),
    marketCap: avNumber(raw.MarketCapitalization),
    fiftyTwoWeekHigh: avNumber(raw['52WeekHigh']),
    fiftyTwoWeekLow: avNumber(raw['52WeekLow'])
  }
}
