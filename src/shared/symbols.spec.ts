import { describe, expect, it } from 'vitest'
import { normaliseSymbol, SymbolSchema, symbolProblem } from './symbols'

describe('symbols', () => {
  it.each(['AAPL', 'brk-b', 'BRK.B', '^GSPC', 'EURUSD=X', 'ES=F', 'BTC-USD', 'btc/usd', 'VOD.L', '7203.T'])(
    'accepts %s',
    (raw) => {
      expect(symbolProblem(raw)).toBeNull()
      expect(SymbolSchema.parse(` ${raw} `)).toBe(raw.toUpperCase())
    }
  )

  it.each(['', '   ', '$$$', 'AA PL', 'A;DROP', '<script>', '-AAPL', 'X'.repeat(25)])('rejects %j with a sentence', (raw) => {
    const problem = symbolProblem(raw)
    expect(problem).toMatch(/ticker symbol/i)
    expect(SymbolSchema.safeParse(raw).success).toBe(false)
  })

  it('normalises case and whitespace', () => {
    expect(normaliseSymbol('  msft ')).toBe('MSFT')
  })
})
