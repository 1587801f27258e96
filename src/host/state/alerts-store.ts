import { z } from 'zod'
import { AlertRuleSchema, InboxEntrySchema, type AlertRule, type InboxEntry } from '../../shared/alerts'
import { QUOTE_FIELDS, QuoteSchema } from '../../shared/quote'
import type { KeyValueStore } from './store-backend'

export const ALERTS_STORE = 'alerts'
export const ALERTS_VERSION = 1
/** The inbox keeps the newest entries only, so a storm of alerts cannot grow the file forever. */
export const INBOX_LIMIT = 500

/** Per rule id, per symbol: when that rule last fired for that symbol. */
export type LastFired = Record<string, Record<string, number>>

export interface AlertsData {
  rules: AlertRule[]
  /** Newest first. */
  inbox: InboxEntry[]
  lastFired: LastFired
}

export interface AlertsFile extends Record<string, unknown> {
  schemaVersion: number
  rules: AlertRule[]
  inbox: InboxEntry[]
  lastFired: LastFired
}

/** The container must be right; single rules and inbox entries that fail are dropped on their own. */
export const AlertsFileSchema = z.object({
  schemaVersion: z.number().int().min(0).optional(),
  rules: z.array(z.unknown()).optional(),
  inbox: z.array(z.unknown()).optional(),
  lastFired: z.record(z.string(), z.unknown()).optional()
})

export function emptyAlerts(): AlertsData {
  return { rules: [], inbox: [], lastFired: {} }
}

export interface ReadAlertsResult {
  data: AlertsData
  droppedRules: number
  droppedEntries: number
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/** Only the fields that hold something, so defaults fill the rest. */
const present = (value: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined))

// Fields added to Quote later (e.g. the 52-week range) are nullable; an older entry lacking them is still readable.
const NULLABLE_QUOTE_DEFAULTS = Object.fromEntries(
  QUOTE_FIELDS.filter((field) => QuoteSchema.shape[field].safeParse(null).success).map((field) => [field, null])
)

/**
 * Reads a parsed alerts file field by field: missing optional fields take their defaults, single
 * unreadable rules or inbox entries are dropped and counted, never the whole file.
 */
export function readAlerts(file: z.infer<typeof AlertsFileSchema>, now: number): ReadAlertsResult {
  const rules: AlertRule[] = []
  const ids = new Set<string>()
  let droppedRules = 0
  for (const raw of file.rules ?? []) {
    const parsed = isObject(raw)
      ? AlertRuleSchema.safeParse({ createdAt: now, snoozedUntil: null, lastFiredAt: null, suspendedReason: null, ...present(raw) })
      : undefined
    if (parsed?.success && !ids.has(parsed.data.id)) {
      ids.add(parsed.data.id)
      rules.push(parsed.data)
    } else droppedRules++
  }

  const inbox: InboxEntry[] = []
  const entryIds = new Set<string>()
  let droppedEntries = 0
  for (const raw of file.inbox ?? []) {
    const parsed = isObject(raw)
      ? InboxEntrySchema.safeParse({
          occurredAt: null,
          catchUp: false,
          read: false,
          note: '',
          ...present(raw),
          quote: isObject(raw.quote) ? { ...NULLABLE_QUOTE_DEFAULTS, ...present(raw.quote) } : raw.quote
        })
      : undefined
    if (parsed?.success && !entryIds.has(parsed.data.id)) {
      entryIds.add(parsed.data.id)
      inbox.push(parsed.data)
    } else droppedEntries++
  }
  inbox.sort((a, b) => b.at - a.at)
  if (inbox.length > INBOX_LIMIT) inbox.length = INBOX_LIMIT

  // Cooldown memory for rules that no longer exist is dead weight; bad times are simply forgotten.
  const lastFired: LastFired = {}
  for (const [ruleId, bySymbol] of Object.entries(file.lastFired ?? {})) {
    if (!ids.has(ruleId) || !isObject(bySymbol)) continue
    const times: Record<string, number> = {}
    for (const [symbol, at] of Object.entries(bySymbol)) if (typeof at === 'number' && Number.isFinite(at)) times[symbol] = at
    if (Object.keys(times).length > 0) lastFired[ruleId] = times
  }
  return { data: { rules, inbox, lastFired }, droppedRules, droppedEntries }
}

/**
 * Rules, inbox and cooldown memory, held in memory and written through on every change. A failed
 * write keeps the change in memory and is reported once until a write succeeds again.
 */
export class AlertsStore {
  private state: AlertsData
  private failing = false

  constructor(
    private readonly store: KeyValueStore<AlertsFile>,
    initial: AlertsData,
    private readonly onWriteError: (error: unknown) => void
  ) {
    this.state = initial
  }

  get data(): Readonly<AlertsData> {
    return this.state
  }

  save(changes: Partial<AlertsData>): void {
    this.state = { ...this.state, ...changes }
    // After a failure every key is rewritten: the failed write may have been any of them.
    const keys = this.failing ? (['rules', 'inbox', 'lastFired'] as const) : (Object.keys(changes) as (keyof AlertsData)[])
    try {
      for (const key of keys) this.store.set(key, this.state[key])
      if (this.failing) this.store.set('schemaVersion', ALERTS_VERSION)
      this.failing = false
    } catch (error) {
      if (!this.failing) this.onWriteError(error)
      this.failing = true
    }
  }
}
