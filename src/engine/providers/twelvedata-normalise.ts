import type { Quote } from '../../shared/quote'
import { usSessionAt } from './alphavantage-time'
import { TD_LABEL, tdNumber } from './twelvedata-replies'
import { isRecord } from './json-reply'

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null)

/** Twelve Data times are epoch seconds. */
const secondsToMs = (value: unknown): number | null => {
  const n = tdNumber(value)
  return n !== null && n > 0 ? Math.round(n * 1000) : null
}

/** Does this object look like a quote rather than a map of quotes or an error? */
export function isQuoteObject(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && typeof value.symbol === 'string' && 'close' in value
}

/**
 * One /quote object as a Quote. Prices are strings; `last_quote_at` (epoch s) is when the price
 * was current, `timestamp` only the start of the day's bar. `is_market_open` gives regular or
 * closed; Twelve Data does not say pre or post.
 */
export function quoteFromTd(raw: Record<string, unknown>, symbol: string, receivedAt: number): Quote | { error: string } {
  const price = tdNumber(raw.close)
  if (price === null) return { error: `${TD_LABEL} sent unusable data for ${symbol}` }
  const week52 = isRecord(raw.fifty_two_week) ? raw.fifty_two_week : {}
  const extendedPrice = tdNumber(raw.extended_price)
  const extendedAt = secondsToMs(raw.extended_timestamp)
  const extendedSession = extendedPrice !== null && extendedAt !== null ? usSessionAt(extendedAt) : null
  return {
    symbol,
    name: text(raw.name),
    price,
    change: tdNumber(raw.change),
    changePercent: tdNumber(raw.percent_change),
    open: tdNumber(raw.open),
    previousClose: tdNumber(raw.previous_close),
    dayHigh: tdNumber(raw.high),
    dayLow: tdNumber(raw.low),
    volume: tdNumber(raw.volume),
    // No free plan includes market cap (/profile needs Grow, /statistics is paid).
    marketCap: null,
    currency: text(raw.currency),
    marketState: raw.is_market_open === true ? 'regular' : 'closed',
    preMarketPrice: extendedSession === 'pre' ? extendedPrice : null,
    postMarketPrice: extendedSession === 'post' ? extendedPrice : null,
    fiftyTwoWeekHigh: tdNumber(week52.high),
    fiftyTwoWeekLow: tdNumber(week52.low),
    providerTime: secondsToMs(raw.last_quote_at) ?? secondsToMs(raw.timestamp) ?? receivedAt,
    receivedAt,
    source: 'twelvedata',
    delayed: false
  }
}
