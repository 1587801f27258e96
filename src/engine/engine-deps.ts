import type { EngineDeps } from './engine'
import { createProvider, type ProviderEnv } from './providers'
import { createStream } from './providers/streams'
import { createDirectorySource, createSearchSource, searchEngineDeps } from './search/search-sources'
import { createHistorySource } from './history/history-sources'
import { effectiveQuota } from './quota/provider-quotas'
import { quotaOverridesFrom } from './provider-settings-env'

export interface ProductionDepsOptions {
  env: ProviderEnv
  now(): number
  /** Where adapters' diagnostics go (as 'log' events to the host). */
  log: EngineDeps['log']
  /** Open providers' websocket feeds; a one-shot lookup has no use for them. */
  streams: boolean
}

/**
 * The real providers, streams, search and quota budgets, shared by the engine process and the
 * in-process engine so both run exactly the same market-data stack. Settings (saved API keys,
 * plan) are spread over the environment: a key saved in the app wins.
 */
export function productionEngineDeps(options: ProductionDepsOptions): Omit<EngineDeps, 'now' | 'emit' | 'log'> {
  const { env, now, log } = options
  const deps = { now, log }
  return {
    createProvider: (id, settings) => createProvider(id, deps, { ...env, ...settings }),
    ...(options.streams ? { createStream: (id, settings) => createStream(id, deps, { ...env, ...settings }) } : {}),
    ...searchEngineDeps(deps, env),
    createSearchSource: (id, settings) => createSearchSource(id, deps, { ...env, ...settings }),
    createDirectorySource: (id, settings) => createDirectorySource(id, deps, { ...env, ...settings }),
    createHistorySource: (id, settings) => createHistorySource(id, deps, { ...env, ...settings }),
    // Every provider's free-tier budget, with the user's plan settings over it.
    quotaFor: (id, providerLimits) => effectiveQuota(id, quotaOverridesFrom(providerLimits))
  }
}
