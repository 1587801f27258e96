import type { Settings } from '../shared/ipc/contract'
import { UserError } from '../shared/ipc/result'
import { AVAILABLE_PROVIDERS, PROVIDER_LABELS, type ProviderId } from '../shared/providers'
import { normaliseSymbol, symbolProblem } from '../shared/symbols'
import { canServe } from '../engine/provider-router'

type RoutingPatch = Pick<Partial<Settings>, 'provider' | 'cryptoProvider' | 'fallbackProviders' | 'symbolProviders'>

const available = (id: ProviderId): boolean => (AVAILABLE_PROVIDERS as readonly ProviderId[]).includes(id)

function listWords(ids: readonly ProviderId[]): string {
  const labels = ids.map((id) => PROVIDER_LABELS[id])
  return labels.length <= 1 ? labels.join('') : `${labels.slice(0, -1).join(', ')} or ${labels.at(-1)}`
}

function requireAvailable(id: ProviderId): void {
  if (!available(id)) throw new UserError(`${PROVIDER_LABELS[id]} is not available yet; choose ${listWords(AVAILABLE_PROVIDERS)}.`)
}

/**
 * Checks the provider choices in a settings change and returns them cleaned (pins keyed by
 * normalised symbols, fallbacks without repeats). Throws a UserError a person can act on.
 */
export function checkProviderChoices(patch: RoutingPatch): RoutingPatch {
  const clean: RoutingPatch = {}
  if (patch.provider !== undefined) {
    requireAvailable(patch.provider)
    clean.provider = patch.provider
  }
  if (patch.cryptoProvider !== undefined) {
    requireAvailable(patch.cryptoProvider)
    if (!canServe(patch.cryptoProvider, 'crypto')) {
      const choices = AVAILABLE_PROVIDERS.filter((id) => canServe(id, 'crypto'))
      throw new UserError(`${PROVIDER_LABELS[patch.cryptoProvider]} has no crypto prices; choose ${listWords(choices)}.`)
    }
    clean.cryptoProvider = patch.cryptoProvider
  }
  if (patch.fallbackProviders !== undefined) {
    for (const id of patch.fallbackProviders) requireAvailable(id)
    clean.fallbackProviders = [...new Set(patch.fallbackProviders)]
  }
  if (patch.symbolProviders !== undefined) {
    const pins: Record<string, ProviderId> = {}
    for (const [raw, id] of Object.entries(patch.symbolProviders)) {
      const problem = symbolProblem(raw)
      if (problem !== null) throw new UserError(problem)
      requireAvailable(id)
      pins[normaliseSymbol(raw)] = id
    }
    clean.symbolProviders = pins
  }
  return clean
}
