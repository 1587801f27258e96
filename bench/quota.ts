import { effectiveQuota } from '../src/engine/quota/provider-quotas'
import { optimalIntervalMs, QuotaPlanner } from '../src/engine/quota/quota-planner'
import { DOCUMENTED_FREE_TIERS, LimitChecker } from './quota-limit-checker'
import { benchSymbols, round, type Metric } from './metric'

export type QuotaBenchProvider = keyof typeof DOCUMENTED_FREE_TIERS

export interface QuotaRun {
  provider: QuotaBenchProvider
  symbols: number
  requests: number
  violations: number
  problems: string[]
  optimumMs: number
  /** Symbols × simulated time ÷ symbol refreshes: the mean time between two refreshes of a symbol. */
  meanIntervalMs: number
  /** Longest gap between two refreshes of one symbol. */
  maxGapMs: number
}

const HOUR = 3_600_000

/**
 * Drives the planner on a virtual clock for `hours` from `start`, asking for the next batch when
 * it says one may go (or at the next heartbeat after that, with `tickMs`), and hands every
 * request to the independent limit checker.
 */
export function simulateQuota(
  provider: QuotaBenchProvider,
  symbolCount: number,
  options: { start?: number; hours?: number; tickMs?: number } = {}
): QuotaRun {
  const start = options.start ?? Date.UTC(2026, 2, 10)
  const end = start + (options.hours ?? 24) * HOUR
  const quota = effectiveQuota(provider)
  const planner = new QuotaPlanner({ quota, timeZone: 'UTC' })
  const symbols = benchSymbols(symbolCount)
  planner.add(symbols)
  const checker = new LimitChecker(DOCUMENTED_FREE_TIERS[provider])
  const last = new Map<string, number>()
  let refreshes = 0
  let requests = 0
  let maxGapMs = 0
  let now = start
  while (now < end) {
    const decision = planner.next(now)
    if (decision.kind === 'idle') break
    if (decision.kind === 'wait') {
      if (decision.until <= now) throw new Error(`${provider}: the planner asked to wait until a time already passed`)
      // With tickMs the driver only looks on a heartbeat, as the engine's scheduler does.
      const tick = options.tickMs ?? 0
      now = tick > 0 ? Math.ceil(decision.until / tick) * tick : decision.until
      continue
    }
    requests++
    checker.record({ at: now, symbols: decision.symbols.length })
    for (const symbol of decision.symbols) {
      const previous = last.get(symbol)
      if (previous !== undefined) maxGapMs = Math.max(maxGapMs, now - previous)
      last.set(symbol, now)
      refreshes++
    }
  }
  return {
    provider,
    symbols: symbolCount,
    requests,
    violations: checker.violations,
    problems: checker.problems,
    optimumMs: optimalIntervalMs(quota, symbolCount),
    meanIntervalMs: refreshes === 0 ? Infinity : (symbolCount * (end - start)) / refreshes,
    maxGapMs
  }
}

export const QUOTA_SCENARIOS: [QuotaBenchProvider, number][] = [
  ['alphavantage', 20],
  ['finnhub', 200],
  ['twelvedata', 100]
]

export function measureQuota(): Promise<Metric[]> {
  const metrics: Metric[] = []
  let violations = 0
  for (const [provider, count] of QUOTA_SCENARIOS) {
    const run = simulateQuota(provider, count)
    violations += run.violations
    for (const problem of run.problems) process.stderr.write(`bench: ${provider} over quota: ${problem}\n`)
    metrics.push({ metric: `quota_staleness_ratio_${provider}`, value: round(run.meanIntervalMs / run.optimumMs, 3), unit: 'ratio' })
  }
  metrics.push({ metric: 'quota_violations', value: violations, unit: 'count' })
  return Promise.resolve(metrics)
}
