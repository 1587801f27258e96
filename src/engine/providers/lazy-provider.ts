import type { ProviderId } from '../../shared/providers'
import type { ProviderLimits, QuoteProvider } from './provider'

/**
 * A provider whose real adapter is loaded on its first request. Adapters such as Yahoo pull in
 * an HTTP client and its dependencies (several MB of resident memory in the engine process),
 * which a user of the simulated market should never pay for. A failed load is not remembered,
 * so the next request tries again; the scheduler reports the failure like any other.
 */
export function createLazyProvider(id: ProviderId, limits: ProviderLimits, load: () => Promise<QuoteProvider>): QuoteProvider {
  let loading: Promise<QuoteProvider> | null = null
  const provider = (): Promise<QuoteProvider> => {
    loading ??= load().catch((error: unknown) => {
      loading = null
      throw error
    })
    return loading
  }
  return {
    id,
    limits,
    async fetchQuotes(symbols, signal) {
      return (await provider()).fetchQuotes(symbols, signal)
    }
  }
}
