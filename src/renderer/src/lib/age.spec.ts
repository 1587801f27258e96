import { describe, expect, it } from 'vitest'
import { formatAge, formatAsOf } from './age'
import { formatClock, formatStamp } from './time'

const at = (h: number, m: number, day = 15) => new Date(2026, 2, day, h, m, 0).getTime()

describe('formatAge', () => {
  it('reads in the largest whole unit', () => {
    expect(formatAge(5_400)).toBe('5 s ago')
    expect(formatAge(3 * 60_000 + 10_000)).toBe('3 min ago')
    expect(formatAge(2 * 3_600_000 + 5 * 60_000)).toBe('2 h ago')
    expect(formatAge(4 * 86_400_000)).toBe('4 d ago')
  })

  it('treats future times (clock skew) and garbage as zero', () => {
    expect(formatAge(-3_000)).toBe('0 s ago')
    expect(formatAge(Number.NaN)).toBe('0 s ago')
  })
})

describe('formatAsOf', () => {
  it('says only the age for live quotes', () => {
    expect(formatAsOf(at(14, 32), at(14, 32) + 5_000)).toBe('5 s ago')
  })

  it('gives the time and the age for older ones', () => {
    expect(formatAsOf(at(14, 32), at(16, 40))).toBe('as of 14:32 · 2 h ago')
  })

  it('adds the date when the quote is from another day', () => {
    expect(formatAsOf(at(16, 0, 13), at(9, 30, 15))).toBe('as of 13 Mar 16:00 · 1 d ago')
  })
})

describe('clock formatting', () => {
  it('pads hours and minutes', () => {
    expect(formatClock(at(9, 5))).toBe('09:05')
    expect(formatStamp(at(9, 5), at(23, 0))).toBe('09:05')
  })
})
