/**
 * Maps wanted app symbols onto a feed's own keys (a pair, a product id); several symbols may
 * share one key. A symbol the feed cannot carry is reported once while it stays wanted: `told`
 * holds that memory between calls and is rewritten to the symbols refused this time.
 */
export function groupByFeedKey(
  symbols: readonly string[],
  toKey: (symbol: string) => string | null,
  told: Set<string>,
  reportUnknown: (symbol: string) => void
): Map<string, string[]> {
  const byKey = new Map<string, string[]>()
  const unknown = new Set<string>()
  for (const raw of symbols) {
    const symbol = raw.trim()
    if (symbol === '') continue
    const key = toKey(symbol)
    if (key === null) {
      unknown.add(symbol)
      if (!told.has(symbol)) reportUnknown(symbol)
      continue
    }
    byKey.set(key, [...(byKey.get(key) ?? []), symbol])
  }
  told.clear()
  for (const symbol of unknown) told.add(symbol)
  return byKey
}
