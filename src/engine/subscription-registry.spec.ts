import { describe, expect, it } from 'vitest'
import { SubscriptionRegistry } from './subscription-registry'

describe('SubscriptionRegistry', () => {
  it('reports only symbols that enter or leave the union', () => {
    const registry = new SubscriptionRegistry()
    expect(registry.set('window-1', ['AAPL', 'MSFT'])).toEqual({ added: ['AAPL', 'MSFT'], removed: [] })
    expect(registry.set('web-1', ['MSFT', 'BTC-USD'])).toEqual({ added: ['BTC-USD'], removed: [] })
    expect(registry.set('window-1', ['AAPL'])).toEqual({ added: [], removed: [] })
    expect(registry.symbols().sort()).toEqual(['AAPL', 'BTC-USD', 'MSFT'])
    expect(registry.set('web-1', [])).toEqual({ added: [], removed: ['MSFT', 'BTC-USD'] })
    expect(registry.symbols()).toEqual(['AAPL'])
  })

  it('keeps a symbol while any consumer still shows it', () => {
    const registry = new SubscriptionRegistry()
    registry.set('a', ['AAPL'])
    registry.set('b', ['AAPL'])
    registry.set('c', ['AAPL'])
    expect(registry.drop('a').removed).toEqual([])
    expect(registry.drop('b').removed).toEqual([])
    expect(registry.has('AAPL')).toBe(true)
    expect(registry.drop('c').removed).toEqual(['AAPL'])
    expect(registry.has('AAPL')).toBe(false)
    expect(registry.size).toBe(0)
  })

  it('treats duplicates in one set as a single reference', () => {
    const registry = new SubscriptionRegistry()
    registry.set('a', ['AAPL', 'AAPL'])
    registry.set('b', ['AAPL'])
    registry.drop('b')
    expect(registry.has('AAPL')).toBe(true)
    expect(registry.drop('a').removed).toEqual(['AAPL'])
  })

  it('forgets consumers that show nothing and ignores dropping unknown ones', () => {
    const registry = new SubscriptionRegistry()
    registry.set('a', ['AAPL'])
    registry.set('b', [])
    expect(registry.consumers()).toEqual(['a'])
    expect(registry.drop('nobody')).toEqual({ added: [], removed: [] })
    expect(registry.symbols()).toEqual(['AAPL'])
  })
})
