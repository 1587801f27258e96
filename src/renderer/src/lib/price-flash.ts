export type FlashClass = '' | 'flash-up' | 'flash-down'

export interface PriceFlashOptions {
  /** Receives the class to show: 'flash-up', 'flash-down', or '' once the flash is over. */
  onChange: (flash: FlashClass) => void
  now: () => number
  setTimer: (callback: () => void, ms: number) => unknown
  clearTimer: (handle: unknown) => void
  /** How long a price stays highlighted after its last change in the same direction. */
  durationMs?: number
}

export const FLASH_MS = 600

/**
 * The price highlight of one row. It is a plain class switched on and off, not a CSS
 * animation: with a whole screen of rows ticking several times a second, running animations
 * cost the renderer more style, layer and commit work than everything else in a frame, while
 * a class switch costs one restyle and one repaint of the price. A change in the other
 * direction switches the colour at once; more changes in the same direction keep the
 * highlight on. The timer is re-armed only when it fires, so a fast feed does not churn timers.
 */
export class PriceFlash {
  private current: FlashClass = ''
  private until = 0
  private timer: unknown = null
  private readonly durationMs: number

  constructor(private readonly options: PriceFlashOptions) {
    this.durationMs = options.durationMs ?? FLASH_MS
  }

  get flash(): FlashClass {
    return this.current
  }

  /** Call with each new price and the one it replaces. */
  update(next: number | undefined, previous: number | undefined): void {
    if (next === undefined || previous === undefined || next === previous) return
    const flash: FlashClass = next > previous ? 'flash-up' : 'flash-down'
    this.until = this.options.now() + this.durationMs
    if (flash !== this.current) {
      this.current = flash
      this.options.onChange(flash)
    }
    if (this.timer === null) this.arm(this.durationMs)
  }

  /** Stops the timer; the row is going away. */
  dispose(): void {
    if (this.timer !== null) this.options.clearTimer(this.timer)
    this.timer = null
  }

  private arm(ms: number): void {
    this.timer = this.options.setTimer(() => this.expire(), ms)
  }

  private expire(): void {
    this.timer = null
    const left = this.until - this.options.now()
    if (left > 0) {
      this.arm(left)
      return
    }
    this.current = ''
    this.options.onChange('')
  }
}
