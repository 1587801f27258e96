import { rankMatches } from '../../shared/symbol-rank'
import type { SymbolMatch } from '../../shared/symbol-search'

/** Candidates gathered per kind of match before ranking; enough for any sensible limit. */
const CANDIDATES = 200

/**
 * A read-only search index over the directory. Symbol prefixes and name-word prefixes are binary
 * searches over sorted keys; substrings (the rare rest) are one native indexOf scan over a single
 * joined text. Built once per directory change, then a query over 100,000 entries costs well
 * under a millisecond for prefixes and a few for substrings.
 */
export class DirectoryIndex {
  private readonly entries: SymbolMatch[]
  /** Entry indexes sorted by upper-case symbol. */
  private readonly bySymbol: Int32Array
  private readonly symbols: string[]
  /** Lower-case name words, sorted, with the entry each came from. */
  private readonly words: string[]
  private readonly wordEntry: Int32Array
  /** "SYMBOL\tname\n" per entry, and where each entry's line starts. */
  private readonly text: string
  private readonly lineStart: Int32Array

  constructor(entries: readonly SymbolMatch[]) {
    this.entries = [...entries]
    this.symbols = this.entries.map((e) => e.symbol.toUpperCase())
    const order = Array.from(this.entries.keys()).sort((a, b) => compare(this.symbols[a]!, this.symbols[b]!))
    this.bySymbol = Int32Array.from(order)

    const words: { word: string; entry: number }[] = []
    for (let i = 0; i < this.entries.length; i++) {
      const name = this.entries[i]!.name
      if (!name) continue
      for (const word of name.toLowerCase().split(/[^\p{L}\p{N}]+/u)) if (word !== '') words.push({ word, entry: i })
    }
    words.sort((a, b) => compare(a.word, b.word))
    this.words = words.map((w) => w.word)
    this.wordEntry = Int32Array.from(words.map((w) => w.entry))

    const lines: string[] = []
    this.lineStart = new Int32Array(this.entries.length)
    let at = 0
    for (let i = 0; i < this.entries.length; i++) {
      const line = `${this.symbols[i]}\t${(this.entries[i]!.name ?? '').toLowerCase()}\n`
      this.lineStart[i] = at
      at += line.length
      lines.push(line)
    }
    this.text = lines.join('')
  }

  get size(): number {
    return this.entries.length
  }

  search(query: string, limit: number): SymbolMatch[] {
    const q = query.trim()
    if (q === '' || limit <= 0 || this.entries.length === 0) return []
    const found = new Set<number>()
    this.symbolPrefix(q.toUpperCase(), found)
    const compact = q.toUpperCase().replace(/[-/.=]/g, '')
    if (compact !== q.toUpperCase() || /^[A-Z]{6,8}$/.test(compact)) this.compactMatch(compact, found)
    this.wordPrefix(q.toLowerCase(), found)
    if (found.size < limit) this.substring(q, found, limit)
    return rankMatches(q, [...found].map((i) => this.entries[i]!), limit)
  }

  /** The shortest symbols starting with `prefix` (the exact one among them). */
  private symbolPrefix(prefix: string, found: Set<number>): void {
    let from = lowerBound(this.symbols, this.bySymbol, prefix)
    const byLength: number[][] = []
    for (; from < this.bySymbol.length; from++) {
      const entry = this.bySymbol[from]!
      if (!this.symbols[entry]!.startsWith(prefix)) break
      const len = this.symbols[entry]!.length
      ;(byLength[len] ??= []).push(entry)
    }
    let taken = 0
    for (const bucket of byLength) {
      if (!bucket) continue
      for (const entry of bucket) {
        if (taken++ >= CANDIDATES) return
        found.add(entry)
      }
    }
  }

  /** "BTCUSD" finds BTC-USD, "EURUSD" finds EURUSD=X: pair symbols typed without separators. */
  private compactMatch(compact: string, found: Set<number>): void {
    const head = compact.slice(0, 3)
    let from = lowerBound(this.symbols, this.bySymbol, head)
    for (let n = 0; from < this.bySymbol.length && n < 5_000; from++, n++) {
      const entry = this.bySymbol[from]!
      const symbol = this.symbols[entry]!
      if (!symbol.startsWith(head)) break
      if (symbol.replace(/[-/.=]/g, '').startsWith(compact)) found.add(entry)
    }
  }

  private wordPrefix(prefix: string, found: Set<number>): void {
    let from = lowerBound(this.words, null, prefix)
    for (let n = 0; from < this.words.length && n < CANDIDATES; from++, n++) {
      if (!this.words[from]!.startsWith(prefix)) break
      found.add(this.wordEntry[from]!)
    }
  }

  private substring(query: string, found: Set<number>, limit: number): void {
    // Symbols are upper case and never hold spaces; names are indexed in lower case.
    const needles = new Set([query.toLowerCase()])
    if (!/\s/.test(query)) needles.add(query.toUpperCase())
    for (const needle of needles) {
      let at = this.text.indexOf(needle)
      let added = 0
      while (at !== -1 && added < CANDIDATES) {
        const entry = upperBound(this.lineStart, at) - 1
        const lineEnd = this.text.indexOf('\n', at)
        // A hit spanning the tab would mix symbol and name: not a match.
        if (!this.text.slice(at, at + needle.length).includes('\t') && !found.has(entry)) {
          found.add(entry)
          added++
        }
        at = this.text.indexOf(needle, lineEnd === -1 ? at + 1 : lineEnd + 1)
        if (found.size >= limit + CANDIDATES) return
      }
    }
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** First position whose key is >= `key`; keys are `values[order[i]]`, or `values[i]` without an order. */
function lowerBound(values: readonly string[], order: Int32Array | null, key: string): number {
  let lo = 0
  let hi = order ? order.length : values.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (values[order ? order[mid]! : mid]! < key) lo = mid + 1
    else hi = mid
  }
  return lo
}

function upperBound(values: Int32Array, key: number): number {
  let lo = 0
  let hi = values.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (values[mid]! <= key) lo = mid + 1
    else hi = mid
  }
  return lo
}
