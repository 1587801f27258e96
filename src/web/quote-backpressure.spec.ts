import { describe, expect, it } from 'vitest'
import type { QuotePatch } from '../shared/quote'
import { QuoteBackpressure } from './quote-backpressure'

function sink() {
  const sent: QuotePatch[][] = []
  return { bufferedAmount: 0, sent, sendQuotes: (patches: QuotePatch[]) => sent.push(patches) }
}

describe('QuoteBackpressure', () => {
  it('passes batches straight through while the socket keeps up', () => {
    const s = sink()
    const bp = new QuoteBackpressure(s, 1000)
    bp.deliver([{ symbol: 'AAPL', price: 1 }])
    bp.deliver([{ symbol: 'AAPL', price: 2 }])
    expect(s.sent).toEqual([[{ symbol: 'AAPL', price: 1 }], [{ symbol: 'AAPL', price: 2 }]])
  })

  it('holds batches while backed up, merged per symbol, and sends them once drained', () => {
    const s = sink()
    const bp = new QuoteBackpressure(s, 1000)
    s.bufferedAmount = 5000
    bp.deliver([{ symbol: 'AAPL', price: 1, volume: 10 }])
    bp.deliver([{ symbol: 'AAPL', price: 2 }, { symbol: 'MSFT', price: 3 }])
    for (let i = 0; i < 100; i++) bp.deliver([{ symbol: 'AAPL', price: 100 + i }])
    expect(s.sent).toEqual([])
    expect(bp.heldSymbols).toBe(2)

    s.bufferedAmount = 0
    bp.deliver([{ symbol: 'TSLA', price: 4 }])
    expect(s.sent).toEqual([
      [
        { symbol: 'AAPL', price: 199, volume: 10 },
        { symbol: 'MSFT', price: 3 },
        { symbol: 'TSLA', price: 4 }
      ]
    ])
    expect(bp.heldSymbols).toBe(0)
  })
})
