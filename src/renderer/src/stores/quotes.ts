import { defineStore } from 'pinia'
import { shallowRef, type ShallowRef } from 'vue'
import type { Quote, QuotePatch, SymbolError } from '@shared/quote'
import { defaultFrameScheduler, PatchQueue, type FrameScheduler } from '../lib/patch-queue'
import { mergeQuote } from '../lib/quote-merge'

/**
 * Quotes live in a plain Map of per-symbol shallowRefs, not in reactive state: a tick for one
 * symbol re-renders only the row reading that ref, and nothing walks or proxies the whole map.
 * Incoming patches are queued and applied once per animation frame.
 */
export const useQuotesStore = defineStore('quotes', () => {
  const quotes = new Map<string, ShallowRef<Quote | null>>()
  const errors = new Map<string, ShallowRef<string | null>>()
  let schedule: FrameScheduler = defaultFrameScheduler()
  let now: () => number = () => Date.now()
  const queue = new PatchQueue(applyBatch, (callback) => schedule(callback))
  /** Bumped once per applied frame; handy for "last update" displays and tests. */
  const frames = shallowRef(0)

  function configure(options: { schedule?: FrameScheduler; now?: () => number }): void {
    if (options.schedule) schedule = options.schedule
    if (options.now) now = options.now
  }

  function quoteRef(symbol: string): ShallowRef<Quote | null> {
    let ref = quotes.get(symbol)
    if (!ref) {
      ref = shallowRef<Quote | null>(null)
      quotes.set(symbol, ref)
    }
    return ref
  }

  function errorRef(symbol: string): ShallowRef<string | null> {
    let ref = errors.get(symbol)
    if (!ref) {
      ref = shallowRef<string | null>(null)
      errors.set(symbol, ref)
    }
    return ref
  }

  function applyBatch(batch: ReadonlyMap<string, QuotePatch>): void {
    const at = now()
    for (const [symbol, patch] of batch) {
      const ref = quoteRef(symbol)
      const merged = mergeQuote(ref.value, patch, at)
      if (merged) ref.value = merged
    }
    frames.value++
  }

  /** Queues a batch from the host; it shows on the next frame. */
  function enqueue(patches: readonly QuotePatch[]): void {
    queue.push(patches)
  }

  /** Applies queued patches now instead of waiting for the frame. */
  function flush(): void {
    queue.flush()
  }

  /** Last-known quotes from bootstrap; symbols not mentioned keep what they had. */
  function load(list: readonly Quote[]): void {
    for (const quote of list) quoteRef(quote.symbol).value = quote
  }

  function setErrors(list: readonly SymbolError[]): void {
    for (const { symbol, message } of list) {
      if (message !== null || errors.has(symbol)) errorRef(symbol).value = message
    }
  }

  /** Bootstrap carries the full set of current errors: anything absent has cleared. */
  function replaceErrors(list: readonly SymbolError[]): void {
    const present = new Set(list.map((e) => e.symbol))
    for (const [symbol, ref] of errors) if (!present.has(symbol)) ref.value = null
    setErrors(list)
  }

  return { frames, configure, quoteRef, errorRef, enqueue, flush, load, setErrors, replaceErrors }
})
