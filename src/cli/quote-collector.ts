import type { EngineEvent, ProviderStatus } from '../shared/ipc/engine-protocol'
import type { Quote } from '../shared/quote'
import { QuoteBook } from './quote-book'

export type SymbolOutcome = { symbol: string; quote: Quote } | { symbol: string; error: string }

/**
 * Turns the engine's event stream into one answer per symbol for a one-shot fetch. A price
 * always wins; a provider-wide failure answers every symbol still waiting, because the engine
 * would only retry later and a one-shot command should say why it got nothing.
 */
export class QuoteCollector {
  private readonly book = new QuoteBook()
  private readonly outcomes = new Map<string, SymbolOutcome>()

  constructor(private readonly symbols: readonly string[]) {}

  handle(event: EngineEvent): void {
    switch (event.type) {
      case 'quotes':
        for (const patch of event.patches) {
          if (!this.symbols.includes(patch.symbol)) continue
          const quote = this.book.apply(patch)
          if (quote) this.outcomes.set(patch.symbol, { symbol: patch.symbol, quote })
        }
        break
      case 'symbol-errors':
        for (const { symbol, message } of event.errors) {
          if (message !== null && this.isPending(symbol)) this.outcomes.set(symbol, { symbol, error: message })
        }
        break
      case 'status':
        if (event.status.lastError !== null) this.failPending(describeProviderProblem(event.status))
        break
      default:
        break
    }
  }

  failPending(message: string): void {
    for (const symbol of this.symbols) {
      if (this.isPending(symbol)) this.outcomes.set(symbol, { symbol, error: message })
    }
  }

  get done(): boolean {
    return this.symbols.every((symbol) => this.outcomes.has(symbol))
  }

  outcome(symbol: string): SymbolOutcome | undefined {
    return this.outcomes.get(symbol)
  }

  private isPending(symbol: string): boolean {
    return this.symbols.includes(symbol) && !this.outcomes.has(symbol)
  }
}

/**
 * The status's plain-words problem, named as a rate limit when it is one: providers word their
 * limits differently ("limiting requests", "429"), and a user scanning the output should not have to.
 */
export function describeProviderProblem(status: ProviderStatus): string {
  const message = status.lastError ?? 'the provider reported a problem'
  if (status.rateLimitedUntil !== null && !/rate.?limit/i.test(message)) return `rate limit reached: ${message}`
  return message
}
