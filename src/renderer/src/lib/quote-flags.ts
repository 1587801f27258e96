import type { Quote } from '@shared/quote'
import { formatPlain } from './format'

export interface MarketBadge {
  label: string
  title: string
  tone: 'muted' | 'warn'
}

/** A badge for quotes outside regular trading; regular hours need none. */
export function marketBadge(quote: Pick<Quote, 'marketState' | 'preMarketPrice' | 'postMarketPrice'>): MarketBadge | null {
  switch (quote.marketState) {
    case 'pre':
      return {
        label: 'Pre',
        tone: 'muted',
        title: quote.preMarketPrice === null ? 'Pre-market' : `Pre-market ${formatPlain(quote.preMarketPrice)}`
      }
    case 'post':
      return {
        label: 'Post',
        tone: 'muted',
        title: quote.postMarketPrice === null ? 'After hours' : `After hours ${formatPlain(quote.postMarketPrice)}`
      }
    case 'closed':
      return { label: 'Closed', tone: 'muted', title: 'Market closed: last price of the session' }
    default:
      return null
  }
}

/** A quote is stale when nothing new has been received for a while during trading hours. */
export function isStale(quote: Pick<Quote, 'receivedAt' | 'marketState'>, now: number, staleAfterMs: number): boolean {
  if (quote.marketState === 'closed') return false
  return now - quote.receivedAt > staleAfterMs
}

/** How long without an update before a row is marked stale: three missed refreshes, at least a minute. */
export function staleAfterMs(refreshIntervalSec: number | undefined): number {
  return Math.max(60_000, 3 * 1000 * (refreshIntervalSec ?? 15))
}
