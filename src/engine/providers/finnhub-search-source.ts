/**
 * Finnhub as a search and directory source for the engine's symbol search (see
 * ../search/search-sources.ts). The adapter is loaded on first use like the quote adapter.
 */
import type { SymbolMatch } from '../../shared/symbol-search'
import type { DirectorySourceFactory, SearchSourceFactory } from '../search/search-sources'
import type { FinnhubProvider } from './finnhub'
import { FINNHUB_LIMITS } from './finnhub-limits'
import { providerEndpoint, type ProviderEnv } from './provider-env'
import type { ProviderDeps } from './provider'

/** Names for the market identifiers of US listings, as people know the exchanges. */
const US_MICS: Record<string, string> = {
  XNAS: 'NASDAQ',
  XNYS: 'NYSE',
  ARCX: 'NYSE Arca',
  XASE: 'NYSE American',
  BATS: 'Cboe BZX',
  OOTC: 'OTC',
  OTCM: 'OTC'
}

const clip = (text: string | null, max: number): string | null => (text === null ? null : text.slice(0, max))

function lazyAdapter(deps: ProviderDeps, env: ProviderEnv): { key: string | undefined; adapter: () => Promise<FinnhubProvider> } {
  const { baseUrl, key } = providerEndpoint('finnhub', env)
  let loading: Promise<FinnhubProvider> | null = null
  const adapter = (): Promise<FinnhubProvider> => {
    loading ??= import('./finnhub').then((m) => m.createFinnhubProvider({ baseUrl, key, deps, timeoutMs: 5_000, profiles: false }))
    loading.catch(() => (loading = null))
    return loading
  }
  return { key, adapter }
}

export const finnhubSearchSource: SearchSourceFactory = (deps, env) => {
  const { adapter } = lazyAdapter(deps, env)
  return {
    id: 'finnhub',
    minTimeMs: FINNHUB_LIMITS.minTimeMs,
    async search(query, limit, signal) {
      const hits = await (await adapter()).search(query, signal)
      return hits.slice(0, limit).map(
        (hit): SymbolMatch => ({
          symbol: hit.symbol.slice(0, 64),
          name: clip(hit.name, 200),
          exchange: clip(hit.exchange, 80),
          type: clip(hit.type?.toUpperCase() ?? null, 40),
          source: 'finnhub'
        })
      )
    }
  }
}

/** The US symbol list; without a key there is nothing to list, which is not an error. */
export const finnhubDirectorySource: DirectorySourceFactory = (deps, env) => {
  const { key, adapter } = lazyAdapter(deps, env)
  return {
    id: 'finnhub',
    async fetchListing(signal) {
      if (key === undefined) return []
      const listed = await (await adapter()).symbols('US', signal)
      return listed.map(
        (item): SymbolMatch => ({
          symbol: item.symbol,
          name: item.name,
          exchange: (item.mic && US_MICS[item.mic]) ?? item.mic ?? 'US',
          type: item.type?.toUpperCase() ?? null,
          source: 'finnhub'
        })
      )
    }
  }
}
