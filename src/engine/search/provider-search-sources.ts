/**
 * Search and listing sources over the provider adapters that have them. Each loads its adapter
 * on first use (a second instance beside the quote one, so a search never waits behind quote
 * batches), and keyed providers without a key offer nothing rather than failing every search.
 * Quota-tight providers (Alpha Vantage 25/day, Twelve Data 800 credits/day) are spaced by their
 * own minimum interval, and their gate keeps one request at a time.
 */
import type { ProviderId } from '../../shared/providers'
import type { SymbolMatch } from '../../shared/symbol-search'
import { ALPHAVANTAGE_FREE_LIMITS } from '../providers/alphavantage-limits'
import { BINANCE_LIMITS } from '../providers/binance-limits'
import { COINBASE_LIMITS } from '../providers/coinbase-limits'
import { COINGECKO_LIMITS } from '../providers/coingecko-limits'
import type { ProviderDeps } from '../providers/provider'
import { providerEndpoint, type ProviderEnv } from '../providers/provider-env'
import { TWELVEDATA_LIMITS } from '../providers/twelvedata-limits'
import type { DirectorySource, SearchSource } from './search-source'

interface Hit {
  symbol: string
  name: string | null
  exchange: string | null
  type: string | null
}

interface Searchable {
  search(query: string, signal?: AbortSignal): Promise<Hit[]>
}

function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null
  return () => {
    loading ??= load()
    loading.catch(() => (loading = null))
    return loading
  }
}

const clip = (text: string | null | undefined, max: number): string | null => (text ? text.slice(0, max) : null)

export function toMatch(hit: Hit, source: ProviderId): SymbolMatch {
  return {
    symbol: hit.symbol.slice(0, 64),
    name: clip(hit.name, 200),
    exchange: clip(hit.exchange, 80),
    type: clip(hit.type?.toUpperCase(), 40),
    source
  }
}

function searchSource(id: ProviderId, minTimeMs: number, adapter: () => Promise<Searchable>): SearchSource {
  return {
    id,
    minTimeMs,
    async search(query, limit, signal) {
      const hits = await (await adapter()).search(query, signal)
      return hits.slice(0, limit).map((hit) => toMatch(hit, id))
    }
  }
}

const SEARCH_TIMEOUT_MS = 5_000

function coinbase(deps: ProviderDeps, env: ProviderEnv) {
  const { baseUrl } = providerEndpoint('coinbase', env)
  return lazy(async () => (await import('../providers/coinbase')).createCoinbaseProvider({ baseUrl, deps, timeoutMs: SEARCH_TIMEOUT_MS }))
}

function binance(deps: ProviderDeps, env: ProviderEnv) {
  const { baseUrl } = providerEndpoint('binance', env)
  return lazy(async () => (await import('../providers/binance')).createBinanceProvider({ baseUrl, deps, timeoutMs: SEARCH_TIMEOUT_MS }))
}

export const coinbaseSearchSource = (deps: ProviderDeps, env: ProviderEnv): SearchSource =>
  searchSource('coinbase', COINBASE_LIMITS.minTimeMs, coinbase(deps, env))

export const binanceSearchSource = (deps: ProviderDeps, env: ProviderEnv): SearchSource =>
  searchSource('binance', BINANCE_LIMITS.minTimeMs, binance(deps, env))

export function coingeckoSearchSource(deps: ProviderDeps, env: ProviderEnv): SearchSource {
  const { baseUrl, key } = providerEndpoint('coingecko', env)
  return searchSource(
    'coingecko',
    COINGECKO_LIMITS.minTimeMs,
    lazy(async () => (await import('../providers/coingecko')).createCoinGeckoProvider({ baseUrl, apiKey: key, deps, timeoutMs: SEARCH_TIMEOUT_MS }))
  )
}

function alphavantage(deps: ProviderDeps, env: ProviderEnv) {
  const { baseUrl, key } = providerEndpoint('alphavantage', env)
  if (key === undefined) return null
  return lazy(async () => (await import('../providers/alphavantage')).createAlphaVantageProvider({ baseUrl, key, deps, timeoutMs: SEARCH_TIMEOUT_MS }))
}

export function alphavantageSearchSource(deps: ProviderDeps, env: ProviderEnv): SearchSource | null {
  const adapter = alphavantage(deps, env)
  return adapter === null ? null : searchSource('alphavantage', ALPHAVANTAGE_FREE_LIMITS.minTimeMs, adapter)
}

export function twelvedataSearchSource(deps: ProviderDeps, env: ProviderEnv): SearchSource | null {
  const { baseUrl, key } = providerEndpoint('twelvedata', env)
  if (key === undefined) return null
  const adapter = lazy(async () => (await import('../providers/twelvedata')).createTwelveDataProvider({ baseUrl, key, deps, timeoutMs: SEARCH_TIMEOUT_MS }))
  return searchSource('twelvedata', TWELVEDATA_LIMITS.minTimeMs, adapter)
}

export function coinbaseDirectorySource(deps: ProviderDeps, env: ProviderEnv): DirectorySource {
  const adapter = coinbase(deps, env)
  return { id: 'coinbase', fetchListing: async (signal) => (await (await adapter()).listSymbols(signal)).map((hit) => toMatch(hit, 'coinbase')) }
}

export function binanceDirectorySource(deps: ProviderDeps, env: ProviderEnv): DirectorySource {
  const adapter = binance(deps, env)
  return { id: 'binance', fetchListing: async (signal) => (await (await adapter()).listSymbols(signal)).map((hit) => toMatch(hit, 'binance')) }
}

/** Alpha Vantage's LISTING_STATUS: one request a day for every active US listing. */
export function alphavantageDirectorySource(deps: ProviderDeps, env: ProviderEnv): DirectorySource | null {
  const adapter = alphavantage(deps, env)
  if (adapter === null) return null
  return {
    id: 'alphavantage',
    async fetchListing(signal) {
      const table = await (await adapter()).listingStatus({ state: 'active' }, signal)
      return table.rows.map((row) =>
        toMatch({ symbol: row.symbol, name: row.name, exchange: row.exchange, type: row.assetType.toLowerCase() === 'stock' ? 'EQUITY' : row.assetType }, 'alphavantage')
      )
    }
  }
}
