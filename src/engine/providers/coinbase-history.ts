/**
 * Coinbase Exchange price history: `/products/{id}/candles?granularity=&start=&end=`, rows
 * `[time_s, low, high, open, close, volume]` newest first, at most 300 per request. Granularity
 * is one of 60, 300, 900, 3600, 21600, 86400: ranges longer than 300 bars are fetched in pages,
 * and five years come as daily candles merged into weeks.
 */
import type { AxiosInstance } from 'axios'
import { z } from 'zod'
import type { HistoryBar, HistoryRange } from '../../shared/history'
import { HISTORY_RANGE_MS, tidyBars, weeklyBars, type HistorySource } from '../history/history-source'
import { COINBASE_LIMITS } from './coinbase-limits'
import { coinbaseProductId, unknownSymbol } from './coinbase'
import { createHttpClient, getText, type HttpReply } from './http-client'
import { describeWait, looksLikeHtml, parseRetryAfter, snippet } from './http-errors'
import { ProviderError, type ProviderDeps } from './provider'

const LABEL = 'Coinbase'
const REST_URL = 'https://api.exchange.coinbase.com'
const USER_AGENT = 'TickerDesk/0.1 (+https://tickerdesk.app)'
export const COINBASE_MAX_CANDLES = 300

/** Nearest allowed granularity (seconds) per range; 5 years is daily, merged into weeks. */
export const COINBASE_GRANULARITY: Record<HistoryRange, number> = {
  '1d': 300,
  '5d': 3600,
  '1mo': 86_400,
  '6mo': 86_400,
  '1y': 86_400,
  '5y': 86_400
}

const num = z.union([z.string(), z.number()]).transform(Number).pipe(z.number().finite())
const CandleSchema = z.tuple([z.number(), num, num, num, num, num])
const ErrorBodySchema = z.object({ message: z.string() })

function message(body: string): string | null {
  try {
    const parsed = ErrorBodySchema.safeParse(JSON.parse(body))
    return parsed.success ? parsed.data.message : null
  } catch {
    return null
  }
}

function failure(reply: HttpReply, symbol: string, deps: ProviderDeps): ProviderError | null {
  const { status } = reply
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(reply.headers['retry-after'], deps.now()) ?? 1000
    return new ProviderError('rate-limit', `Coinbase is limiting requests (HTTP 429); try again in ${describeWait(retryAfterMs)}.`, retryAfterMs)
  }
  if (status >= 500) return new ProviderError('server', `Coinbase had a server problem (HTTP ${status}).`)
  if (looksLikeHtml(reply.body, reply.headers['content-type'])) {
    deps.log('warn', `Coinbase candles ${symbol}: HTML instead of JSON (HTTP ${status}): ${snippet(reply.body)}`)
    return new ProviderError('bad-payload', 'Coinbase sent a web page instead of market data.')
  }
  if (status === 404) return new ProviderError('bad-payload', unknownSymbol(symbol))
  if (status !== 200) {
    const detail = message(reply.body)
    return new ProviderError('server', `Coinbase refused the request (HTTP ${status}${detail ? `: ${detail}` : ''}).`)
  }
  return null
}

export interface CoinbaseHistoryOptions {
  baseUrl?: string
  deps: ProviderDeps
  http?: AxiosInstance
  timeoutMs?: number
}

export function createCoinbaseHistorySource(options: CoinbaseHistoryOptions): HistorySource {
  const { deps } = options
  const http = options.http ?? createHttpClient({ userAgent: USER_AGENT })
  const base = (options.baseUrl ?? REST_URL).replace(/\/+$/, '')
  const timeoutMs = options.timeoutMs ?? 10_000

  async function page(product: string, symbol: string, granularity: number, start: number, end: number, signal?: AbortSignal): Promise<HistoryBar[]> {
    const query = `granularity=${granularity}&start=${new Date(start).toISOString()}&end=${new Date(end).toISOString()}`
    const reply = await getText(http, LABEL, { url: `${base}/products/${encodeURIComponent(product)}/candles?${query}`, timeoutMs, signal, headers: { Accept: 'application/json' } })
    const problem = failure(reply, symbol, deps)
    if (problem) throw problem
    let rows: unknown
    try {
      rows = JSON.parse(reply.body)
    } catch {
      throw new ProviderError('bad-payload', 'Coinbase sent malformed data.')
    }
    if (!Array.isArray(rows)) throw new ProviderError('bad-payload', 'Coinbase sent data TickerDesk could not read.')
    const bars: HistoryBar[] = []
    for (const row of rows) {
      const candle = CandleSchema.safeParse(row)
      if (!candle.success) continue
      const [time, low, high, open, close, volume] = candle.data
      bars.push({ time: time * 1000, open, high, low, close, volume })
    }
    return bars
  }

  return {
    id: 'coinbase',
    minTimeMs: COINBASE_LIMITS.minTimeMs,
    async fetchHistory(symbol, range, signal) {
      const product = coinbaseProductId(symbol)
      if (product === null) throw new ProviderError('bad-payload', unknownSymbol(symbol))
      const granularity = COINBASE_GRANULARITY[range]
      const end = deps.now()
      const span = COINBASE_MAX_CANDLES * granularity * 1000
      const oldest = end - HISTORY_RANGE_MS[range]
      const bars: HistoryBar[] = []
      // Newest page first: the chart is useful even if an older page fails.
      for (let to = end; to > oldest; ) {
        const from = Math.max(oldest, to - span)
        try {
          bars.push(...(await page(product, symbol, granularity, from, to, signal)))
        } catch (error) {
          if (bars.length === 0) throw error
          deps.log('warn', `Coinbase candles ${symbol}: an older page failed; charting what came.`)
          break
        }
        to = from
      }
      return range === '5y' ? weeklyBars(bars) : tidyBars(bars)
    }
  }
}
