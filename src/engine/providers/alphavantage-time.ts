import type { MarketState } from '../../shared/quote'

/**
 * Alpha Vantage writes times as naive strings in US/Eastern ("2026-01-02 19:55:00", or a bare
 * trading day "2026-01-02"). These helpers turn them into epoch ms through the platform's time
 * zone data, so daylight saving is handled by the same rules the OS uses.
 */
const EASTERN = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  weekday: 'short'
})

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 }
const DAY_MS = 86_400_000

export interface EasternParts {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  /** 0 = Sunday. */
  weekday: number
}

export function easternParts(epochMs: number): EasternParts {
  const parts: Record<string, string> = {}
  for (const part of EASTERN.formatToParts(new Date(epochMs))) parts[part.type] = part.value
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? 0
  }
}

/** Eastern wall-clock time minus UTC at that instant, ms (-5 h in winter, -4 h in summer). */
function easternOffsetMs(epochMs: number): number {
  const p = easternParts(epochMs)
  const wholeSecond = epochMs - (((epochMs % 1000) + 1000) % 1000)
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - wholeSecond
}

/** An Eastern wall-clock time as epoch ms. Twice corrected so times next to a DST switch land right. */
export function easternToEpochMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, ms)
  const first = asUtc - easternOffsetMs(asUtc)
  return asUtc - easternOffsetMs(first)
}

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/

/** "YYYY-MM-DD" or "YYYY-MM-DD HH:MM[:SS[.fff]]" in US/Eastern; null when it is neither or not a real date. */
export function parseEasternDateTime(text: string): number | null {
  const m = NAIVE.exec(text.trim())
  if (m === null) return null
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) => Number(v ?? 0)) as [
    number, number, number, number, number, number
  ]
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0'))
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null
  const check = new Date(Date.UTC(year, month - 1, day))
  if (check.getUTCMonth() !== month - 1) return null
  return easternToEpochMs(year, month, day, hour, minute, second, ms)
}

/** The Eastern calendar date of an instant, "YYYY-MM-DD". */
export function easternDate(epochMs: number): string {
  const p = easternParts(epochMs)
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`
}

/**
 * The US equity session at an instant by the clock alone (weekdays; pre 04:00, regular 09:30-16:00,
 * post until 20:00 Eastern). Holidays read as regular: Alpha Vantage says nothing about them in a quote.
 */
export function usSessionAt(epochMs: number): MarketState {
  const p = easternParts(epochMs)
  if (p.weekday === 0 || p.weekday === 6) return 'closed'
  const minutes = p.hour * 60 + p.minute
  if (minutes < 4 * 60) return 'closed'
  if (minutes < 9 * 60 + 30) return 'pre'
  if (minutes < 16 * 60) return 'regular'
  if (minutes < 20 * 60) return 'post'
  return 'closed'
}

/** The next 00:00 UTC strictly after `now`, when daily quotas reset. */
export function nextUtcMidnight(now: number): number {
  return Math.floor(now / DAY_MS) * DAY_MS + DAY_MS
}

/** The UTC calendar day of an instant, "YYYY-MM-DD": the key of per-day caches. */
export function utcDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10)
}
