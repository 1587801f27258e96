import { describe, expect, it } from 'vitest'
import { DOCUMENTED_FREE_TIERS, LimitChecker } from './quota-limit-checker'
import { QUOTA_SCENARIOS, simulateQuota } from './quota'

describe('quota bench', () => {
  it.each(QUOTA_SCENARIOS)('%s with %i symbols: no limit broken and refreshes within 10 percent of the optimum', (provider, count) => {
    const run = simulateQuota(provider, count)
    expect(run.problems).toEqual([])
    expect(run.violations).toBe(0)
    expect(run.meanIntervalMs / run.optimumMs).toBeLessThanOrEqual(1.1)
    // Round-robin: no symbol waits much longer than the mean either.
    expect(run.maxGapMs / run.optimumMs).toBeLessThanOrEqual(1.1)
  }, 20_000)

  it.each(QUOTA_SCENARIOS)('%s with %i symbols on a 1 s heartbeat stays within 10 percent too', (provider, count) => {
    const run = simulateQuota(provider, count, { tickMs: 1_000 })
    expect(run.violations).toBe(0)
    expect(run.meanIntervalMs / run.optimumMs).toBeLessThanOrEqual(1.1)
  }, 20_000)

  it('starting mid-day still spreads the budget and never overspends across the reset', () => {
    const run = simulateQuota('alphavantage', 20, { start: Date.UTC(2026, 2, 10, 14, 30), hours: 48 })
    expect(run.violations).toBe(0)
    // 25 requests in the 9.5 h left of day one, then 25 a day: far better than 25 every 24 h.
    expect(run.requests).toBeGreaterThanOrEqual(49)
  })

  it('the checker does catch an over-quota burst', () => {
    const checker = new LimitChecker(DOCUMENTED_FREE_TIERS.alphavantage)
    for (let i = 0; i < 6; i++) checker.record({ at: 1_000 + i * 1_500, symbols: 1 })
    expect(checker.violations).toBe(1)
    const daily = new LimitChecker(DOCUMENTED_FREE_TIERS.twelvedata)
    for (let i = 0; i < 101; i++) daily.record({ at: i * 61_000, symbols: 8 })
    expect(daily.violations).toBe(1)
  })
})
