import type { QuotePatch } from '../shared/quote'

/** What the back-pressure logic needs from a socket. */
export interface QuoteSink {
  readonly bufferedAmount: number
  sendQuotes(patches: QuotePatch[]): void
}

/**
 * Quote delivery for one web client. A slow client would otherwise make its socket buffer grow
 * without limit, so while it is backed up its batches are held and merged per symbol (bounded by
 * the watched symbols, later fields win) and go out as one batch once the socket has drained,
 * which is noticed at the next batch. A re-bootstrap by the page also catches it up.
 */
export class QuoteBackpressure {
  private held = new Map<string, QuotePatch>()

  constructor(
    private readonly sink: QuoteSink,
    private readonly slowBytes: number
  ) {}

  deliver(patches: readonly QuotePatch[]): void {
    const backedUp = this.sink.bufferedAmount > this.slowBytes
    if (!backedUp && this.held.size === 0) {
      this.sink.sendQuotes([...patches])
      return
    }
    for (const patch of patches) {
      const previous = this.held.get(patch.symbol)
      this.held.set(patch.symbol, previous ? { ...previous, ...patch } : patch)
    }
    if (backedUp) return
    const merged = [...this.held.values()]
    this.held = new Map()
    this.sink.sendQuotes(merged)
  }

  get heldSymbols(): number {
    return this.held.size
  }
}
