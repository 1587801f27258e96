/**
 * Number and time formatting for the watchlist. Formatters are cached: building an
 * Intl.NumberFormat costs far more than using one, and rows format on every tick.
 */

/** A fixed locale keeps "187.42"-style output identical in Electron, the browser and tests. */
export const DISPLAY_LOCALE = 'en-US'
export const PLACEHOLDER = '—'

const formatters = new Map<string, Intl.NumberFormat>()

function cached(key: string, make: () => Intl.NumberFormat): Intl.NumberFormat {
  let formatter = formatters.get(key)
  if (!formatter) {
    formatter = make()
    formatters.set(key, formatter)
  }
  return formatter
}

/** Two decimals for ordinary prices; enough decimals to show a few significant digits of tiny ones. */
export function priceDecimals(value: number): number {
  const magnitude = Math.abs(value)
  if (magnitude >= 1 || magnitude === 0) return 2
  return Math.min(10, Math.max(4, 3 - Math.floor(Math.log10(magnitude))))
}

function isCurrencyCode(currency: string | null | undefined): currency is string {
  return typeof currency === 'string' && /^[A-Z]{3}$/.test(currency)
}

function decimalFormatter(decimals: number, sign: 'auto' | 'exceptZero'): Intl.NumberFormat {
  return cached(`d:${decimals}:${sign}`, () =>
    new Intl.NumberFormat(DISPLAY_LOCALE, {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
      signDisplay: sign
    })
  )
}

function currencyFormatter(currency: string, decimals: number): Intl.NumberFormat | null {
  try {
    return cached(`c:${currency}:${decimals}`, () =>
      new Intl.NumberFormat(DISPLAY_LOCALE, {
        style: 'currency',
        currency,
        currencyDisplay: 'narrowSymbol',
        minimumFractionDigits: decimals,
        maximumFractionDigits: decimals
      })
    )
  } catch {
    return null
  }
}

/** "$187.42", "€0.000123", or "187.42" when the currency is unknown. */
export function formatPrice(value: number | null | undefined, currency?: string | null): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return PLACEHOLDER
  const decimals = priceDecimals(value)
  const formatter = isCurrencyCode(currency) ? currencyFormatter(currency, decimals) : null
  return (formatter ?? decimalFormatter(decimals, 'auto')).format(value)
}

/** A bare number with price precision, for ranges where the currency is already shown. */
export function formatPlain(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return PLACEHOLDER
  return decimalFormatter(priceDecimals(value), 'auto').format(value)
}

/**
 * Signed change: "+1.25", "-0.0042". Precision follows the price it belongs to, so a $380
 * stock moving 51 cents reads "-0.51", not "-0.5100".
 */
export function formatChange(value: number | null | undefined, price?: number | null): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return PLACEHOLDER
  const decimals = typeof price === 'number' && Number.isFinite(price) ? priceDecimals(price) : priceDecimals(value)
  return decimalFormatter(decimals, 'exceptZero').format(value)
}

/** Signed percent from a percent value (1.25 → "+1.25%"). */
export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return PLACEHOLDER
  return `${decimalFormatter(2, 'exceptZero').format(value)}%`
}

/** Large counts with three significant digits: 3.67T, 40.9M, 950. */
export function formatCompact(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return PLACEHOLDER
  return cached('compact', () =>
    new Intl.NumberFormat(DISPLAY_LOCALE, { notation: 'compact', maximumSignificantDigits: 3 })
  ).format(value)
}

/** "185.10 – 188.90" from the day's low and high. */
export function formatRange(low: number | null | undefined, high: number | null | undefined): string {
  if (low === null || low === undefined || high === null || high === undefined) return PLACEHOLDER
  return `${formatPlain(low)} – ${formatPlain(high)}`
}

export type Direction = 'up' | 'down' | 'flat'

export function direction(change: number | null | undefined): Direction {
  if (change === null || change === undefined || change === 0 || !Number.isFinite(change)) return 'flat'
  return change > 0 ? 'up' : 'down'
}
