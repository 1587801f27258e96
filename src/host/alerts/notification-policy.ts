import type { AppNotification, NotificationSettings } from '../../shared/ipc/contract'
import type { Timers } from '../state/timers'

/** One fired alert as the policy sees it. */
export interface PolicyFiring {
  symbol: string
  /** e.g. "AAPL above 200.00" */
  title: string
  /** The engine's message plus the rule's note. */
  body: string
}

export interface NotificationPolicyOptions {
  now: () => number
  timers: Timers
  /** Read on every decision, so a settings change applies at once. */
  settings: () => NotificationSettings
  deliver: (notification: AppNotification) => void
  /** Minutes since local midnight at a time; defaults to this machine's time zone. */
  localMinutes?: (at: number) => number
  /** More firings than this within burstWindowMs become one summary. */
  burstLimit?: number
  burstWindowMs?: number
  /** How long a burst is gathered before its summary goes out. */
  summaryDelayMs?: number
}

export const DEFAULT_BURST_LIMIT = 3
export const DEFAULT_BURST_WINDOW_MS = 60_000
export const DEFAULT_SUMMARY_DELAY_MS = 5_000
const SUMMARY_SYMBOLS = 4
const SUMMARY_LINES = 3

export function parseClockTime(text: string): number {
  const [hours, minutes] = text.split(':').map(Number)
  return (hours ?? 0) * 60 + (minutes ?? 0)
}

/**
 * Whether `minutes` (since local midnight) falls in the quiet window [start, end). A window whose
 * end is before its start runs across midnight (22:00–07:00). Equal start and end means no quiet time.
 */
export function isQuietTime(quietHours: NotificationSettings['quietHours'], minutes: number): boolean {
  if (!quietHours.enabled) return false
  const start = parseClockTime(quietHours.start)
  const end = parseClockTime(quietHours.end)
  if (start === end) return false
  return start < end ? minutes >= start && minutes < end : minutes >= start || minutes < end
}

export function localClockMinutes(at: number): number {
  const date = new Date(at)
  return date.getHours() * 60 + date.getMinutes()
}

/** A clock for a fixed UTC offset (minutes east of UTC), for tests and for an explicit time zone. */
export function offsetClockMinutes(offsetMinutes: number): (at: number) => number {
  return (at) => (((Math.floor(at / 60_000) + offsetMinutes) % 1440) + 1440) % 1440
}

export function singleNotification(firing: PolicyFiring, sound: boolean): AppNotification {
  return { title: firing.title, body: firing.body, symbol: firing.symbol, sound }
}

export function summaryNotification(firings: readonly PolicyFiring[], sound: boolean): AppNotification {
  const symbols = [...new Set(firings.map((f) => f.symbol))]
  const shown = symbols.slice(0, SUMMARY_SYMBOLS).join(', ')
  const title = `${firings.length} alerts: ${shown}${symbols.length > SUMMARY_SYMBOLS ? ', …' : ''}`
  const lines = firings.slice(0, SUMMARY_LINES).map((f) => f.title)
  const rest = firings.length - lines.length
  if (rest > 0) lines.push(`and ${rest} more in the alert inbox`)
  return { title, body: lines.join('\n'), symbol: null, sound }
}

/**
 * Decides which fired alerts become desktop notifications. Off → none; quiet hours → none (the
 * inbox and in-app toasts are not affected; that is the host's job). Up to `burstLimit` firings
 * within a minute each get their own notification; beyond that they are gathered for a short
 * while and shown as one summary, at most one summary per window while the burst lasts.
 */
export class NotificationPolicy {
  private readonly localMinutes: (at: number) => number
  private readonly burstLimit: number
  private readonly burstWindowMs: number
  private readonly summaryDelayMs: number
  private recent: number[] = []
  private pending: PolicyFiring[] | null = null
  private timer: unknown = null
  private lastSummaryAt = Number.NEGATIVE_INFINITY

  constructor(private readonly options: NotificationPolicyOptions) {
    this.localMinutes = options.localMinutes ?? localClockMinutes
    this.burstLimit = options.burstLimit ?? DEFAULT_BURST_LIMIT
    this.burstWindowMs = options.burstWindowMs ?? DEFAULT_BURST_WINDOW_MS
    this.summaryDelayMs = options.summaryDelayMs ?? DEFAULT_SUMMARY_DELAY_MS
  }

  notify(firing: PolicyFiring): void {
    if (!this.allowed()) return
    const now = this.options.now()
    this.recent = this.recent.filter((at) => at > now - this.burstWindowMs)
    this.recent.push(now)
    if (this.pending !== null) {
      this.pending.push(firing)
      return
    }
    if (this.recent.length <= this.burstLimit) {
      this.options.deliver(singleNotification(firing, this.options.settings().sound))
      return
    }
    this.pending = [firing]
    const delay = Math.max(this.summaryDelayMs, this.lastSummaryAt + this.burstWindowMs - now)
    this.timer = this.options.timers.setTimeout(() => this.flush(), delay)
  }

  /** Drops a pending summary and its timer. */
  dispose(): void {
    if (this.timer !== null) this.options.timers.clearTimeout(this.timer)
    this.timer = null
    this.pending = null
  }

  private flush(): void {
    this.timer = null
    const held = this.pending ?? []
    this.pending = null
    if (held.length === 0 || !this.allowed()) return
    this.lastSummaryAt = this.options.now()
    const { sound } = this.options.settings()
    this.options.deliver(held.length === 1 ? singleNotification(held[0]!, sound) : summaryNotification(held, sound))
  }

  private allowed(): boolean {
    const settings = this.options.settings()
    return settings.enabled && !isQuietTime(settings.quietHours, this.localMinutes(this.options.now()))
  }
}
