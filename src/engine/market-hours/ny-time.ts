/**
 * Wall-clock time in America/New_York from Intl, which carries the tz database, so daylight
 * saving switches need no table of our own.
 */
const formatter = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23'
})

export interface NyWallTime {
  year: number
  month: number
  day: number
  /** Minutes since local midnight, with seconds as a fraction. */
  minutes: number
}

export function nyWallTime(time: number): NyWallTime {
  const parts: Record<string, number> = {}
  for (const p of formatter.formatToParts(new Date(time))) if (p.type !== 'literal') parts[p.type] = Number(p.value)
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    minutes: (parts.hour! % 24) * 60 + parts.minute! + parts.second! / 60
  }
}

/** New York's offset from UTC at `time`, ms (-4 h in summer, -5 h in winter). */
export function nyOffsetMs(time: number): number {
  const w = nyWallTime(time)
  const asUtc = Date.UTC(w.year, w.month - 1, w.day) + Math.round(w.minutes * 60) * 1000
  return asUtc - Math.floor(time / 1000) * 1000
}

/**
 * The instant New York shows `minutes` past midnight on the given date. Exact for every time
 * the exchange uses (04:00–20:00); inside the 02:00–03:00 spring-forward gap it lands an hour on.
 */
export function nyInstant(year: number, month: number, day: number, minutes: number): number {
  const wall = Date.UTC(year, month - 1, day) + minutes * 60_000
  const first = wall - nyOffsetMs(wall)
  return wall - nyOffsetMs(first)
}
