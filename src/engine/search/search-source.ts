import type { ProviderId } from '../../shared/providers'
import type { SymbolMatch } from '../../shared/symbol-search'

/**
 * A provider's symbol lookup. Rejects with ProviderError like fetchQuotes; `signal` aborts it
 * (the engine's timeout). Hits carry `source: id`.
 */
export interface SearchSource {
  readonly id: ProviderId
  /** Least spacing between two search requests to this provider, ms. */
  readonly minTimeMs: number
  search(query: string, limit: number, signal: AbortSignal): Promise<SymbolMatch[]>
}

/**
 * A provider's full symbol listing (exchange symbol lists, crypto products), fetched rarely to
 * fill the local directory that answers searches offline.
 */
export interface DirectorySource {
  readonly id: ProviderId
  fetchListing(signal: AbortSignal): Promise<SymbolMatch[]>
}
