import { describe, expect, it } from 'vitest'
import { RequestBudget } from './finnhub-budget'

describe('RequestBudget', () => {
  it('counts calls in sliding windows and says how long until the next one fits', () => {
    let clock = 0
    const budget = new RequestBudget([{ limit: 3, ms: 60_000 }, { limit: 2, ms: 1_000 }], () => clock, async () => undefined)
    expect(budget.tryTake()).toBe(true)
    expect(budget.tryTake()).toBe(true)
    expect(budget.waitMs()).toBe(1_000)
    clock = 1_000
    expect(budget.tryTake()).toBe(true)
    expect(budget.waitMs()).toBe(59_000)
    clock = 60_001
    expect(budget.used(60_000)).toBe(1)
    expect(budget.tryTake()).toBe(true)
  })

  it('keeps a reserve for optional calls', () => {
    const budget = new RequestBudget([{ limit: 5, ms: 60_000 }], () => 0, async () => undefined)
    expect(budget.tryTake(3)).toBe(true)
    expect(budget.tryTake(3)).toBe(true)
    expect(budget.tryTake(3)).toBe(false)
    expect(budget.tryTake()).toBe(true)
  })

  it('waits for a slot by sleeping, and lets an abort end the wait', async () => {
    let clock = 0
    const sleeps: number[] = []
    const budget = new RequestBudget([{ limit: 1, ms: 1_000 }], () => clock, async (ms, signal) => {
      if (signal?.aborted) throw new Error('aborted')
      sleeps.push(ms)
      clock += ms
    })
    await budget.take()
    await budget.take()
    expect(sleeps).toEqual([1_000])
    const controller = new AbortController()
    controller.abort()
    await expect(budget.take(controller.signal)).rejects.toThrow('aborted')
  })
})
