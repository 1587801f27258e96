import { AVAILABLE_PROVIDERS, PROVIDER_IDS, type ProviderId } from '../shared/providers'

export type ProviderChoice = { ok: true; provider: ProviderId } | { ok: false; message: string }

/** Validates a `--provider` value, shared by the web shell and the CLI. */
export function parseProviderChoice(value: string): ProviderChoice {
  const id = value.trim().toLowerCase()
  const valid = AVAILABLE_PROVIDERS.join(', ')
  if ((AVAILABLE_PROVIDERS as readonly string[]).includes(id)) return { ok: true, provider: id as ProviderId }
  if ((PROVIDER_IDS as readonly string[]).includes(id)) {
    return { ok: false, message: `The ${id} provider is not available yet; choose one of: ${valid}.` }
  }
  return { ok: false, message: `Unknown provider "${value}"; choose one of: ${valid}.` }
}
