import { describe, expect, it, vi } from 'vitest'
import { fetchUniqueSymbols, uniqueSymbols } from './unique-symbols'

describe('unique symbols', () => {
  it('trims, drops blanks and keeps the first spelling of a case-insensitive duplicate', () => {
    expect(uniqueSymbols([' aapl ', 'AAPL', '', '  ', 'btc-usd', 'BTC-USD', 'MSFT'])).toEqual(['aapl', 'btc-usd', 'MSFT'])
  })

  it('asks once per symbol and makes no request when nothing is left', async () => {
    const fetch = vi.fn(async (unique: string[]) => ({ quotes: [], errors: unique.map((symbol) => ({ symbol, message: 'x' })) }))
    await expect(fetchUniqueSymbols([' ', ''], fetch)).resolves.toEqual({ quotes: [], errors: [] })
    expect(fetch).not.toHaveBeenCalled()
    await fetchUniqueSymbols(['A', 'a', 'B'], fetch)
    expect(fetch).toHaveBeenCalledWith(['A', 'B'])
  })
})
