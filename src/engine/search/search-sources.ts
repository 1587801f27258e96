/**
 * The registry of search and listing sources, keyed by provider id. A provider adapter that can
 * look symbols up or list them registers a factory here; providers without one are skipped
 * (their users still get the local directory). Factories load their adapter lazily so a user who
 * never searches does not pay for its HTTP stack.
 */
import type { ProviderId } from '../../shared/providers'
import type { SymbolMatch } from '../../shared/symbol-search'
import type { ProviderDeps } from '../providers/provider'
import { providerEndpoint, type ProviderEnv } from '../providers/provider-env'
import { YAHOO_LIMITS } from '../providers/yahoo-limits'
import { finnhubDirectorySource, finnhubSearchSource } from '../providers/finnhub-search-source'
import {
  alphavantageDirectorySource,
  alphavantageSearchSource,
  binanceDirectorySource,
  binanceSearchSource,
  coinbaseDirectorySource,
  coinbaseSearchSource,
  coingeckoSearchSource,
  twelvedataSearchSource
} from './provider-search-sources'
import type { DirectorySource, SearchSource } from './search-source'

/** May return null when the provider cannot search as configured (e.g. no API key). */
export type SearchSourceFactory = (deps: ProviderDeps, env: ProviderEnv) => SearchSource | null
export type DirectorySourceFactory = (deps: ProviderDeps, env: ProviderEnv) => DirectorySource | null

/** Yahoo's search is keyless and spaced like its quotes. */
const yahooSearch: SearchSourceFactory = (deps, env) => {
  const { baseUrl } = providerEndpoint('yahoo', env)
  let loading: Promise<import('../providers/yahoo').YahooProvider> | null = null
  const adapter = () => {
    loading ??= import('../providers/yahoo').then((m) => m.createYahooProvider({ baseUrl, deps, timeoutMs: 5_000 }))
    loading.catch(() => (loading = null))
    return loading
  }
  return {
    id: 'yahoo',
    minTimeMs: YAHOO_LIMITS.minTimeMs,
    async search(query, limit, signal) {
      const hits = await (await adapter()).search(query, signal)
      return hits.slice(0, limit).map((hit): SymbolMatch => ({ ...hit, type: hit.type?.toUpperCase() ?? null, source: 'yahoo' }))
    }
  }
}

export const SEARCH_SOURCES: Partial<Record<ProviderId, SearchSourceFactory>> = {
  yahoo: yahooSearch,
  finnhub: finnhubSearchSource,
  coinbase: coinbaseSearchSource,
  binance: binanceSearchSource,
  coingecko: coingeckoSearchSource,
  alphavantage: alphavantageSearchSource,
  twelvedata: twelvedataSearchSource
}

export const DIRECTORY_SOURCES: Partial<Record<ProviderId, DirectorySourceFactory>> = {
  finnhub: finnhubDirectorySource,
  coinbase: coinbaseDirectorySource,
  binance: binanceDirectorySource,
  alphavantage: alphavantageDirectorySource
}

export function createSearchSource(id: ProviderId, deps: ProviderDeps, env: ProviderEnv): SearchSource | null {
  return SEARCH_SOURCES[id]?.(deps, env) ?? null
}

export function createDirectorySource(id: ProviderId, deps: ProviderDeps, env: ProviderEnv): DirectorySource | null {
  return DIRECTORY_SOURCES[id]?.(deps, env) ?? null
}

/** The search and listing seams of EngineDeps, over this registry. */
export function searchEngineDeps(deps: ProviderDeps, env: ProviderEnv) {
  return {
    createSearchSource: (id: ProviderId) => createSearchSource(id, deps, env),
    createDirectorySource: (id: ProviderId) => createDirectorySource(id, deps, env),
    directoryProviders: Object.keys(DIRECTORY_SOURCES) as ProviderId[]
  }
}
