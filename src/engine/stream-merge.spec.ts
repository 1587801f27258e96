import { describe, expect, it } from 'vitest'
import { mergeTick } from './stream-merge'
import { makeQuote } from './testing/fake-quote-provider'

describe('mergeTick', () => {
  const base = makeQuote('AAPL', { price: 100, previousClose: 98, change: 2, changePercent: 2.04, dayHigh: 101, dayLow: 99, volume: 5_000, marketCap: 3e12, delayed: true, source: 'yahoo' })

  it('lays the tick’s price and time over the last full quote and recomputes the change', () => {
    const q = mergeTick(base, { symbol: 'AAPL', price: 102.9, time: 1_800_000_000_000 }, 'finnhub', 1_800_000_000_050)
    expect(q).toMatchObject({ price: 102.9, providerTime: 1_800_000_000_000, receivedAt: 1_800_000_000_050, source: 'finnhub', delayed: false, marketCap: 3e12, name: 'AAPL Inc.', volume: 5_000 })
    expect(q.change).toBeCloseTo(4.9)
    expect(q.changePercent).toBeCloseTo(5)
    expect(q.dayHigh).toBe(102.9)
    expect(q.dayLow).toBe(99)
  })

  it('prefers what the tick carries and widens the day’s low', () => {
    const q = mergeTick(base, { symbol: 'AAPL', price: 97, time: 1, change: -1.5, changePercent: -1.5, volume: 9_000, dayLow: 97.5 }, 'coinbase', 2)
    expect(q).toMatchObject({ change: -1.5, changePercent: -1.5, volume: 9_000, dayLow: 97 })
  })

  it('measures the change from what the base’s change implies when no previous close is known', () => {
    const q = mergeTick({ ...base, previousClose: null }, { symbol: 'AAPL', price: 107.8, time: 1 }, 'binance', 2)
    expect(q.previousClose).toBeNull()
    expect(q.change).toBeCloseTo(9.8)
    expect(q.changePercent).toBeCloseTo(10)
    const bare = mergeTick({ ...base, previousClose: null, change: null, changePercent: null }, { symbol: 'AAPL', price: 1, time: 1 }, 'binance', 2)
    expect(bare).toMatchObject({ change: null, changePercent: null })
  })
})
