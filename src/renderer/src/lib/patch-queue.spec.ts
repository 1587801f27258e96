import { describe, expect, it, vi } from 'vitest'
import type { QuotePatch } from '@shared/quote'
import { PatchQueue } from './patch-queue'
import { moveItem } from './move-item'
import { mergeQuote } from './quote-merge'

function fakeFrames() {
  const callbacks: Array<() => void> = []
  return {
    schedule: (cb: () => void) => void callbacks.push(cb),
    runFrame: () => callbacks.splice(0).forEach((cb) => cb()),
    get scheduled() {
      return callbacks.length
    }
  }
}

describe('PatchQueue', () => {
  it('applies everything once per frame, merging patches for the same symbol', () => {
    const frames = fakeFrames()
    const apply = vi.fn()
    const queue = new PatchQueue(apply, frames.schedule)
    queue.push([{ symbol: 'AAPL', price: 1 }, { symbol: 'MSFT', price: 2 }])
    queue.push([{ symbol: 'AAPL', price: 3, volume: 10 }])
    expect(apply).not.toHaveBeenCalled()
    expect(frames.scheduled).toBe(1)
    frames.runFrame()
    expect(apply).toHaveBeenCalledTimes(1)
    const batch = apply.mock.calls[0]![0] as Map<string, QuotePatch>
    expect([...batch.values()]).toEqual([
      { symbol: 'AAPL', price: 3, volume: 10 },
      { symbol: 'MSFT', price: 2 }
    ])
    frames.runFrame()
    expect(apply).toHaveBeenCalledTimes(1)
  })

  it('never holds more than one entry per symbol, however many batches arrive', () => {
    const frames = fakeFrames()
    const queue = new PatchQueue(() => {}, frames.schedule)
    for (let i = 0; i < 1000; i++) queue.push([{ symbol: 'BTC-USD', price: i }])
    expect(queue.size).toBe(1)
  })

  it('does not mutate the caller’s patches', () => {
    const frames = fakeFrames()
    const queue = new PatchQueue(() => {}, frames.schedule)
    const first = { symbol: 'A', price: 1 }
    queue.push([first])
    queue.push([{ symbol: 'A', price: 2 }])
    expect(first.price).toBe(1)
  })
})

describe('mergeQuote', () => {
  it('fills unknown fields of a first patch and drops one without a price', () => {
    expect(mergeQuote(null, { symbol: 'X', name: 'x' }, 5)).toBeNull()
    const q = mergeQuote(null, { symbol: 'X', price: 2 }, 5)
    expect(q).toMatchObject({ symbol: 'X', price: 2, receivedAt: 5, providerTime: 5, change: null })
    expect(mergeQuote(q, { symbol: 'X', change: 1 }, 6)).toMatchObject({ price: 2, change: 1, receivedAt: 5 })
  })
})

describe('moveItem', () => {
  it('moves without touching the original', () => {
    const items = ['a', 'b', 'c', 'd']
    expect(moveItem(items, 0, 2)).toEqual(['b', 'c', 'a', 'd'])
    expect(moveItem(items, 3, 0)).toEqual(['d', 'a', 'b', 'c'])
    expect(moveItem(items, 1, 99)).toEqual(['a', 'c', 'd', 'b'])
    expect(items).toEqual(['a', 'b', 'c', 'd'])
  })
})
