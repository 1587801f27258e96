import { PROVIDER_ASSET_CLASSES, type AssetClass } from '../shared/provider-coverage'
import type { ProviderId } from '../shared/providers'

export type { AssetClass }

/** Which provider serves what; the engine's copy of the user's routing settings. */
export interface Routing {
  /** First choice for stocks, funds, indices, FX and everything that is not a crypto pair. */
  equity: ProviderId
  /** First choice for crypto pairs. */
  crypto: ProviderId
  /** Tried in this order when the first choice is failing; those that cannot serve a symbol's class are skipped. */
  fallbacks: readonly ProviderId[]
  /** Per-symbol first choice (watchlist pins arrive already expanded to symbols). */
  pins: Readonly<Record<string, ProviderId>>
}


/**
 * Quote currencies of crypto pairs. A known list rather than "anything after a dash", because
 * share classes and preferreds use dashes too (BRK-B, BAC-PL).
 */
const CRYPTO_QUOTES = new Set([
  'USD', 'USDT', 'USDC', 'BUSD', 'FDUSD', 'TUSD', 'DAI', 'EUR', 'GBP', 'JPY', 'AUD', 'CAD', 'CHF', 'KRW', 'TRY', 'BRL',
  'BTC', 'ETH', 'BNB'
])
/** Stablecoins only exist as crypto quotes, so an undivided BTCUSDT is a pair too. */
const UNDIVIDED_PAIR = /^[A-Z0-9]{2,15}(USDT|USDC|BUSD|FDUSD)$/
const DIVIDED_PAIR = /^([A-Z0-9]{1,15})[-/]([A-Z0-9]{2,10})$/

/** True for crypto pairs such as BTC-USD, ETH/EUR, SOL-USDT and BTCUSDT. */
export function isCryptoSymbol(symbol: string): boolean {
  const s = symbol.trim().toUpperCase()
  const divided = DIVIDED_PAIR.exec(s)
  if (divided) return CRYPTO_QUOTES.has(divided[2] as string)
  return UNDIVIDED_PAIR.test(s)
}

export function assetClassOf(symbol: string): AssetClass {
  return isCryptoSymbol(symbol) ? 'crypto' : 'equity'
}

export function canServe(provider: ProviderId, assetClass: AssetClass): boolean {
  return PROVIDER_ASSET_CLASSES[provider].includes(assetClass)
}

/** Today's single-provider behaviour: one provider for everything, no fallbacks. */
export function singleProviderRouting(provider: ProviderId): Routing {
  return { equity: provider, crypto: provider, fallbacks: [], pins: {} }
}

/**
 * The providers that may serve a symbol, best first: its pin (or the configured provider for its
 * asset class), then the fallbacks, skipping any that cannot price that class. When nothing
 * qualifies, the configured provider is kept anyway so the user sees its "unknown symbol"
 * answer instead of a row that never updates.
 */
export function routeFor(symbol: string, routing: Routing): ProviderId[] {
  const assetClass = assetClassOf(symbol)
  const configured = assetClass === 'crypto' ? routing.crypto : routing.equity
  const candidates: ProviderId[] = []
  const pin = routing.pins[symbol]
  if (pin !== undefined) candidates.push(pin)
  candidates.push(configured, ...routing.fallbacks)
  const route: ProviderId[] = []
  for (const provider of candidates) {
    if (!route.includes(provider) && canServe(provider, assetClass)) route.push(provider)
  }
  return route.length > 0 ? route : [configured]
}

/** Two routings that send every symbol to the same providers. */
export function sameRouting(a: Routing, b: Routing): boolean {
  if (a.equity !== b.equity || a.crypto !== b.crypto) return false
  if (a.fallbacks.length !== b.fallbacks.length || a.fallbacks.some((p, i) => b.fallbacks[i] !== p)) return false
  const aPins = Object.keys(a.pins)
  if (aPins.length !== Object.keys(b.pins).length) return false
  return aPins.every((symbol) => a.pins[symbol] === b.pins[symbol])
}
