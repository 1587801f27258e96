import { QuoteSchema, type Quote, type QuotePatch } from '../shared/quote'

/**
 * Rebuilds full quotes from the engine's patches (the first patch for a symbol carries every
 * field, later ones only what changed).
 */
export class QuoteBook {
  private readonly partial = new Map<string, QuotePatch>()
  private readonly complete = new Map<string, Quote>()

  /** Applies one patch; returns the full quote once every field is known, else null. */
  apply(patch: QuotePatch): Quote | null {
    const merged = { ...this.partial.get(patch.symbol), ...patch }
    this.partial.set(patch.symbol, merged)
    const parsed = QuoteSchema.safeParse(merged)
    if (!parsed.success) return null
    this.complete.set(patch.symbol, parsed.data)
    return parsed.data
  }

  get(symbol: string): Quote | undefined {
    return this.complete.get(symbol)
  }
}
