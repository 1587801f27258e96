import type { ProviderId } from './providers'

export type AssetClass = 'equity' | 'crypto'

/** The asset classes each provider can price: the engine routes by it and the UI offers choices by it. */
export const PROVIDER_ASSET_CLASSES: Readonly<Record<ProviderId, readonly AssetClass[]>> = {
  yahoo: ['equity', 'crypto'],
  alphavantage: ['equity'],
  finnhub: ['equity'],
  twelvedata: ['equity'],
  coinbase: ['crypto'],
  binance: ['crypto'],
  coingecko: ['crypto'],
  simulated: ['equity', 'crypto']
}

export function pricesCrypto(id: ProviderId): boolean {
  return PROVIDER_ASSET_CLASSES[id].includes('crypto')
}

export function pricesEquities(id: ProviderId): boolean {
  return PROVIDER_ASSET_CLASSES[id].includes('equity')
}
