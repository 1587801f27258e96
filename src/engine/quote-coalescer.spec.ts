import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { QUOTE_FIELDS, type QuotePatch } from '../shared/quote'
import { QuoteCoalescer } from './quote-coalescer'
import { makeQuote } from './testing/fake-quote-provider'

describe('QuoteCoalescer', () => {
  let batches: QuotePatch[][]
  let coalescer: QuoteCoalescer

  beforeEach(() => {
    vi.useFakeTimers()
    batches = []
    coalescer = new QuoteCoalescer({ onFlush: (patches) => batches.push(patches) })
  })
  afterEach(() => {
    coalescer.dispose()
    vi.useRealTimers()
  })

  it('sends every field the first time a symbol is seen, one frame later', () => {
    coalescer.push(makeQuote('AAPL'))
    expect(batches).toEqual([])
    vi.advanceTimersByTime(15)
    expect(batches).toEqual([])
    vi.advanceTimersByTime(1)
    expect(batches).toHaveLength(1)
    const patch = batches[0]?.[0]
    expect(patch).toEqual(makeQuote('AAPL'))
    expect(Object.keys(patch ?? {}).sort()).toEqual(['symbol', ...QUOTE_FIELDS].sort())
  })

  it('sends only the fields that changed since the last batch', () => {
    coalescer.push(makeQuote('AAPL'))
    vi.advanceTimersByTime(16)
    coalescer.push(makeQuote('AAPL', { price: 101, change: 2 }))
    vi.advanceTimersByTime(16)
    expect(batches[1]).toEqual([{ symbol: 'AAPL', price: 101, change: 2 }])
  })

  it('produces nothing for an unchanged quote', () => {
    coalescer.push(makeQuote('AAPL'))
    vi.advanceTimersByTime(16)
    expect(coalescer.push(makeQuote('AAPL'))).toBe(false)
    vi.advanceTimersByTime(100)
    expect(batches).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('merges several pushes for one symbol into a single patch with the latest values', () => {
    coalescer.push(makeQuote('AAPL'))
    vi.advanceTimersByTime(16)
    coalescer.push(makeQuote('AAPL', { price: 101 }))
    coalescer.push(makeQuote('AAPL', { price: 102, volume: 2000 }))
    coalescer.push(makeQuote('AAPL', { price: 103, volume: 2000 }))
    vi.advanceTimersByTime(16)
    expect(batches[1]).toEqual([{ symbol: 'AAPL', price: 103, volume: 2000 }])
  })

  it('sends nothing when a value moves and comes back before the flush', () => {
    coalescer.push(makeQuote('AAPL'))
    vi.advanceTimersByTime(16)
    coalescer.push(makeQuote('AAPL', { price: 105 }))
    coalescer.push(makeQuote('AAPL', { price: 100 }))
    vi.advanceTimersByTime(16)
    expect(batches).toHaveLength(1)
  })

  it('flushes at most once per interval however many symbols change', () => {
    coalescer.push(makeQuote('A'))
    vi.advanceTimersByTime(5)
    coalescer.push(makeQuote('B'))
    vi.advanceTimersByTime(5)
    coalescer.push(makeQuote('C'))
    vi.advanceTimersByTime(6)
    expect(batches).toHaveLength(1)
    expect(batches[0]?.map((p) => p.symbol)).toEqual(['A', 'B', 'C'])
  })

  it('honours a changed flush interval', () => {
    coalescer.setFlushInterval(100)
    coalescer.push(makeQuote('A'))
    vi.advanceTimersByTime(99)
    expect(batches).toHaveLength(0)
    vi.advanceTimersByTime(1)
    expect(batches).toHaveLength(1)
  })

  it('drops pending changes of a forgotten symbol and starts it over with a full patch', () => {
    coalescer.push(makeQuote('AAPL'))
    vi.advanceTimersByTime(16)
    coalescer.push(makeQuote('AAPL', { price: 120 }))
    coalescer.forget('AAPL')
    vi.advanceTimersByTime(16)
    expect(batches).toHaveLength(1)
    coalescer.push(makeQuote('AAPL', { price: 120 }))
    vi.advanceTimersByTime(16)
    expect(batches[1]).toEqual([makeQuote('AAPL', { price: 120 })])
  })

  it('copies values, so a provider may reuse and mutate its quote objects', () => {
    const reused = makeQuote('AAPL')
    coalescer.push(reused)
    reused.price = 150
    vi.advanceTimersByTime(16)
    expect(batches[0]?.[0]?.price).toBe(100)
    coalescer.push(reused)
    vi.advanceTimersByTime(16)
    expect(batches[1]).toEqual([{ symbol: 'AAPL', price: 150 }])
  })

  it('flush() sends pending patches at once and cancels the timer', () => {
    coalescer.push(makeQuote('AAPL'))
    coalescer.flush()
    expect(batches).toHaveLength(1)
    vi.advanceTimersByTime(100)
    expect(batches).toHaveLength(1)
  })

  it('handles thousands of symbols in one batch with only their changes', () => {
    const symbols = Array.from({ length: 5_000 }, (_, i) => `S${i}`)
    for (const s of symbols) coalescer.push(makeQuote(s))
    vi.advanceTimersByTime(16)
    for (const [i, s] of symbols.entries()) coalescer.push(makeQuote(s, { price: i % 2 === 0 ? 100 : 101 }))
    vi.advanceTimersByTime(16)
    expect(batches[0]).toHaveLength(5_000)
    expect(batches[1]).toHaveLength(2_500)
    expect(batches[1]?.every((p) => Object.keys(p).length === 2 && p.price === 101)).toBe(true)
  })
})
