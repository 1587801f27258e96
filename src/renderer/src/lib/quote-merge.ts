import type { Quote, QuotePatch } from '@shared/quote'

/**
 * Applies a patch to the last known quote. The first patch for a symbol should carry every
 * field; if one arrives without a price it cannot be shown, so it is dropped (null) until a
 * complete one comes. Missing optional fields of a first patch read as unknown.
 */
export function mergeQuote(base: Quote | null, patch: QuotePatch, now: number): Quote | null {
  if (base) return { ...base, ...patch, symbol: base.symbol }
  if (typeof patch.price !== 'number') return null
  const receivedAt = patch.receivedAt ?? now
  return {
    name: null,
    change: null,
    changePercent: null,
    open: null,
    previousClose: null,
    dayHigh: null,
    dayLow: null,
    volume: null,
    marketCap: null,
    currency: null,
    marketState: 'regular',
    preMarketPrice: null,
    postMarketPrice: null,
    fiftyTwoWeekHigh: null,
    fiftyTwoWeekLow: null,
    providerTime: patch.providerTime ?? receivedAt,
    source: 'simulated',
    delayed: false,
    ...patch,
    price: patch.price,
    receivedAt
  }
}
