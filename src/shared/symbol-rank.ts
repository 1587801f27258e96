import type { SymbolMatch } from './symbol-search'

/**
 * How well a match answers a query, lower is better:
 * 0 the symbol itself (also "BTCUSD" for BTC-USD), 1 a symbol prefix, 2 a word of the name starts
 * with it, 3 the symbol contains it, 4 the name contains it, 5 the provider's own fuzzy idea.
 */
export function matchTier(query: string, match: Pick<SymbolMatch, 'symbol' | 'name'>): number {
  const q = query.trim()
  if (q === '') return 5
  const upper = q.toUpperCase()
  const symbol = match.symbol.toUpperCase()
  if (symbol === upper || compact(symbol) === compact(upper)) return 0
  if (symbol.startsWith(upper)) return 1
  const lower = q.toLowerCase()
  const name = match.name?.toLowerCase() ?? ''
  if (name !== '' && (name.startsWith(lower) || wordStarts(name, lower))) return 2
  if (symbol.includes(upper)) return 3
  if (name.includes(lower)) return 4
  return 5
}

/** Fields that say something beyond the symbol; the richer of two duplicates is kept. */
export function richness(match: SymbolMatch): number {
  return (match.name ? 2 : 0) + (match.exchange ? 1 : 0) + (match.type ? 1 : 0)
}

/**
 * Merges result lists (in priority order) into one list with one entry per symbol: the richest
 * entry wins, and a field it lacks is taken from a duplicate that has it.
 */
export function mergeMatches(lists: readonly (readonly SymbolMatch[])[]): SymbolMatch[] {
  const bySymbol = new Map<string, SymbolMatch>()
  for (const list of lists) {
    for (const match of list) {
      const key = match.symbol.trim().toUpperCase()
      if (key === '') continue
      const seen = bySymbol.get(key)
      if (seen === undefined) {
        bySymbol.set(key, { ...match, symbol: key })
        continue
      }
      const [keep, other] = richness(match) > richness(seen) ? [match, seen] : [seen, match]
      bySymbol.set(key, {
        symbol: key,
        name: keep.name ?? other.name,
        exchange: keep.exchange ?? other.exchange,
        type: keep.type ?? other.type,
        source: keep.source
      })
    }
  }
  return [...bySymbol.values()]
}

/**
 * Orders matches for a query: exact symbol, then symbol prefixes, then name matches; within a tier
 * shorter symbols first (AAPL before AAPL.MX), then richer entries, then the order given (which
 * keeps a provider's own relevance for its fuzzy hits).
 */
export function rankMatches(query: string, matches: readonly SymbolMatch[], limit: number): SymbolMatch[] {
  const scored = matches.map((match, index) => ({ match, index, tier: matchTier(query, match) }))
  scored.sort(
    (a, b) =>
      a.tier - b.tier ||
      (a.tier <= 1 || a.tier === 3 ? a.match.symbol.length - b.match.symbol.length : 0) ||
      richness(b.match) - richness(a.match) ||
      a.index - b.index
  )
  return scored.slice(0, Math.max(0, limit)).map((s) => s.match)
}

/** Merge then rank: the one call the engine and the host both make. */
export function mergeAndRank(query: string, lists: readonly (readonly SymbolMatch[])[], limit: number): SymbolMatch[] {
  return rankMatches(query, mergeMatches(lists), limit)
}

function compact(symbol: string): string {
  return symbol.replace(/[-/.=]/g, '')
}

function wordStarts(name: string, word: string): boolean {
  let at = name.indexOf(word)
  while (at > 0) {
    if (!/[\p{L}\p{N}]/u.test(name[at - 1] ?? '')) return true
    at = name.indexOf(word, at + 1)
  }
  return at === 0
}
