import { z } from 'zod'

/** Provider ids are a fixed interface: env vars (TICKERDESK_<ID>_URL) and the CLI use them. */
export const PROVIDER_IDS = [
  'yahoo',
  'alphavantage',
  'finnhub',
  'twelvedata',
  'coinbase',
  'binance',
  'coingecko',
  'simulated'
] as const

export const ProviderIdSchema = z.enum(PROVIDER_IDS)
export type ProviderId = z.infer<typeof ProviderIdSchema>

export const PROVIDER_LABELS: Record<ProviderId, string> = {
  yahoo: 'Yahoo Finance',
  alphavantage: 'Alpha Vantage',
  finnhub: 'Finnhub',
  twelvedata: 'Twelve Data',
  coinbase: 'Coinbase Exchange',
  binance: 'Binance',
  coingecko: 'CoinGecko',
  simulated: 'Simulated market'
}

/** The providers the engine can actually run today; the others are reserved ids. */
export const AVAILABLE_PROVIDERS = ['yahoo', 'alphavantage', 'twelvedata', 'coinbase', 'binance', 'coingecko', 'finnhub', 'simulated'] as const satisfies readonly ProviderId[]
export const DEFAULT_PROVIDER: ProviderId = 'yahoo'
