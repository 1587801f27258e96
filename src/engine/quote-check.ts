import { MarketStateSchema, type Quote } from '../shared/quote'
import { PROVIDER_IDS } from '../shared/providers'

const NULLABLE_NUMBERS = [
  'change',
  'changePercent',
  'open',
  'previousClose',
  'dayHigh',
  'dayLow',
  'volume',
  'marketCap',
  'preMarketPrice',
  'postMarketPrice',
  'fiftyTwoWeekHigh',
  'fiftyTwoWeekLow'
] as const
const MARKET_STATES: ReadonlySet<unknown> = new Set(MarketStateSchema.options)
const SOURCES: ReadonlySet<unknown> = new Set(PROVIDER_IDS)

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const isNullableString = (v: unknown): boolean => v === null || typeof v === 'string'

/**
 * A hand-written equivalent of QuoteSchema for the hot path: one malformed quote from a provider
 * must not make the host reject a whole batch, and a zod parse per quote costs too much here.
 * Returns null when usable, else the reason in plain words.
 */
export function quoteProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'the quote is not an object'
  const q = value as Record<string, unknown>
  if (typeof q.symbol !== 'string' || q.symbol.length === 0) return 'the quote has no symbol'
  if (!isFiniteNumber(q.price)) return 'the price is missing or not a number'
  for (const field of NULLABLE_NUMBERS) {
    const v = q[field]
    if (v !== null && !isFiniteNumber(v)) return `${field} is not a number`
  }
  if (!isNullableString(q.name)) return 'the name is not text'
  if (!isNullableString(q.currency)) return 'the currency is not text'
  if (!MARKET_STATES.has(q.marketState)) return 'the market state is unknown'
  if (!isFiniteNumber(q.providerTime)) return 'the quote time is missing'
  if (!isFiniteNumber(q.receivedAt)) return 'the receipt time is missing'
  if (!SOURCES.has(q.source)) return 'the source is unknown'
  if (typeof q.delayed !== 'boolean') return 'the delayed flag is missing'
  return null
}

export function isUsableQuote(value: unknown): value is Quote {
  return quoteProblem(value) === null
}
