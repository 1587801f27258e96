import { z } from 'zod'
import type { FileOps } from '../host/state/file-ops'
import type { KeyValueStore, StoreBackend } from '../host/state/store-backend'
import type { SecretNotify, SecretStore } from '../host/secrets/secret-store'
import { PROVIDER_LABELS, ProviderIdSchema, type ProviderId } from '../shared/providers'

/** The part of Electron's safeStorage this store uses (main process only, after `ready`). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  encryptString(plainText: string): Buffer
  decryptString(encrypted: Buffer): string
  /** Linux only; 'basic_text' means no keyring: "encrypted" data is effectively plain text. */
  getSelectedStorageBackend?(): string
}

export const ELECTRON_KEYS_STORE = 'provider-keys'

interface KeysFile extends Record<string, unknown> {
  version: number
  /** provider id → base64 of safeStorage ciphertext. */
  keys: Record<string, string>
}

const KeysFileSchema = z.object({ version: z.literal(1), keys: z.record(z.string(), z.string()) })

export interface ElectronSecretStoreOptions {
  safeStorage: SafeStorageLike
  backend: StoreBackend
  notify: SecretNotify
  fileOps: FileOps
  now: () => number
}

export const BASIC_TEXT_WARNING =
  'This system has no keyring TickerDesk can use (safeStorage backend "basic_text"), so saved API keys are only obscured on disk, not encrypted. Install a keyring such as GNOME Keyring or KWallet, or pass keys as TICKERDESK_<ID>_KEY instead.'

/**
 * API keys encrypted with the OS keychain through safeStorage, kept as base64 ciphertext in an
 * electron-store file and decrypted here in main only (they go on to the engine, never to a window).
 * Where no encryption is available nothing is stored; where Linux falls back to basic_text the
 * user is warned, since such keys are effectively plain text.
 */
export class ElectronSecretStore implements SecretStore {
  private readonly store: KeyValueStore<KeysFile>
  private readonly plain = new Map<ProviderId, string>()
  private warnedBasicText = false

  constructor(private readonly options: ElectronSecretStoreOptions) {
    this.store = this.open()
    this.decryptAll()
    if (this.plain.size > 0) this.warnIfBasicText()
  }

  get(provider: ProviderId): string | null {
    return this.plain.get(provider) ?? null
  }

  set(provider: ProviderId, key: string | null): void {
    const keys = { ...this.store.get('keys') }
    if (key === null) {
      delete keys[provider]
      this.store.set('keys', keys)
      this.plain.delete(provider)
      return
    }
    const { safeStorage } = this.options
    if (!safeStorage.isEncryptionAvailable()) {
      throw new Error(
        `The ${PROVIDER_LABELS[provider]} key was not saved: this system offers no encryption for it. Set TICKERDESK_${provider.toUpperCase()}_KEY in the environment instead.`
      )
    }
    this.warnIfBasicText()
    keys[provider] = safeStorage.encryptString(key).toString('base64')
    this.store.set('keys', keys)
    this.plain.set(provider, key)
  }

  list(): ProviderId[] {
    return [...this.plain.keys()]
  }

  private warnIfBasicText(): void {
    if (this.warnedBasicText || this.options.safeStorage.getSelectedStorageBackend?.() !== 'basic_text') return
    this.warnedBasicText = true
    this.options.notify('warning', BASIC_TEXT_WARNING)
  }

  private decryptAll(): void {
    const { safeStorage } = this.options
    const entries = Object.entries(this.store.get('keys'))
    if (entries.length === 0) return
    if (!safeStorage.isEncryptionAvailable()) {
      this.options.notify('warning', 'Saved API keys cannot be read because encryption is unavailable on this system; providers use TICKERDESK_<ID>_KEY if set.')
      return
    }
    const unreadable: string[] = []
    for (const [id, cipher] of entries) {
      const provider = ProviderIdSchema.safeParse(id)
      if (!provider.success) continue
      try {
        this.plain.set(provider.data, safeStorage.decryptString(Buffer.from(cipher, 'base64')))
      } catch {
        unreadable.push(PROVIDER_LABELS[provider.data])
      }
    }
    if (unreadable.length > 0) {
      // Typically another user account or a changed keychain: only re-entering the key helps.
      this.options.notify('warning', `The saved API key for ${unreadable.join(', ')} could not be decrypted; enter it again in Providers.`)
    }
  }

  private open(): KeyValueStore<KeysFile> {
    const { backend } = this.options
    const defaults: KeysFile = { version: 1, keys: {} }
    try {
      const store = backend.open<KeysFile>(ELECTRON_KEYS_STORE, defaults)
      if (KeysFileSchema.safeParse(store.store).success) return store
      store.set('version', 1)
      store.set('keys', {})
      this.options.notify('warning', 'The saved API keys were not in a format TickerDesk understands and were cleared; enter your keys again in Providers.')
      return store
    } catch {
      const path = backend.filePath(ELECTRON_KEYS_STORE)
      const backup = `${path.replace(/\.json$/, '')}.damaged-${this.options.now()}.json`
      try {
        this.options.fileOps.rename(path, backup)
        this.options.notify('warning', `The saved API keys could not be read and were set aside as ${backup}; enter your keys again in Providers.`)
      } catch (error) {
        this.options.notify('error', `The saved API keys could not be read nor set aside: ${error instanceof Error ? error.message : String(error)}`)
      }
      return backend.open<KeysFile>(ELECTRON_KEYS_STORE, defaults)
    }
  }
}
