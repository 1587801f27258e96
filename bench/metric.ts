/** One benchmark result, printed as a JSON line: {"metric", "value", "unit"}. */
export interface Metric {
  metric: string
  value: number
  unit: string
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[index] as number
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

export function benchSymbols(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `S${String(i).padStart(4, '0')}`)
}
