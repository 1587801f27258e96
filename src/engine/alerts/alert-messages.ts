import type { AlertCondition } from '../../shared/alerts'

export const CATCH_UP_PREFIX = 'While you were away: '

/** Prices without a currency: two decimals, more for sub-unit prices such as small coins. */
export function formatPrice(value: number): string {
  const abs = Math.abs(value)
  if (abs >= 1 || abs === 0) return value.toFixed(2)
  if (abs >= 0.01) return value.toFixed(4)
  return value.toPrecision(3)
}

export function formatPercent(value: number, signed = false): string {
  const text = Math.abs(value).toFixed(2)
  if (!signed) return text
  return `${value < 0 ? '-' : '+'}${text}`
}

export function formatCount(value: number): string {
  return Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

export interface MessageFacts {
  symbol: string
  price: number
  /** The value the condition looked at (change %, move %, volume); the price for price kinds. */
  value: number
  /** The previous 52-week extreme for new-high/low kinds. */
  reference: number
  /** Crossing direction that fired (+1 up, -1 down) for crosses and moves. */
  direction: number
  /** Catch-up from the day range: the day high or low that proves the crossing. */
  extreme: { label: 'day high' | 'day low'; value: number } | null
}

/** One firing in plain words, e.g. "AAPL rose above 200.00 (now 201.35)". */
export function alertMessage(condition: AlertCondition, f: MessageFacts): string {
  const evidence = f.extreme ? `${f.extreme.label} ${formatPrice(f.extreme.value)}` : `now ${formatPrice(f.price)}`
  switch (condition.kind) {
    case 'price-above':
      return `${f.symbol} rose above ${formatPrice(condition.price)} (${evidence})`
    case 'price-below':
      return `${f.symbol} fell below ${formatPrice(condition.price)} (${evidence})`
    case 'crosses':
      return `${f.symbol} crossed ${f.direction > 0 ? 'above' : 'below'} ${formatPrice(condition.price)} (${evidence})`
    case 'day-change-above':
    case 'day-change-below': {
      const side = condition.kind === 'day-change-above' ? 'above' : 'below'
      const tail = f.extreme ? `, ${evidence}` : ''
      return `${f.symbol} is ${formatPercent(f.value, true)} % today (${side} ${formatPercent(condition.percent, true)} %${tail})`
    }
    case 'move-within':
      return `${f.symbol} moved ${Math.abs(f.value).toFixed(1)} % in ${condition.windowMinutes} min (${f.direction > 0 ? 'up' : 'down'} to ${formatPrice(f.price)})`
    case 'volume-above':
      return `${f.symbol} volume passed ${formatCount(condition.volume)} (now ${formatCount(f.value)})`
    case 'new-52w-high':
      return `${f.symbol} made a new 52-week high (${evidence}, previous high ${formatPrice(f.reference)})`
    case 'new-52w-low':
      return `${f.symbol} made a new 52-week low (${evidence}, previous low ${formatPrice(f.reference)})`
  }
}
