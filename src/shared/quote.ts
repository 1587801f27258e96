import { z } from 'zod'
import { ProviderIdSchema } from './providers'

export const MarketStateSchema = z.enum(['pre', 'regular', 'post', 'closed'])
export type MarketState = z.infer<typeof MarketStateSchema>

const num = z.number().finite()
const maybeNum = num.nullable()

/** One normalised quote, whatever provider it came from. Times are epoch milliseconds. */
export const QuoteSchema = z.object({
  symbol: z.string().min(1),
  name: z.string().nullable(),
  price: num,
  change: maybeNum,
  changePercent: maybeNum,
  open: maybeNum,
  previousClose: maybeNum,
  dayHigh: maybeNum,
  dayLow: maybeNum,
  volume: maybeNum,
  marketCap: maybeNum,
  currency: z.string().nullable(),
  marketState: MarketStateSchema,
  preMarketPrice: maybeNum,
  postMarketPrice: maybeNum,
  fiftyTwoWeekHigh: maybeNum,
  fiftyTwoWeekLow: maybeNum,
  providerTime: num,
  receivedAt: num,
  source: ProviderIdSchema,
  delayed: z.boolean()
})
export type Quote = z.infer<typeof QuoteSchema>
export type QuoteField = Exclude<keyof Quote, 'symbol'>

/**
 * A batch entry: the symbol plus only the fields that changed since the last batch.
 * The first patch for a symbol carries every field.
 */
export const QuotePatchSchema = QuoteSchema.partial().extend({ symbol: z.string().min(1) })
export type QuotePatch = z.infer<typeof QuotePatchSchema>

export const QUOTE_FIELDS = Object.keys(QuoteSchema.shape).filter((k) => k !== 'symbol') as QuoteField[]

/** Per-symbol problem reported by a provider ("Unknown symbol XYZ"); null clears it. */
export const SymbolErrorSchema = z.object({ symbol: z.string().min(1), message: z.string().nullable() })
export type SymbolError = z.infer<typeof SymbolErrorSchema>
