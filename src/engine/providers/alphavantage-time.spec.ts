import { describe, expect, it } from 'vitest'
import { avNumber, avSignal } from './alphavantage-replies'
import { csvRecords } from './alphavantage-listing'
import { easternDate, nextUtcMidnight, parseEasternDateTime, usSessionAt } from './alphavantage-time'

describe('US/Eastern times from Alpha Vantage', () => {
  it('reads naive times in winter (UTC-5) and summer (UTC-4)', () => {
    expect(parseEasternDateTime('2026-01-02 19:55:00')).toBe(Date.UTC(2026, 0, 3, 0, 55))
    expect(parseEasternDateTime('2026-07-01 09:30')).toBe(Date.UTC(2026, 6, 1, 13, 30))
    expect(parseEasternDateTime('2026-07-01 09:30:00.25')).toBe(Date.UTC(2026, 6, 1, 13, 30, 0, 250))
    expect(parseEasternDateTime('2026-01-02')).toBe(Date.UTC(2026, 0, 2, 5))
  })

  it('lands right on both sides of a daylight-saving switch', () => {
    // 2026-03-08 02:00 EST → 03:00 EDT
    expect(parseEasternDateTime('2026-03-08 01:59:00')).toBe(Date.UTC(2026, 2, 8, 6, 59))
    expect(parseEasternDateTime('2026-03-08 03:00:00')).toBe(Date.UTC(2026, 2, 8, 7, 0))
    expect(parseEasternDateTime('2026-11-01 12:00:00')).toBe(Date.UTC(2026, 10, 1, 17, 0))
  })

  it('refuses what is not a date', () => {
    expect(parseEasternDateTime('2026-02-30')).toBeNull()
    expect(parseEasternDateTime('yesterday')).toBeNull()
    expect(parseEasternDateTime('2026-01-02 25:00')).toBeNull()
  })

  it('tells the session by the New York clock and finds the next UTC midnight', () => {
    expect(usSessionAt(Date.UTC(2026, 0, 6, 12, 0))).toBe('pre') // 07:00
    expect(usSessionAt(Date.UTC(2026, 0, 6, 14, 30))).toBe('regular') // 09:30
    expect(usSessionAt(Date.UTC(2026, 0, 6, 21, 0))).toBe('post') // 16:00
    expect(usSessionAt(Date.UTC(2026, 0, 7, 1, 0))).toBe('closed') // 20:00
    expect(usSessionAt(Date.UTC(2026, 0, 10, 16, 0))).toBe('closed') // Saturday
    expect(easternDate(Date.UTC(2026, 0, 7, 3, 0))).toBe('2026-01-06')
    expect(nextUtcMidnight(Date.UTC(2026, 0, 6, 23, 59, 59))).toBe(Date.UTC(2026, 0, 7))
    expect(nextUtcMidnight(Date.UTC(2026, 0, 7))).toBe(Date.UTC(2026, 0, 8))
  })
})

describe('Alpha Vantage wire values', () => {
  it('reads string numbers and percent strings; blanks and "None" are missing', () => {
    expect(avNumber('324.9500')).toBe(324.95)
    expect(avNumber('0.0246%')).toBe(0.0246)
    expect(avNumber('-2.5106%')).toBe(-2.5106)
    expect(avNumber('None')).toBeNull()
    expect(avNumber('')).toBeNull()
    expect(avNumber('12abc')).toBeNull()
  })

  it('tells the HTTP-200 signals apart', () => {
    expect(avSignal({ Information: 'Thank you for using Alpha Vantage! Our standard API rate limit is 25 requests per day.' })?.kind).toBe('daily-limit')
    expect(avSignal({ Note: 'Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute and 500 calls per day.' })?.kind).toBe('minute-limit')
    expect(avSignal({ Information: 'the parameter apikey is invalid or missing.' })?.kind).toBe('bad-key')
    expect(avSignal({ 'Global Quote': {} })).toBeNull()
  })

  it('splits CSV with quoted commas, doubled quotes and CRLF', () => {
    expect(csvRecords('a,b\r\n"x, y","say ""hi"""\r\n')).toEqual([['a', 'b'], ['x, y', 'say "hi"']])
  })
})
