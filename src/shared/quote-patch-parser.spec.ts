import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { QUOTE_FIELDS, QuotePatchSchema, type Quote } from './quote'
import { parseQuotePatch, parseQuotePatches } from './quote-patch-parser'

const full: Quote = {
  symbol: 'AAPL',
  name: 'Apple Inc.',
  price: 187.42,
  change: 1.25,
  changePercent: 0.67,
  open: 186,
  previousClose: 186.17,
  dayHigh: 188.9,
  dayLow: 185.1,
  volume: 40_900_000,
  marketCap: 3.67e12,
  currency: 'USD',
  marketState: 'regular',
  preMarketPrice: null,
  postMarketPrice: null,
  fiftyTwoWeekHigh: 199.62,
  fiftyTwoWeekLow: 164.08,
  providerTime: 1_700_000_000_000,
  receivedAt: 1_700_000_000_100,
  source: 'yahoo',
  delayed: false
}

/** Values worth trying in any field: right and wrong types, edge numbers, near-miss strings. */
const CANDIDATES: unknown[] = [
  undefined,
  null,
  0,
  -1.5,
  42,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  '',
  'x',
  '12',
  'USD',
  'regular',
  'pre',
  'post',
  'closed',
  'Regular',
  'yahoo',
  'simulated',
  'nasdaq',
  true,
  false,
  [],
  {},
  [1],
  { valueOf: () => 1 },
  BigInt(1)
]

/** A small deterministic generator, so a failure names a case that can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function randomPatch(next: () => number): unknown {
  const roll = next()
  if (roll < 0.02) return CANDIDATES[Math.floor(next() * CANDIDATES.length)]
  const patch: Record<string, unknown> = {}
  const symbolRoll = next()
  if (symbolRoll < 0.85) patch.symbol = 'MSFT'
  else if (symbolRoll < 0.9) patch.symbol = ''
  else if (symbolRoll > 0.95) patch.symbol = CANDIDATES[Math.floor(next() * CANDIDATES.length)]
  for (const field of QUOTE_FIELDS) {
    const r = next()
    if (r < 0.4) continue
    // Mostly the field's own kind of value, so that valid patches are common.
    patch[field] = r < 0.9 ? full[field] : CANDIDATES[Math.floor(next() * CANDIDATES.length)]
  }
  if (next() < 0.1) patch.extra = 'not in the contract'
  if (next() < 0.05) patch.fiftyTwoWeekAverage = 1
  return patch
}

describe('parseQuotePatch', () => {
  it('accepts a full quote and a patch of a few fields, keeping only known keys', () => {
    expect(parseQuotePatch(full)).toStrictEqual(full)
    expect(parseQuotePatch({ symbol: 'BTC-USD', price: 64_000.5, extra: 1 })).toStrictEqual({ symbol: 'BTC-USD', price: 64_000.5 })
  })

  it('rejects a missing or empty symbol, wrong types, non-finite numbers and unknown enum values', () => {
    expect(parseQuotePatch({ price: 1 })).toBeUndefined()
    expect(parseQuotePatch({ symbol: '', price: 1 })).toBeUndefined()
    expect(parseQuotePatch({ symbol: 'A', price: null })).toBeUndefined()
    expect(parseQuotePatch({ symbol: 'A', price: Number.NaN })).toBeUndefined()
    expect(parseQuotePatch({ symbol: 'A', volume: Number.POSITIVE_INFINITY })).toBeUndefined()
    expect(parseQuotePatch({ symbol: 'A', price: '1' })).toBeUndefined()
    expect(parseQuotePatch({ symbol: 'A', marketState: 'open' })).toBeUndefined()
    expect(parseQuotePatch({ symbol: 'A', source: 'nasdaq' })).toBeUndefined()
    expect(parseQuotePatch({ symbol: 'A', delayed: 'no' })).toBeUndefined()
    expect(parseQuotePatch([{ symbol: 'A' }])).toBeUndefined()
    expect(parseQuotePatch(null)).toBeUndefined()
  })

  it('answers exactly as QuotePatchSchema does, on 20,000 generated inputs', () => {
    const next = random(20240601)
    let accepted = 0
    for (let i = 0; i < 20_000; i++) {
      const input = randomPatch(next)
      const expected = QuotePatchSchema.safeParse(input)
      const actual = parseQuotePatch(input)
      if (expected.success) {
        accepted++
        expect(actual, JSON.stringify(input)).toStrictEqual(expected.data)
      } else {
        expect(actual, JSON.stringify(input, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))).toBeUndefined()
      }
    }
    // Both outcomes must be well represented for the comparison to mean anything.
    expect(accepted).toBeGreaterThan(2_000)
    expect(accepted).toBeLessThan(18_000)
    // A generous cap: on a loaded two-core machine 20,000 zod parses can pass the 5 s default.
  }, 60_000)
})

describe('parseQuotePatches', () => {
  const schema = z.array(QuotePatchSchema)

  it('answers exactly as the quotes event schema does for whole batches', () => {
    const next = random(7)
    for (let i = 0; i < 2_000; i++) {
      const batch = Array.from({ length: Math.floor(next() * 4) }, () => randomPatch(next))
      const expected = schema.safeParse(batch)
      const actual = parseQuotePatches(batch)
      if (expected.success) expect(actual).toStrictEqual(expected.data)
      else expect(actual).toBeUndefined()
    }
    for (const payload of [null, undefined, {}, 'x', { length: 1, 0: full }]) {
      expect(schema.safeParse(payload).success).toBe(false)
      expect(parseQuotePatches(payload)).toBeUndefined()
    }
  })

  it('rejects the whole batch when one patch is malformed', () => {
    expect(parseQuotePatches([full, { symbol: 'B', price: 'x' }])).toBeUndefined()
    expect(parseQuotePatches([full, { symbol: 'B', price: 2 }])).toStrictEqual([full, { symbol: 'B', price: 2 }])
  })
})
