import { afterEach, describe, expect, it } from 'vitest'
import { startFakeTwelveData } from '../../../tests/fakes/twelvedata-server'
import type { ProviderDeps } from '../providers/provider'
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
    const bars = await source.fetchHistory('AAPL', '6mo')
    const asked = fake.requests.at(-1)!
    expect(asked.path).toBe('/time_series')
    expect(asked.query).toMatchObject({ symbol: 'AAPL', interval: '1day', outputsize: '126' })
    expect(bars.length).toBeGreaterThan(0)
    expect(bars.every((b, i) => i === 0 || b.time > bars[i - 1]!.time)).toBe(true)
    expect(fake.credits('demo-key').minute).toBe(1)
  })
})
