import { HISTORY_BAR_SECONDS, type HistoryBar, type HistoryRange } from '@shared/history'
import { formatPrice } from './format'

/** What the range buttons say, and what the chart's summary calls each range. */
export const RANGE_BUTTONS: readonly { range: HistoryRange; label: string; name: string }[] = [
  { range: '1d', label: '1D', name: '1 day' },
  { range: '5d', label: '5D', name: '5 days' },
  { range: '1mo', label: '1M', name: '1 month' },
  { range: '6mo', label: '6M', name: '6 months' },
  { range: '1y', label: '1Y', name: '1 year' },
  { range: '5y', label: '5Y', name: '5 years' }
]

export function rangeName(range: HistoryRange): string {
  return RANGE_BUTTONS.find((b) => b.range === range)?.name ?? range
}

/** One chart point: time in whole UTC seconds, as lightweight-charts wants it. */
export interface ChartPoint {
  time: number
  value: number
}

export function toPoints(bars: readonly HistoryBar[]): ChartPoint[] {
  const points: ChartPoint[] = []
  for (const bar of bars) {
    const time = Math.floor(bar.time / 1000)
    // The chart refuses equal or falling times: keep the later bar of a pair.
    if (points.length > 0 && time <= (points.at(-1) as ChartPoint).time) points.pop()
    if (Number.isFinite(bar.close)) points.push({ time, value: bar.close })
  }
  return points
}

/**
 * Where a live price goes: onto the last point while it is still inside that bar, else a new
 * point at the start of the bar it falls in. Null for a price older than the last point.
 */
export function livePoint(last: ChartPoint | undefined, price: number, atMs: number, range: HistoryRange): ChartPoint | null {
  if (!Number.isFinite(price) || !Number.isFinite(atMs)) return null
  const at = Math.floor(atMs / 1000)
  if (last === undefined) return null
  if (at < last.time) return null
  const size = HISTORY_BAR_SECONDS[range]
  if (at < last.time + size) return { time: last.time, value: price }
  return { time: last.time + Math.floor((at - last.time) / size) * size, value: price }
}

/** "AAPL, 1 month: from $180.10 to $189.84, +5.4%" — what the chart shows, for screen readers. */
export function chartSummary(symbol: string, range: HistoryRange, points: readonly ChartPoint[], currency: string | null): string {
  const first = points[0]
  const last = points.at(-1)
  if (first === undefined || last === undefined) return `${symbol}, ${rangeName(range)}: no prices`
  const change = first.value === 0 ? null : ((last.value - first.value) / first.value) * 100
  const percent = change === null ? '' : `, ${signedOneDecimal(change)}%`
  return `${symbol}, ${rangeName(range)}: from ${formatPrice(first.value, currency)} to ${formatPrice(last.value, currency)}${percent}`
}

/** Up or down over the range, for the chart's colour. */
export function trendOf(points: readonly ChartPoint[]): 'up' | 'down' | 'flat' {
  const first = points[0]
  const last = points.at(-1)
  if (first === undefined || last === undefined || last.value === first.value) return 'flat'
  return last.value > first.value ? 'up' : 'down'
}

/** lightweight-charts' tick mark kinds: 0 year, 1 month, 2 day of month, 3 time, 4 time with seconds. */
export type TickMarkKind = 0 | 1 | 2 | 3 | 4

/**
 * Axis labels in the viewer's own time zone (the chart itself only knows UTC), so a 1D chart of a
 * US stock reads 09:30 in New York and 15:30 in Berlin, as the rest of the app does.
 */
export function localTickLabel(timeSec: number, kind: TickMarkKind, locale?: string, timeZone?: string): string {
  const date = new Date(timeSec * 1000)
  const options: Intl.DateTimeFormatOptions =
    kind === 0
      ? { year: 'numeric' }
      : kind === 1
        ? { month: 'short' }
        : kind === 2
          ? { day: 'numeric', month: 'short' }
          : kind === 3
            ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
            : { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }
  return new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(date)
}

/** The crosshair's time label, in the viewer's time zone; the time of day only for intraday bars. */
export function localCrosshairLabel(timeSec: number, intraday: boolean, locale?: string, timeZone?: string): string {
  const options: Intl.DateTimeFormatOptions = intraday
    ? { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
    : { day: 'numeric', month: 'short', year: 'numeric' }
  return new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(new Date(timeSec * 1000))
}

function signedOneDecimal(value: number): string {
  const rounded = Math.round(value * 10) / 10
  if (rounded === 0) return '0.0'
  return `${rounded > 0 ? '+' : '-'}${Math.abs(rounded).toFixed(1)}`
}
