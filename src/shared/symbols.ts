import { z } from 'zod'

// Covers equities (AAPL, BRK-B, BRK.B), indices (^GSPC), FX (EURUSD=X), futures (ES=F),
// crypto pairs (BTC-USD, BTC/USD) and exchange suffixes (VOD.L, 7203.T).
const SYMBOL_PATTERN = /^[A-Z0-9^][A-Z0-9.\-=^/]{0,23}$/

export function normaliseSymbol(raw: string): string {
  return raw.trim().toUpperCase()
}

/** Returns null when valid, else a sentence a user can act on. */
export function symbolProblem(raw: string): string | null {
  const symbol = normaliseSymbol(raw)
  if (symbol.length === 0) return 'Type a ticker symbol, for example AAPL or BTC-USD.'
  if (symbol.length > 24) return `"${raw.trim().slice(0, 24)}…" is too long to be a ticker symbol.`
  if (!SYMBOL_PATTERN.test(symbol)) {
    return `"${raw.trim()}" is not a valid ticker symbol: use letters, digits and . - = ^ / only.`
  }
  return null
}

export const SymbolSchema = z
  .string()
  .transform(normaliseSymbol)
  .refine((s) => symbolProblem(s) === null, { message: 'Invalid ticker symbol' })
