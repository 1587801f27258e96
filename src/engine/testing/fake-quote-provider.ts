import type { ProviderId } from '../../shared/providers'
import type { FetchResult, ProviderLimits, QuoteProvider } from '../providers/provider'
import { makeQuote } from '../../../tests/fakes/fixtures/make-quote'

export { makeQuote }

type Respond = (symbols: readonly string[]) => FetchResult | Promise<FetchResult>

interface Deferred {
  symbols: readonly string[]
  resolve(result?: FetchResult): void
  reject(error: unknown): void
}

/**
 * A scriptable provider: prices every requested symbol from `prices` (unknown ones become
 * per-symbol errors), or follows one-off scripted answers queued with `next`/`hold`.
 */
export class FakeQuoteProvider implements QuoteProvider {
  readonly calls: string[][] = []
  readonly prices = new Map<string, number>()
  readonly unknown = new Set<string>()
  private readonly scripted: (Respond | 'hold')[] = []
  readonly held: Deferred[] = []
  active = 0
  maxActive = 0

  constructor(
    readonly id: ProviderId = 'simulated',
    readonly limits: ProviderLimits = { maxBatch: 50, minTimeMs: 0, maxConcurrent: 1 }
  ) {}

  /** The next request is answered by `respond` (may throw or reject). */
  next(respond: Respond): this {
    this.scripted.push(respond)
    return this
  }

  /** The next request stays in flight until the test settles it through `held`. */
  hold(): this {
    this.scripted.push('hold')
    return this
  }

  answer(symbols: readonly string[]): FetchResult {
    const result: FetchResult = { quotes: [], errors: [] }
    for (const symbol of symbols) {
      if (this.unknown.has(symbol)) result.errors.push({ symbol, message: `Unknown symbol ${symbol}` })
      else result.quotes.push(makeQuote(symbol, { price: this.prices.get(symbol) ?? 100, source: this.id }))
    }
    return result
  }

  async fetchQuotes(symbols: readonly string[]): Promise<FetchResult> {
    this.calls.push([...symbols])
    this.active++
    this.maxActive = Math.max(this.maxActive, this.active)
    try {
      const script = this.scripted.shift()
      if (script === 'hold') {
        return await new Promise<FetchResult>((resolve, reject) => {
          this.held.push({ symbols, resolve: (result) => resolve(result ?? this.answer(symbols)), reject })
        })
      }
      if (script !== undefined) return await script(symbols)
      return this.answer(symbols)
    } finally {
      this.active--
    }
  }

  /** Every symbol requested so far, flattened. */
  requested(): string[] {
    return this.calls.flat()
  }
}

/** A heartbeat the test ticks by hand. */
export class ManualHeartbeat {
  private onTick: (() => void) | null = null
  running = false

  start(onTick: () => void): void {
    this.onTick = onTick
    this.running = true
  }

  stop(): void {
    this.running = false
    this.onTick = null
  }

  tick(): void {
    this.onTick?.()
  }
}
