import { describe, expect, it } from 'vitest'
import { nyInstant, nyOffsetMs } from './ny-time'
import { easterSunday, isEarlyClose, isTradingDay, lastClose, nextOpen, nyseHolidays, sessionAt } from './nyse-calendar'

const at = (iso: string): number => Date.parse(iso)
const H = 3_600_000

describe('New York time', () => {
  it('switches offset exactly at the 2026 DST changes', () => {
    expect(nyOffsetMs(at('2026-03-08T06:59:59Z'))).toBe(-5 * H)
    expect(nyOffsetMs(at('2026-03-08T07:00:00Z'))).toBe(-4 * H)
    expect(nyOffsetMs(at('2026-11-01T05:59:59Z'))).toBe(-4 * H)
    expect(nyOffsetMs(at('2026-11-01T06:00:00Z'))).toBe(-5 * H)
  })

  it('turns New York wall times into instants on both sides of a switch', () => {
    expect(nyInstant(2026, 3, 6, 9 * 60 + 30)).toBe(at('2026-03-06T14:30:00Z'))
    expect(nyInstant(2026, 3, 9, 9 * 60 + 30)).toBe(at('2026-03-09T13:30:00Z'))
    expect(nyInstant(2026, 3, 8, 4 * 60)).toBe(at('2026-03-08T08:00:00Z'))
    expect(nyInstant(2026, 11, 1, 4 * 60)).toBe(at('2026-11-01T09:00:00Z'))
  })
})

describe('NYSE holidays', () => {
  it('lists 2026 by rule, Independence Day observed on Friday July 3', () => {
    expect([...nyseHolidays(2026).keys()].sort()).toEqual([
      '2026-01-01', '2026-01-19', '2026-02-16', '2026-04-03', '2026-05-25',
      '2026-06-19', '2026-07-03', '2026-09-07', '2026-11-26', '2026-12-25'
    ])
    expect(nyseHolidays(2026).get('2026-04-03')).toBe('Good Friday')
  })

  it('does not observe a Saturday New Year on Dec 31 (2022), and moves Sunday holidays to Monday', () => {
    expect(isTradingDay('2021-12-31')).toBe(true)
    expect([...nyseHolidays(2022).keys()].sort()).toEqual([
      '2022-01-17', '2022-02-21', '2022-04-15', '2022-05-30', '2022-06-20',
      '2022-07-04', '2022-09-05', '2022-11-24', '2022-12-26'
    ])
    expect(nyseHolidays(2021).has('2021-12-31')).toBe(false)
    expect(isTradingDay('2023-01-02')).toBe(false)
  })

  it('has no Juneteenth before 2022 and observes a Saturday one on Friday (2027)', () => {
    expect([...nyseHolidays(2021).values()]).not.toContain('Juneteenth')
    expect(nyseHolidays(2027).get('2027-06-18')).toBe('Juneteenth')
    expect(nyseHolidays(2027).get('2027-12-24')).toBe('Christmas Day')
    expect(nyseHolidays(2027).get('2027-07-05')).toBe('Independence Day')
  })

  it('computes Easter', () => {
    expect(['2019', '2024', '2025', '2026', '2038'].map((y) => easterSunday(Number(y)))).toEqual([
      '2019-04-21', '2024-03-31', '2025-04-20', '2026-04-05', '2038-04-25'
    ])
  })

  it('knows trading days by date or instant and refuses a malformed date', () => {
    expect(isTradingDay('2026-04-03')).toBe(false)
    expect(isTradingDay('2026-04-02')).toBe(true)
    expect(isTradingDay('2026-03-07')).toBe(false)
    // 02:00 UTC on Nov 27 is still Nov 26 (Thanksgiving) in New York.
    expect(isTradingDay(at('2026-11-27T02:00:00Z'))).toBe(false)
    expect(() => isTradingDay('2026-02-30')).toThrow(/not a calendar date/)
  })
})

