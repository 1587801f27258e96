/** Samples kept per window: enough that the reference sample lies within ~3 % of the window's start. */
const SAMPLES_PER_WINDOW = 32

/**
 * Recent (time, price) samples for one symbol and one look-back window, in a fixed ring of
 * typed arrays. Samples closer together than window/32 are dropped, so a 1 s refresh and a
 * 24 h window still cost a few hundred bytes.
 */
export class PriceHistory {
  private readonly times: Float64Array
  private readonly prices: Float64Array
  private readonly spacingMs: number
  /** Index of the oldest sample. */
  private start = 0
  private count = 0

  constructor(readonly windowMs: number) {
    const capacity = SAMPLES_PER_WINDOW + 2
    this.times = new Float64Array(capacity)
    this.prices = new Float64Array(capacity)
    this.spacingMs = windowMs / SAMPLES_PER_WINDOW
  }

  get size(): number {
    return this.count
  }

  add(time: number, price: number): void {
    const capacity = this.times.length
    if (this.count > 0) {
      const newest = this.times[wrap(this.start + this.count - 1, capacity)]!
      // Out-of-order times would break the ordered search below.
      if (time < newest + this.spacingMs) return
    }
    if (this.count < capacity) {
      const at = wrap(this.start + this.count, capacity)
      this.times[at] = time
      this.prices[at] = price
      this.count++
      return
    }
    this.times[this.start] = time
    this.prices[this.start] = price
    this.start = wrap(this.start + 1, capacity)
  }

  /**
   * The price of the earliest sample at or after `since`, or NaN when there is none. Using the
   * earliest sample inside the window (rather than the last one before it) means a move is only
   * ever measured over at most the window, also right after a gap in the data.
   */
  priceSince(since: number): number {
    const capacity = this.times.length
    let lo = 0
    let hi = this.count
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.times[wrap(this.start + mid, capacity)]! < since) lo = mid + 1
      else hi = mid
    }
    return lo < this.count ? this.prices[wrap(this.start + lo, capacity)]! : Number.NaN
  }

  clear(): void {
    this.start = 0
    this.count = 0
  }
}

/** Index into the ring; cheaper than % for indices below twice the capacity. */
function wrap(index: number, capacity: number): number {
  return index >= capacity ? index - capacity : index
}
