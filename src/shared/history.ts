import { z } from 'zod'
import { ProviderIdSchema } from './providers'
import { SymbolSchema } from './symbols'

/**
 * Price history for the details chart. Each range maps to one bar size (see HISTORY_RANGES), so
 * every provider answers the same question and a chart never mixes bar sizes.
 */
export const HISTORY_RANGES = ['1d', '5d', '1mo', '6mo', '1y', '5y'] as const
export const HistoryRangeSchema = z.enum(HISTORY_RANGES)
export type HistoryRange = z.infer<typeof HistoryRangeSchema>

/** Bar size (seconds) per range: intraday ranges use minutes, longer ones days or weeks. */
export const HISTORY_BAR_SECONDS: Record<HistoryRange, number> = {
  '1d': 5 * 60,
  '5d': 30 * 60,
  '1mo': 24 * 3600,
  '6mo': 24 * 3600,
  '1y': 24 * 3600,
  '5y': 7 * 24 * 3600
}

const price = z.number().finite()

/** One OHLC bar; `time` is the bar's start in epoch ms. */
export const HistoryBarSchema = z.object({
  time: z.number().finite(),
  open: price,
  high: price,
  low: price,
  close: price,
  volume: z.number().finite().nullable(),
  /** Outside the regular session (pre- or post-market), where the provider tells. */
  extended: z.boolean().optional()
})
export type HistoryBar = z.infer<typeof HistoryBarSchema>

export const HistoryRequestSchema = z.object({ symbol: SymbolSchema, range: HistoryRangeSchema })
export type HistoryRequest = z.infer<typeof HistoryRequestSchema>

/** Bars oldest first; `error` in plain words when none could be had (then bars is empty). */
export const HistoryResponseSchema = z.object({
  symbol: z.string().min(1),
  range: HistoryRangeSchema,
  source: ProviderIdSchema.nullable(),
  bars: z.array(HistoryBarSchema),
  error: z.string().nullable()
})
export type HistoryResponse = z.infer<typeof HistoryResponseSchema>
