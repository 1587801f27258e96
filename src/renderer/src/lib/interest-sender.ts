/** What this page shows: the active list's symbols and, once the table knows, the rows on screen. */
export interface Interest {
  symbols: readonly string[]
  visible: readonly string[] | null
}

export interface InterestSenderOptions {
  send: (interest: Interest) => Promise<void>
  now: () => number
  setTimer: (callback: () => void, ms: number) => unknown
  clearTimer: (handle: unknown) => void
  /** Least time between two sends caused by scrolling alone. */
  minIntervalMs?: number
}

const keyOf = (interest: Interest): string => `${interest.symbols.join('\n')}|${interest.visible?.join('\n') ?? '*'}`

/**
 * Sends the interest set to the host without flooding it. A change of symbols goes out at once
 * (the engine must start fetching them); a change of only the visible rows, which scrolling
 * produces many times a second, goes out at most once per interval, carrying the latest rows.
 * Nothing is sent when the set is the one last sent.
 */
export class InterestSender {
  private readonly minIntervalMs: number
  private latest: Interest | null = null
  private sentKey: string | null = null
  private sentSymbolsKey: string | null = null
  private lastSentAt = Number.NEGATIVE_INFINITY
  /** The last set sent had no visible rows (the table had not measured yet). */
  private sentVisibleUnknown = true
  private timer: unknown = null

  constructor(private readonly options: InterestSenderOptions) {
    this.minIntervalMs = options.minIntervalMs ?? 250
  }

  update(interest: Interest): void {
    this.latest = { symbols: [...interest.symbols], visible: interest.visible === null ? null : [...interest.visible] }
    if (keyOf(this.latest) === this.sentKey) {
      this.cancelTimer()
      return
    }
    const symbolsChanged = this.latest.symbols.join('\n') !== this.sentSymbolsKey
    // The table's first measurement narrows "every row" down to the rows on screen: no reason to wait.
    const firstMeasure = this.latest.visible !== null && this.sentVisibleUnknown
    const wait = this.lastSentAt + this.minIntervalMs - this.options.now()
    if (symbolsChanged || firstMeasure || wait <= 0) {
      this.flush()
    } else if (this.timer === null) {
      this.timer = this.options.setTimer(() => {
        this.timer = null
        this.flush()
      }, wait)
    }
  }

  /** Forgets what was sent (the host dropped it, e.g. after a reconnect) so the next update goes out. */
  reset(): void {
    this.cancelTimer()
    this.sentKey = null
    this.sentSymbolsKey = null
    this.sentVisibleUnknown = true
    this.lastSentAt = Number.NEGATIVE_INFINITY
  }

  /** Sends the latest interest again if it has not been sent (after reset). */
  resend(): void {
    if (this.latest) this.update(this.latest)
  }

  dispose(): void {
    this.cancelTimer()
    this.latest = null
  }

  private flush(): void {
    this.cancelTimer()
    const interest = this.latest
    if (!interest) return
    const key = keyOf(interest)
    if (key === this.sentKey) return
    this.sentKey = key
    this.sentSymbolsKey = interest.symbols.join('\n')
    this.sentVisibleUnknown = interest.visible === null
    this.lastSentAt = this.options.now()
    this.options.send(interest).catch(() => {
      // Not delivered: forget it so the same set is sent again on the next update or resend.
      if (this.sentKey === key) {
        this.sentKey = null
        this.sentSymbolsKey = null
      }
    })
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.options.clearTimer(this.timer)
    this.timer = null
  }
}
