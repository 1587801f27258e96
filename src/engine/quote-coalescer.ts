import { QUOTE_FIELDS, type Quote, type QuoteField, type QuotePatch } from '../shared/quote'
import { systemTimers, type Timers } from './timers'

export const DEFAULT_FLUSH_INTERVAL_MS = 16

type FieldValues = Record<QuoteField, unknown>

interface Entry {
  readonly symbol: string
  /** Field values as of the last flush; null until the symbol has been sent once. */
  sent: FieldValues | null
  /** Latest pushed values, owned here so providers may reuse their quote objects. */
  readonly latest: FieldValues
  queued: boolean
  forgotten: boolean
}

export interface QuoteCoalescerOptions {
  onFlush(patches: QuotePatch[]): void
  flushIntervalMs?: number
  timers?: Timers
}

const FIELD_COUNT = QUOTE_FIELDS.length

/**
 * Change detection and coalescing between the providers and the host. Every push is compared
 * with what was last sent; only changed fields reach the next batch, several pushes for one
 * symbol merge into one patch, and batches go out at most once per flush interval.
 */
export class QuoteCoalescer {
  private readonly entries = new Map<string, Entry>()
  private queue: Entry[] = []
  private timer: unknown = null
  private flushIntervalMs: number
  private readonly timers: Timers
  private readonly onFlush: (patches: QuotePatch[]) => void

  constructor(options: QuoteCoalescerOptions) {
    this.onFlush = options.onFlush
    this.flushIntervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS
    this.timers = options.timers ?? systemTimers
  }

  setFlushInterval(ms: number): void {
    this.flushIntervalMs = ms
  }

  /** Records a quote; returns true when it changed anything that will be sent. */
  push(quote: Quote): boolean {
    let entry = this.entries.get(quote.symbol)
    if (entry === undefined) {
      entry = { symbol: quote.symbol, sent: null, latest: {} as FieldValues, queued: false, forgotten: false }
      this.entries.set(quote.symbol, entry)
    } else if (!entry.queued && entry.sent !== null && !differs(quote, entry.sent)) {
      return false
    }
    const latest = entry.latest
    for (let i = 0; i < FIELD_COUNT; i++) {
      const field = QUOTE_FIELDS[i] as QuoteField
      latest[field] = quote[field]
    }
    if (!entry.queued) {
      entry.queued = true
      this.queue.push(entry)
      this.schedule()
    }
    return true
  }

  /** Stops tracking a symbol nobody shows any more; a later push starts from a full patch. */
  forget(symbol: string): void {
    const entry = this.entries.get(symbol)
    if (entry === undefined) return
    entry.forgotten = true
    this.entries.delete(symbol)
  }

  /** Sends whatever is pending right away (used before shutting down). */
  flush(): void {
    if (this.timer !== null) {
      this.timers.clearTimeout(this.timer)
      this.timer = null
    }
    const queue = this.queue
    if (queue.length === 0) return
    this.queue = []
    const patches: QuotePatch[] = []
    for (let i = 0; i < queue.length; i++) {
      const entry = queue[i] as Entry
      entry.queued = false
      if (entry.forgotten) continue
      const patch = buildPatch(entry)
      if (patch !== null) patches.push(patch)
    }
    if (patches.length > 0) this.onFlush(patches)
  }

  /** Drops pending work and the timer; nothing is flushed afterwards. */
  dispose(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer)
    this.timer = null
    this.queue = []
    this.entries.clear()
  }

  private schedule(): void {
    if (this.timer !== null) return
    this.timer = this.timers.setTimeout(() => {
      this.timer = null
      this.flush()
    }, this.flushIntervalMs)
  }
}

function differs(quote: Quote, sent: FieldValues): boolean {
  for (let i = 0; i < FIELD_COUNT; i++) {
    const field = QUOTE_FIELDS[i] as QuoteField
    if (quote[field] !== sent[field]) return true
  }
  return false
}

function buildPatch(entry: Entry): QuotePatch | null {
  const latest = entry.latest
  const patch: Record<string, unknown> = { symbol: entry.symbol }
  if (entry.sent === null) {
    const sent = {} as FieldValues
    for (let i = 0; i < FIELD_COUNT; i++) {
      const field = QUOTE_FIELDS[i] as QuoteField
      const value = latest[field]
      sent[field] = value
      patch[field] = value
    }
    entry.sent = sent
    return patch as QuotePatch
  }
  const sent = entry.sent
  let changed = false
  for (let i = 0; i < FIELD_COUNT; i++) {
    const field = QUOTE_FIELDS[i] as QuoteField
    const value = latest[field]
    if (value !== sent[field]) {
      sent[field] = value
      patch[field] = value
      changed = true
    }
  }
  return changed ? (patch as QuotePatch) : null
}
