import { formatStamp } from './time'

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** Quotes younger than this read as live ("5 s ago"); older ones also say when they were priced. */
export const LIVE_AGE_MS = 2 * MINUTE

/** "5 s ago", "3 min ago", "2 h ago", "4 d ago". Clock skew (future times) reads as "0 s ago". */
export function formatAge(ageMs: number): string {
  if (!Number.isFinite(ageMs) || ageMs < SECOND) return '0 s ago'
  if (ageMs < MINUTE) return `${Math.floor(ageMs / SECOND)} s ago`
  if (ageMs < HOUR) return `${Math.floor(ageMs / MINUTE)} min ago`
  if (ageMs < DAY) return `${Math.floor(ageMs / HOUR)} h ago`
  return `${Math.floor(ageMs / DAY)} d ago`
}

/** "5 s ago" for live quotes, "as of 14:32 · 2 h ago" for older ones. */
export function formatAsOf(at: number, now: number): string {
  const age = now - at
  if (age < LIVE_AGE_MS) return formatAge(age)
  return `as of ${formatStamp(at, now)} · ${formatAge(age)}`
}
