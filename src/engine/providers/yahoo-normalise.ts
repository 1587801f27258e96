import type { MarketState, Quote } from '../../shared/quote'
import type { YahooChartMeta, YahooChartResult, YahooQuoteItem } from './yahoo-schemas'

const MARKET_STATES: Record<string, MarketState> = {
  REGULAR: 'regular',
  PRE: 'pre',
  PREPRE: 'pre',
  POST: 'post',
  POSTPOST: 'post',
  CLOSED: 'closed'
}

/** Yahoo's marketState; anything unrecognised counts as closed rather than claiming a live market. */
export function marketStateFrom(raw: string | null | undefined): MarketState {
  return (raw && MARKET_STATES[raw.toUpperCase()]) || 'closed'
}

const orNull = (value: number | null | undefined): number | null => (value === undefined || value === null ? null : value)
const text = (value: string | null | undefined): string | null => (value && value.trim() !== '' ? value : null)

/** Derived values are rounded so floating-point noise does not show up as a change. */
function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6
}

function changeOf(price: number, previousClose: number | null): { change: number | null; changePercent: number | null } {
  if (previousClose === null) return { change: null, changePercent: null }
  const change = round6(price - previousClose)
  return { change, changePercent: previousClose === 0 ? null : round6((change / previousClose) * 100) }
}

/** Yahoo times are epoch seconds; Quote times are epoch milliseconds. */
const secondsToMs = (seconds: number | null | undefined, fallback: number): number =>
  typeof seconds === 'number' && seconds > 0 ? Math.round(seconds * 1000) : fallback

/** A v7 quote item as a Quote. `symbol` is the caller's spelling, so the row it asked for gets the answer. */
export function quoteFromV7(item: YahooQuoteItem, symbol: string, receivedAt: number): Quote {
  const previousClose = orNull(item.regularMarketPreviousClose)
  const derived = changeOf(item.regularMarketPrice, previousClose)
  return {
    symbol,
    name: text(item.shortName) ?? text(item.longName) ?? text(item.displayName),
    price: item.regularMarketPrice,
    change: item.regularMarketChange ?? derived.change,
    changePercent: item.regularMarketChangePercent ?? derived.changePercent,
    open: orNull(item.regularMarketOpen),
    previousClose,
    dayHigh: orNull(item.regularMarketDayHigh),
    dayLow: orNull(item.regularMarketDayLow),
    volume: orNull(item.regularMarketVolume),
    marketCap: orNull(item.marketCap),
    currency: text(item.currency),
    marketState: marketStateFrom(item.marketState),
    preMarketPrice: orNull(item.preMarketPrice),
    postMarketPrice: orNull(item.postMarketPrice),
    fiftyTwoWeekHigh: orNull(item.fiftyTwoWeekHigh),
    fiftyTwoWeekLow: orNull(item.fiftyTwoWeekLow),
    providerTime: secondsToMs(item.regularMarketTime, receivedAt),
    receivedAt,
    source: 'yahoo',
    delayed: (item.exchangeDataDelayedBy ?? 0) > 0
  }
}

/** The chart has no marketState; the trading periods around "now" tell the same story. */
export function marketStateFromChart(meta: YahooChartMeta, now: number): MarketState {
  const periods = meta.currentTradingPeriod
  if (!periods) return 'closed'
  const t = now / 1000
  const inside = (p: { start: number; end: number } | undefined): boolean => p !== undefined && t >= p.start && t < p.end
  if (inside(periods.regular)) return 'regular'
  if (inside(periods.pre)) return 'pre'
  if (inside(periods.post)) return 'post'
  return 'closed'
}

/** The last non-null opening price in the chart's candles: the chart meta itself has no open. */
function lastOpen(result: YahooChartResult): number | null {
  const opens = result.indicators?.quote?.[0]?.open
  if (!opens) return null
  for (let i = opens.length - 1; i >= 0; i--) {
    const value = opens[i]
    if (typeof value === 'number' && Number.isFinite(value)) return value
  }
  return null
}

/** A v8 chart answer built into the same Quote shape as the v7 batch gives. */
export function quoteFromChart(result: YahooChartResult, symbol: string, receivedAt: number): Quote {
  const meta = result.meta
  const previousClose = orNull(meta.previousClose ?? meta.chartPreviousClose)
  const { change, changePercent } = changeOf(meta.regularMarketPrice, previousClose)
  return {
    symbol,
    name: text(meta.shortName) ?? text(meta.longName),
    price: meta.regularMarketPrice,
    change,
    changePercent,
    open: lastOpen(result),
    previousClose,
    dayHigh: orNull(meta.regularMarketDayHigh),
    dayLow: orNull(meta.regularMarketDayLow),
    volume: orNull(meta.regularMarketVolume),
    marketCap: null,
    currency: text(meta.currency),
    marketState: marketStateFromChart(meta, receivedAt),
    preMarketPrice: null,
    postMarketPrice: null,
    fiftyTwoWeekHigh: orNull(meta.fiftyTwoWeekHigh),
    fiftyTwoWeekLow: orNull(meta.fiftyTwoWeekLow),
    providerTime: secondsToMs(meta.regularMarketTime, receivedAt),
    receivedAt,
    source: 'yahoo',
    delayed: (meta.exchangeDataDelayedBy ?? 0) > 0
  }
}
