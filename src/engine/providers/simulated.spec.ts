import { describe, expect, it } from 'vitest'
import { QuoteSchema } from '../../shared/quote'
import type { ProviderDeps } from './provider'
import { createSimulatedProvider } from './simulated'
import { DAY_MS } from './simulated-market'

const T0 = Date.UTC(2026, 2, 2, 15, 0, 0)

function setup(seed?: number, start = T0) {
  let clock = start
  const deps: ProviderDeps = { now: () => clock, log: () => {} }
  const provider = createSimulatedProvider({ seed, deps })
  return { provider, advance: (ms: number) => (clock += ms) }
}

async function run(seed: number | undefined, calls: string[][]): Promise<unknown[]> {
  const { provider, advance } = setup(seed)
  const out: unknown[] = []
  for (const symbols of calls) {
    out.push(await provider.fetchQuotes(symbols))
    advance(1_000)
  }
  return out
}

describe('simulated provider', () => {
  const calls = [['AAPL', 'BTC-USD'], ['AAPL'], ['^GSPC', 'BTC-USD', 'AAPL'], ['EURUSD=X']]

  it('gives identical output for the same seed and call sequence', async () => {
    expect(await run(7, calls)).toEqual(await run(7, calls))
  })

  it('gives different prices for a different seed', async () => {
    expect(await run(7, calls)).not.toEqual(await run(8, calls))
  })

  it('moves each symbol independently of what it is batched with', async () => {
    const alone = setup(3)
    const together = setup(3)
    for (let i = 0; i < 5; i++) {
      const a = await alone.provider.fetchQuotes(['MSFT'])
      const b = await together.provider.fetchQuotes(['ZZZ', 'MSFT', `X${i}`])
      expect(b.quotes[1]?.price).toBe(a.quotes[0]?.price)
    }
  })

  it('labels quotes as simulated and fills every field consistently', async () => {
    const { provider, advance } = setup(11)
    for (let i = 0; i < 50; i++) {
      advance(500)
      const { quotes, errors } = await provider.fetchQuotes(['AAPL', 'BTC-USD', '^GSPC'])
      expect(errors).toEqual([])
      for (const q of quotes) {
        expect(QuoteSchema.parse(q)).toEqual(q)
        expect(q.name).toBe(`${q.symbol} (simulated)`)
        expect(q).toMatchObject({ source: 'simulated', currency: 'USD', marketState: 'regular', delayed: false })
        expect(q.change).toBeCloseTo(q.price - (q.previousClose as number), 6)
        expect(q.changePercent).toBeCloseTo(((q.change as number) / (q.previousClose as number)) * 100, 3)
        expect(q.dayHigh).toBeGreaterThanOrEqual(q.price)
        expect(q.dayLow).toBeLessThanOrEqual(q.price)
        expect(q.price).toBeGreaterThan(0)
        expect(q.providerTime).toBe(q.receivedAt)
      }
    }
  })

  it('keeps the previous close for the day, lets volume grow, and rolls over at midnight', async () => {
    const { provider, advance } = setup(5)
    const first = (await provider.fetchQuotes(['AAPL'])).quotes[0]
    advance(60_000)
    const second = (await provider.fetchQuotes(['AAPL'])).quotes[0]
    expect(second?.previousClose).toBe(first?.previousClose)
    expect(second?.volume).toBeGreaterThanOrEqual(first?.volume as number)
    expect(second?.price).not.toBe(undefined)

    advance(DAY_MS)
    const nextDay = (await provider.fetchQuotes(['AAPL'])).quotes[0]
    expect(nextDay?.previousClose).toBe(second?.price)
    expect(nextDay?.open).toBe(second?.price)
    expect(nextDay?.volume).toBeLessThan(second?.volume as number)
  })

  it('prices crypto pairs higher than ordinary shares', async () => {
    const { provider } = setup(1)
    const { quotes } = await provider.fetchQuotes(['BTC-USD', 'ETH-USD', 'AAPL', 'MSFT'])
    const [btc, eth, aapl, msft] = quotes.map((q) => q.price)
    expect(Math.min(btc as number, eth as number)).toBeGreaterThan(Math.max(aapl as number, msft as number))
  })

  it('moves prices in small steps', async () => {
    const { provider, advance } = setup(9)
    let last = (await provider.fetchQuotes(['NVDA'])).quotes[0]?.price as number
    for (let i = 0; i < 100; i++) {
      advance(100)
      const price = (await provider.fetchQuotes(['NVDA'])).quotes[0]?.price as number
      expect(Math.abs(price - last) / last).toBeLessThan(0.01)
      last = price
    }
  })

  it('reports symbols that cannot exist as unknown without touching the others', async () => {
    const { provider } = setup(1)
    const { quotes, errors } = await provider.fetchQuotes(['AAPL', '$$$'])
    expect(quotes.map((q) => q.symbol)).toEqual(['AAPL'])
    expect(errors).toEqual([{ symbol: '$$$', message: 'Unknown symbol $$$' }])
  })

  it('declares limits that let the scheduler send everything at once', () => {
    const { provider } = setup()
    expect(provider.id).toBe('simulated')
    expect(provider.limits).toEqual({ maxBatch: 10_000, minTimeMs: 0, maxConcurrent: 1 })
  })

  it('answers a 5,000-symbol batch in one call', async () => {
    const { provider } = setup(2)
    const symbols = Array.from({ length: 5_000 }, (_, i) => `SYM${i}`)
    const { quotes, errors } = await provider.fetchQuotes(symbols)
    expect(quotes).toHaveLength(5_000)
    expect(errors).toEqual([])
    expect(new Set(quotes.map((q) => q.price)).size).toBeGreaterThan(1_000)
  })
})
