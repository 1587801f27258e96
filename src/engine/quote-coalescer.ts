import { QUOTE_FIELDS, type Quote, type QuoteField, type QuotePatch } from '../shared/quote'
import { systemTimers, type Timers } from './timers'

export const DEFAULT_FLUSH_INTERVAL_MS = 16
/**
 * Most patches handed over in one batch. A refresh of thousands of symbols otherwise becomes one
 * message of several hundred KB whose patches, serialised text and IPC copy are all alive at
 * once; in batches of this size each one is garbage before the next is built, so the engine
 * gets by with a small young generation and little of it is promoted to the old one.
 */
export const DEFAULT_MAX_BATCH_PATCHES = 500

/**
 * Field values by position in QUOTE_FIELDS. Arrays rather than objects keyed by field name: an
 * object given twenty-odd properties one keyed store at a time falls back to dictionary mode,
 * which cost about 1.5 KB per symbol and boxed every number written into it.
 */
type FieldValues = unknown[]

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
  /** Most patches per onFlush call; a larger flush is handed over in several calls, in order. */
  maxBatchPatches?: number
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
  private readonly maxBatchPatches: number

  constructor(options: QuoteCoalescerOptions) {
    this.onFlush = options.onFlush
    this.maxBatchPatches = Math.max(1, options.maxBatchPatches ?? DEFAULT_MAX_BATCH_PATCHES)
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
      entry = { symbol: quote.symbol, sent: null, latest: new Array<unknown>(FIELD_COUNT).fill(undefined), queued: false, forgotten: false }
      this.entries.set(quote.symbol, entry)
    } else if (!entry.queued && entry.sent !== null && !differs(quote, entry.sent)) {
      return false
    }
    const latest = entry.latest
    for (let i = 0; i < FIELD_COUNT; i++) latest[i] = quote[QUOTE_FIELDS[i] as QuoteField]
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
    let patches: QuotePatch[] = []
    for (let i = 0; i < queue.length; i++) {
      const entry = queue[i] as Entry
      entry.queued = false
      if (entry.forgotten) continue
      const patch = buildPatch(entry)
      if (patch === null) continue
      patches.push(patch)
      if (patches.length === this.maxBatchPatches) {
        const full = patches
        patches = []
        this.onFlush(full)
      }
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
    if (quote[QUOTE_FIELDS[i] as QuoteField] !== sent[i]) return true
  }
  return false
}

function buildPatch(entry: Entry): QuotePatch | null {
  const latest = entry.latest
  const patch: Record<string, unknown> = { symbol: entry.symbol }
  if (entry.sent === null) {
    for (let i = 0; i < FIELD_COUNT; i++) patch[QUOTE_FIELDS[i] as QuoteField] = latest[i]
    entry.sent = latest.slice()
    return patch as QuotePatch
  }
  const sent = entry.sent
  let changed = false
  for (let i = 0; i < FIELD_COUNT; i++) {
    const value = latest[i]
    if (value !== sent[i]) {
      sent[i] = value
      patch[QUOTE_FIELDS[i] as QuoteField] = value
      changed = true
    }
  }
  return changed ? (patch as QuotePatch) : null
}
