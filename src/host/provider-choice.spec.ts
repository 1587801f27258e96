import { describe, expect, it } from 'vitest'
import { UserError } from '../shared/ipc/result'
import { AVAILABLE_PROVIDERS, type ProviderId } from '../shared/providers'
import { checkProviderChoices } from './provider-choice'

describe('checkProviderChoices', () => {
  it('passes good choices through, cleaned', () => {
    expect(checkProviderChoices({ provider: 'yahoo', cryptoProvider: 'yahoo', fallbackProviders: ['simulated', 'simulated'], symbolProviders: { ' btc-usd ': 'yahoo' } })).toEqual({
      provider: 'yahoo',
      cryptoProvider: 'yahoo',
      fallbackProviders: ['simulated'],
      symbolProviders: { 'BTC-USD': 'yahoo' }
    })
    expect(checkProviderChoices({})).toEqual({})
  })

  it('refuses a crypto provider with no crypto prices, naming those that have them', () => {
    expect(() => checkProviderChoices({ cryptoProvider: 'alphavantage' })).toThrow(UserError)
    expect(() => checkProviderChoices({ cryptoProvider: 'alphavantage' })).toThrow(/^Alpha Vantage has no crypto prices; choose Yahoo Finance, .*Simulated market\.$/)
  })

  it('refuses unavailable providers and bad symbols in plain words', () => {
    const unavailable = (['twelvedata', 'finnhub', 'alphavantage', 'coinbase'] as ProviderId[]).find((id) => !(AVAILABLE_PROVIDERS as readonly ProviderId[]).includes(id))
    if (unavailable !== undefined) {
      expect(() => checkProviderChoices({ fallbackProviders: [unavailable] })).toThrow(/is not available yet; choose/)
    }
    expect(() => checkProviderChoices({ symbolProviders: { 'not a symbol!': 'yahoo' } })).toThrow(/not a valid ticker symbol/)
  })
})
