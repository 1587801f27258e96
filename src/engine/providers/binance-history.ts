/**
 * Binance price history: `/api/v3/klines` (weight 2, at most 1000 rows), one request per chart.
 * Symbols map as for quotes (`BTC-USD` → `BTCUSDT`); Binance has every bar size the ranges need.
 */
import type { AxiosInstance } from 'axios'
import { z } from 'zod'
import type { HistoryBar, HistoryRange } from '../../shared/history'
import { HISTORY_RANGE_MS, tidyBars, type HistorySource } from '../history/history-source'
import { BINANCE_LIMITS } from './binance-limits'
import { binancePair, unknownBinanceSymbol } from './binance-symbols'
import { createHttpClient, getText, type HttpReply } from './http-client'
import { describeWait, looksLikeHtml, parseRetryAfter, snippet } from './http-errors'
import { ProviderError, type ProviderDeps } from './provider'

const LABEL = 'Binance'
const REST_URL = 'https://api.binance.com'
const USER_AGENT = 'TickerDesk/0.1 (+https://tickerdesk.app)'

export const BINANCE_HISTORY_INTERVALS: Record<HistoryRange, string> = {
  '1d': '5m',
  '5d': '30m',
  '1mo': '1d',
  '6mo': '1d',
  '1y': '1d',
  '5y': '1w'
}

const ErrorBodySchema = z.object({ code: z.number(), msg: z.string() })
const num = z.union([z.string(), z.number()]).transform(Number).pipe(z.number().finite())
const KlineSchema = z.tuple([z.number(), num, num, num, num, num], z.unknown())

function errorBody(body: string): { code: number; msg: string } | null {
  try {
    const parsed = ErrorBodySchema.safeParse(JSON.parse(body))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

function failure(reply: HttpReply, symbol: string, now: number, deps: ProviderDeps): ProviderError | null {
  const { status } = reply
  if (status === 429 || status === 418) {
    const retryAfterMs = parseRetryAfter(reply.headers['retry-after'], now)
    const when = retryAfterMs === null ? 'try again in a minute' : `try again in ${describeWait(retryAfterMs)}`
    return new ProviderError('rate-limit', `Binance is limiting requests (HTTP ${status}); ${when}.`, retryAfterMs)
  }
  if (status === 451) return new ProviderError('auth', 'Binance is not available from your location (HTTP 451).')
  if (status >= 500) return new ProviderError('server', `Binance had a server problem (HTTP ${status}).`)
  if (looksLikeHtml(reply.body, reply.headers['content-type'])) {
    deps.log('warn', `Binance klines ${symbol}: HTML instead of JSON (HTTP ${status}): ${snippet(reply.body)}`)
    return new ProviderError('bad-payload', 'Binance sent a web page instead of market data.')
  }
  if (status === 400) {
    const body = errorBody(reply.body)
    if (body?.code === -1121) return new ProviderError('bad-payload', unknownBinanceSymbol(symbol))
    return new ProviderError('server', `Binance refused the request (HTTP 400${body ? `: ${body.msg}` : ''}).`)
  }
  if (status !== 200) return new ProviderError('server', `Binance refused the request (HTTP ${status}).`)
  return null
}

export interface BinanceHistoryOptions {
  baseUrl?: string
  deps: ProviderDeps
  http?: AxiosInstance
  timeoutMs?: number
}

export function createBinanceHistorySource(options: BinanceHistoryOptions): HistorySource {
  const { deps } = options
  const http = options.http ?? createHttpClient({ userAgent: USER_AGENT })
  const base = (options.baseUrl ?? REST_URL).replace(/\/+$/, '')
  const timeoutMs = options.timeoutMs ?? 10_000
  return {
    id: 'binance',
    minTimeMs: BINANCE_LIMITS.minTimeMs,
    async fetchHistory(symbol, range, signal) {
      const pair = binancePair(symbol)
      if (pair === null) throw new ProviderError('bad-payload', unknownBinanceSymbol(symbol))
      const startTime = deps.now() - HISTORY_RANGE_MS[range]
      const query = `symbol=${encodeURIComponent(pair)}&interval=${BINANCE_HISTORY_INTERVALS[range]}&startTime=${startTime}&limit=1000`
      const reply = await getText(http, LABEL, { url: `${base}/api/v3/klines?${query}`, timeoutMs, signal, headers: { Accept: 'application/json' } })
      const problem = failure(reply, symbol, deps.now(), deps)
      if (problem) throw problem
      let rows: unknown
      try {
        rows = JSON.parse(reply.body)
      } catch {
        throw new ProviderError('bad-payload', 'Binance sent malformed data.')
      }
      if (!Array.isArray(rows)) throw new ProviderError('bad-payload', 'Binance sent data TickerDesk could not read.')
      const bars: HistoryBar[] = []
      for (const row of rows) {
        const kline = KlineSchema.safeParse(row)
        if (!kline.success) continue
        const [time, open, high, low, close, volume] = kline.data
        bars.push({ time, open, high, low, close, volume })
      }
      return tidyBars(bars)
    }
  }
}
