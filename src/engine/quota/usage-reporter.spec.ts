import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { systemTimers } from '../timers'
import type { QuotaUsageSnapshot } from './quota-usage'
import { dayStep, UsageReporter } from './usage-reporter'

const DAY = '2026-03-10'

describe('UsageReporter', () => {
  let dayUsed: number
  let sent: number[]
  let reporter: UsageReporter
  const snapshot = (): QuotaUsageSnapshot => ({ version: 1, provider: 'twelvedata', day: DAY, dayUsed, recent: [[Date.now(), 1]], lastRequestAt: Date.now() })

  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse(`${DAY}T15:00:00Z`) })
    dayUsed = 0
    sent = []
    reporter = new UsageReporter({ now: () => Date.now(), timers: systemTimers, emit: (_provider, s) => sent.push(s.dayUsed) })
  })
  afterEach(() => {
    reporter.dispose(new Map())
    vi.useRealTimers()
  })

  /** One request a second for `count` seconds, each costing `cost`. */
  async function requests(count: number, perDay: number | null, cost = 1): Promise<void> {
    for (let i = 0; i < count; i++) {
      dayUsed += cost
      reporter.changed('twelvedata', snapshot, perDay)
      await vi.advanceTimersByTimeAsync(1_000)
    }
  }

  it('reports steps of 5 % of the daily limit, and every request under a limit of 100 a day', () => {
    expect(dayStep(800)).toBe(40)
    expect(dayStep(101)).toBeCloseTo(5.05)
    expect(dayStep(100)).toBe(1)
    expect(dayStep(25)).toBe(1)
  })

  it('throttles to one report per gap without a daily limit, reading the usage when it goes out', async () => {
    await requests(30, null)
    expect(sent).toEqual([1, 10, 20, 30])
  })

  it('reports at once when the day usage enters the next 5 % of a large daily limit, throttled in between', async () => {
    await requests(120, 800)
    // 40 credits are 5 % of 800: reached at 40, 80 and 120, each reported the moment it happens.
    expect(sent).toEqual(expect.arrayContaining([40, 80, 120]))
    expect(sent.length).toBeLessThanOrEqual(15)

    // 8 credits a request: a step is crossed every fifth request, and none is missed.
    sent = []
    await requests(30, 800, 8)
    expect(new Set(sent.map((used) => Math.floor(used / 40)))).toEqual(new Set([4, 5, 6, 7, 8, 9]))
  })

  it('reports every request when the daily limit is 100 or less', async () => {
    await requests(12, 25)
    expect(sent).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
  })

  it('reports the first request of a new UTC day at once', async () => {
    await requests(1, 800)
    await requests(3, 800)
    const before = sent.length
    vi.setSystemTime(Date.parse('2026-03-11T00:00:01Z'))
    dayUsed = 1
    reporter.changed('twelvedata', () => ({ ...snapshot(), day: '2026-03-11' }), 800)
    expect(sent).toHaveLength(before + 1)
  })
})
