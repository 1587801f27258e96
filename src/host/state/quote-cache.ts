import { z } from 'zod'
import { QuoteSchema, type Quote } from '../../shared/quote'
import type { KeyValueStore } from './store-backend'
import type { Timers } from './timers'

export const QUOTE_CACHE_STORE = 'quote-cache'
export const QUOTE_CACHE_VERSION = 1
/** A hard kill loses at most about two windows of price history. */
export const DEFAULT_CACHE_WRITE_INTERVAL_MS = 5_000

export interface QuoteCacheFile extends Record<string, unknown> {
  schemaVersion: number
  quotes: Record<string, Quote>
}

/** The container must be right; single entries that fail are dropped on their own. */
export const QuoteCacheFileSchema = z.object({
  schemaVersion: z.number().int().min(0),
  quotes: z.record(z.string(), z.unknown())
})

export function emptyQuoteCache(): QuoteCacheFile {
  return { schemaVersion: QUOTE_CACHE_VERSION, quotes: {} }
}

/** Validates entries one by one; returns the usable quotes and how many were dropped. */
export function readCachedQuotes(quotes: Record<string, unknown>): { quotes: Map<string, Quote>; dropped: number } {
  const result = new Map<string, Quote>()
  let dropped = 0
  for (const [symbol, value] of Object.entries(quotes)) {
    const parsed = QuoteSchema.safeParse(value)
    if (parsed.success && parsed.data.symbol === symbol) result.set(symbol, parsed.data)
    else dropped++
  }
  return { quotes: result, dropped }
}

export interface QuoteCacheOptions {
  timers: Timers
  intervalMs?: number
  /** Called when a write fails; the cache keeps its data and tries again on the next change. */
  onWriteError: (error: unknown) => void
}

/**
 * Last-known quote per symbol, kept in memory and written to its own file at most once per
 * interval. Callers may mutate a quote they got from here in place and then call markDirty().
 */
export class QuoteCache {
  private readonly quotes: Map<string, Quote>
  private readonly intervalMs: number
  private timer: unknown = null
  private dirty = false
  private disposed = false

  constructor(
    private readonly store: KeyValueStore<QuoteCacheFile>,
    initial: Map<string, Quote>,
    private readonly options: QuoteCacheOptions
  ) {
    this.quotes = initial
    this.intervalMs = options.intervalMs ?? DEFAULT_CACHE_WRITE_INTERVAL_MS
  }

  get size(): number {
    return this.quotes.size
  }

  get(symbol: string): Quote | undefined {
    return this.quotes.get(symbol)
  }

  set(quote: Quote): void {
    this.quotes.set(quote.symbol, quote)
    this.markDirty()
  }

  /** Keeps only these symbols (the ones in some watchlist), so the file cannot grow forever. */
  retain(symbols: ReadonlySet<string>): void {
    let changed = false
    for (const symbol of this.quotes.keys()) {
      if (!symbols.has(symbol)) {
        this.quotes.delete(symbol)
        changed = true
      }
    }
    if (changed) this.markDirty()
  }

  markDirty(): void {
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
      this.store.set('quotes', Object.fromEntries(this.quotes))
    } catch (error) {
      this.dirty = true
      this.options.onWriteError(error)
    }
  }
}
