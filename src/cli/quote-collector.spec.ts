import { describe, expect, it } from 'vitest'
import { makeQuote } from '../host/testing/quote-fixture'
import type { ProviderStatus } from '../shared/ipc/engine-protocol'
import { QuoteCollector, describeProviderProblem } from './quote-collector'

const status = (overrides: Partial<ProviderStatus>): ProviderStatus => ({
  provider: 'yahoo',
  online: true,
  offlineSince: null,
  lastSuccess: null,
  lastError: null,
  rateLimitedUntil: null,
  ...overrides
})

describe('QuoteCollector', () => {
  it('is done once every symbol has a full quote or an error', () => {
    const c = new QuoteCollector(['AAPL', 'XYZ'])
    c.handle({ type: 'quotes', patches: [{ symbol: 'AAPL', price: 1 }] })
    expect(c.outcome('AAPL')).toBeUndefined()
    c.handle({ type: 'quotes', patches: [makeQuote('AAPL', { price: 187.42 })] })
    expect(c.outcome('AAPL')).toMatchObject({ quote: { price: 187.42 } })
    expect(c.done).toBe(false)
    c.handle({ type: 'symbol-errors', errors: [{ symbol: 'XYZ', message: 'Unknown symbol XYZ' }] })
    expect(c.outcome('XYZ')).toEqual({ symbol: 'XYZ', error: 'Unknown symbol XYZ' })
    expect(c.done).toBe(true)
  })

  it('lets a provider-wide failure answer only the symbols still waiting', () => {
    const c = new QuoteCollector(['AAPL', 'MSFT'])
    c.handle({ type: 'status', status: status({}) })
    expect(c.done).toBe(false)
    c.handle({ type: 'quotes', patches: [makeQuote('AAPL')] })
    c.handle({ type: 'status', status: status({ online: false, lastError: 'Cannot reach Yahoo Finance: connection refused.' }) })
    expect(c.outcome('AAPL')).toHaveProperty('quote')
    expect(c.outcome('MSFT')).toEqual({ symbol: 'MSFT', error: 'Cannot reach Yahoo Finance: connection refused.' })
  })

  it('prefers a late price over an earlier symbol error and ignores symbols not asked for', () => {
    const c = new QuoteCollector(['AAPL'])
    c.handle({ type: 'symbol-errors', errors: [{ symbol: 'AAPL', message: 'No data for AAPL' }] })
    c.handle({ type: 'quotes', patches: [makeQuote('AAPL'), makeQuote('TSLA')] })
    expect(c.outcome('AAPL')).toHaveProperty('quote')
    expect(c.outcome('TSLA')).toBeUndefined()
  })
})

describe('describeProviderProblem', () => {
  it('names rate limits as such', () => {
    const limited = status({ lastError: 'Yahoo Finance is limiting requests (HTTP 429).', rateLimitedUntil: 5 })
    expect(describeProviderProblem(limited)).toBe('rate limit reached: Yahoo Finance is limiting requests (HTTP 429).')
    expect(describeProviderProblem(status({ lastError: 'Rate limit hit', rateLimitedUntil: 5 }))).toBe('Rate limit hit')
    expect(describeProviderProblem(status({ lastError: 'Cannot reach X' }))).toBe('Cannot reach X')
  })
})
