import type { TickFlag } from '@shared/alerts'

const REASONS: Record<TickFlag, string> = {
  stale: 'the price is stale',
  zero: 'the price was zero',
  negative: 'the price was negative',
  outlier: 'price jumped more than 25 % (unconfirmed)'
}

/** The row marker's tooltip: why the latest tick did not count for alerts. */
export function tickFlagTitle(flag: TickFlag): string {
  return `Ignored for alerts: ${REASONS[flag]}`
}
