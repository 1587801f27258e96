/**
 * Yahoo Finance price history over the keyless v8 chart endpoint: `range` + `interval`, one
 * symbol per request, with `includePrePost=true` for intraday ranges so pre- and post-market
 * bars come too; those outside the regular session are marked `extended`. Failures read the same
 * way as for quotes (yahoo-replies.ts): plain-text 429, HTML pages, Yahoo's JSON error envelope.
 */
import type { AxiosInstance } from 'axios'
import { z } from 'zod'
import type { HistoryBar, HistoryRange } from '../../shared/history'
import type { HistorySource } from '../history/history-source'
import { isIntraday, tidyBars } from '../history/history-source'
import { createHttpClient, getText } from './http-client'
import { ProviderError, type ProviderDeps } from './provider'
import { yahooUrls } from './yahoo-context'
import { YAHOO_LIMITS } from './yahoo-limits'
import { YAHOO_LABEL, commonFailure, malformed, parseJson, unexpectedStatus, yahooErrorDescription } from './yahoo-replies'

const USER_AGENT = 'Mozilla/5.0 (compatible; TickerDesk/0.1; +https://tickerdesk.app)'

/** Yahoo's intervals nearest to HISTORY_BAR_SECONDS. */
export const YAHOO_HISTORY_INTERVALS: Record<HistoryRange, string> = {
  '1d': '5m',
  '5d': '30m',
  '1mo': '1d',
  '6mo': '1d',
  '1y': '1d',
  '5y': '1wk'
}

const series = z.array(z.number().nullable()).optional().catch(undefined)
const Period = z.looseObject({ start: z.number(), end: z.number(), gmtoffset: z.number().optional() })
const HistoryResultSchema = z.looseObject({
  meta: z.looseObject({
    gmtoffset: z.number().optional().catch(undefined),
    currentTradingPeriod: z.looseObject({ regular: Period.optional() }).optional().catch(undefined),
    // With includePrePost Yahoo sends {pre, regular, post}, each a list of days of periods.
    tradingPeriods: z
      .union([z.looseObject({ regular: z.array(z.array(Period)).optional() }), z.array(z.array(Period))])
      .optional()
      .catch(undefined)
  }),
  timestamp: z.array(z.number()).optional(),
  indicators: z.looseObject({
    quote: z.array(z.looseObject({ open: series, high: series, low: series, close: series, volume: series })).optional()
  })
})
type HistoryResult = z.infer<typeof HistoryResultSchema>

export function yahooHistoryUrl(chartPrefix: string, symbol: string, range: HistoryRange): string {
  const prePost = isIntraday(range) ? 'true' : 'false'
  return `${chartPrefix}${encodeURIComponent(symbol)}?range=${range}&interval=${YAHOO_HISTORY_INTERVALS[range]}&includePrePost=${prePost}&events=div%7Csplit`
}

/** Decides which intraday bars fall outside the regular session; null when Yahoo gave no session. */
function regularSession(result: HistoryResult): ((timeSec: number) => boolean) | null {
  const meta = result.meta
  const periods = Array.isArray(meta.tradingPeriods) ? meta.tradingPeriods : meta.tradingPeriods?.regular
  const listed = (periods ?? []).flat()
  if (listed.length > 0) return (t) => listed.some((p) => t >= p.start && t < p.end)
  const regular = meta.currentTradingPeriod?.regular
  if (regular === undefined) return null
  // Today's session only: earlier days are judged by the same clock times.
  const offset = regular.gmtoffset ?? meta.gmtoffset ?? 0
  const sod = (t: number): number => (((t + offset) % 86_400) + 86_400) % 86_400
  const start = sod(regular.start)
  const end = sod(regular.end) || 86_400
  if (end - start >= 86_400 || regular.end - regular.start >= 86_400) return () => true
  return (t) => sod(t) >= start && sod(t) < end
}

export function barsFromYahooChart(result: HistoryResult, range: HistoryRange): HistoryBar[] {
  const times = result.timestamp ?? []
  const quote = result.indicators.quote?.[0]
  if (quote === undefined || times.length === 0) return []
  const inRegular = isIntraday(range) ? regularSession(result) : null
  const bars: HistoryBar[] = []
  times.forEach((t, i) => {
    const open = quote.open?.[i]
    const high = quote.high?.[i]
    const low = quote.low?.[i]
    const close = quote.close?.[i]
    // Gaps come as nulls: a bar without its prices is no bar.
    if (open == null || high == null || low == null || close == null) return
    const bar: HistoryBar = { time: t * 1000, open, high, low, close, volume: quote.volume?.[i] ?? null }
    if (inRegular !== null) bar.extended = !inRegular(t)
    bars.push(bar)
  })
  return tidyBars(bars)
}

export interface YahooHistoryOptions {
  baseUrl?: string
  deps: ProviderDeps
  http?: AxiosInstance
  timeoutMs?: number
}

export function createYahooHistorySource(options: YahooHistoryOptions): HistorySource {
  const { deps } = options
  const http = options.http ?? createHttpClient({ userAgent: USER_AGENT })
  const urls = yahooUrls(options.baseUrl)
  const timeoutMs = options.timeoutMs ?? 10_000
  return {
    id: 'yahoo',
    minTimeMs: YAHOO_LIMITS.minTimeMs,
    async fetchHistory(symbol, range, signal) {
      const reply = await getText(http, YAHOO_LABEL, { url: yahooHistoryUrl(urls.chart, symbol, range), timeoutMs, signal, headers: { Accept: 'application/json' } })
      const failure = commonFailure(reply, deps, `chart history ${symbol}`)
      if (failure) throw failure
      if (reply.status === 404) throw new ProviderError('bad-payload', `Unknown symbol ${symbol}: ${YAHOO_LABEL} has no price history for it.`)
      if (reply.status === 400 || reply.status === 422) {
        const detail = yahooErrorDescription(reply.body)
        throw new ProviderError('server', `${YAHOO_LABEL} would not give that history (HTTP ${reply.status}${detail ? `: ${detail}` : ''}).`)
      }
      if (reply.status !== 200) throw unexpectedStatus(reply)
      const json = parseJson(reply, deps, `chart history ${symbol}`) as { chart?: { result?: unknown[] | null } } | null
      const first = json?.chart?.result?.[0]
      if (first === undefined) throw new ProviderError('bad-payload', `Unknown symbol ${symbol}: ${YAHOO_LABEL} has no price history for it.`)
      const result = HistoryResultSchema.safeParse(first)
      if (!result.success) {
        deps.log('warn', `${YAHOO_LABEL} chart history ${symbol}: unexpected shape: ${result.error.issues[0]?.message ?? 'unknown'}`)
        throw malformed()
      }
      return barsFromYahooChart(result.data, range)
    }
  }
}
