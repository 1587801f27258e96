/**
 * Price text for the tray, matching the watchlist's numbers (en-US, two decimals, more for
 * sub-unit prices). Plain numbers without currency signs: the tooltip has little room.
 */
const LOCALE = 'en-US'
export const NO_VALUE = '—'

const formatters = new Map<string, Intl.NumberFormat>()

function formatter(decimals: number, sign: 'auto' | 'exceptZero'): Intl.NumberFormat {
  const key = `${decimals}:${sign}`
  let f = formatters.get(key)
  if (!f) {
    f = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: decimals, maximumFractionDigits: decimals, signDisplay: sign })
    formatters.set(key, f)
  }
  return f
}

/** Same rule as the watchlist: two decimals, or enough to show a few digits of a tiny price. */
export function priceDecimals(value: number): number {
  const magnitude = Math.abs(value)
  if (magnitude >= 1 || magnitude === 0) return 2
  return Math.min(10, Math.max(4, 3 - Math.floor(Math.log10(magnitude))))
}

export function formatTrayPrice(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE
  return formatter(priceDecimals(value), 'auto').format(value)
}

export function formatTrayPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE
  return `${formatter(2, 'exceptZero').format(value)}%`
}
