/**
 * Shapes of the Finnhub REST payloads TickerDesk reads. Objects are loose (Finnhub adds fields);
 * optional numbers that arrive in an odd form are dropped instead of failing the item.
 */
import { z } from 'zod'

const optNum = z.number().finite().nullish().catch(undefined)
const optStr = z.string().nullish().catch(undefined)

/** `/quote`: `{"c":261.74,"d":2.29,"dp":0.8826,"h":263.31,"l":260.68,"o":261.07,"pc":259.45,"t":1582641000}`, t in epoch s. */
export const QuoteBodySchema = z.looseObject({
  c: z.number().finite(),
  d: optNum,
  dp: optNum,
  h: optNum,
  l: optNum,
  o: optNum,
  pc: optNum,
  t: optNum
})
export type FinnhubQuoteBody = z.infer<typeof QuoteBodySchema>

/** `/stock/profile2`: marketCapitalization and shareOutstanding are in millions; unknown symbols give `{}`. */
export const ProfileBodySchema = z.looseObject({
  name: optStr,
  ticker: optStr,
  currency: optStr,
  exchange: optStr,
  marketCapitalization: optNum
})

export const SearchBodySchema = z.looseObject({
  count: optNum,
  result: z.array(z.unknown()).nullish()
})

export const SearchItemSchema = z.looseObject({
  symbol: z.string().min(1),
  displaySymbol: optStr,
  description: optStr,
  type: optStr
})

export const ListedSymbolSchema = z.looseObject({
  symbol: z.string().min(1),
  displaySymbol: optStr,
  description: optStr,
  type: optStr,
  currency: optStr,
  mic: optStr,
  figi: optStr
})

export const MarketStatusBodySchema = z.looseObject({
  exchange: z.string(),
  timezone: optStr,
  session: optStr,
  holiday: optStr,
  isOpen: z.boolean(),
  t: optNum
})

export const MarketHolidayBodySchema = z.looseObject({
  exchange: z.string(),
  timezone: optStr,
  data: z.array(z.unknown())
})

export const HolidayItemSchema = z.looseObject({
  eventName: z.string(),
  atDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  tradingHour: optStr
})
