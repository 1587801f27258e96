import { DirectoryIndex } from '../src/host/directory/directory-index'
import type { SymbolMatch } from '../src/shared/symbol-search'
import { percentile, round, type Metric } from './metric'

const WORDS = ['Global', 'Pacific', 'Energy', 'Bio', 'Systems', 'Capital', 'Holdings', 'Micro', 'Data', 'Motors', 'Foods', 'Mining']

/** 100,000 listing-like entries: short tickers, suffixed foreign lines, multi-word names. */
function listing(count: number): SymbolMatch[] {
  return Array.from({ length: count }, (_, i) => ({
    symbol: `${i.toString(36).toUpperCase()}${i % 7 === 0 ? '.L' : ''}`,
    name: `${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]} ${i % 3 === 0 ? 'Inc.' : 'plc'} ${i}`,
    exchange: i % 7 === 0 ? 'LSE' : 'NASDAQ',
    type: 'EQUITY',
    source: 'finnhub'
  }))
}

/**
 * Offline symbol search: p95 time of one query against a 100,000-symbol directory, over a mix of
 * exact tickers, one-letter prefixes, name words and substrings (the worst case).
 */
export async function measureDirectorySearch(): Promise<Metric[]> {
  const index = new DirectoryIndex(listing(100_000))
  const queries = ['A', 'AB', 'ZZ9', 'micro', 'holdings', 'pacific en', '9999', 'plc 4242', 'nomatch', 'S']
  for (const q of queries) index.search(q, 10)
  const times: number[] = []
  for (let round_ = 0; round_ < 50; round_++) {
    for (const q of queries) {
      const start = performance.now()
      index.search(q, 10)
      times.push(performance.now() - start)
    }
  }
  return [{ metric: 'directory_search_ms', value: round(percentile(times, 95), 3), unit: 'ms' }]
}
