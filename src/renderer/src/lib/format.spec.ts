import { describe, expect, it } from 'vitest'
import { direction, formatChange, formatCompact, formatPercent, formatPlain, formatPrice, formatRange, priceDecimals } from './format'

describe('formatPrice', () => {
  it('shows ordinary prices in their currency with exactly two decimals', () => {
    expect(formatPrice(187.42, 'USD')).toBe('$187.42')
    expect(formatPrice(187.4, 'USD')).toBe('$187.40')
    expect(formatPrice(12, 'EUR')).toBe('€12.00')
    expect(formatPrice(999.999, 'USD')).toBe('$1,000.00')
  })

  it('keeps two decimals with grouping for large prices', () => {
    expect(formatPrice(64123.456, 'USD')).toBe('$64,123.46')
  })

  it('shows more decimals for tiny crypto prices', () => {
    expect(formatPrice(0.5, 'USD')).toBe('$0.5000')
    expect(formatPrice(0.00001234, 'USD')).toBe('$0.00001234')
    expect(priceDecimals(0.0000000123)).toBe(10)
  })

  it('falls back to a plain number for missing or non-ISO currencies', () => {
    expect(formatPrice(187.42, null)).toBe('187.42')
    expect(formatPrice(1234.5, 'GBp')).toBe('1,234.50')
  })

  it('shows a dash for missing values', () => {
    expect(formatPrice(null, 'USD')).toBe('—')
    expect(formatPrice(Number.NaN, 'USD')).toBe('—')
  })
})

describe('change and percent', () => {
  it('are signed, with a dash for unknown', () => {
    expect(formatChange(1.234)).toBe('+1.23')
    expect(formatChange(-0.5)).toBe('-0.5000')
    expect(formatChange(0)).toBe('0.00')
    expect(formatChange(-0.51, 380.6)).toBe('-0.51')
    expect(formatChange(-0.0000012, 0.0000456)).toBe('-0.00000120')
    expect(formatPercent(1.256)).toBe('+1.26%')
    expect(formatPercent(-2)).toBe('-2.00%')
    expect(formatPercent(null)).toBe('—')
  })

  it('direction follows the sign', () => {
    expect(direction(1)).toBe('up')
    expect(direction(-1)).toBe('down')
    expect(direction(0)).toBe('flat')
    expect(direction(null)).toBe('flat')
  })
})

describe('formatCompact', () => {
  it('uses three significant digits with a suffix', () => {
    expect(formatCompact(3_670_000_000_000)).toBe('3.67T')
    expect(formatCompact(40_912_345)).toBe('40.9M')
    expect(formatCompact(1_234)).toBe('1.23K')
    expect(formatCompact(950)).toBe('950')
    expect(formatCompact(undefined)).toBe('—')
  })
})

describe('formatRange / formatPlain', () => {
  it('formats a day range without currency', () => {
    expect(formatRange(185.1, 188.9)).toBe('185.10 – 188.90')
    expect(formatRange(null, 188.9)).toBe('—')
    expect(formatPlain(0.001234)).toBe('0.001234')
  })
})
