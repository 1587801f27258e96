import { describe, expect, it } from 'vitest'
import { assetClassOf, canServe, isCryptoSymbol, routeFor, sameRouting, singleProviderRouting, type Routing } from './provider-router'

const routing = (overrides: Partial<Routing> = {}): Routing => ({
  equity: 'finnhub',
  crypto: 'coinbase',
  fallbacks: [],
  pins: {},
  ...overrides
})

describe('isCryptoSymbol', () => {
  it('recognises crypto pairs in every spelling the app accepts', () => {
    for (const symbol of ['BTC-USD', 'ETH-EUR', 'BTC/USD', 'SOL-USDT', 'DOGE/USDC', 'BTCUSDT', 'eth-usd', 'ETH-BTC']) {
      expect(isCryptoSymbol(symbol), symbol).toBe(true)
    }
  })

  it('keeps stocks, share classes, preferreds, indices, FX and futures as equities', () => {
    for (const symbol of ['AAPL', 'BRK-B', 'BRK.B', 'BAC-PL', '^GSPC', 'EURUSD=X', 'ES=F', 'VOD.L', '7203.T', 'USD']) {
      expect(isCryptoSymbol(symbol), symbol).toBe(false)
    }
    expect(assetClassOf('MSFT')).toBe('equity')
    expect(assetClassOf('BTC-USD')).toBe('crypto')
  })
})

describe('routeFor', () => {
  it('sends crypto to the crypto provider and everything else to the equity provider', () => {
    expect(routeFor('BTC-USD', routing())).toEqual(['coinbase'])
    expect(routeFor('AAPL', routing())).toEqual(['finnhub'])
    expect(routeFor('^GSPC', routing())).toEqual(['finnhub'])
  })

  it('appends the fallbacks that can serve the class, in order, without repeats', () => {
    const r = routing({ fallbacks: ['binance', 'yahoo', 'alphavantage', 'finnhub', 'coingecko'] })
    expect(routeFor('AAPL', r)).toEqual(['finnhub', 'yahoo', 'alphavantage'])
    expect(routeFor('ETH-USD', r)).toEqual(['coinbase', 'binance', 'yahoo', 'coingecko'])
  })

  it('never gives an equity to a crypto-only provider, even when pinned there', () => {
    const r = routing({ equity: 'yahoo', fallbacks: ['coinbase', 'binance', 'coingecko'], pins: { AAPL: 'binance' } })
    expect(routeFor('AAPL', r)).toEqual(['yahoo'])
    expect(routeFor('MSFT', r)).toEqual(['yahoo'])
  })

  it('lets pins override the first choice and keeps the configured provider as the next one', () => {
    const r = routing({ fallbacks: ['yahoo'], pins: { AAPL: 'twelvedata', 'BTC-USD': 'binance', 'ETH-USD': 'coinbase' } })
    expect(routeFor('AAPL', r)).toEqual(['twelvedata', 'finnhub', 'yahoo'])
    expect(routeFor('BTC-USD', r)).toEqual(['binance', 'coinbase', 'yahoo'])
    expect(routeFor('ETH-USD', r)).toEqual(['coinbase', 'yahoo'])
    expect(routeFor('MSFT', r)).toEqual(['finnhub', 'yahoo'])
  })

  it('skips an equity-only provider configured for crypto in favour of one that can serve it', () => {
    expect(routeFor('BTC-USD', routing({ crypto: 'finnhub', fallbacks: ['yahoo'] }))).toEqual(['yahoo'])
  })

  it('keeps one provider for everything by default, even one that cannot serve the class', () => {
    expect(routeFor('AAPL', singleProviderRouting('coinbase'))).toEqual(['coinbase'])
    expect(routeFor('BTC-USD', singleProviderRouting('finnhub'))).toEqual(['finnhub'])
    expect(routeFor('BTC-USD', singleProviderRouting('yahoo'))).toEqual(['yahoo'])
  })

  it('knows which classes each provider serves', () => {
    expect(canServe('yahoo', 'crypto')).toBe(true)
    expect(canServe('simulated', 'equity')).toBe(true)
    expect(canServe('alphavantage', 'crypto')).toBe(false)
    expect(canServe('coingecko', 'equity')).toBe(false)
  })
})

describe('sameRouting', () => {
  it('compares every part', () => {
    expect(sameRouting(routing(), routing())).toBe(true)
    expect(sameRouting(routing(), routing({ crypto: 'binance' }))).toBe(false)
    expect(sameRouting(routing({ fallbacks: ['yahoo'] }), routing({ fallbacks: [] }))).toBe(false)
    expect(sameRouting(routing({ pins: { AAPL: 'yahoo' } }), routing({ pins: { AAPL: 'yahoo' } }))).toBe(true)
    expect(sameRouting(routing({ pins: { AAPL: 'yahoo' } }), routing({ pins: { MSFT: 'yahoo' } }))).toBe(false)
  })
})
