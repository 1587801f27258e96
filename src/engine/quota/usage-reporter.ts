import type { ProviderId } from '../../shared/providers'
import type { Timers } from '../timers'
import type { QuotaUsageSnapshot } from './quota-usage'

/** The host writes usage to disk; every request is too often, every 10 s loses little on a crash. */
export const QUOTA_USAGE_MIN_GAP_MS = 10_000

/**
 * A day's usage crossing each of these fractions of the daily limit is reported at once, so a crash
 * can lose at most this share of a day's budget (a restart would otherwise spend it again).
 */
export const QUOTA_USAGE_DAY_STEP = 0.05

/** Daily limits this small are reported on every request: one lost request is a real share. */
export const QUOTA_USAGE_EVERY_REQUEST_PER_DAY = 100

/** The size of a reporting step in a day of `perDay` units. */
export function dayStep(perDay: number): number {
  return perDay <= QUOTA_USAGE_EVERY_REQUEST_PER_DAY ? 1 : perDay * QUOTA_USAGE_DAY_STEP
}

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
  /** The provider's daily limit, if it has one. */
  perDay: number | null
  /** The day and the step of the daily limit the last report was in. */
  sentStep: string | null
  timer: unknown
}

/**
 * Reports each provider's quota usage at most once per gap: the first change goes out at once,
 * later ones on the trailing edge, reading the usage as it is then, so the last change is never lost.
 * With a daily limit, usage entering the next step of it (see dayStep) goes out at once as well.
 */
export class UsageReporter {
  private readonly entries = new Map<ProviderId, Entry>()
  private readonly minGapMs: number
  private disposed = false

  constructor(private readonly options: UsageReporterOptions) {
    this.minGapMs = options.minGapMs ?? QUOTA_USAGE_MIN_GAP_MS
  }

  /**
   * The provider's usage may have changed; `read` gives it when the report is due. `perDay`: the
   * provider's daily limit, if it has one.
   */
  changed(provider: ProviderId, read: () => QuotaUsageSnapshot | null, perDay: number | null = null): void {
    if (this.disposed) return
    let entry = this.entries.get(provider)
    if (entry === undefined) {
      entry = { read, sentAt: -Infinity, sentKey: null, perDay, sentStep: null, timer: null }
      this.entries.set(provider, entry)
    }
    entry.read = read
    entry.perDay = perDay !== null && perDay > 0 ? perDay : null
    if (this.enteredStep(entry)) {
      if (entry.timer !== null) this.options.timers.clearTimeout(entry.timer)
      entry.timer = null
      this.send(provider, entry, false)
      return
    }
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
      this.send(provider, { read: () => snapshot, sentAt: -Infinity, sentKey: null, perDay: null, sentStep: null, timer: null }, true)
    }
  }

  private send(provider: ProviderId, entry: Entry, always: boolean): void {
    const snapshot = this.read(entry)
    if (snapshot === null) return
    const key = `${snapshot.day}|${snapshot.dayUsed}|${snapshot.lastRequestAt}|${snapshot.recent.length}|${snapshot.recent.at(-1)?.[0] ?? ''}`
    if (!always && key === entry.sentKey) return
    entry.sentKey = key
    if (entry.perDay !== null) entry.sentStep = stepOf(snapshot, entry.perDay)
    entry.sentAt = this.options.now()
    this.options.emit(provider, snapshot)
  }

  /** Whether the usage now is in another day or step of the daily limit than the last report. */
  private enteredStep(entry: Entry): boolean {
    if (entry.perDay === null) return false
    const snapshot = this.read(entry)
    return snapshot !== null && stepOf(snapshot, entry.perDay) !== entry.sentStep
  }

  private read(entry: Entry): QuotaUsageSnapshot | null {
    try {
      return entry.read()
    } catch {
      return null
    }
  }
}

function stepOf(snapshot: QuotaUsageSnapshot, perDay: number): string {
  return `${snapshot.day}|${Math.floor(snapshot.dayUsed / dayStep(perDay))}`
}
