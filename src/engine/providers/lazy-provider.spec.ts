import { describe, expect, it, vi } from 'vitest'
import { createLazyProvider } from './lazy-provider'
import type { QuoteProvider } from './provider'

const LIMITS = { maxBatch: 5, minTimeMs: 10, maxConcurrent: 1 }

function realProvider(): QuoteProvider {
  return {
    id: 'yahoo',
    limits: LIMITS,
    fetchQuotes: vi.fn(async (symbols: readonly string[]) => ({ quotes: [], errors: symbols.map((symbol) => ({ symbol, message: 'seen' })) }))
  }
}

describe('createLazyProvider', () => {
  it('answers id and limits without loading the adapter', () => {
    const load = vi.fn(async () => realProvider())
    const provider = createLazyProvider('yahoo', LIMITS, load)
    expect(provider.id).toBe('yahoo')
    expect(provider.limits).toEqual(LIMITS)
    expect(load).not.toHaveBeenCalled()
  })

  it('loads the adapter once, on the first request, and passes requests and signals through', async () => {
    const real = realProvider()
    const load = vi.fn(async () => real)
    const provider = createLazyProvider('yahoo', LIMITS, load)
    const signal = new AbortController().signal
    const [a, b] = await Promise.all([provider.fetchQuotes(['AAPL'], signal), provider.fetchQuotes(['MSFT'])])
    expect(a.errors).toEqual([{ symbol: 'AAPL', message: 'seen' }])
    expect(b.errors).toEqual([{ symbol: 'MSFT', message: 'seen' }])
    expect(load).toHaveBeenCalledTimes(1)
    expect(real.fetchQuotes).toHaveBeenCalledWith(['AAPL'], signal)
  })

  it('fails the request when loading fails, and tries loading again on the next one', async () => {
    const load = vi.fn<() => Promise<QuoteProvider>>().mockRejectedValueOnce(new Error('module missing')).mockResolvedValue(realProvider())
    const provider = createLazyProvider('yahoo', LIMITS, load)
    await expect(provider.fetchQuotes(['AAPL'])).rejects.toThrow('module missing')
    await expect(provider.fetchQuotes(['AAPL'])).resolves.toEqual({ quotes: [], errors: [{ symbol: 'AAPL', message: 'seen' }] })
    expect(load).toHaveBeenCalledTimes(2)
  })
})
