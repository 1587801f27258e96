import type { QuotePatch } from '@shared/quote'

/** Runs a callback on the next frame; requestAnimationFrame in the app, a fake in tests. */
export type FrameScheduler = (callback: () => void) => void

/**
 * Collects quote patches between frames and hands them over once per frame. Patches for the
 * same symbol are merged on arrival, so the queue never holds more than one entry per symbol:
 * a hidden window (where frames pause) cannot make it grow without bound.
 */
export class PatchQueue {
  private pending = new Map<string, QuotePatch>()
  private scheduled = false

  constructor(
    private readonly apply: (batch: ReadonlyMap<string, QuotePatch>) => void,
    private readonly schedule: FrameScheduler
  ) {}

  get size(): number {
    return this.pending.size
  }

  push(patches: readonly QuotePatch[]): void {
    if (patches.length === 0) return
    for (const patch of patches) {
      const queued = this.pending.get(patch.symbol)
      if (queued) Object.assign(queued, patch)
      else this.pending.set(patch.symbol, { ...patch })
    }
    if (!this.scheduled) {
      this.scheduled = true
      this.schedule(() => this.flush())
    }
  }

  /** Applies everything queued now; also what the scheduled frame calls. */
  flush(): void {
    this.scheduled = false
    if (this.pending.size === 0) return
    const batch = this.pending
    this.pending = new Map()
    this.apply(batch)
  }
}

/** requestAnimationFrame when there is one, else a ~60 Hz timer (tests, odd hosts). */
export function defaultFrameScheduler(): FrameScheduler {
  if (typeof requestAnimationFrame === 'function') return (cb) => void requestAnimationFrame(() => cb())
  return (cb) => void setTimeout(cb, 16)
}
