import type { AlertCondition } from '../../shared/alerts'

/** Small crypto prices need more than two decimals to mean anything. */
export function formatPrice(price: number): string {
  if (Math.abs(price) >= 1) return price.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
  return price.toPrecision(4)
}

function formatPercent(percent: number): string {
  return `${percent > 0 ? '+' : ''}${percent.toFixed(2)} %`
}

/** A short notification title such as "AAPL above 200.00". */
export function alertTitle(symbol: string, condition: AlertCondition): string {
  switch (condition.kind) {
    case 'price-above':
      return `${symbol} above ${formatPrice(condition.price)}`
    case 'price-below':
      return `${symbol} below ${formatPrice(condition.price)}`
    case 'crosses':
      if (condition.direction === 'up') return `${symbol} crossed above ${formatPrice(condition.price)}`
      if (condition.direction === 'down') return `${symbol} crossed below ${formatPrice(condition.price)}`
      return `${symbol} crossed ${formatPrice(condition.price)}`
    case 'day-change-above':
      return `${symbol} day change above ${formatPercent(condition.percent)}`
    case 'day-change-below':
      return `${symbol} day change below ${formatPercent(condition.percent)}`
    case 'move-within': {
      const verb = condition.direction === 'up' ? 'rose' : condition.direction === 'down' ? 'fell' : 'moved'
      return `${symbol} ${verb} ${condition.percent} % within ${condition.windowMinutes} min`
    }
    case 'volume-above':
      return `${symbol} volume above ${Math.round(condition.volume).toLocaleString('en-US')}`
    case 'new-52w-high':
      return `${symbol} at a new 52-week high`
    case 'new-52w-low':
      return `${symbol} at a new 52-week low`
  }
}
