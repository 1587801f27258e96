import { nyInstant, nyWallTime } from './ny-time'

export type MarketSession = 'pre' | 'regular' | 'post' | 'closed'

/** A calendar date as YYYY-MM-DD. */
export type IsoDate = string

const PRE_OPEN = 4 * 60
const OPEN = 9 * 60 + 30
const CLOSE = 16 * 60
const EARLY_CLOSE = 13 * 60
/** Post-market lasts four hours after the close: 16:00–20:00, or 13:00–17:00 on an early-close day. */
const POST_LENGTH = 4 * 60

/**
 * NYSE holidays by rule. Fixed-date holidays falling on a Saturday are observed on the Friday
 * before, on a Sunday the Monday after, except New Year's Day on a Saturday, which is not
 * observed at all (Dec 31 stays a trading day). Juneteenth counts from 2022. One-off closures
 * (national days of mourning, 2012's hurricane) are not rules and are not covered.
 */
export function nyseHolidays(year: number): Map<IsoDate, string> {
  const cached = holidayCache.get(year)
  if (cached !== undefined) return cached
  const days = new Map<IsoDate, string>()
  const add = (date: IsoDate | null, name: string): void => {
    if (date !== null) days.set(date, name)
  }
  const newYear = isoDate(year, 1, 1)
  const newYearDow = weekday(newYear)
  add(newYearDow === 6 ? null : newYearDow === 0 ? isoDate(year, 1, 2) : newYear, "New Year's Day")
  add(nthWeekday(year, 1, 1, 3), 'Martin Luther King Jr. Day')
  add(nthWeekday(year, 2, 1, 3), "Washington's Birthday")
  add(shiftDays(easterSunday(year), -2), 'Good Friday')
  add(lastWeekday(year, 5, 1), 'Memorial Day')
  if (year >= 2022) add(observed(isoDate(year, 6, 19)), 'Juneteenth')
  add(observed(isoDate(year, 7, 4)), 'Independence Day')
  add(nthWeekday(year, 9, 1, 1), 'Labor Day')
  add(nthWeekday(year, 11, 4, 4), 'Thanksgiving Day')
  add(observed(isoDate(year, 12, 25)), 'Christmas Day')
  holidayCache.set(year, days)
  return days
}

const holidayCache = new Map<number, Map<IsoDate, string>>()

/**
 * Early closes at 13:00 by rule: the day after Thanksgiving; Christmas Eve and July 3 when they
 * fall on a weekday that is not itself a holiday (so not when Christmas or Independence Day on a
 * Saturday is observed that Friday). Ad-hoc early closes announced by the exchange are not covered.
 */
export function isEarlyClose(date: IsoDate): boolean {
  if (!isTradingDay(date)) return false
  const year = Number(date.slice(0, 4))
  if (date === shiftDays(nthWeekday(year, 11, 4, 4), 1)) return true
  return date === isoDate(year, 12, 24) || date === isoDate(year, 7, 3)
}

/** A weekday that is not an NYSE holiday. `day` is a YYYY-MM-DD date or an instant (its New York date). */
export function isTradingDay(day: IsoDate | number): boolean {
  const date = typeof day === 'number' ? nyDate(day) : checkIsoDate(day)
  const dow = weekday(date)
  if (dow === 0 || dow === 6) return false
  return !nyseHolidays(Number(date.slice(0, 4))).has(date)
}

/** The session in force at `time` (epoch ms). Holidays and weekends are closed all day. */
export function sessionAt(time: number): MarketSession {
  const wall = nyWallTime(time)
  const date = isoDate(wall.year, wall.month, wall.day)
  if (!isTradingDay(date)) return 'closed'
  const close = isEarlyClose(date) ? EARLY_CLOSE : CLOSE
  const m = wall.minutes
  if (m < PRE_OPEN) return 'closed'
  if (m < OPEN) return 'pre'
  if (m < close) return 'regular'
  if (m < close + POST_LENGTH) return 'post'
  return 'closed'
}

/**
 * The start of the first session beginning at or after `time`: the regular open (09:30), or with
 * `extendedHours` the pre-market open (04:00).
 */
export function nextOpen(time: number, options: { extendedHours?: boolean } = {}): number {
  const startMinutes = options.extendedHours === true ? PRE_OPEN : OPEN
  const wall = nyWallTime(time)
  let date = isoDate(wall.year, wall.month, wall.day)
  // Holidays and weekends never run more than four days in a row.
  for (let i = 0; i < 10; i++, date = shiftDays(date, 1)) {
    if (!isTradingDay(date)) continue
    const [y, mo, d] = splitDate(date)
    const at = nyInstant(y, mo, d, startMinutes)
    if (at >= time) return at
  }
  throw new Error(`No NYSE session within ten days of ${new Date(time).toISOString()}`)
}

/**
 * The end of the last session that ended at or before `time`: the regular close, or with
 * `extendedHours` the end of post-market. Lets a poller take one last quote after the close.
 */
export function lastClose(time: number, options: { extendedHours?: boolean } = {}): number {
  const wall = nyWallTime(time)
  let date = isoDate(wall.year, wall.month, wall.day)
  for (let i = 0; i < 10; i++, date = shiftDays(date, -1)) {
    if (!isTradingDay(date)) continue
    const close = (isEarlyClose(date) ? EARLY_CLOSE : CLOSE) + (options.extendedHours === true ? POST_LENGTH : 0)
    const [y, mo, d] = splitDate(date)
    const at = nyInstant(y, mo, d, close)
    if (at <= time) return at
  }
  throw new Error(`No NYSE session within ten days before ${new Date(time).toISOString()}`)
}

/** The New York calendar date of an instant. */
export function nyDate(time: number): IsoDate {
  const w = nyWallTime(time)
  return isoDate(w.year, w.month, w.day)
}

function checkIsoDate(date: string): IsoDate {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || isoDate(...splitDate(date)) !== date) {
    throw new RangeError(`"${date}" is not a calendar date in the form YYYY-MM-DD.`)
  }
  return date
}

function isoDate(year: number, month: number, day: number): IsoDate {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10)
}

function splitDate(date: IsoDate): [number, number, number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))]
}

/** 0 = Sunday … 6 = Saturday. */
function weekday(date: IsoDate): number {
  const [y, m, d] = splitDate(date)
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay()
}

function shiftDays(date: IsoDate, days: number): IsoDate {
  const [y, m, d] = splitDate(date)
  return isoDate(y, m, d + days)
}

function observed(date: IsoDate): IsoDate {
  const dow = weekday(date)
  return dow === 6 ? shiftDays(date, -1) : dow === 0 ? shiftDays(date, 1) : date
}

function nthWeekday(year: number, month: number, dow: number, n: number): IsoDate {
  const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay()
  return isoDate(year, month, 1 + ((dow - first + 7) % 7) + (n - 1) * 7)
}

function lastWeekday(year: number, month: number, dow: number): IsoDate {
  const lastDay = new Date(Date.UTC(year, month, 0))
  return isoDate(year, month, lastDay.getUTCDate() - ((lastDay.getUTCDay() - dow + 7) % 7))
}

/** Gregorian Easter Sunday (the anonymous "Meeus/Jones/Butcher" computus). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return isoDate(year, month, day)
}
