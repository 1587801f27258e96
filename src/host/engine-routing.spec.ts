import { describe, expect, it } from 'vitest'
import { routingFromSettings, routingProviders, type RoutingSettings } from './engine-routing'

const settings = (overrides: Partial<RoutingSettings> = {}): RoutingSettings => ({
  provider: 'finnhub',
  cryptoProvider: 'coinbase',
  fallbackProviders: ['yahoo'],
  symbolProviders: {},
  ...overrides
})

describe('routingFromSettings', () => {
  it('takes equity, crypto and fallbacks from the settings', () => {
    expect(routingFromSettings(settings(), [])).toEqual({ equity: 'finnhub', crypto: 'coinbase', fallbacks: ['yahoo'], pins: {} })
  })

  it('expands watchlist pins to their symbols (first list wins) and lets per-symbol pins override them', () => {
    const lists = [
      { symbols: ['AAPL', 'MSFT'], provider: 'twelvedata' as const },
      { symbols: ['MSFT', 'NVDA'], provider: 'alphavantage' as const },
      { symbols: ['TSLA'] }
    ]
    const routing = routingFromSettings(settings({ symbolProviders: { aapl: 'yahoo' } }), lists)
    expect(routing.pins).toEqual({ AAPL: 'yahoo', MSFT: 'twelvedata', NVDA: 'alphavantage' })
  })

  it('serves everything from a provider forced for the session, or from the simulated market', () => {
    const single = { fallbacks: [], pins: {} }
    expect(routingFromSettings(settings(), [{ symbols: ['AAPL'], provider: 'yahoo' }], 'simulated')).toEqual({ equity: 'simulated', crypto: 'simulated', ...single })
    expect(routingFromSettings(settings({ provider: 'simulated' }), [])).toEqual({ equity: 'simulated', crypto: 'simulated', ...single })
  })

  it('drops repeated fallbacks', () => {
    expect(routingFromSettings(settings({ fallbackProviders: ['yahoo', 'alphavantage', 'yahoo'] }), []).fallbacks).toEqual(['yahoo', 'alphavantage'])
  })

  it('lists every provider a routing can use', () => {
    const routing = routingFromSettings(settings({ symbolProviders: { SPY: 'alphavantage' } }), [])
    expect(routingProviders(routing)).toEqual(new Set(['finnhub', 'coinbase', 'yahoo', 'alphavantage']))
  })
})
