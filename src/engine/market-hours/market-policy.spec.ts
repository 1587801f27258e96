import { describe, expect, it } from 'vitest'
import { assetClassOf, CLOSE_GRACE_MS, needsClosingFetch, shouldPoll } from './market-policy'

describe('assetClassOf', () => {
  it('reads crypto pairs in every provider style', () => {
    for (const s of ['BTC-USD', 'ETH/EUR', 'SOL-USDT', 'BTCUSDT', 'ethusdc', 'ETH-BTC']) expect(assetClassOf(s)).toBe('crypto')
    expect(assetClassOf('BITCOIN', 'coingecko')).toBe('crypto')
    expect(assetClassOf('AAPL', 'binance')).toBe('crypto')
  })

  it('treats plain tickers and US share classes as US equities', () => {
    for (const s of ['AAPL', 'BRK.B', 'BRK-B', 'BF.A', 'SPY']) expect(assetClassOf(s)).toBe('us-equity')
    expect(assetClassOf('AAPL', 'finnhub')).toBe('us-equity')
  })

  it('leaves non-US listings, FX, futures and indices to "other"', () => {
    for (const s of ['VOD.L', '7203.T', 'SHOP.TO', 'SAP.DE', '0700.HK', 'EURUSD=X', 'ES=F', '^GSPC', 'EUR/USD', 'GBP-USD']) {
      expect(assetClassOf(s), s).toBe('other')
    }
  })
})

describe('shouldPoll', () => {
  it('polls US equities in the regular session and in extended hours only when enabled', () => {
    expect(shouldPoll('AAPL', 'us-equity', 'regular', false)).toBe(true)
    expect(shouldPoll('AAPL', 'us-equity', 'pre', false)).toBe(false)
    expect(shouldPoll('AAPL', 'us-equity', 'post', true)).toBe(true)
    expect(shouldPoll('AAPL', 'us-equity', 'closed', true)).toBe(false)
  })

  it('always polls crypto and other markets', () => {
    expect(shouldPoll('BTC-USD', 'crypto', 'closed', false)).toBe(true)
    expect(shouldPoll('VOD.L', 'other', 'closed', false)).toBe(true)
  })
})

describe('needsClosingFetch', () => {
  const close = Date.parse('2026-03-10T20:00:00Z')
  it('fetches a never-fetched symbol, and once after the close has settled', () => {
    expect(needsClosingFetch(null, close + 5 * 3_600_000, close)).toBe(true)
    expect(needsClosingFetch(close - 1_000, close + 60_000, close)).toBe(false)
    expect(needsClosingFetch(close - 1_000, close + CLOSE_GRACE_MS, close)).toBe(true)
    expect(needsClosingFetch(close + CLOSE_GRACE_MS, close + 3 * 3_600_000, close)).toBe(false)
  })
})
