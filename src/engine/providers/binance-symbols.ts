import { parsePair } from './crypto-pair'

/**
 * Binance Spot lists no US-dollar pairs, so `BTC-USD` is priced from `BTCUSDT` (Tether tracks the
 * dollar closely; the quote's currency says USDT so nobody is misled). Any other quote currency
 * is used as written: `ETH-BTC` → `ETHBTC`, `BTC-EUR` → `BTCEUR`. Stream names are the pair in
 * lower case (`btcusdt@ticker`).
 */
export function binancePair(symbol: string): string | null {
  const pair = parsePair(symbol)
  if (pair === null) return null
  return `${pair.base}${pair.quote === 'USD' ? 'USDT' : pair.quote}`
}

export function binanceQuoteAsset(symbol: string): string | null {
  const pair = parsePair(symbol)
  return pair === null ? null : pair.quote === 'USD' ? 'USDT' : pair.quote
}

/** The app symbol a listed Binance pair is shown as: USDT pairs read as USD, like the mapping above. */
export function appSymbolFor(baseAsset: string, quoteAsset: string): string {
  return `${baseAsset}-${quoteAsset === 'USDT' ? 'USD' : quoteAsset}`
}

export function tickerStream(pair: string): string {
  return `${pair.toLowerCase()}@ticker`
}

export function unknownBinanceSymbol(symbol: string): string {
  return `Unknown symbol ${symbol}: Binance lists no such pair (use the BASE-QUOTE form, e.g. BTC-USD for BTCUSDT).`
}
