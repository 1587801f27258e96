import type { ProviderId } from '../../shared/providers'
import type { Timers } from '../timers'
import type { QuotaUsageSnapshot } from './quota-usage'

/** The host writes usage to disk; every request is too often, every 10 s loses little on a crash. */
export const QUOTA_USAGE_MIN_GAP_MS = 10_000

export interface UsageReporterOptions {
  now(): number
  timers: Timers
  minGapMs?: number
  emit(provider: ProviderId, snapshot: QuotaUsageSnapshot): void
}

interface Entry {
  /** Reads the provider's usage as it is when the report goes out. */
  read: () => QuotaUsageSnapshot | null
  sentAt: number
  sentKey: string | null
  timer: unknown
}

/**
 * Reports each provider's quota usage at most once per gap: the first change goes out at once,
 * later ones on the trailing edge, reading the usage as it is then, so the last change is never lost.
 */
export class UsageReporter {
  private readonly entries = new Map<ProviderId, Entry>()
  private readonly minGapMs: number
  private disposed = false

  constructor(private readonly options: UsageReporterOptions) {
    this.minGapMs = options.minGapMs ?? QUOTA_USAGE_MIN_GAP_MS
  }

  /** The provider's usage may have changed; `read` gives it when the report is due. */
  changed(provider: ProviderId, read: () => QuotaUsageSnapshot | null): void {
    if (this.disposed) return
    let entry = this.entries.get(provider)
    if (entry === undefined) {
      entry = { read, sentAt: -Infinity, sentKey: null, timer: null }
      this.entries.set(provider, entry)
    }
    entry.read = read
    if (entry.timer !== null) return
    const wait = entry.sentAt + this.minGapMs - this.options.now()
    if (wait <= 0) {
      this.send(provider, entry, false)
      return
    }
    const due = entry
    entry.timer = this.options.timers.setTimeout(() => {
      due.timer = null
      if (!this.disposed) this.send(provider, due, false)
    }, wait)
  }

  /**
   * Last reports before the engine stops: `finals` (every open quota-limited lane) always go out;
   * a report still waiting for another provider goes out now.
   */
  dispose(finals: ReadonlyMap<ProviderId, QuotaUsageSnapshot>): void {
    if (this.disposed) return
    this.disposed = true
    for (const [provider, entry] of this.entries) {
      if (entry.timer !== null) this.options.timers.clearTimeout(entry.timer)
      entry.timer = null
      if (!finals.has(provider)) this.send(provider, entry, false)
    }
    for (const [provider, snapshot] of finals) {
      this.send(provider, { read: () => snapshot, sentAt: -Infinity, sentKey: null, timer: null }, true)
    }
  }

  private send(provider: ProviderId, entry: Entry, always: boolean): void {
    let snapshot: QuotaUsageSnapshot | null
    try {
      snapshot = entry.read()
    } catch {
      return
    }
    if (snapshot === null) return
    const key = `${snapshot.day}|${snapshot.dayUsed}|${snapshot.lastRequestAt}|${snapshot.recent.length}|${snapshot.recent.at(-1)?.[0] ?? ''}`
    if (!always && key === entry.sentKey) return
    entry.sentKey = key
    entry.sentAt = this.options.now()
    this.options.emit(provider, snapshot)
  }
}
