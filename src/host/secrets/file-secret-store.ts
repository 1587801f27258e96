import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { z } from 'zod'
import { PROVIDER_LABELS, ProviderIdSchema, type ProviderId } from '../../shared/providers'
import type { SecretNotify, SecretStore } from './secret-store'

export const PROVIDER_KEYS_FILE = 'provider-keys.json'
const FILE_MODE = 0o600

const KeysFileSchema = z.object({
  version: z.literal(1),
  keys: z.partialRecord(ProviderIdSchema, z.string().min(1))
})

export interface FileSecretStoreOptions {
  /** The data directory; keys go to `<dataDir>/provider-keys.json`. */
  dataDir: string
  notify: SecretNotify
  now?: () => number
}

/**
 * API keys in a JSON file only its owner can read (0600), for the web shell and the CLI, which
 * have no OS keychain to lean on. Every write replaces the file atomically (temp file, fsync,
 * rename), so a crash leaves the old keys or the new ones, never half a file. A file found with
 * looser permissions is tightened; a damaged one is set aside and the user told to enter the keys again.
 */
export class FileSecretStore implements SecretStore {
  readonly path: string
  private keys: Partial<Record<ProviderId, string>> = {}

  constructor(private readonly options: FileSecretStoreOptions) {
    this.path = join(options.dataDir, PROVIDER_KEYS_FILE)
    this.load()
  }

  get(provider: ProviderId): string | null {
    return this.keys[provider] ?? null
  }

  set(provider: ProviderId, key: string | null): void {
    const next = { ...this.keys }
    if (key === null) delete next[provider]
    else next[provider] = key
    try {
      this.write(next)
    } catch (error) {
      throw new Error(`The ${PROVIDER_LABELS[provider]} key could not be saved: ${describe(error)}`, { cause: error })
    }
    this.keys = next
  }

  list(): ProviderId[] {
    return Object.keys(this.keys) as ProviderId[]
  }

  private load(): void {
    if (!existsSync(this.path)) return
    try {
      this.tightenPermissions()
    } catch (error) {
      this.options.notify('warning', `The API key file ${this.path} is readable by other users and could not be restricted: ${describe(error)}`)
    }
    let parsed: z.infer<typeof KeysFileSchema>
    try {
      parsed = KeysFileSchema.parse(JSON.parse(readFileSync(this.path, 'utf8')))
    } catch {
      this.setAside()
      return
    }
    this.keys = { ...parsed.keys }
  }

  private tightenPermissions(): void {
    if (process.platform === 'win32') return
    const mode = statSync(this.path).mode & 0o777
    if ((mode & 0o077) === 0) return
    chmodSync(this.path, FILE_MODE)
    this.options.notify('info', 'The API key file was readable by other users; it is now private to you.')
  }

  private setAside(): void {
    const backup = `${this.path}.damaged-${(this.options.now ?? Date.now)()}`
    try {
      renameSync(this.path, backup)
      chmodSync(backup, FILE_MODE)
      this.options.notify('warning', `The saved API keys could not be read and were set aside as ${backup}; enter your keys again in Providers.`)
    } catch (error) {
      this.options.notify('error', `The saved API keys could not be read (${this.path}), nor set aside: ${describe(error)}`)
    }
  }

  private write(keys: Partial<Record<ProviderId, string>>): void {
    mkdirSync(dirname(this.path), { recursive: true })
    const temp = `${this.path}.${process.pid}.tmp`
    // Created 0600 from the start: the keys are never on disk with looser permissions, not even briefly.
    const fd = openSync(temp, 'w', FILE_MODE)
    try {
      writeSync(fd, JSON.stringify({ version: 1, keys }, null, 2))
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    try {
      chmodSync(temp, FILE_MODE)
      renameSync(temp, this.path)
    } catch (error) {
      rmSync(temp, { force: true })
      throw error
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
