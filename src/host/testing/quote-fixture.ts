import type { Quote } from '../../shared/quote'

/** A complete, valid quote for tests. */
export function makeQuote(symbol: string, overrides: Partial<Quote> = {}): Quote {
  return {
    symbol,
    name: `${symbol} Inc.`,
    price: 100,
    change: 1,
    changePercent: 1.01,
    open: 99,
    previousClose: 99,
    dayHigh: 101,
    dayLow: 98,
    volume: 1_000_000,
    marketCap: null,
    currency: 'USD',
    marketState: 'regular',
    preMarketPrice: null,
    postMarketPrice: null,
    fiftyTwoWeekHigh: null,
    fiftyTwoWeekLow: null,
    providerTime: 1_700_000_000_000,
    receivedAt: 1_700_000_000_100,
    source: 'simulated',
    delayed: false,
    ...overrides
  }
}
