/**
 * Shapes of the Yahoo Finance payloads TickerDesk reads. Yahoo adds and drops fields often, so
 * every object is loose (unknown keys pass through) and optional fields that arrive in an odd
 * form are dropped rather than failing the whole item. Only what a quote cannot do without is
 * strict: the symbol and the price.
 */
import { z } from 'zod'

const price = z.number().finite()
/** An optional number; anything unusable becomes undefined instead of an error. */
const optNum = z.number().finite().nullish().catch(undefined)
const optStr = z.string().nullish().catch(undefined)

/** `{"<root>":{"result":null,"error":{"code":"Unauthorized","description":"Invalid Crumb"}}}` */
export const YahooErrorBodySchema = z.looseObject({
  error: z
    .looseObject({ code: z.string().nullish(), description: z.string().nullish() })
    .nullish()
})

export const QuoteEnvelopeSchema = z.looseObject({
  quoteResponse: z.looseObject({
    result: z.array(z.unknown()).nullable(),
    error: z.unknown().nullish()
  })
})

/** Enough of an item to know whose it is, checked before the rest so a bad item can still be named. */
export const QuoteItemHeaderSchema = z.looseObject({
  symbol: z.string().min(1),
  quoteType: optStr
})

export const QuoteItemSchema = z.looseObject({
  symbol: z.string().min(1),
  quoteType: optStr,
  regularMarketPrice: price,
  regularMarketChange: optNum,
  regularMarketChangePercent: optNum,
  regularMarketTime: optNum,
  regularMarketOpen: optNum,
  regularMarketPreviousClose: optNum,
  regularMarketDayHigh: optNum,
  regularMarketDayLow: optNum,
  regularMarketVolume: optNum,
  marketCap: optNum,
  currency: optStr,
  marketState: optStr,
  preMarketPrice: optNum,
  postMarketPrice: optNum,
  fiftyTwoWeekHigh: optNum,
  fiftyTwoWeekLow: optNum,
  exchangeDataDelayedBy: optNum,
  shortName: optStr,
  longName: optStr,
  displayName: optStr
})
export type YahooQuoteItem = z.infer<typeof QuoteItemSchema>

export const ChartEnvelopeSchema = z.looseObject({
  chart: z.looseObject({
    result: z.array(z.unknown()).nullable(),
    error: z.unknown().nullish()
  })
})

const TradingPeriodSchema = z.looseObject({ start: price, end: price })

export const ChartMetaSchema = z.looseObject({
  symbol: z.string().min(1),
  regularMarketPrice: price,
  currency: optStr,
  regularMarketTime: optNum,
  chartPreviousClose: optNum,
  previousClose: optNum,
  regularMarketDayHigh: optNum,
  regularMarketDayLow: optNum,
  regularMarketVolume: optNum,
  fiftyTwoWeekHigh: optNum,
  fiftyTwoWeekLow: optNum,
  shortName: optStr,
  longName: optStr,
  instrumentType: optStr,
  exchangeDataDelayedBy: optNum,
  currentTradingPeriod: z
    .looseObject({
      pre: TradingPeriodSchema.optional(),
      regular: TradingPeriodSchema.optional(),
      post: TradingPeriodSchema.optional()
    })
    .optional()
    .catch(undefined)
})
export type YahooChartMeta = z.infer<typeof ChartMetaSchema>

export const ChartResultSchema = z.looseObject({
  meta: ChartMetaSchema,
  indicators: z
    .looseObject({
      quote: z.array(z.looseObject({ open: z.array(z.number().nullable()).optional() })).optional()
    })
    .optional()
    .catch(undefined)
})
export type YahooChartResult = z.infer<typeof ChartResultSchema>

export const SearchEnvelopeSchema = z.looseObject({ quotes: z.array(z.unknown()).optional().catch([]) })

export const SearchHitSchema = z.looseObject({
  symbol: z.string().min(1),
  shortname: optStr,
  longname: optStr,
  quoteType: optStr,
  exchDisp: optStr,
  typeDisp: optStr
})
