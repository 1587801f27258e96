import { AlertEngine } from '../src/engine/alerts/alert-engine'
import type { AlertCondition, EngineAlertRule } from '../src/shared/alerts'
import type { Quote } from '../src/shared/quote'
import { benchSymbols, type Metric } from './metric'
import { makeQuote } from '../tests/fakes/fixtures/make-quote'

/** Three rules per symbol, rotating through every condition kind. */
function rulesFor(symbol: string, index: number, base: number): EngineAlertRule[] {
  const pick: AlertCondition[][] = [
    [
      { kind: 'price-above', price: base * 1.01 },
      { kind: 'move-within', percent: 1, windowMinutes: 5, direction: 'either' },
      { kind: 'price-below', price: base * 0.99 }
    ],
    [
      { kind: 'crosses', price: base, direction: 'either' },
      { kind: 'day-change-above', percent: 2 },
      { kind: 'volume-above', volume: 5_000_000 }
    ],
    [
      { kind: 'new-52w-high' },
      { kind: 'day-change-below', percent: -2 },
      { kind: 'move-within', percent: 2, windowMinutes: 15, direction: 'down' }
    ]
  ]
  const conditions = pick[index % pick.length]!
  return conditions.map((condition, k) => ({
    id: `${symbol}-${k}`,
    symbols: [symbol],
    condition,
    trigger: k === 0 ? { mode: 'every', cooldownMinutes: 5 } : k === 1 ? { mode: 'daily' } : { mode: 'once' },
    rearmPercent: 0.5,
    expiresAt: null,
    snoozedUntil: null,
    lastFired: {}
  }))
}

/**
 * Rule evaluation on the real classes: ticks for 5,000 symbols with 3 rules each go through the
 * tick guards and the evaluator (AlertEngine.accept, as the engine calls it per provider quote).
 * A few ticks are zero or outliers so the guards do real work too.
 */
export async function measureAlertEval(options: { symbols?: number; seconds?: number } = {}): Promise<Metric[]> {
  const symbols = benchSymbols(options.symbols ?? 5000)
  const seconds = options.seconds ?? 3
  let clock = Date.UTC(2026, 0, 5, 15, 0, 0)
  const alerts = new AlertEngine({ now: () => clock, refreshIntervalSec: 1 })
  const bases = symbols.map((_, i) => 20 + (i % 400))
  alerts.setRules(symbols.flatMap((symbol, i) => rulesFor(symbol, i, bases[i]!)))

  // One quote object per symbol, updated in place the way a provider may reuse its objects.
  const quotes: Quote[] = symbols.map((symbol, i) =>
    makeQuote(symbol, {
      name: null,
      price: bases[i]!,
      change: 0,
      changePercent: 0,
      open: bases[i]!,
      previousClose: bases[i]!,
      dayHigh: bases[i]!,
      dayLow: bases[i]!,
      volume: 1_000_000,
      fiftyTwoWeekHigh: bases[i]! * 1.02,
      fiftyTwoWeekLow: bases[i]! * 0.8,
      providerTime: clock,
      receivedAt: clock
    })
  )
  const walk = new Float64Array(symbols.length).fill(0)
  let seed = 7
  const random = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff
    return seed / 0x7fffffff
  }

  let firings = 0
  let flagged = 0
  let round = 0
  const startEvaluations = alerts.evaluator.evaluations
  const started = performance.now()
  const deadline = started + seconds * 1000
  while (performance.now() < deadline) {
    clock += 1000
    round++
    for (let i = 0; i < quotes.length; i++) {
      const q = quotes[i]!
      const base = bases[i]!
      walk[i] = Math.max(-0.05, Math.min(0.05, walk[i]! + (random() - 0.5) * 0.004))
      let price = base * (1 + walk[i]!)
      // Every 997th tick is a glitch: zero or a 40 % jump that the next tick does not confirm.
      if ((i + round) % 997 === 0) price = round % 2 === 0 ? 0 : price * 1.4
      q.price = price
      q.changePercent = walk[i]! * 100
      q.change = price - base
      if (price > q.dayHigh!) q.dayHigh = price
      if (price > 0 && price < q.dayLow!) q.dayLow = price
      q.volume = q.volume! + 1000
      q.providerTime = clock
      q.receivedAt = clock
      alerts.accept(q)
    }
    const drained = alerts.drain()
    firings += drained.firings.length
    flagged += drained.flags.length
    // Let the event loop breathe between rounds, as a real engine would between results.
    if (round % 20 === 0) await Promise.resolve()
  }
  const elapsed = (performance.now() - started) / 1000
  const evaluations = alerts.evaluator.evaluations - startEvaluations
  if (evaluations === 0 || firings === 0 || flagged === 0) {
    throw new Error(`the alert bench did no real work (${evaluations} evaluations, ${firings} firings, ${flagged} flags)`)
  }
  return [{ metric: 'alert_eval_per_s', value: Math.round(evaluations / elapsed), unit: 'evals/s' }]
}
