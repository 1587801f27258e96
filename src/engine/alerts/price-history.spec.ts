import { describe, expect, it } from 'vitest'
import { PriceHistory } from './price-history'

const MIN = 60_000

describe('PriceHistory', () => {
  it('finds the earliest sample inside the window', () => {
    const h = new PriceHistory(15 * MIN)
    for (let i = 0; i <= 30; i++) h.add(i * MIN, 100 + i)
    expect(h.priceSince(30 * MIN - 15 * MIN)).toBe(115)
    expect(h.priceSince(31 * MIN)).toBeNaN()
  })

  it('stays within a fixed size however often it is fed', () => {
    const h = new PriceHistory(24 * 60 * MIN)
    for (let t = 0; t < 2 * 24 * 60 * MIN; t += 1000) h.add(t, t)
    expect(h.size).toBeLessThanOrEqual(34)
    const since = 2 * 24 * 60 * MIN - 24 * 60 * MIN
    // Thinned to window/32, so the reference is at most that late.
    expect(h.priceSince(since) - since).toBeLessThanOrEqual((24 * 60 * MIN) / 32)
  })

  it('ignores samples out of order and empties on clear', () => {
    const h = new PriceHistory(10 * MIN)
    h.add(5 * MIN, 1)
    h.add(2 * MIN, 2)
    expect(h.size).toBe(1)
    h.clear()
    expect(h.priceSince(0)).toBeNaN()
  })
})
