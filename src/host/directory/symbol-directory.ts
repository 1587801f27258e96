import type { ProviderId } from '../../shared/providers'
import type { SymbolMatch } from '../../shared/symbol-search'
import type { KeyValueStore } from '../state/store-backend'
import { DIRECTORY_VERSION, toRows, type DirectoryFile, type DirectoryListing } from './directory-file'
import { DirectoryIndex } from './directory-index'
import { DIRECTORY_SEED } from './directory-seed'

/**
 * The local symbol directory: the built-in seed plus every provider listing fetched so far, with
 * an in-memory index for instant (and offline) search. Listings are persisted in their own file;
 * a failed write keeps the listing in memory and is reported.
 */
export class SymbolDirectory {
  private readonly listings: Map<ProviderId, DirectoryListing>
  private index: DirectoryIndex | null = null

  constructor(
    private readonly store: KeyValueStore<DirectoryFile> | null,
    initial: Map<ProviderId, DirectoryListing> = new Map(),
    private readonly onWriteError: (error: unknown) => void = () => {}
  ) {
    this.listings = initial
  }

  /** Seed-only and never saved: for the CLI and tests. */
  static seedOnly(): SymbolDirectory {
    return new SymbolDirectory(null)
  }

  get size(): number {
    return this.ensureIndex().size
  }

  /** When each provider's listing was last fetched. */
  fetchedAt(id: ProviderId): number | null {
    return this.listings.get(id)?.fetchedAt ?? null
  }

  /** The oldest fetch among listings, or null when none was ever fetched. */
  get lastRefresh(): number | null {
    let oldest: number | null = null
    for (const listing of this.listings.values()) oldest = oldest === null ? listing.fetchedAt : Math.min(oldest, listing.fetchedAt)
    return oldest
  }

  search(query: string, limit: number): SymbolMatch[] {
    return this.ensureIndex().search(query, limit)
  }

  /** Replaces one provider's listing (a full refresh of it) and saves. */
  replaceListing(id: ProviderId, entries: readonly SymbolMatch[], fetchedAt: number): void {
    this.listings.set(id, { fetchedAt, entries: entries.map((e) => ({ ...e, source: id })) })
    this.index = null
    if (this.store === null) return
    try {
      const sources: DirectoryFile['sources'] = {}
      for (const [source, listing] of this.listings) sources[source] = { fetchedAt: listing.fetchedAt, rows: toRows(listing.entries) }
      this.store.set('sources', sources)
      this.store.set('schemaVersion', DIRECTORY_VERSION)
    } catch (error) {
      this.onWriteError(error)
    }
  }

  private ensureIndex(): DirectoryIndex {
    // Fetched listings come first so their (fresher, provider-native) entries win over the seed's.
    this.index ??= new DirectoryIndex(dedupe([...[...this.listings.values()].flatMap((l) => l.entries), ...DIRECTORY_SEED]))
    return this.index
  }
}

function dedupe(entries: readonly SymbolMatch[]): SymbolMatch[] {
  const seen = new Set<string>()
  const out: SymbolMatch[] = []
  for (const entry of entries) {
    const key = entry.symbol.toUpperCase()
    if (seen.has(key)) continue
    seen.add(key)
    out.push(entry)
  }
  return out
}
