import { z } from 'zod'
import { ProviderIdSchema, type ProviderId } from '../../shared/providers'
import type { KeyValueStore } from './store-backend'
import type { Timers } from './timers'

export const QUOTA_USAGE_STORE = 'quota-usage'
export const QUOTA_USAGE_VERSION = 1
/** Usage news arrives at most once a second per provider; a hard kill loses at most this much of it. */
export const DEFAULT_QUOTA_USAGE_WRITE_INTERVAL_MS = 2_000

/** Snapshots are the engine's own format: the host keeps them, the engine checks them when restoring. */
export type QuotaUsageByProvider = Partial<Record<ProviderId, unknown>>

export interface QuotaUsageFile extends Record<string, unknown> {
  schemaVersion: number
  byProvider: QuotaUsageByProvider
}

/** The container must be right; entries for providers this version does not know are dropped on their own. */
export const QuotaUsageFileSchema = z.object({
  schemaVersion: z.number().int().min(0),
  byProvider: z.record(z.string(), z.unknown())
})

export function readQuotaUsage(byProvider: Record<string, unknown>): { usage: QuotaUsageByProvider; dropped: number } {
  const usage: QuotaUsageByProvider = {}
  let dropped = 0
  for (const [id, snapshot] of Object.entries(byProvider)) {
    const provider = ProviderIdSchema.safeParse(id)
    if (provider.success && snapshot !== undefined && snapshot !== null) usage[provider.data] = snapshot
    else dropped++
  }
  return { usage, dropped }
}

export interface QuotaUsageStoreOptions {
  timers: Timers
  intervalMs?: number
  /** Called when a write fails; the store keeps its data and tries again on the next change. */
  onWriteError: (error: unknown) => void
}

/**
 * Each provider's latest quota usage as the engine reported it, so a restarted app cannot spend a
 * fresh daily budget. Kept in memory and written at most once per interval.
 */
export class QuotaUsageStore {
  private readonly usage: QuotaUsageByProvider
  private readonly intervalMs: number
  private timer: unknown = null
  private dirty = false
  private disposed = false

  constructor(
    private readonly store: KeyValueStore<QuotaUsageFile>,
    initial: QuotaUsageByProvider,
    private readonly options: QuotaUsageStoreOptions
  ) {
    this.usage = { ...initial }
    this.intervalMs = options.intervalMs ?? DEFAULT_QUOTA_USAGE_WRITE_INTERVAL_MS
  }

  /** A copy of every provider's snapshot, for 'restore-quota-usage'. */
  all(): QuotaUsageByProvider {
    return { ...this.usage }
  }

  set(provider: ProviderId, snapshot: unknown): void {
    this.usage[provider] = snapshot
    this.dirty = true
    if (this.timer !== null || this.disposed) return
    this.timer = this.options.timers.setTimeout(() => {
      this.timer = null
      this.write()
    }, this.intervalMs)
  }

  /** Writes now if anything changed since the last write. */
  flush(): void {
    if (this.timer !== null) {
      this.options.timers.clearTimeout(this.timer)
      this.timer = null
    }
    this.write()
  }

  dispose(): void {
    this.flush()
    this.disposed = true
  }

  private write(): void {
    if (!this.dirty) return
    this.dirty = false
    try {
      this.store.set('byProvider', { ...this.usage })
    } catch (error) {
      this.dirty = true
      this.options.onWriteError(error)
    }
  }
}
