import { afterEach, describe, expect, it } from 'vitest'
import { startFakeBinance } from '../../../tests/fakes/binance-server'
import { startFakeCoinbase } from '../../../tests/fakes/coinbase-server'
import { startFakeYahoo } from '../../../tests/fakes/yahoo-server'
import { createBinanceHistorySource } from './binance-history'
import { createCoinbaseHistorySource } from './coinbase-history'
import type { ProviderDeps } from './provider'
import { ProviderError } from './provider'
import { createYahooHistorySource } from './yahoo-history'

// Wednesday 2025-02-19 15:00 UTC: regular hours in New York.
const NOW = Date.UTC(2025, 1, 19, 15, 0)
const deps: ProviderDeps = { now: () => NOW, log: () => {} }
const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(ProviderError)
  return error as ProviderError
}

describe('Yahoo history', () => {
  async function setup() {
    const fake = await startFakeYahoo({ now: () => NOW })
    closers.push(() => fake.close())
    return { fake, source: createYahooHistorySource({ baseUrl: fake.url, deps }) }
  }

  it('asks the chart for range and interval, pre/post-market included for intraday, and marks those bars extended', async () => {
    const { fake, source } = await setup()
    const bars = await source.fetchHistory('AAPL', '1d')
    expect(fake.requests.at(-1)?.query).toMatchObject({ range: '1d', interval: '5m', includePrePost: 'true' })
    expect(bars.at(-1)?.close).toBe(244.6)
    expect(bars.some((b) => b.extended === true)).toBe(true)
    expect(bars.some((b) => b.extended === false)).toBe(true)
    // Pre-market comes first in the day: the first bar is extended, the last (10:00 NY) is not.
    expect(bars[0]?.extended).toBe(true)
    expect(bars.at(-1)?.extended).toBe(false)
    expect(bars.every((b, i) => i === 0 || b.time > bars[i - 1]!.time)).toBe(true)
  })

  it('uses daily bars without pre/post-market for a month, and weekly bars for five years', async () => {
    const { fake, source } = await setup()
    const month = await source.fetchHistory('MSFT', '1mo')
    expect(fake.requests.at(-1)?.query).toMatchObject({ range: '1mo', interval: '1d', includePrePost: 'false' })
    expect(month.length).toBeGreaterThan(15)
    expect(month.every((b) => b.extended === undefined)).toBe(true)
    await source.fetchHistory('MSFT', '5y')
    expect(fake.requests.at(-1)?.query).toMatchObject({ range: '5y', interval: '1wk' })
  })

  it('says "Unknown symbol" for a 404, and reads rate limits and HTML pages in plain words', async () => {
    const { fake, source } = await setup()
    expect((await rejection(source.fetchHistory('ZZZZ', '1mo'))).message).toMatch(/^Unknown symbol ZZZZ/)
    fake.rateLimit(1, 30)
    const limited = await rejection(source.fetchHistory('AAPL', '1mo'))
    expect(limited.kind).toBe('rate-limit')
    expect(limited.retryAfterMs).toBe(30_000)
    fake.serveHtml(1)
    expect((await rejection(source.fetchHistory('AAPL', '1mo'))).message).toBe('Yahoo Finance sent a web page instead of market data.')
  })

  it('reports a lost network as a network failure', async () => {
    const { fake, source } = await setup()
    await fake.stop()
    expect((await rejection(source.fetchHistory('AAPL', '1mo'))).kind).toBe('network')
  })
})

describe('Binance history', () => {
  it('fetches klines for the mapped pair with the range\'s interval', async () => {
    const fake = await startFakeBinance({ now: () => NOW })
    closers.push(() => fake.close())
    const source = createBinanceHistorySource({ baseUrl: fake.url, deps })
    const bars = await source.fetchHistory('BTC-USD', '5d')
    const asked = fake.requests.at(-1)!
    expect(asked.path).toBe('/api/v3/klines')
    expect(asked.query).toMatchObject({ symbol: 'BTCUSDT', interval: '30m', limit: '1000' })
    expect(bars.length).toBeGreaterThanOrEqual(239)
    expect(bars[0]!.time).toBeGreaterThanOrEqual(NOW - 5 * 86_400_000)
    expect(typeof bars[0]!.close).toBe('number')
  })

  it('turns an unknown pair and a ban into plain words', async () => {
    const fake = await startFakeBinance({ now: () => NOW })
    closers.push(() => fake.close())
    const source = createBinanceHistorySource({ baseUrl: fake.url, deps })
    expect((await rejection(source.fetchHistory('NOPE-USD', '1mo'))).message).toMatch(/^Unknown symbol NOPE-USD/)
    fake.failWith(1, 418, JSON.stringify({ code: -1003, msg: 'Way too much request weight used' }), { 'Retry-After': '120' })
    const banned = await rejection(source.fetchHistory('BTC-USD', '1mo'))
    expect(banned.kind).toBe('rate-limit')
    expect(banned.retryAfterMs).toBe(120_000)
  })
})

describe('Coinbase history', () => {
  it('pages candles 300 at a time for a year and merges five years of days into weeks', async () => {
    const fake = await startFakeCoinbase({ now: () => NOW, unlimited: true })
    closers.push(() => fake.close())
    const source = createCoinbaseHistorySource({ baseUrl: fake.url, deps })
    const year = await source.fetchHistory('BTC-USD', '1y')
    expect(fake.requests.filter((r) => r.path.endsWith('/candles'))).toHaveLength(2)
    expect(year.length).toBeGreaterThan(360)
    expect(year.every((b, i) => i === 0 || b.time > year[i - 1]!.time)).toBe(true)
    expect(year.at(-1)!.close).toBeCloseTo(99_728.83, 2)

    const fiveYears = await source.fetchHistory('BTC-USD', '5y')
    expect(fiveYears.length).toBeGreaterThan(250)
    expect(fiveYears.length).toBeLessThan(270)
    expect(fiveYears[1]!.time - fiveYears[0]!.time).toBe(7 * 86_400_000)
  })

  it('asks hourly candles for five days, and says "Unknown symbol" for an unlisted product', async () => {
    const fake = await startFakeCoinbase({ now: () => NOW, unlimited: true })
    closers.push(() => fake.close())
    const source = createCoinbaseHistorySource({ baseUrl: fake.url, deps })
    const bars = await source.fetchHistory('ETH-USD', '5d')
    expect(bars.length).toBeGreaterThanOrEqual(119)
    expect(bars[1]!.time - bars[0]!.time).toBe(3_600_000)
    expect((await rejection(source.fetchHistory('NOPE-USD', '1mo'))).message).toMatch(/^Unknown symbol NOPE-USD/)
    fake.failWith(1, 429, JSON.stringify({ message: 'Public rate limit exceeded' }))
    expect((await rejection(source.fetchHistory('BTC-USD', '1mo'))).kind).toBe('rate-limit')
  })
})
