import type { AlertCondition, EngineAlertRule } from '../../shared/alerts'

/** Condition kinds as small integers, so the per-tick switch stays cheap. */
export const KIND = {
  priceAbove: 0,
  priceBelow: 1,
  crosses: 2,
  dayChangeAbove: 3,
  dayChangeBelow: 4,
  moveWithin: 5,
  volumeAbove: 6,
  high52: 7,
  low52: 8
} as const

export const MODE = { once: 0, daily: 1, every: 2 } as const

/** +1 up, -1 down, 0 either. */
export type Direction = 1 | -1 | 0

/** A rule prepared for evaluation: numbers only on the hot path. */
export interface CompiledRule {
  readonly id: string
  readonly condition: AlertCondition
  readonly kind: number
  /** Price, percent or volume line, depending on the kind. */
  readonly line: number
  /** Where a fired level rule re-arms (fixed-line kinds only; NaN for the moving ones). */
  readonly rearmLine: number
  readonly direction: Direction
  readonly windowMs: number
  readonly mode: number
  readonly cooldownMs: number
  /** rearmPercent as a fraction of the threshold. */
  readonly band: number
  readonly expiresAt: number
  readonly snoozedUntil: number
  /** Equal signatures mean per-symbol state (armed, side) stays valid across a rule update. */
  readonly signature: string
}

const directionOf = (d: 'up' | 'down' | 'either'): Direction => (d === 'up' ? 1 : d === 'down' ? -1 : 0)

export function compileRule(rule: EngineAlertRule): CompiledRule {
  const c = rule.condition
  const band = rule.rearmPercent / 100
  // Percent thresholds re-arm by rearmPercent percentage points: a day change of X % is a price of
  // previousClose × (1 + X/100), so r points are about r % of that price, like the price rules.
  const points = rule.rearmPercent
  let kind: number
  let line = Number.NaN
  let rearmLine = Number.NaN
  let direction: Direction = 0
  let windowMs = 0
  switch (c.kind) {
    case 'price-above':
      kind = KIND.priceAbove
      line = c.price
      rearmLine = c.price * (1 - band)
      break
    case 'price-below':
      kind = KIND.priceBelow
      line = c.price
      rearmLine = c.price * (1 + band)
      break
    case 'crosses':
      kind = KIND.crosses
      line = c.price
      direction = directionOf(c.direction)
      break
    case 'day-change-above':
      kind = KIND.dayChangeAbove
      line = c.percent
      rearmLine = c.percent - points
      break
    case 'day-change-below':
      kind = KIND.dayChangeBelow
      line = c.percent
      rearmLine = c.percent + points
      break
    case 'move-within':
      kind = KIND.moveWithin
      line = c.percent
      // Never re-arm at or below zero move, or a small threshold could never fire again.
      rearmLine = c.percent - Math.min(points, c.percent / 2)
      direction = directionOf(c.direction)
      windowMs = c.windowMinutes * 60_000
      break
    case 'volume-above':
      kind = KIND.volumeAbove
      line = c.volume
      rearmLine = c.volume * (1 - band)
      break
    case 'new-52w-high':
      kind = KIND.high52
      break
    case 'new-52w-low':
      kind = KIND.low52
      break
  }
  const trigger = rule.trigger
  return {
    id: rule.id,
    condition: c,
    kind,
    line,
    rearmLine,
    direction,
    windowMs,
    mode: trigger.mode === 'once' ? MODE.once : trigger.mode === 'daily' ? MODE.daily : MODE.every,
    cooldownMs: trigger.mode === 'every' ? trigger.cooldownMinutes * 60_000 : 0,
    band,
    expiresAt: rule.expiresAt ?? Number.POSITIVE_INFINITY,
    snoozedUntil: rule.snoozedUntil ?? Number.NEGATIVE_INFINITY,
    signature: `${JSON.stringify(c)}|${rule.rearmPercent}`
  }
}

const DAY_MS = 86_400_000

/**
 * The calendar day used for "once per day" and for judging whether a day range still covers a
 * gap. UTC rather than the machine's zone: every major exchange's regular session lies inside
 * one UTC day, and crypto's daily candles use UTC as well.
 */
export function utcDay(time: number): number {
  return Math.floor(time / DAY_MS)
}
