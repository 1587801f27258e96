/**
 * "Simulated market": a deterministic, seeded random walk that needs no network. It lets the app,
 * demos and benchmarks run anywhere; every quote is labelled "<SYM> (simulated)" so nobody takes
 * it for a real price. Same seed and same sequence of calls (and clock) give identical output.
 */
import { symbolProblem } from '../../shared/symbols'
import type { Quote } from '../../shared/quote'
import type { FetchResult, ProviderDeps, QuoteProvider } from './provider'
import { createSimSymbol, roundTo, step, type SimSymbol } from './simulated-market'

export const DEFAULT_SIM_SEED = 20_240_601

export function createSimulatedProvider(options: { seed?: number; deps: ProviderDeps }): QuoteProvider {
  const seed = Number.isFinite(options.seed) ? Math.trunc(options.seed as number) : DEFAULT_SIM_SEED
  const { deps } = options
  const market = new Map<string, SimSymbol | string>()

  /** The symbol's record, or the reason it cannot be simulated; both are remembered. */
  function lookup(symbol: string, now: number): SimSymbol | string {
    let entry = market.get(symbol)
    if (entry === undefined) {
      entry = symbolProblem(symbol) === null ? createSimSymbol(symbol, seed, now) : `Unknown symbol ${symbol}`
      market.set(symbol, entry)
    }
    return entry
  }

  function toQuote(s: SimSymbol, now: number): Quote {
    const change = roundTo(s.price - s.previousClose, s.scale)
    return {
      symbol: s.symbol,
      name: s.name,
      price: s.price,
      change,
      changePercent: s.previousClose === 0 ? null : roundTo((change / s.previousClose) * 100, 10_000),
      open: s.open,
      previousClose: s.previousClose,
      dayHigh: s.high,
      dayLow: s.low,
      volume: s.volume,
      marketCap: s.supply === 0 ? null : Math.round(s.price * s.supply),
      currency: 'USD',
      marketState: 'regular',
      preMarketPrice: null,
      postMarketPrice: null,
      fiftyTwoWeekHigh: s.yearHigh,
      fiftyTwoWeekLow: s.yearLow,
      providerTime: now,
      receivedAt: now,
      source: 'simulated',
      delayed: false
    }
  }

  return {
    id: 'simulated',
    limits: { maxBatch: 10_000, minTimeMs: 0, maxConcurrent: 1 },
    // Synchronous underneath, so there is nothing for an AbortSignal to cancel.
    fetchQuotes(symbols: readonly string[]): Promise<FetchResult> {
      const result: FetchResult = { quotes: [], errors: [] }
      const now = deps.now()
      for (const symbol of symbols) {
        const entry = lookup(symbol, now)
        if (typeof entry === 'string') {
          result.errors.push({ symbol, message: entry })
          continue
        }
        step(entry, now)
        result.quotes.push(toQuote(entry, now))
      }
      return Promise.resolve(result)
    }
  }
}
