import { afterEach, describe, expect, it } from 'vitest'
import { startFakeTwelveData } from '../../../tests/fakes/twelvedata-server'
import type { ProviderDeps } from '../providers/provider'
import { BINANCE_LIMITS } from '../providers/binance-limits'
import { COINBASE_LIMITS } from '../providers/coinbase-limits'
import { YAHOO_LIMITS } from '../providers/yahoo-limits'
import { createHistorySource, hasHistory } from './history-sources'

const NOW = Date.UTC(2025, 1, 19, 15, 0)
const deps: ProviderDeps = { now: () => NOW, log: () => {} }
const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

describe('history sources', () => {
  it('offers history only where it is free enough: not Alpha Vantage, Finnhub, CoinGecko or the simulated market', () => {
    expect(['yahoo', 'coinbase', 'binance', 'twelvedata'].every((id) => hasHistory(id as never))).toBe(true)
    expect(['alphavantage', 'finnhub', 'coingecko', 'simulated'].some((id) => hasHistory(id as never))).toBe(false)
    expect(createHistorySource('alphavantage', deps, { TICKERDESK_ALPHAVANTAGE_KEY: 'k' })).toBeNull()
  })

  it('needs a Twelve Data key, then charts through its time_series at one credit a chart', async () => {
    expect(createHistorySource('twelvedata', deps, {})).toBeNull()
    const fake = await startFakeTwelveData({ now: () => NOW })
    closers.push(() => fake.close())
    const source = createHistorySource('twelvedata', deps, { TICKERDESK_TWELVEDATA_URL: fake.url, TICKERDESK_TWELVEDATA_KEY: 'demo-key' })!
    expect(source.minTimeMs).toBeGreaterThanOrEqual(8_000)
    // Charged to the quote lane's credits before it goes.
    expect(source.quotaCost).toBe(1)
    const bars = await source.fetchHistory('AAPL', '6mo')
    const asked = fake.requests.at(-1)!
    expect(asked.path).toBe('/time_series')
    expect(asked.query).toMatchObject({ symbol: 'AAPL', interval: '1day', outputsize: '126' })
    expect(bars.length).toBeGreaterThan(0)
    expect(bars.every((b, i) => i === 0 || b.time > bars[i - 1]!.time)).toBe(true)
    expect(fake.credits('demo-key').minute).toBe(1)
  })

  it("spaces keyless charts at least as far apart as the quote lane spaces its requests, and charges them to no quota", () => {
    const lanes = { yahoo: YAHOO_LIMITS, binance: BINANCE_LIMITS, coinbase: COINBASE_LIMITS }
    for (const [id, limits] of Object.entries(lanes)) {
      const source = createHistorySource(id as keyof typeof lanes, deps, {})!
      expect(source.minTimeMs).toBeGreaterThanOrEqual(limits.minTimeMs)
      expect(source.quotaCost).toBeUndefined()
    }
  })
})
