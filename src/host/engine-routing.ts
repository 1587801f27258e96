import type { Routing } from '../shared/ipc/engine-protocol'
import type { ProviderId } from '../shared/providers'
import { normaliseSymbol } from '../shared/symbols'

/** The settings routing is built from. */
export interface RoutingSettings {
  provider: ProviderId
  cryptoProvider: ProviderId
  fallbackProviders: readonly ProviderId[]
  symbolProviders: Readonly<Record<string, ProviderId>>
}

/** The watchlist fields routing needs. */
export interface RoutingList {
  symbols: readonly string[]
  provider?: ProviderId | undefined
}

/**
 * What the engine is told about routing. A provider forced for the session (e.g.
 * `--provider simulated`) or the simulated market serves everything, as before routing existed;
 * otherwise equities go to `provider`, crypto to `cryptoProvider`, then the fallbacks, with
 * pins from watchlists (first list wins) and per-symbol pins on top.
 */
export function routingFromSettings(settings: RoutingSettings, lists: readonly RoutingList[], forced: ProviderId | null = null): Routing {
  const only = forced ?? (settings.provider === 'simulated' ? 'simulated' : null)
  if (only !== null) return { equity: only, crypto: only, fallbacks: [], pins: {} }
  const pins: Record<string, ProviderId> = {}
  for (const list of lists) {
    if (list.provider === undefined) continue
    for (const symbol of list.symbols) {
      const key = normaliseSymbol(symbol)
      if (!(key in pins)) pins[key] = list.provider
    }
  }
  for (const [symbol, provider] of Object.entries(settings.symbolProviders)) pins[normaliseSymbol(symbol)] = provider
  return {
    equity: settings.provider,
    crypto: settings.cryptoProvider,
    fallbacks: [...new Set(settings.fallbackProviders)].slice(0, 8),
    pins
  }
}

/** Every provider a routing can use, for pruning statuses of providers no longer in play. */
export function routingProviders(routing: Routing): Set<ProviderId> {
  return new Set([routing.equity, routing.crypto, ...routing.fallbacks, ...Object.values(routing.pins)])
}
