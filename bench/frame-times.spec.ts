import { describe, expect, it } from 'vitest'
import { frameTimes } from './ui-frames'

describe('frameTimes', () => {
  it('counts on-time frames as one refresh despite timestamp jitter', () => {
    const deltas = [16.7, 16.5, 16.8, 16.6, 16.7, 16.8, 16.7]
    const { times, droppedPct } = frameTimes(deltas)
    expect(new Set(times)).toEqual(new Set([16.7]))
    expect(droppedPct).toBe(0)
  })

  it('counts a late frame as the refreshes it spanned', () => {
    const { times, droppedPct } = frameTimes([16.7, 16.7, 33.3, 16.7, 50.1])
    expect(times).toEqual([16.7, 16.7, 33.4, 16.7, 50.1].map((t) => expect.closeTo(t, 1)))
    expect(droppedPct).toBeCloseTo((100 * 3) / 8, 5)
  })
})
