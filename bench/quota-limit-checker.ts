/**
 * An independent reading of the providers' free-tier rules, kept apart from the planner's own
 * windows and quota table so a mistake in either shows up as a violation: every request is
 * checked against every window that ends at it, and daily totals per UTC date.
 */
export interface LimitRules {
  /** [window length ms, most cost units inside any window of that length]. */
  sliding: [number, number][]
  perUtcDay: number | null
  cost(symbols: number): number
}

export const DOCUMENTED_FREE_TIERS: Record<'alphavantage' | 'finnhub' | 'twelvedata', LimitRules> = {
  // 25 requests/day; 5/min and 1/s kept as conservative caps.
  alphavantage: { sliding: [[1_000, 1], [60_000, 5]], perUtcDay: 25, cost: () => 1 },
  // 60 calls/min on top of 30 calls/s.
  finnhub: { sliding: [[1_000, 30], [60_000, 60]], perUtcDay: null, cost: () => 1 },
  // 1 credit per symbol; 8 credits/min, 800/day.
  twelvedata: { sliding: [[60_000, 8]], perUtcDay: 800, cost: (n) => n }
}

export interface RequestRecord {
  at: number
  symbols: number
}

/** Counts requests that broke a rule. Requests must be given in time order. */
export class LimitChecker {
  private readonly log: { at: number; cost: number }[] = []
  private readonly perDay = new Map<number, number>()
  violations = 0
  readonly problems: string[] = []

  constructor(private readonly rules: LimitRules) {}

  record(request: RequestRecord): void {
    const cost = this.rules.cost(request.symbols)
    this.log.push({ at: request.at, cost })
    let broke = false
    for (const [length, max] of this.rules.sliding) {
      let sum = 0
      for (let i = this.log.length - 1; i >= 0 && this.log[i]!.at > request.at - length; i--) sum += this.log[i]!.cost
      if (sum > max) {
        broke = true
        this.note(`${sum} units within ${length} ms at ${new Date(request.at).toISOString()} (limit ${max})`)
      }
    }
    if (this.rules.perUtcDay !== null) {
      const date = Math.floor(request.at / 86_400_000)
      const total = (this.perDay.get(date) ?? 0) + cost
      this.perDay.set(date, total)
      if (total > this.rules.perUtcDay) {
        broke = true
        this.note(`${total} units on UTC day ${date} (limit ${this.rules.perUtcDay})`)
      }
    }
    if (broke) this.violations++
  }

  private note(problem: string): void {
    if (this.problems.length < 10) this.problems.push(problem)
  }
}
