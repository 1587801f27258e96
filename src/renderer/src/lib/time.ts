/** Local wall-clock formatting, kept out of Intl so it is identical everywhere. */

const pad = (n: number): string => String(n).padStart(2, '0')

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** "14:32" in local time. */
export function formatClock(epochMs: number): string {
  const d = new Date(epochMs)
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** "14:32:05" in local time. */
export function formatClockSeconds(epochMs: number): string {
  const d = new Date(epochMs)
  return `${formatClock(epochMs)}:${pad(d.getSeconds())}`
}

/** "14:32" for today, "12 Mar 14:32" for another day. */
export function formatStamp(epochMs: number, now: number): string {
  const d = new Date(epochMs)
  const today = new Date(now)
  const sameDay =
    d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate()
  return sameDay ? formatClock(epochMs) : `${d.getDate()} ${MONTHS[d.getMonth()]} ${formatClock(epochMs)}`
}
