import type { FetchResult } from './provider'

/** Trimmed, blanks dropped, upper-cased duplicates collapsed to the first spelling asked for. */
export function uniqueSymbols(symbols: readonly string[]): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const raw of symbols) {
    const symbol = raw.trim()
    const key = symbol.toUpperCase()
    if (symbol === '' || seen.has(key)) continue
    seen.add(key)
    out.push(symbol)
  }
  return out
}

/** fetchQuotes' common start: each symbol asked once, and nothing asked means no request. */
export async function fetchUniqueSymbols(symbols: readonly string[], fetch: (unique: string[]) => Promise<FetchResult>): Promise<FetchResult> {
  const unique = uniqueSymbols(symbols)
  return unique.length === 0 ? { quotes: [], errors: [] } : fetch(unique)
}
