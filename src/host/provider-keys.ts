import { UserError } from '../shared/ipc/result'
import { ProviderKeyInputSchema, usesKey, type ProviderKeysState } from '../shared/provider-settings'
import { PROVIDER_IDS, PROVIDER_LABELS, type ProviderId } from '../shared/providers'
import type { SecretStore } from './secrets/secret-store'

export type KeyEnv = Record<string, string | undefined>

/** What stands in for a key wherever one would otherwise be written out. */
export const REDACTED = '[redacted]'

/**
 * The host's view of provider API keys: what the user saved (in a SecretStore) over what the
 * environment sets (TICKERDESK_<ID>_KEY). The engine gets the saved keys; everyone else only
 * learns whether a key exists and where it comes from.
 */
export class ProviderKeys {
  constructor(
    private readonly secrets: SecretStore,
    private readonly env: KeyEnv
  ) {}

  state(): ProviderKeysState {
    const state = {} as ProviderKeysState
    for (const id of PROVIDER_IDS) {
      const source = this.saved(id) !== null ? 'settings' : this.fromEnv(id) !== null ? 'environment' : null
      state[id] = { hasKey: source !== null, source }
    }
    return state
  }

  /** Validates and stores (null removes). Throws a UserError with a plain-words reason. */
  set(provider: ProviderId, key: string | null): void {
    if (key !== null && !usesKey(provider)) throw new UserError(`${PROVIDER_LABELS[provider]} needs no API key.`)
    let clean: string | null = null
    if (key !== null) {
      const parsed = ProviderKeyInputSchema.safeParse(key)
      if (!parsed.success) throw new UserError(parsed.error.issues[0]?.message ?? 'That API key is not valid.')
      clean = parsed.data
    }
    try {
      this.secrets.set(provider, clean)
    } catch (error) {
      throw new UserError(this.redact(error instanceof Error ? error.message : String(error), clean), 'unavailable')
    }
  }

  /** The saved keys, for the engine's set-keys command. */
  engineKeys(): Partial<Record<ProviderId, string>> {
    const keys: Partial<Record<ProviderId, string>> = {}
    for (const id of PROVIDER_IDS) {
      const key = this.saved(id)
      if (key !== null) keys[id] = key
    }
    return keys
  }

  /** Replaces every known key (saved or from the environment) in `text`. */
  redact(text: string, extra: string | null = null): string {
    let result = text
    const secrets = new Set<string>()
    for (const id of PROVIDER_IDS) {
      const saved = this.saved(id)
      const env = this.fromEnv(id)
      if (saved !== null) secrets.add(saved)
      if (env !== null) secrets.add(env)
    }
    if (extra !== null) secrets.add(extra)
    // Very short "keys" would blank out ordinary words; real keys are far longer.
    for (const secret of secrets) if (secret.length >= 6) result = result.split(secret).join(REDACTED)
    return result
  }

  private saved(id: ProviderId): string | null {
    try {
      return this.secrets.get(id)
    } catch {
      return null
    }
  }

  private fromEnv(id: ProviderId): string | null {
    const value = this.env[`TICKERDESK_${id.toUpperCase()}_KEY`]?.trim()
    return value === undefined || value === '' ? null : value
  }
}
