import type { Timers } from '../timers'

/** What a queued job got: its value, or `superseded` when a newer job took its place first. */
export type GateOutcome<T> = { kind: 'done'; value: T } | { kind: 'superseded' }

interface Waiting {
  run: () => Promise<unknown>
  settle: (outcome: GateOutcome<unknown>) => void
  fail: (error: unknown) => void
}

/**
 * One provider's search traffic: at most one request on the wire, starts at least `minTimeMs`
 * apart, and at most one waiting behind it. A newer search replaces the waiting one, because by
 * then the user has typed on and the older answer would be thrown away anyway.
 */
export class SourceGate {
  private busy = false
  private waiting: Waiting | null = null
  private lastStart = Number.NEGATIVE_INFINITY
  private spacingTimer: unknown = null

  constructor(
    private readonly minTimeMs: number,
    private readonly timers: Timers,
    private readonly now: () => number
  ) {}

  get inFlight(): boolean {
    return this.busy
  }

  run<T>(job: () => Promise<T>): Promise<GateOutcome<T>> {
    return new Promise<GateOutcome<T>>((resolve, reject) => {
      this.waiting?.settle({ kind: 'superseded' })
      this.waiting = { run: job, settle: resolve as (outcome: GateOutcome<unknown>) => void, fail: reject }
      this.pump()
    })
  }

  /** Drops a job that has not started (its caller gave up); returns whether it was waiting. */
  cancelWaiting(job: () => Promise<unknown>): boolean {
    if (this.waiting?.run !== job) return false
    this.waiting.settle({ kind: 'superseded' })
    this.waiting = null
    return true
  }

  dispose(): void {
    if (this.spacingTimer !== null) this.timers.clearTimeout(this.spacingTimer)
    this.spacingTimer = null
    this.waiting?.settle({ kind: 'superseded' })
    this.waiting = null
  }

  private pump(): void {
    if (this.busy || this.waiting === null || this.spacingTimer !== null) return
    const wait = this.lastStart + this.minTimeMs - this.now()
    if (wait > 0) {
      this.spacingTimer = this.timers.setTimeout(() => {
        this.spacingTimer = null
        this.pump()
      }, wait)
      return
    }
    const next = this.waiting
    this.waiting = null
    this.busy = true
    this.lastStart = this.now()
    let promise: Promise<unknown>
    try {
      promise = next.run()
    } catch (error) {
      promise = Promise.reject(error)
    }
    promise
      .then(
        (value) => next.settle({ kind: 'done', value }),
        (error: unknown) => next.fail(error)
      )
      .finally(() => {
        this.busy = false
        this.pump()
      })
  }
}
