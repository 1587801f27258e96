import { describe, expect, it } from 'vitest'
import { computeWindow, scrollToReveal } from './virtual-window'

const base = { rowHeight: 30, viewportHeight: 300, overscan: 5 }

describe('computeWindow', () => {
  it('renders only visible rows plus overscan for a long list', () => {
    const w = computeWindow({ ...base, count: 1000, scrollTop: 0 })
    expect(w).toEqual({ start: 0, end: 15, padTop: 0, padBottom: 985 * 30, totalHeight: 30_000 })
  })

  it('follows the scroll position', () => {
    const w = computeWindow({ ...base, count: 1000, scrollTop: 3000 })
    expect(w.start).toBe(95)
    expect(w.end).toBe(115)
    expect(w.padTop).toBe(95 * 30)
    expect(w.padTop + (w.end - w.start) * 30 + w.padBottom).toBe(w.totalHeight)
  })

  it('handles a partly visible first row', () => {
    const w = computeWindow({ ...base, overscan: 0, count: 1000, scrollTop: 45 })
    expect(w.start).toBe(1)
    expect(w.end).toBe(12)
  })

  it('clamps overscrolling at the end', () => {
    const w = computeWindow({ ...base, count: 100, scrollTop: 1_000_000 })
    expect(w.end).toBe(100)
    expect(w.padBottom).toBe(0)
    expect(w.start).toBe(100 - 10 - 5)
  })

  it('puts every row of a short list in the DOM', () => {
    expect(computeWindow({ ...base, count: 7, scrollTop: 0 })).toMatchObject({ start: 0, end: 7 })
    const small = computeWindow({ ...base, viewportHeight: 30, count: 30, scrollTop: 0, renderAllBelow: 40 })
    expect(small).toMatchObject({ start: 0, end: 30, padTop: 0, padBottom: 0 })
  })

  it('copes with an empty list and a zero-height viewport', () => {
    expect(computeWindow({ ...base, count: 0, scrollTop: 0 })).toMatchObject({ start: 0, end: 0, totalHeight: 0 })
    expect(computeWindow({ ...base, viewportHeight: 0, overscan: 0, count: 10, scrollTop: 0 }).end).toBe(1)
  })
})

describe('scrollToReveal', () => {
  it('scrolls up or down just enough, or not at all', () => {
    expect(scrollToReveal(2, 30, 300, 120)).toBe(60)
    expect(scrollToReveal(20, 30, 300, 0)).toBe(330)
    expect(scrollToReveal(5, 30, 300, 0)).toBeNull()
  })
})
