import { createSimulatedProvider } from '../src/engine/providers/simulated'
import { MarketStateStamp } from '../src/engine/market-hours/market-state-stamp'
import { QuoteCoalescer } from '../src/engine/quote-coalescer'
import { quoteProblem } from '../src/engine/quote-check'
import type { Timers } from '../src/engine/timers'
import { benchSymbols, round, type Metric } from './metric'

/**
 * The engine's hot path on the real classes: the simulated provider normalises 5,000 quotes,
 * each is checked, stamped with its market session, diffed and coalesced, and every batch is
 * serialised as it would be for IPC. The stamp runs as for a provider without its own market
 * state (the simulated one is exempt), so its calendar lookups are part of the figure.
 */
export async function measureEngineThroughput(options: { symbols?: number; seconds?: number } = {}): Promise<Metric[]> {
  const symbols = benchSymbols(options.symbols ?? 5000)
  const seconds = options.seconds ?? 3
  let clock = Date.UTC(2026, 0, 5, 15, 0, 0)
  const provider = createSimulatedProvider({ seed: 7, deps: { now: () => clock, log: () => {} } })
  // Flushing is driven by the loop (one batch per fetch), so no real timers are needed.
  const manualTimers: Timers = { setTimeout: () => 0, clearTimeout: () => {} }
  let serialisedBytes = 0
  let patchCount = 0
  const coalescer = new QuoteCoalescer({
    timers: manualTimers,
    onFlush: (patches) => {
      patchCount += patches.length
      serialisedBytes += JSON.stringify({ type: 'quotes', patches }).length
    }
  })

  const stamp = new MarketStateStamp()
  let updates = 0
  let rejected = 0
  const started = performance.now()
  const deadline = started + seconds * 1000
  while (performance.now() < deadline) {
    clock += 1000
    const { quotes } = await provider.fetchQuotes(symbols)
    for (const quote of quotes) {
      if (quoteProblem(quote) !== null) {
        rejected++
        continue
      }
      coalescer.push(stamp.stamp(quote, 'twelvedata'))
    }
    coalescer.flush()
    updates += quotes.length
  }
  const elapsed = (performance.now() - started) / 1000
  if (rejected > 0) throw new Error(`${rejected} simulated quotes failed the engine's quote check`)
  if (patchCount === 0 || serialisedBytes === 0) throw new Error('the coalescer produced no batches')
  return [
    { metric: 'engine_updates_per_s', value: Math.round(updates / elapsed), unit: 'updates/s' },
    { metric: 'engine_patch_bytes_per_update', value: round(serialisedBytes / Math.max(1, patchCount), 1), unit: 'bytes' }
  ]
}
