/**
 * The adapter's own count of the calls it made, in sliding windows (60 a minute, 30 a second).
 * The scheduler spaces quote requests, but profile lookups, searches and directory downloads
 * also cost quota; counting every call here keeps the sum inside the plan instead of finding
 * out from a 429. Optional lookups use tryTake with a reserve so they only spend spare quota.
 */
export interface BudgetWindow {
  limit: number
  ms: number
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>

export class RequestBudget {
  private stamps: number[] = []

  constructor(
    private readonly windows: readonly BudgetWindow[],
    private readonly now: () => number,
    private readonly sleep: Sleep
  ) {}

  /** Milliseconds until a call may go out leaving `reserve` calls of every window unused; 0 means now. */
  waitMs(reserve = 0): number {
    const now = this.now()
    const longest = Math.max(...this.windows.map((w) => w.ms))
    this.stamps = this.stamps.filter((t) => t > now - longest)
    let wait = 0
    for (const window of this.windows) {
      const recent = this.stamps.filter((t) => t > now - window.ms)
      const allowed = Math.max(1, window.limit - reserve)
      if (recent.length < allowed) continue
      const oldestToExpire = recent[recent.length - allowed] as number
      wait = Math.max(wait, oldestToExpire + window.ms - now)
    }
    return Math.max(0, wait)
  }

  /** Takes a slot only if one is free now with `reserve` to spare. */
  tryTake(reserve = 0): boolean {
    if (this.waitMs(reserve) > 0) return false
    this.stamps.push(this.now())
    return true
  }

  /** Waits for a free slot and takes it. Rejects only when `signal` aborts the wait. */
  async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const wait = this.waitMs()
      if (wait === 0) {
        this.stamps.push(this.now())
        return
      }
      await this.sleep(wait, signal)
    }
  }

  /** Calls counted in the last `ms`. */
  used(ms: number): number {
    const now = this.now()
    return this.stamps.filter((t) => t > now - ms).length
  }
}

/** setTimeout as a promise that an AbortSignal can cut short. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