describe('early closes', () => {
  it('closes at 13:00 the day after Thanksgiving, Christmas Eve and July 3 on ordinary weekdays', () => {
    expect(isEarlyClose('2026-11-27')).toBe(true)
    expect(isEarlyClose('2026-12-24')).toBe(true)
    expect(isEarlyClose('2025-07-03')).toBe(true)
    expect(isEarlyClose('2024-12-24')).toBe(true)
  })

  it('has none when that day is itself a holiday or a weekend, nor on an ordinary day', () => {
    expect(isEarlyClose('2026-07-03')).toBe(false)
    expect(isEarlyClose('2026-07-02')).toBe(false)
    expect(isEarlyClose('2027-12-24')).toBe(false)
    expect(isEarlyClose('2022-12-24')).toBe(false)
    expect(isEarlyClose('2026-03-10')).toBe(false)
  })

  it('moves the close and the post-market window on 2026-11-27', () => {
    expect(sessionAt(at('2026-11-27T17:59:00Z'))).toBe('regular') // 12:59 EST
    expect(sessionAt(at('2026-11-27T18:00:00Z'))).toBe('post') // 13:00
    expect(sessionAt(at('2026-11-27T21:59:00Z'))).toBe('post') // 16:59
    expect(sessionAt(at('2026-11-27T22:00:00Z'))).toBe('closed') // 17:00
    expect(lastClose(at('2026-11-27T20:00:00Z'))).toBe(at('2026-11-27T18:00:00Z'))
  })
})

describe('sessions', () => {
  it('runs pre 04:00, regular 09:30–16:00 and post until 20:00 New York time', () => {
    expect(sessionAt(at('2026-03-10T07:59:59Z'))).toBe('closed')
    expect(sessionAt(at('2026-03-10T08:00:00Z'))).toBe('pre')
    expect(sessionAt(at('2026-03-10T13:29:59Z'))).toBe('pre')
    expect(sessionAt(at('2026-03-10T13:30:00Z'))).toBe('regular')
    expect(sessionAt(at('2026-03-10T19:59:59Z'))).toBe('regular')
    expect(sessionAt(at('2026-03-10T20:00:00Z'))).toBe('post')
    expect(sessionAt(at('2026-03-10T23:59:59Z'))).toBe('post')
    expect(sessionAt(at('2026-03-11T00:00:00Z'))).toBe('closed')
  })

  it('is closed all day on holidays and weekends', () => {
    expect(sessionAt(at('2026-07-03T15:00:00Z'))).toBe('closed')
    expect(sessionAt(at('2026-04-03T15:00:00Z'))).toBe('closed')
    expect(sessionAt(at('2026-11-26T15:00:00Z'))).toBe('closed')
    expect(sessionAt(at('2026-03-08T15:00:00Z'))).toBe('closed')
  })

  it('opens at 14:30 UTC in winter and 13:30 UTC in summer, across both 2026 switches', () => {
    expect(sessionAt(at('2026-03-06T14:29:00Z'))).toBe('pre')
    expect(sessionAt(at('2026-03-06T14:30:00Z'))).toBe('regular')
    expect(nextOpen(at('2026-03-07T12:00:00Z'))).toBe(at('2026-03-09T13:30:00Z'))
    expect(nextOpen(at('2026-10-31T12:00:00Z'))).toBe(at('2026-11-02T14:30:00Z'))
    expect(sessionAt(at('2026-10-30T13:30:00Z'))).toBe('regular')
    expect(sessionAt(at('2026-11-02T13:30:00Z'))).toBe('pre')
  })

  it('finds the next open past holidays, during a session, and for pre-market', () => {
    expect(nextOpen(at('2026-07-02T21:00:00Z'))).toBe(at('2026-07-06T13:30:00Z'))
    expect(nextOpen(at('2026-04-02T20:30:00Z'))).toBe(at('2026-04-06T13:30:00Z'))
    expect(nextOpen(at('2026-03-10T13:30:00Z'))).toBe(at('2026-03-10T13:30:00Z'))
    expect(nextOpen(at('2026-03-10T15:00:00Z'))).toBe(at('2026-03-11T13:30:00Z'))
    expect(nextOpen(at('2026-03-07T12:00:00Z'), { extendedHours: true })).toBe(at('2026-03-09T08:00:00Z'))
  })

  it('finds the last close, regular or extended', () => {
    expect(lastClose(at('2026-03-09T12:00:00Z'))).toBe(at('2026-03-06T21:00:00Z'))
    expect(lastClose(at('2026-03-09T12:00:00Z'), { extendedHours: true })).toBe(at('2026-03-07T01:00:00Z'))
    expect(lastClose(at('2026-03-10T20:00:00Z'))).toBe(at('2026-03-10T20:00:00Z'))
  })
})
