import type { ProviderId } from './providers'

/** The asset classes each provider can price, for choices offered in the UI (crypto exchanges know no stocks). */
export const PROVIDER_ASSET_CLASSES: Readonly<Record<ProviderId, readonly ('equity' | 'crypto')[]>> = {
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
