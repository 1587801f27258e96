/** A copy of `items` with the element at `from` moved to index `to` (both clamped). */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const copy = items.slice()
  if (from < 0 || from >= copy.length) return copy
  const [item] = copy.splice(from, 1) as [T]
  copy.splice(Math.max(0, Math.min(copy.length, to)), 0, item)
  return copy
}
