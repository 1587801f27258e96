import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { makeQuote } from '../testing/quote-fixture'
import { memoryBackend } from './memory-backend'
import { emptyQuoteCache, QuoteCache, readCachedQuotes, type QuoteCacheFile } from './quote-cache'
import { realTimers } from './timers'

function setup(intervalMs = 5_000) {
  const backend = memoryBackend()
  const store = backend.open<QuoteCacheFile>('quote-cache', emptyQuoteCache())
  const writes = () => (backend.writes.get('quote-cache') ?? 0) - 1 // minus the write on open
  const onWriteError = vi.fn()
  const cache = new QuoteCache(store, new Map(), { timers: realTimers, intervalMs, onWriteError })
  const saved = () => (JSON.parse(backend.files.get('quote-cache')!) as QuoteCacheFile).quotes
  return { backend, store, cache, writes, saved, onWriteError }
}

describe('QuoteCache', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('writes at most once per window however many updates arrive', async () => {
    const { cache, writes, saved } = setup()
    for (let i = 0; i < 50; i++) {
      cache.set(makeQuote('AAPL', { price: 100 + i }))
      await vi.advanceTimersByTimeAsync(90)
    }
    // 4.5 s of updates: one window, nothing written yet.
    expect(writes()).toBe(0)
    await vi.advanceTimersByTimeAsync(500)
    expect(writes()).toBe(1)
    expect(saved().AAPL!.price).toBe(149)

    for (let i = 0; i < 120; i++) {
      cache.set(makeQuote('MSFT', { price: i }))
      await vi.advanceTimersByTimeAsync(100)
    }
    // 12 s of steady updates → two or three writes, never one per update.
    expect(writes()).toBeGreaterThanOrEqual(3)
    expect(writes()).toBeLessThanOrEqual(4)
  })

  it('does not write when nothing changed', async () => {
    const { cache, writes } = setup()
    await vi.advanceTimersByTimeAsync(60_000)
    cache.flush()
    expect(writes()).toBe(0)
  })

  it('flushes pending changes at once and cancels the timer; dispose flushes too', async () => {
    const { cache, writes, saved } = setup()
    cache.set(makeQuote('AAPL', { price: 1 }))
    cache.flush()
    expect(writes()).toBe(1)
    expect(saved().AAPL!.price).toBe(1)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(writes()).toBe(1)

    const quote = cache.get('AAPL')!
    quote.price = 2
    cache.markDirty()
    cache.dispose()
    expect(saved().AAPL!.price).toBe(2)
    expect(writes()).toBe(2)
  })

  it('retains only the given symbols', () => {
    const { cache, saved } = setup()
    cache.set(makeQuote('AAPL'))
    cache.set(makeQuote('GONE'))
    cache.retain(new Set(['AAPL']))
    cache.flush()
    expect(Object.keys(saved())).toEqual(['AAPL'])
    expect(cache.get('GONE')).toBeUndefined()
  })

  it('reports a failed write, keeps the data and writes it on the next change', async () => {
    const { store, cache, onWriteError, saved } = setup()
    const realSet = store.set.bind(store)
    let fail = true
    store.set = (key, value) => {
      if (fail) throw new Error('ENOSPC: no space left on device')
      realSet(key, value)
    }
    cache.set(makeQuote('AAPL', { price: 5 }))
    await vi.advanceTimersByTimeAsync(5_000)
    expect(onWriteError).toHaveBeenCalledOnce()
    expect(cache.get('AAPL')!.price).toBe(5)

    fail = false
    cache.set(makeQuote('MSFT'))
    await vi.advanceTimersByTimeAsync(5_000)
    expect(Object.keys(saved()).sort()).toEqual(['AAPL', 'MSFT'])
  })
})

describe('readCachedQuotes', () => {
  it('keeps valid entries and drops the rest one by one', () => {
    const { quotes, dropped } = readCachedQuotes({
      AAPL: makeQuote('AAPL'),
      BAD: { symbol: 'BAD', price: 'lots' },
      MISMATCH: makeQuote('OTHER')
    })
    expect([...quotes.keys()]).toEqual(['AAPL'])
    expect(dropped).toBe(2)
  })
})
