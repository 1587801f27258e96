import type { EngineHandle } from '../host/engine-handle'
import { describeError } from '../host/notices'
import { confBackend } from '../host/state/conf-backend'
import {
  DEFAULT_QUOTA_USAGE_WRITE_INTERVAL_MS,
  QUOTA_USAGE_STORE,
  QUOTA_USAGE_VERSION,
  QuotaUsageFileSchema,
  readQuotaUsage,
  type QuotaUsageByProvider,
  type QuotaUsageFile
} from '../host/state/quota-usage-store'
import type { KeyValueStore, StoreBackend } from '../host/state/store-backend'
import { realTimers, type Timers } from '../host/state/timers'
import type { ProviderId } from '../shared/providers'

export interface CliQuotaUsageOptions {
  /** Where a problem is reported; the run goes on without saved usage. */
  note: (message: string) => void
  backend?: StoreBackend
  timers?: Timers
  intervalMs?: number
}

/**
 * The providers' quota usage in the app's data directory, shared with the desktop app and the
 * web shell, so a CLI run cannot spend a fresh daily budget. Only the providers this run used
 * are written back, onto what the file holds then, so another TickerDesk running meanwhile keeps
 * its other providers' counts.
 */
export class CliQuotaUsage {
  private readonly reported: QuotaUsageByProvider = {}
  private timer: unknown = null
  private failed = false

  private constructor(
    private readonly store: KeyValueStore<QuotaUsageFile>,
    private readonly initial: QuotaUsageByProvider,
    private readonly options: CliQuotaUsageOptions
  ) {}

  /** Null (with a note) when the file cannot be read; nothing is written to a damaged file. */
  static open(dataDir: string, options: CliQuotaUsageOptions): CliQuotaUsage | null {
    const backend = options.backend ?? confBackend(dataDir)
    const path = backend.filePath(QUOTA_USAGE_STORE)
    const skipped = "this run starts from zero requests used and its usage is not saved"
    let store: KeyValueStore<QuotaUsageFile>
    try {
      store = backend.open<QuotaUsageFile>(QUOTA_USAGE_STORE, {} as QuotaUsageFile)
    } catch (error) {
      options.note(`Could not open the provider usage file (${path}): ${describeError(error)}; ${skipped}.`)
      return null
    }
    const raw = readRaw(store)
    if (raw === undefined) {
      // TickerDesk itself sets a damaged file aside when it next starts; the CLI leaves it alone.
      options.note(`The provider usage file (${path}) is damaged; ${skipped}.`)
      return null
    }
    return new CliQuotaUsage(store, raw, options)
  }

  /** What earlier runs and the app recorded, for 'restore-quota-usage'. */
  all(): QuotaUsageByProvider {
    return { ...this.initial }
  }

  set(provider: ProviderId, snapshot: unknown): void {
    this.reported[provider] = snapshot
    // A long `watch` killed hard loses at most one interval.
    if (this.timer !== null) return
    const timers = this.options.timers ?? realTimers
    this.timer = timers.setTimeout(() => {
      this.timer = null
      this.write()
    }, this.options.intervalMs ?? DEFAULT_QUOTA_USAGE_WRITE_INTERVAL_MS)
  }

  /** Writes now; failures become one note, never an exception. */
  flush(): void {
    if (this.timer !== null) {
      ;(this.options.timers ?? realTimers).clearTimeout(this.timer)
      this.timer = null
    }
    this.write()
  }

  private write(): void {
    if (Object.keys(this.reported).length === 0) return
    try {
      const current = readRaw(this.store)
      if (current === undefined) throw new Error('the file was damaged meanwhile')
      if (this.store.store.schemaVersion === undefined) this.store.set('schemaVersion', QUOTA_USAGE_VERSION)
      this.store.set('byProvider', { ...current, ...this.reported })
    } catch (error) {
      if (this.failed) return
      this.failed = true
      this.options.note(`Could not save the providers' quota usage: ${describeError(error)}`)
    }
  }
}

/** The usable entries of the file; {} when there is none yet, undefined when it is damaged. */
function readRaw(store: KeyValueStore<QuotaUsageFile>): QuotaUsageByProvider | undefined {
  const raw: Record<string, unknown> = store.store
  if (Object.keys(raw).length === 0) return {}
  const parsed = QuotaUsageFileSchema.safeParse(raw)
  return parsed.success ? readQuotaUsage(parsed.data.byProvider).usage : undefined
}

/**
 * The engine as the CLI uses it, with saved quota usage: restored right after start (before the
 * caller's configure), kept from every 'quota-usage' report, and written once the engine stopped,
 * after its final report.
 */
export function withSavedQuotaUsage(engine: EngineHandle, usage: CliQuotaUsage | null): EngineHandle {
  if (usage === null) return engine
  const off = engine.onEvent((event) => {
    if (event.type === 'quota-usage') usage.set(event.provider, event.snapshot)
  })
  return {
    get state() {
      return engine.state
    },
    async start() {
      await engine.start()
      engine.send({ type: 'restore-quota-usage', usage: usage.all() })
    },
    send: (command) => engine.send(command),
    onEvent: (listener) => engine.onEvent(listener),
    onState: (listener) => engine.onState(listener),
    async dispose() {
      try {
        await engine.dispose()
      } finally {
        off()
        usage.flush()
      }
    }
  }
}
