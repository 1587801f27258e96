/**
 * Which providers can chart, and how. Each factory loads its adapter on first use (a separate
 * instance from the quote one, so a chart never waits behind a quote batch).
 *
 * Not offered, on purpose:
 * - Alpha Vantage: 25 requests a day on the free key; a few charts would spend a day's quotes.
 * - Finnhub: /stock/candle is premium only (403 on free keys).
 * - CoinGecko: its keyless quota is shared per IP and its market chart has no OHLC bars.
 * - The simulated market: it keeps no past, so a drawn history would be invented.
 * Symbols on those providers are charted by a keyless source for their asset class instead.
 */
import type { HistoryBar, HistoryRange } from '../../shared/history'
import type { ProviderId } from '../../shared/providers'
import type { ProviderDeps } from '../providers/provider'
import { providerEndpoint, type ProviderEnv } from '../providers/provider-env'
import type { TdInterval } from '../providers/twelvedata-bars'
import { BINANCE_LIMITS } from '../providers/binance-limits'
import { COINBASE_LIMITS } from '../providers/coinbase-limits'
import { YAHOO_LIMITS } from '../providers/yahoo-limits'
import { tidyBars, type HistorySource } from './history-source'

export type HistorySourceFactory = (deps: ProviderDeps, env: ProviderEnv) => HistorySource | null

const HISTORY_TIMEOUT_MS = 10_000

/** A source whose adapter module loads on its first request. */
function lazySource(id: ProviderId, minTimeMs: number, load: () => Promise<HistorySource>, quotaCost?: number): HistorySource {
  let loading: Promise<HistorySource> | null = null
  return {
    id,
    minTimeMs,
    ...(quotaCost === undefined ? {} : { quotaCost }),
    async fetchHistory(symbol, range, signal) {
      loading ??= load()
      loading.catch(() => (loading = null))
      return (await loading).fetchHistory(symbol, range, signal)
    }
  }
}

const yahoo: HistorySourceFactory = (deps, env) => {
  const { baseUrl } = providerEndpoint('yahoo', env)
  // The quote lane's own spacing (its limiter's minTime): charts never go faster than quotes do.
  return lazySource('yahoo', YAHOO_LIMITS.minTimeMs, async () => (await import('../providers/yahoo-history')).createYahooHistorySource({ baseUrl, deps, timeoutMs: HISTORY_TIMEOUT_MS }))
}

const binance: HistorySourceFactory = (deps, env) => {
  const { baseUrl } = providerEndpoint('binance', env)
  return lazySource('binance', BINANCE_LIMITS.minTimeMs, async () => (await import('../providers/binance-history')).createBinanceHistorySource({ baseUrl, deps, timeoutMs: HISTORY_TIMEOUT_MS }))
}

const coinbase: HistorySourceFactory = (deps, env) => {
  const { baseUrl } = providerEndpoint('coinbase', env)
  return lazySource('coinbase', COINBASE_LIMITS.minTimeMs, async () => (await import('../providers/coinbase-history')).createCoinbaseHistorySource({ baseUrl, deps, timeoutMs: HISTORY_TIMEOUT_MS }))
}

/** Twelve Data bars per range: interval and how many (regular-session bars only). */
export const TWELVEDATA_HISTORY: Record<HistoryRange, { interval: TdInterval; outputsize: number }> = {
  '1d': { interval: '5min', outputsize: 78 },
  '5d': { interval: '30min', outputsize: 65 },
  '1mo': { interval: '1day', outputsize: 22 },
  '6mo': { interval: '1day', outputsize: 126 },
  '1y': { interval: '1day', outputsize: 252 },
  '5y': { interval: '1week', outputsize: 261 }
}

/**
 * One credit per chart out of 8 a minute and 800 a day: charged to the quote lane's quota (and
 * refused when it has no credit to spare, so quotes never meet a 429), spaced 15 s apart so quotes
 * keep most of each minute, and cached by the history service so re-opening a chart costs nothing.
 */
const TWELVEDATA_CHART_SPACING_MS = 15_000
/** time_series costs one credit per symbol. */
const TWELVEDATA_CHART_CREDITS = 1

const twelvedata: HistorySourceFactory = (deps, env) => {
  const { baseUrl, key } = providerEndpoint('twelvedata', env)
  if (key === undefined) return null
  return lazySource('twelvedata', TWELVEDATA_CHART_SPACING_MS, async () => {
    const provider = (await import('../providers/twelvedata')).createTwelveDataProvider({ baseUrl, key, deps, timeoutMs: HISTORY_TIMEOUT_MS })
    return {
      id: 'twelvedata',
      minTimeMs: TWELVEDATA_CHART_SPACING_MS,
      quotaCost: TWELVEDATA_CHART_CREDITS,
      async fetchHistory(symbol, range, signal) {
        const { interval, outputsize } = TWELVEDATA_HISTORY[range]
        const series = await provider.fetchBars(symbol, interval, outputsize, signal)
        const bars: HistoryBar[] = tidyBars(series.bars)
        const last = bars.at(-1)
        // One day means the latest session, whichever day that was.
        return range === '1d' && last !== undefined ? bars.filter((bar) => bar.time > last.time - 20 * 3_600_000) : bars
      }
    }
  }, TWELVEDATA_CHART_CREDITS)
}

export const HISTORY_SOURCES: Partial<Record<ProviderId, HistorySourceFactory>> = { yahoo, binance, coinbase, twelvedata }

export function hasHistory(id: ProviderId): boolean {
  return HISTORY_SOURCES[id] !== undefined
}

export function createHistorySource(id: ProviderId, deps: ProviderDeps, env: ProviderEnv): HistorySource | null {
  return HISTORY_SOURCES[id]?.(deps, env) ?? null
}
