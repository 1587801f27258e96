import { describe, expect, it } from 'vitest'
import type { HistoryBar } from '@shared/history'
import { chartSummary, livePoint, localCrosshairLabel, localTickLabel, rangeName, toPoints, trendOf } from './chart-data'

const bar = (timeSec: number, close: number): HistoryBar => ({ time: timeSec * 1000, open: close, high: close, low: close, close, volume: null })

describe('chart data', () => {
  it('maps bars to whole-second points, dropping repeated times', () => {
    expect(toPoints([bar(100, 1), bar(200, 2), bar(200, 3), bar(300.9, 4)])).toEqual([
      { time: 100, value: 1 },
      { time: 200, value: 3 },
      { time: 300, value: 4 }
    ])
  })

  it('summarises the range for screen readers with first and last price and the change', () => {
    const points = toPoints([bar(1, 180.1), bar(2, 185), bar(3, 189.84)])
    expect(chartSummary('AAPL', '1mo', points, 'USD')).toBe('AAPL, 1 month: from $180.10 to $189.84, +5.4%')
    expect(chartSummary('BTC-USD', '5d', toPoints([bar(1, 100), bar(2, 97.5)]), null)).toBe('BTC-USD, 5 days: from 100.00 to 97.50, -2.5%')
    expect(chartSummary('AAPL', '1y', [], 'USD')).toBe('AAPL, 1 year: no prices')
    expect(rangeName('5y')).toBe('5 years')
  })

  it('puts a live price on the last bar while inside it, and starts a new bar after it', () => {
    const last = { time: 1_000, value: 10 }
    // 1D bars are five minutes long.
    expect(livePoint(last, 11, 1_000_000 + 120_000, '1d')).toEqual({ time: 1_000, value: 11 })
    expect(livePoint(last, 12, (1_000 + 5 * 60 + 10) * 1000, '1d')).toEqual({ time: 1_300, value: 12 })
    expect(livePoint(last, 12, (1_000 + 17 * 60) * 1000, '1d')).toEqual({ time: 1_900, value: 12 })
    expect(livePoint(last, 12, 500_000, '1d')).toBeNull()
    expect(livePoint(undefined, 12, 2_000_000, '1d')).toBeNull()
    expect(livePoint(last, Number.NaN, 2_000_000, '1d')).toBeNull()
  })

  it('tells the trend over the range', () => {
    expect(trendOf(toPoints([bar(1, 1), bar(2, 2)]))).toBe('up')
    expect(trendOf(toPoints([bar(1, 2), bar(2, 1)]))).toBe('down')
    expect(trendOf([])).toBe('flat')
  })
})

describe('time labels in the viewer’s zone', () => {
  // 2026-03-02 14:30 UTC: the US open, 09:30 in New York and 15:30 in Berlin.
  const open = Date.UTC(2026, 2, 2, 14, 30) / 1000
  it('labels intraday ticks with the local time of day', () => {
    expect(localTickLabel(open, 3, 'en-GB', 'America/New_York')).toBe('09:30')
    expect(localTickLabel(open, 3, 'en-GB', 'Europe/Berlin')).toBe('15:30')
  })
  it('labels day, month and year ticks by the local date', () => {
    const lateEvening = Date.UTC(2026, 2, 3, 3, 0) / 1000
    expect(localTickLabel(lateEvening, 2, 'en-GB', 'America/Los_Angeles')).toBe('2 Mar')
    expect(localTickLabel(lateEvening, 2, 'en-GB', 'Asia/Tokyo')).toBe('3 Mar')
    expect(localTickLabel(open, 1, 'en-GB', 'UTC')).toBe('Mar')
    expect(localTickLabel(open, 0, 'en-GB', 'UTC')).toBe('2026')
  })
  it('gives the crosshair the date, and the time only for intraday bars', () => {
    expect(localCrosshairLabel(open, true, 'en-GB', 'America/New_York')).toBe('2 Mar, 09:30')
    expect(localCrosshairLabel(open, false, 'en-GB', 'America/New_York')).toBe('2 Mar 2026')
  })
})
