import { describe, expect, it } from 'vitest'
import { makeQuote } from '../host/testing/quote-fixture'
import { formatPrice, formatTable, outcomeJson } from './quote-format'

describe('quote formatting', () => {
  it('keeps significant digits for sub-unit prices', () => {
    expect(formatPrice(187.4)).toBe('187.40')
    expect(formatPrice(0.000123456)).toBe('0.0001235')
    expect(formatPrice(0)).toBe('0.00')
  })

  it('aligns columns and right-aligns numbers', () => {
    const table = formatTable([
      { symbol: 'AAPL', quote: makeQuote('AAPL', { price: 187.42, change: -1.2, changePercent: -0.64 }) },
      { symbol: 'BTC-USD', quote: makeQuote('BTC-USD', { price: 64_000.5, delayed: true }) },
      { symbol: 'XYZ', error: 'Unknown symbol XYZ' }
    ]).split('\n')
    expect(table[1]).toContain('  187.42  ')
    expect(table[1]).toContain('-1.20')
    expect(table[1]).toContain('-0.64%')
    expect(table[2]).toContain('64000.50')
    expect(table[2]).toContain('regular (delayed)')
    expect(table[3]).toMatch(/^XYZ\s+-\s+error: Unknown symbol XYZ$/)
    const priceEnds = table.slice(0, 3).map((line) => line.indexOf('  ', line.search(/PRICE|\d/)))
    expect(new Set(priceEnds).size).toBe(1)
  })

  it('gives errors the {symbol, error} JSON shape and quotes in full', () => {
    expect(outcomeJson({ symbol: 'X', error: 'nope' })).toEqual({ symbol: 'X', error: 'nope' })
    expect(outcomeJson({ symbol: 'AAPL', quote: makeQuote('AAPL') })).toEqual(makeQuote('AAPL'))
  })
})
