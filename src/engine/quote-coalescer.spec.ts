import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { QUOTE_FIELDS, type QuotePatch } from '../shared/quote'
import { DEFAULT_MAX_BATCH_PATCHES, QuoteCoalescer } from './quote-coalescer'
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

  it('handles thousands of symbols in one flush with only their changes, in batches of at most 500', () => {
    const symbols = Array.from({ length: 5_000 }, (_, i) => `S${i}`)
    for (const s of symbols) coalescer.push(makeQuote(s))
    vi.advanceTimersByTime(16)
    expect(batches.map((b) => b.length)).toEqual(Array<number>(10).fill(DEFAULT_MAX_BATCH_PATCHES))
    expect(batches.flat().map((p) => p.symbol)).toEqual(symbols)
    batches = []
    for (const [i, s] of symbols.entries()) coalescer.push(makeQuote(s, { price: i % 2 === 0 ? 100 : 101 }))
    vi.advanceTimersByTime(16)
    expect(batches.map((b) => b.length)).toEqual([500, 500, 500, 500, 500])
    expect(batches.flat().every((p) => Object.keys(p).length === 2 && p.price === 101)).toBe(true)
    expect(batches.flat().map((p) => p.symbol)).toEqual(symbols.filter((_, i) => i % 2 === 1))
  })

  it('splits a flush into batches of the configured size, keeping push order, and sends a short last batch', () => {
    const sent: QuotePatch[][] = []
    const small = new QuoteCoalescer({ onFlush: (patches) => sent.push(patches), maxBatchPatches: 2 })
    for (const s of ['A', 'B', 'C', 'D', 'E']) small.push(makeQuote(s))
    small.flush()
    expect(sent.map((b) => b.map((p) => p.symbol))).toEqual([['A', 'B'], ['C', 'D'], ['E']])
    small.dispose()
  })

  it('keeps its comparison per field after values change type, so only real changes are sent', () => {
    coalescer.push(makeQuote('AAPL', { marketCap: null }))
    coalescer.flush()
    coalescer.push(makeQuote('AAPL', { marketCap: 1_000.5 }))
    coalescer.flush()
    coalescer.push(makeQuote('AAPL', { marketCap: 1_000.5 }))
    coalescer.flush()
    coalescer.push(makeQuote('AAPL', { marketCap: null, price: 1.25 }))
    coalescer.flush()
    expect(batches.slice(1)).toEqual([[{ symbol: 'AAPL', marketCap: 1_000.5 }], [{ symbol: 'AAPL', marketCap: null, price: 1.25 }]])
  })
})
