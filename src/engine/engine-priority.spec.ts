import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { quotaOverridesFrom } from './provider-settings-env'
import { effectiveQuota } from './quota/provider-quotas'
import { engineRig, freshProvider, type EngineRig } from './testing/engine-rig'

const T0 = Date.parse('2026-03-10T11:00:00-04:00')
const SYMBOLS = Array.from({ length: 120 }, (_, i) => `S${i}`)
const ON_SCREEN = SYMBOLS.slice(0, 10)

const mean = (counts: Map<string, number>, symbols: readonly string[]): number =>
  symbols.reduce((sum, s) => sum + (counts.get(s) ?? 0), 0) / symbols.length

function countsOf(calls: string[][]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const s of calls.flat()) counts.set(s, (counts.get(s) ?? 0) + 1)
  return counts
}

describe('Engine priorities under a tight quota', () => {
  let rig: EngineRig | null = null
  beforeEach(() => vi.useFakeTimers({ now: T0 }))
  afterEach(async () => {
    await rig?.dispose()
    rig = null
    vi.useRealTimers()
  })

  const start = () => {
    const finnhub = freshProvider('finnhub')
    // Finnhub's free tier: 60 requests a minute, one symbol each, far fewer than 120 symbols every 5 s.
    rig = engineRig({ providers: { finnhub }, deps: { quotaFor: (id, limits) => effectiveQuota(id, quotaOverridesFrom(limits)) } })
    rig.configure({ provider: 'finnhub' })
    return { r: rig, finnhub }
  }

  it('refreshes the symbols on screen about twice as often as the rest', async () => {
    const { r, finnhub } = start()
    r.watch(...SYMBOLS)
    r.engine.handle({ type: 'set-priority', symbols: ON_SCREEN })
    await r.seconds(300)
    const counts = countsOf(finnhub.calls)
    const high = mean(counts, ON_SCREEN)
    const normal = mean(counts, SYMBOLS.slice(10))
    expect(normal).toBeGreaterThan(0)
    expect(high / normal).toBeGreaterThan(1.6)
    expect(finnhub.calls.length).toBeLessThanOrEqual(5 * 60 + 1)
  })

  it('treats everyone alike again when the set is replaced, and starts a later symbol from the set as high', async () => {
    const { r, finnhub } = start()
    r.watch(...SYMBOLS)
    const late = Array.from({ length: 10 }, (_, i) => `L${i}`)
    const others = Array.from({ length: 10 }, (_, i) => `M${i}`)
    // Sent before those symbols are watched, and in lower case: it still counts once they are.
    r.engine.handle({ type: 'set-priority', symbols: [...ON_SCREEN, ...late.map((s) => s.toLowerCase())] })
    await r.seconds(60)
    r.watch(...SYMBOLS, ...late, ...others)
    finnhub.calls.length = 0
    await r.seconds(300)
    const counts = countsOf(finnhub.calls)
    expect(mean(counts, late) / mean(counts, others)).toBeGreaterThan(1.6)

    r.engine.handle({ type: 'set-priority', symbols: [] })
    finnhub.calls.length = 0
    await r.seconds(300)
    const after = countsOf(finnhub.calls)
    expect(mean(after, ON_SCREEN) / mean(after, SYMBOLS.slice(10))).toBeLessThan(1.3)
  })
})
