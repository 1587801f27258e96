import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Engine } from './engine'
import { quotaOverridesFrom } from './provider-settings-env'
import { effectiveQuota } from './quota/provider-quotas'
import { FakeQuoteProvider, ManualHeartbeat } from './testing/fake-quote-provider'
import { immediateLimiter } from './testing/engine-harness'

const T0 = Date.UTC(2026, 0, 6, 0, 0, 0)
const SYMBOLS = Array.from({ length: 20 }, (_, i) => `S${i}`)

/** An Alpha Vantage-shaped provider (one symbol per request) polled every second for ten minutes. */
async function runTenMinutes(withQuota: boolean, premium = false): Promise<number> {
  const provider = new FakeQuoteProvider('alphavantage', { maxBatch: 1, minTimeMs: 0, maxConcurrent: 1 })
  const heartbeats: ManualHeartbeat[] = []
  const engine = new Engine({
    now: () => Date.now(),
    emit: () => undefined,
    log: () => undefined,
    createProvider: () => provider,
    createHeartbeat: () => {
      const hb = new ManualHeartbeat()
      heartbeats.push(hb)
      return hb
    },
    createLimiter: immediateLimiter,
    ...(withQuota ? { quotaFor: (id, limits) => effectiveQuota(id, quotaOverridesFrom(limits)) } : {})
  })
  engine.handle({
    type: 'configure',
    config: { provider: 'alphavantage', refreshIntervalSec: 1, flushIntervalMs: 16, ...(premium ? { providerLimits: { alphavantage: { perDay: 100_000, perMinute: 600 } } } : {}) }
  })
  engine.handle({ type: 'set-interest', consumer: 'w', symbols: SYMBOLS })
  for (let s = 0; s < 600; s++) {
    await vi.advanceTimersByTimeAsync(1000)
    for (const hb of heartbeats) hb.tick()
  }
  const disposed = engine.dispose()
  await vi.advanceTimersByTimeAsync(100)
  await disposed
  return provider.calls.length
}

describe('Engine request budgets', () => {
  beforeEach(() => vi.useFakeTimers({ now: T0 }))
  afterEach(() => vi.useRealTimers())

  it('spreads a 25-a-day budget over the day instead of spending it in minutes', async () => {
    const unbudgeted = await runTenMinutes(false)
    const budgeted = await runTenMinutes(true)
    expect(unbudgeted).toBeGreaterThan(25)
    expect(budgeted).toBeGreaterThan(0)
    // 25 requests over 24 h: one every ~58 min, so ten minutes allow at most the first couple.
    expect(budgeted).toBeLessThanOrEqual(2)
  })

  it('applies the plan overrides from the settings', async () => {
    const paid = await runTenMinutes(true, true)
    expect(paid).toBeGreaterThan(25)
  })
})
