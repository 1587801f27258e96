import { describe, expect, it } from 'vitest'
import { matchTier, mergeAndRank, mergeMatches, rankMatches } from './symbol-rank'
import type { SymbolMatch } from './symbol-search'

const m = (symbol: string, name: string | null = null, extra: Partial<SymbolMatch> = {}): SymbolMatch => ({
  symbol,
  name,
  exchange: null,
  type: null,
  source: 'yahoo',
  ...extra
})

describe('matchTier', () => {
  it('orders exact, prefix, name word, symbol substring, name substring, other', () => {
    expect(matchTier('aapl', m('AAPL'))).toBe(0)
    expect(matchTier('btcusd', m('BTC-USD'))).toBe(0)
    expect(matchTier('AA', m('AAPL'))).toBe(1)
    expect(matchTier('apple', m('XYZ', 'Apple Inc.'))).toBe(2)
    expect(matchTier('micro', m('MSFT', 'The Micro Company'))).toBe(2)
    expect(matchTier('PL', m('AAPL'))).toBe(3)
    expect(matchTier('soft', m('MSFT', 'Microsoft Corporation'))).toBe(4)
    expect(matchTier('zzz', m('MSFT', 'Microsoft Corporation'))).toBe(5)
  })
})

describe('mergeMatches', () => {
  it('keeps one entry per symbol, the richest, filling gaps from duplicates', () => {
    const merged = mergeMatches([
      [m('aapl', null, { exchange: 'NASDAQ', source: 'finnhub' })],
      [m('AAPL', 'Apple Inc.', { type: 'EQUITY', source: 'yahoo' }), m('MSFT', 'Microsoft')]
    ])
    expect(merged).toEqual([
      { symbol: 'AAPL', name: 'Apple Inc.', exchange: 'NASDAQ', type: 'EQUITY', source: 'yahoo' },
      m('MSFT', 'Microsoft')
    ])
  })

  it('keeps the earlier list on a tie in richness', () => {
    const merged = mergeMatches([[m('BTC-USD', 'Bitcoin', { source: 'coinbase' })], [m('BTC-USD', 'Bitcoin USD', { source: 'yahoo' })]])
    expect(merged).toEqual([m('BTC-USD', 'Bitcoin', { source: 'coinbase' })])
  })
})

describe('rankMatches', () => {
  it('puts the exact symbol first, then prefixes by length, then name matches', () => {
    const ranked = rankMatches('AAPL', [m('AAPL.MX', 'Apple Inc.'), m('XAAPL', 'Something'), m('AAPLX', 'Apple fund'), m('AAPL', 'Apple Inc.')], 10)
    expect(ranked.map((r) => r.symbol)).toEqual(['AAPL', 'AAPLX', 'AAPL.MX', 'XAAPL'])
  })

  it('keeps the provider order for fuzzy hits and honours the limit', () => {
    const ranked = rankMatches('goog', [m('ZZ1', 'Alpha'), m('ZZ2', 'Beta'), m('GOOG', 'Alphabet')], 2)
    expect(ranked.map((r) => r.symbol)).toEqual(['GOOG', 'ZZ1'])
  })

  it('mergeAndRank de-duplicates across sources before ranking', () => {
    const ranked = mergeAndRank('btc', [[m('BTC-USD', 'Bitcoin USD')], [m('BTC-USD', 'Bitcoin', { type: 'CRYPTOCURRENCY' }), m('WBTC-USD', 'Wrapped Bitcoin')]], 5)
    expect(ranked.map((r) => r.symbol)).toEqual(['BTC-USD', 'WBTC-USD'])
    expect(ranked[0]?.type).toBe('CRYPTOCURRENCY')
  })
})
