import { describe, expect, it } from 'vitest'
import { addFallback, addPin, changedSources, draftFrom, MAX_FALLBACKS, moveFallback } from './data-sources-draft'
import { makeBootstrap } from '../testing/fake-api'

describe('data sources draft', () => {
  it('moves within bounds only and caps the fallback list', () => {
    expect(moveFallback(['yahoo', 'finnhub'], 'yahoo', -1)).toEqual(['yahoo', 'finnhub'])
    expect(moveFallback(['yahoo', 'finnhub'], 'yahoo', 1)).toEqual(['finnhub', 'yahoo'])
    const full = Array.from({ length: MAX_FALLBACKS }, () => 'yahoo' as const)
    expect(addFallback(full, 'binance')).toHaveLength(MAX_FALLBACKS)
    expect(addFallback(['yahoo'], 'yahoo')).toEqual(['yahoo'])
  })

  it('normalises a pinned symbol and says when a pin changes nothing', () => {
    expect(addPin({}, ' btc-usd ', 'coinbase')).toEqual({ pins: { 'BTC-USD': 'coinbase' }, symbol: 'BTC-USD', replaced: null })
    expect(addPin({ AAPL: 'yahoo' }, 'aapl', 'finnhub')).toMatchObject({ replaced: 'yahoo' })
    expect(addPin({ AAPL: 'yahoo' }, 'AAPL', 'yahoo')).toEqual({ problem: 'AAPL already uses Yahoo Finance.' })
  })

  it('reports only what changed', () => {
    const before = draftFrom(makeBootstrap().settings, { provider: 'yahoo', cryptoProvider: 'yahoo' })
    expect(changedSources(before, { ...before })).toEqual({})
    expect(changedSources(before, { ...before, extendedHours: true, symbolProviders: { AAPL: 'yahoo' } })).toEqual({
      extendedHours: true,
      symbolProviders: { AAPL: 'yahoo' }
    })
  })
})
