/**
 * The app writes crypto the Yahoo way, `BTC-USD` (base, dash, quote currency); `BTC/USD` is
 * accepted too. Each crypto provider turns that pair into its own symbol (Coinbase product id,
 * Binance pair, CoinGecko coin id) and reports rows under the symbol the user asked for.
 */
export interface CryptoPair {
  base: string
  quote: string
}

const PAIR = /^([A-Z0-9]{1,15})[-/]([A-Z0-9]{2,10})$/

/** null when the symbol is not a BASE-QUOTE pair. */
export function parsePair(symbol: string): CryptoPair | null {
  const match = PAIR.exec(symbol.trim().toUpperCase())
  return match ? { base: match[1] as string, quote: match[2] as string } : null
}

/** A number from a provider field that may be a numeric string (Coinbase, Binance) or a number. */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value !== 'string' || value.trim() === '') return null
  const n = Number(value)
  return Number.isFinite(n) ? n : null
}

/** Change and percent change against a reference price (previous close or 24 h open). */
export function changeFrom(price: number, reference: number | null): { change: number | null; changePercent: number | null } {
  if (reference === null || reference === 0) return { change: null, changePercent: null }
  const change = price - reference
  return { change, changePercent: (change / reference) * 100 }
}

/** One symbol-directory or search row; the same shape as Yahoo's search hits. */
export interface CryptoSearchHit {
  symbol: string
  name: string | null
  exchange: string | null
  type: string | null
}

/** Listing rows whose symbol or name contain every word of the query, exact symbol first. */
export function filterHits(hits: readonly CryptoSearchHit[], query: string, limit: number): CryptoSearchHit[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter((w) => w !== '')
  if (words.length === 0) return []
  const wanted = query.trim().toUpperCase()
  const matches = hits.filter((hit) => {
    const text = `${hit.symbol} ${hit.name ?? ''}`.toLowerCase()
    return words.every((w) => text.includes(w))
  })
  const rank = (hit: CryptoSearchHit): number => (hit.symbol === wanted ? 0 : hit.symbol.startsWith(wanted) ? 1 : 2)
  return matches.sort((a, b) => rank(a) - rank(b)).slice(0, limit)
}
