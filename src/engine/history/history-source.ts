import type { HistoryBar, HistoryRange } from '../../shared/history'
import type { ProviderId } from '../../shared/providers'

/**
 * One provider's price history. Rejects with a ProviderError (plain-words message) for anything
 * that went wrong, an unknown symbol included; resolves with bars oldest first.
 */
export interface HistorySource {
  readonly id: ProviderId
  /** Least time between two of this source's requests, so charts never crowd out quotes. */
  readonly minTimeMs: number
  /**
   * What one chart costs in the units of the provider's quote quota, for providers whose quota is
   * tight enough that charts must share it (Twelve Data); absent: charts are not charged to it.
   */
  readonly quotaCost?: number
  fetchHistory(symbol: string, range: HistoryRange, signal?: AbortSignal): Promise<HistoryBar[]>
}

const DAY_MS = 86_400_000

/** How far back each range reaches. */
export const HISTORY_RANGE_MS: Record<HistoryRange, number> = {
  '1d': DAY_MS,
  '5d': 5 * DAY_MS,
  '1mo': 31 * DAY_MS,
  '6mo': 183 * DAY_MS,
  '1y': 366 * DAY_MS,
  '5y': 5 * 366 * DAY_MS
}

/** Intraday ranges change by the minute; daily and weekly ones hardly within an hour. */
export function isIntraday(range: HistoryRange): boolean {
  return range === '1d' || range === '5d'
}

/** Bars as the contract wants them: finite prices, oldest first, one bar per start time. */
export function tidyBars(bars: readonly HistoryBar[]): HistoryBar[] {
  const byTime = new Map<number, HistoryBar>()
  for (const bar of bars) {
    if (![bar.time, bar.open, bar.high, bar.low, bar.close].every(Number.isFinite)) continue
    const volume = bar.volume !== null && Number.isFinite(bar.volume) ? bar.volume : null
    byTime.set(bar.time, { ...bar, volume })
  }
  return [...byTime.values()].sort((a, b) => a.time - b.time)
}

/**
 * Daily bars merged into weeks starting Monday 00:00 UTC, for providers without a weekly size.
 */
export function weeklyBars(daily: readonly HistoryBar[]): HistoryBar[] {
  const weeks = new Map<number, HistoryBar>()
  for (const bar of tidyBars(daily)) {
    const day = Math.floor(bar.time / DAY_MS)
    // 1970-01-01 was a Thursday: day 4 of a Monday-based week.
    const weekStart = (day - ((day + 3) % 7)) * DAY_MS
    const week = weeks.get(weekStart)
    if (week === undefined) {
      weeks.set(weekStart, { time: weekStart, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume })
      continue
    }
    week.high = Math.max(week.high, bar.high)
    week.low = Math.min(week.low, bar.low)
    week.close = bar.close
    week.volume = week.volume === null || bar.volume === null ? (week.volume ?? bar.volume) : week.volume + bar.volume
  }
  return [...weeks.values()].sort((a, b) => a.time - b.time)
}
