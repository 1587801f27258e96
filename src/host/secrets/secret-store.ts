import type { ProviderId } from '../../shared/providers'

/**
 * Where the host keeps provider API keys. Implementations: a 0600 JSON file for the web shell and
 * the CLI (file-secret-store.ts), safeStorage-encrypted entries in the desktop app (src/main).
 * Keys only ever go from here to the engine; nothing here is sent to a renderer.
 */
export interface SecretStore {
  get(provider: ProviderId): string | null
  /** null removes the key. Throws an Error with a plain-words message when it cannot be stored. */
  set(provider: ProviderId, key: string | null): void
  /** Providers that have a key. */
  list(): ProviderId[]
}

export type SecretNotify = (level: 'info' | 'warning' | 'error', message: string) => void

/** Keeps keys for the life of the process only (tests, and a host given no store). */
export class MemorySecretStore implements SecretStore {
  private readonly keys = new Map<ProviderId, string>()

  get(provider: ProviderId): string | null {
    return this.keys.get(provider) ?? null
  }

  set(provider: ProviderId, key: string | null): void {
    if (key === null) this.keys.delete(provider)
    else this.keys.set(provider, key)
  }

  list(): ProviderId[] {
    return [...this.keys.keys()]
  }
}
