export interface InterestChange {
  /** Symbols nobody showed before this call. */
  added: string[]
  /** Symbols nobody shows any more. */
  removed: string[]
}

/**
 * Which symbols each consumer (a window, a web client, the CLI) shows. Reference counts give
 * the union the engine fetches: one fetch per symbol however many consumers show it.
 */
export class SubscriptionRegistry {
  private readonly byConsumer = new Map<string, Set<string>>()
  private readonly counts = new Map<string, number>()

  /** Replaces everything `consumer` shows and reports how the union changed. */
  set(consumer: string, symbols: Iterable<string>): InterestChange {
    const next = new Set(symbols)
    const previous = this.byConsumer.get(consumer) ?? new Set<string>()
    const added: string[] = []
    const removed: string[] = []
    for (const symbol of next) {
      if (!previous.has(symbol) && this.increment(symbol)) added.push(symbol)
    }
    for (const symbol of previous) {
      if (!next.has(symbol) && this.decrement(symbol)) removed.push(symbol)
    }
    if (next.size === 0) this.byConsumer.delete(consumer)
    else this.byConsumer.set(consumer, next)
    return { added, removed }
  }

  drop(consumer: string): InterestChange {
    return this.set(consumer, [])
  }

  has(symbol: string): boolean {
    return this.counts.has(symbol)
  }

  /** The union over all consumers. */
  symbols(): string[] {
    return [...this.counts.keys()]
  }

  get size(): number {
    return this.counts.size
  }

  consumers(): string[] {
    return [...this.byConsumer.keys()]
  }

  private increment(symbol: string): boolean {
    const count = this.counts.get(symbol) ?? 0
    this.counts.set(symbol, count + 1)
    return count === 0
  }

  private decrement(symbol: string): boolean {
    const count = this.counts.get(symbol) ?? 0
    if (count <= 1) {
      this.counts.delete(symbol)
      return count === 1
    }
    this.counts.set(symbol, count - 1)
    return false
  }
}
