import { PROVIDER_IDS } from './providers'
import { MarketStateSchema, type QuoteField, type QuotePatch } from './quote'

type FieldKind = 'number' | 'number-or-null' | 'string-or-null' | 'boolean' | 'market-state' | 'provider'

/**
 * The rules of QuotePatchSchema, written out. The record type makes a new Quote field a
 * compile error here, and quote-patch-parser.spec.ts checks the answers against the schema.
 */
const FIELD_KINDS: Record<QuoteField, FieldKind> = {
  name: 'string-or-null',
  price: 'number',
  change: 'number-or-null',
  changePercent: 'number-or-null',
  open: 'number-or-null',
  previousClose: 'number-or-null',
  dayHigh: 'number-or-null',
  dayLow: 'number-or-null',
  volume: 'number-or-null',
  marketCap: 'number-or-null',
  currency: 'string-or-null',
  marketState: 'market-state',
  preMarketPrice: 'number-or-null',
  postMarketPrice: 'number-or-null',
  fiftyTwoWeekHigh: 'number-or-null',
  fiftyTwoWeekLow: 'number-or-null',
  providerTime: 'number',
  receivedAt: 'number',
  source: 'provider',
  delayed: 'boolean'
}
const FIELDS = Object.keys(FIELD_KINDS) as QuoteField[]
const KINDS = FIELDS.map((field) => FIELD_KINDS[field])
const MARKET_STATES: ReadonlySet<unknown> = new Set(MarketStateSchema.options)
const PROVIDERS: ReadonlySet<unknown> = new Set(PROVIDER_IDS)

function valid(kind: FieldKind, value: unknown): boolean {
  switch (kind) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
    case 'number-or-null':
      return value === null || (typeof value === 'number' && Number.isFinite(value))
    case 'string-or-null':
      return value === null || typeof value === 'string'
    case 'boolean':
      return typeof value === 'boolean'
    case 'market-state':
      return MARKET_STATES.has(value)
    case 'provider':
      return PROVIDERS.has(value)
  }
}

/**
 * Validates one patch with the same rules and the same result as QuotePatchSchema.safeParse:
 * a non-empty symbol, each present field of the right type, unknown keys left out.
 * Returns undefined for anything malformed.
 */
export function parseQuotePatch(raw: unknown): QuotePatch | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined
  const input = raw as Record<string, unknown>
  const symbol = input.symbol
  if (typeof symbol !== 'string' || symbol.length === 0) return undefined
  const patch: Record<string, unknown> = { symbol }
  for (let i = 0; i < FIELDS.length; i++) {
    const field = FIELDS[i] as QuoteField
    const value = input[field]
    if (value === undefined) {
      // An optional key given as undefined stays in the output, as the schema keeps it.
      if (field in input) patch[field] = undefined
      continue
    }
    if (!valid(KINDS[i] as FieldKind, value)) return undefined
    patch[field] = value
  }
  return patch as QuotePatch
}

/**
 * The 'quotes' event payload, checked by hand rather than by the schema: it arrives up to once
 * a frame with hundreds of patches, and the generic schema walk was a large share of the
 * renderer's script time. Same rules and output as z.array(QuotePatchSchema).
 */
export function parseQuotePatches(payload: unknown): QuotePatch[] | undefined {
  if (!Array.isArray(payload)) return undefined
  const result: QuotePatch[] = new Array<QuotePatch>(payload.length)
  for (let i = 0; i < payload.length; i++) {
    const patch = parseQuotePatch(payload[i])
    if (patch === undefined) return undefined
    result[i] = patch
  }
  return result
}
