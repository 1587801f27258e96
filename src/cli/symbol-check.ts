import { normaliseSymbol, symbolProblem } from '../shared/symbols'

/**
 * Splits the command line's symbols into distinct normalised ones to fetch and entries that are
 * not ticker symbols at all (keyed by the entry as typed, valued by a plain-words reason).
 */
export function checkSymbols(raw: readonly string[]): { valid: string[]; invalid: Map<string, string> } {
  const valid: string[] = []
  const invalid = new Map<string, string>()
  for (const entry of raw) {
    const problem = symbolProblem(entry)
    if (problem !== null) invalid.set(entry, problem)
    else if (!valid.includes(normaliseSymbol(entry))) valid.push(normaliseSymbol(entry))
  }
  return { valid, invalid }
}
