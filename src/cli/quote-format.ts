import type { Quote } from '../shared/quote'
import type { SymbolOutcome } from './quote-collector'

export function formatPrice(value: number): string {
  const abs = Math.abs(value)
  if (abs >= 1) return value.toFixed(2)
  if (abs === 0) return '0.00'
  // Sub-unit crypto prices need more than two decimals to mean anything.
  return value.toPrecision(4)
}

function signed(text: string, value: number): string {
  return value > 0 ? `+${text}` : text
}

export function formatChange(quote: Quote): string {
  return quote.change === null ? '' : signed(formatPrice(quote.change), quote.change)
}

export function formatChangePercent(quote: Quote): string {
  return quote.changePercent === null ? '' : `${signed(quote.changePercent.toFixed(2), quote.changePercent)}%`
}

/** JSON for `quote --json`: the full quote, or the symbol with its plain-words error. */
export function outcomeJson(outcome: SymbolOutcome): Quote | { symbol: string; error: string } {
  return 'quote' in outcome ? outcome.quote : { symbol: outcome.symbol, error: outcome.error }
}

const HEADERS = ['SYMBOL', 'PRICE', 'CHANGE', 'CHANGE %', 'CURRENCY', 'MARKET', 'NAME'] as const
const RIGHT_ALIGNED = new Set([1, 2, 3])

function rowFor(outcome: SymbolOutcome): string[] {
  if ('error' in outcome) return [outcome.symbol, '-', '', '', '', '', `error: ${outcome.error}`]
  const q = outcome.quote
  const market = q.delayed ? `${q.marketState} (delayed)` : q.marketState
  return [q.symbol, formatPrice(q.price), formatChange(q), formatChangePercent(q), q.currency ?? '', market, q.name ?? '']
}

/** An aligned table, one row per requested symbol; the last column is left unpadded. */
export function formatTable(outcomes: readonly SymbolOutcome[]): string {
  const rows = [[...HEADERS], ...outcomes.map(rowFor)]
  const last = HEADERS.length - 1
  const widths = HEADERS.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)))
  return rows
    .map((row) =>
      row
        .map((cell, column) => {
          if (column === last) return cell
          const width = widths[column] ?? 0
          return RIGHT_ALIGNED.has(column) ? cell.padStart(width) : cell.padEnd(width)
        })
        .join('  ')
        .trimEnd()
    )
    .join('\n')
}

function clock(epochMs: number): string {
  const d = new Date(epochMs)
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':')
}

/** One `watch` line: local time of receipt, symbol, price and the day's change. */
export function formatWatchLine(quote: Quote): string {
  const change = [formatChange(quote), formatChangePercent(quote) && `(${formatChangePercent(quote)})`].filter(Boolean).join(' ')
  const parts = [clock(quote.receivedAt), quote.symbol.padEnd(10), formatPrice(quote.price).padStart(12), change]
  if (quote.currency) parts.push(quote.currency)
  if (quote.delayed) parts.push('delayed')
  return parts.join('  ').trimEnd()
}
