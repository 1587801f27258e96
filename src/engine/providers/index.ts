import { PROVIDER_LABELS, ProviderIdSchema, type ProviderId } from '../../shared/providers'
import { createLazyProvider } from './lazy-provider'
import type { ProviderDeps, QuoteProvider } from './provider'
import { createSimulatedProvider } from './simulated'
import { providerEndpoint, type ProviderEnv } from './provider-env'
import { YAHOO_LIMITS } from './yahoo-limits'
import { FINNHUB_LIMITS } from './finnhub-limits'
import { TWELVEDATA_LIMITS } from './twelvedata-limits'
import { alphaVantageLimits, alphaVantagePremium } from './alphavantage-limits'
import { BINANCE_LIMITS } from './binance-limits'
import { COINBASE_LIMITS } from './coinbase-limits'
import { COINGECKO_LIMITS } from './coingecko-limits'

export type { ProviderEnv } from './provider-env'

/**
 * Builds the adapter for a provider id. Environment variables point adapters at test servers
 * (TICKERDESK_YAHOO_URL) or fix the simulated market's seed (TICKERDESK_SIM_SEED).
 */
export function createProvider(id: ProviderId, deps: ProviderDeps, env: ProviderEnv): QuoteProvider {
  switch (id) {
    case 'yahoo': {
      // Loaded on first use: the HTTP stack behind it costs the engine memory nobody on the
      // simulated market needs.
      const { baseUrl } = providerEndpoint('yahoo', env)
      return createLazyProvider('yahoo', YAHOO_LIMITS, async () => (await import('./yahoo')).createYahooProvider({ baseUrl, deps }))
    }
    case 'coinbase': {
      const { baseUrl } = providerEndpoint('coinbase', env)
      return createLazyProvider('coinbase', COINBASE_LIMITS, async () => (await import('./coinbase')).createCoinbaseProvider({ baseUrl, deps }))
    }
    case 'binance': {
      const { baseUrl } = providerEndpoint('binance', env)
      return createLazyProvider('binance', BINANCE_LIMITS, async () => (await import('./binance')).createBinanceProvider({ baseUrl, deps }))
    }
    case 'coingecko': {
      const { baseUrl, key } = providerEndpoint('coingecko', env)
      return createLazyProvider('coingecko', COINGECKO_LIMITS, async () =>
        (await import('./coingecko')).createCoinGeckoProvider({ baseUrl, apiKey: key, deps })
      )
    }
    case 'alphavantage': {
      const { baseUrl, key } = providerEndpoint('alphavantage', env)
      const premium = alphaVantagePremium(env)
      return createLazyProvider('alphavantage', alphaVantageLimits(premium), async () =>
        (await import('./alphavantage')).createAlphaVantageProvider({ baseUrl, key, premium, deps })
      )
    }
    case 'twelvedata': {
      const { baseUrl, key } = providerEndpoint('twelvedata', env)
      return createLazyProvider('twelvedata', TWELVEDATA_LIMITS, async () =>
        (await import('./twelvedata')).createTwelveDataProvider({ baseUrl, key, deps })
      )
    }
    case 'finnhub': {
      // REST only here; the trade stream is finnhub-stream.ts (createFinnhubStream).
      const { baseUrl, key } = providerEndpoint('finnhub', env)
      return createLazyProvider('finnhub', FINNHUB_LIMITS, async () => (await import('./finnhub')).createFinnhubProvider({ baseUrl, key, deps }))
    }
    case 'simulated':
      return createSimulatedProvider({ seed: Number(env.TICKERDESK_SIM_SEED) || undefined, deps })
    default: {
      const known = ProviderIdSchema.safeParse(id)
      const label = known.success ? PROVIDER_LABELS[known.data] : `"${String(id)}"`
      throw new Error(`${label} is not available yet; choose Yahoo Finance or the simulated market.`)
    }
  }
}
