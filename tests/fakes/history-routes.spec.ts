import { afterEach, describe, expect, it } from 'vitest'
import { startFakeBinance, type FakeBinance } from './binance-server'
import { startFakeCoinbase, type FakeCoinbase } from './coinbase-server'
import { startFakeYahoo, type FakeYahoo } from './yahoo-server'

// Wednesday 2025-02-19 15:00 UTC (10:00 in New York), so the fake's trading periods are regular hours.
const NOW = Date.UTC(2025, 1, 19, 15, 0)
const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

async function yahoo(): Promise<FakeYahoo> {
  const fake = await startFakeYahoo({ now: () => NOW })
  closers.push(() => fake.close())
  return fake
}

interface ChartBody {
  chart: {
    result: { meta: Record<string, unknown>; timestamp?: number[]; indicators: { quote: { close?: number[] }[] } }[] | null
    error: { code: string; description: string } | null
  }
}

describe('fake Yahoo chart history', () => {
  it('answers range + interval with bars ending at the live price, pre/post-market only with includePrePost', async () => {
    const fake = await yahoo()
    const regular = (await (await fetch(`${fake.url}/v8/finance/chart/AAPL?range=1d&interval=5m&includePrePost=false`)).json()) as ChartBody
    const withPrePost = (await (await fetch(`${fake.url}/v8/finance/chart/AAPL?range=1d&interval=5m&includePrePost=true`)).json()) as ChartBody
    const r = regular.chart.result![0]!
    const p = withPrePost.chart.result![0]!
    expect(r.meta.dataGranularity).toBe('5m')
    expect(r.indicators.quote[0]!.close!.at(-1)).toBe(244.6)
    expect(p.timestamp!.length).toBeGreaterThan(r.timestamp!.length)
    const period = r.meta.currentTradingPeriod as { regular: { start: number } }
    expect(Math.min(...r.timestamp!)).toBeGreaterThanOrEqual(period.regular.start)
    expect(Math.min(...p.timestamp!)).toBeLessThan(period.regular.start)
    expect(Math.max(...p.timestamp!)).toBeLessThanOrEqual(NOW / 1000)
  })

  it('refuses an unknown interval with the real 400 body and an unknown range with 422', async () => {
    const fake = await yahoo()
    const bad = await fetch(`${fake.url}/v8/finance/chart/AAPL?range=1mo&interval=7m`)
    expect(bad.status).toBe(400)
    const body = (await bad.json()) as ChartBody
    expect(body.chart.result).toBeNull()
    expect(body.chart.error).toEqual({ code: 'Bad Request', description: expect.stringContaining('interval=7m is not supported') })
    expect((await fetch(`${fake.url}/v8/finance/chart/AAPL?range=7d&interval=1d`)).status).toBe(422)
  })

  it('refuses intraday bars beyond Yahoo\'s look-back', async () => {
    const fake = await yahoo()
    const old = await fetch(`${fake.url}/v8/finance/chart/AAPL?range=1mo&interval=1m`)
    expect(old.status).toBe(422)
    expect(((await old.json()) as ChartBody).chart.error?.description).toMatch(/Only 7 days worth of 1m/)
    expect((await fetch(`${fake.url}/v8/finance/chart/AAPL?range=1y&interval=5m`)).status).toBe(422)
  })

  it('keeps the one-candle answer the quote fallback reads', async () => {
    const fake = await yahoo()
    const body = (await (await fetch(`${fake.url}/v8/finance/chart/AAPL?interval=1d&range=1d&includePrePost=false`)).json()) as ChartBody
    expect(body.chart.result![0]!.timestamp).toHaveLength(1)
  })

  it('leaves weekends out of daily stock bars', async () => {
    const fake = await yahoo()
    const body = (await (await fetch(`${fake.url}/v8/finance/chart/AAPL?range=1mo&interval=1d`)).json()) as ChartBody
    const days = body.chart.result![0]!.timestamp!.map((t) => new Date(t * 1000).getUTCDay())
    expect(days.length).toBeGreaterThan(15)
    expect(days.some((d) => d === 0 || d === 6)).toBe(false)
  })
})

describe('fake Binance klines', () => {
  async function binance(): Promise<FakeBinance> {
    const fake = await startFakeBinance({ now: () => NOW })
    closers.push(() => fake.close())
    return fake
  }

  it('answers klines oldest first at weight 2, ending at the last price', async () => {
    const fake = await binance()
    const res = await fetch(`${fake.url}/api/v3/klines?symbol=BTCUSDT&interval=1d&limit=30`)
    const rows = (await res.json()) as [number, string, string, string, string][]
    expect(rows).toHaveLength(30)
    expect(rows[0]![0]).toBeLessThan(rows[1]![0])
    expect(typeof rows[0]![4]).toBe('string')
    expect(fake.requests.at(-1)?.weight).toBe(2)
  })

  it('refuses a bad interval, an unknown pair and a limit over 1000 like Binance', async () => {
    const fake = await binance()
    const bad = await fetch(`${fake.url}/api/v3/klines?symbol=BTCUSDT&interval=7m`)
    expect(bad.status).toBe(400)
    expect(await bad.json()).toEqual({ code: -1120, msg: 'Invalid interval.' })
    expect(await (await fetch(`${fake.url}/api/v3/klines?symbol=NOPEUSDT&interval=1d`)).json()).toEqual({ code: -1121, msg: 'Invalid symbol.' })
    expect((await fetch(`${fake.url}/api/v3/klines?symbol=BTCUSDT&interval=1d&limit=1001`)).status).toBe(400)
  })
})

describe('fake Coinbase candles', () => {
  async function coinbase(): Promise<FakeCoinbase> {
    const fake = await startFakeCoinbase({ now: () => NOW, unlimited: true })
    closers.push(() => fake.close())
    return fake
  }

  it('answers candles newest first as numbers', async () => {
    const fake = await coinbase()
    const start = new Date(NOW - 10 * 86_400_000).toISOString()
    const end = new Date(NOW).toISOString()
    const rows = (await (await fetch(`${fake.url}/products/BTC-USD/candles?granularity=86400&start=${start}&end=${end}`, { headers: { 'User-Agent': 'spec' } })).json()) as number[][]
    expect(rows.length).toBeGreaterThanOrEqual(10)
    expect(rows[0]![0]).toBeGreaterThan(rows[1]![0]!)
    expect(typeof rows[0]![4]).toBe('number')
  })

  it('refuses more than 300 candles and unsupported granularities', async () => {
    const fake = await coinbase()
    const start = new Date(NOW - 400 * 86_400_000).toISOString()
    const end = new Date(NOW).toISOString()
    const tooMany = await fetch(`${fake.url}/products/BTC-USD/candles?granularity=86400&start=${start}&end=${end}`, { headers: { 'User-Agent': 'spec' } })
    expect(tooMany.status).toBe(400)
    expect(((await tooMany.json()) as { message: string }).message).toMatch(/^granularity too small for the requested time range/)
    const odd = await fetch(`${fake.url}/products/BTC-USD/candles?granularity=1800`, { headers: { 'User-Agent': 'spec' } })
    expect(odd.status).toBe(400)
    expect((await fetch(`${fake.url}/products/NOPE-USD/candles?granularity=60`, { headers: { 'User-Agent': 'spec' } })).status).toBe(404)
  })
})
