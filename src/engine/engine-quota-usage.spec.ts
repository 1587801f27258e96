import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ProviderId } from '../shared/providers'
import { quotaOverridesFrom } from './provider-settings-env'
import { effectiveQuota } from './quota/provider-quotas'
import type { QuotaUsageSnapshot } from './quota/quota-usage'
import { engineRig, freshProvider, type EngineRig } from './testing/engine-rig'
import type { FakeQuoteProvider } from './testing/fake-quote-provider'

const MIDNIGHT_UTC = Date.UTC(2026, 2, 10, 0, 0, 0)
const quotaFor = (id: ProviderId, limits: Parameters<typeof quotaOverridesFrom>[0]) => effectiveQuota(id, quotaOverridesFrom(limits))

function start(provider: FakeQuoteProvider, restore?: Partial<Record<ProviderId, unknown>>): EngineRig {
  const rig = engineRig({ providers: { [provider.id]: provider }, deps: { quotaFor } })
  // As the host does: saved usage first, then the configuration that opens the lanes.
  if (restore !== undefined) rig.engine.handle({ type: 'restore-quota-usage', usage: restore })
  rig.configure({ provider: provider.id, refreshIntervalSec: 60 })
  return rig
}

/** Moves the clock a minute at a time (the planner's pace is minutes to hours). */
async function minutes(rig: EngineRig, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await rig.advance(60_000)
}

const usageEvents = (rig: EngineRig, provider: ProviderId) => rig.of('quota-usage').filter((e) => e.provider === provider)

describe('Engine quota usage across restarts', () => {
  const rigs: EngineRig[] = []
  const track = (rig: EngineRig): EngineRig => (rigs.push(rig), rig)
  afterEach(async () => {
    for (const rig of rigs.splice(0)) await rig.dispose()
    vi.useRealTimers()
  })

  it('does not spend the day\'s Alpha Vantage budget again after a restart with the saved usage', async () => {
    vi.useFakeTimers({ now: MIDNIGHT_UTC })
    const runDay = async (restoreSaved: boolean): Promise<number> => {
      const first = freshProvider('alphavantage')
      const a = track(start(first))
      a.watch('IBM', 'AAPL', 'MSFT')
      await minutes(a, 12 * 60)
      await a.dispose()
      const saved = usageEvents(a, 'alphavantage').at(-1)?.snapshot as QuotaUsageSnapshot | undefined
      expect(saved?.dayUsed).toBe(first.calls.length)

      const second = freshProvider('alphavantage')
      const b = track(start(second, restoreSaved ? { alphavantage: saved } : undefined))
      b.watch('IBM', 'AAPL', 'MSFT')
      await minutes(b, 11 * 60 + 50)
      await b.dispose()
      vi.setSystemTime(MIDNIGHT_UTC)
      return first.calls.length + second.calls.length
    }
    const withSaved = await runDay(true)
    expect(withSaved).toBeGreaterThan(15)
    expect(withSaved).toBeLessThanOrEqual(25)
    // Without the saved usage a restart would be handed a fresh daily budget.
    expect(await runDay(false)).toBeGreaterThan(25)
  }, 30_000)

  it('reports usage at most every 10 s, with the last change after the requests stop', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 2, 10, 15, 0, 0) })
    const finnhub = freshProvider('finnhub')
    const rig = track(start(finnhub))
    rig.configure({ provider: 'finnhub', refreshIntervalSec: 1 })
    rig.watch('A', 'B', 'C', 'D', 'E')
    await rig.seconds(60)
    rig.watch()
    await rig.seconds(30)
    const events = usageEvents(rig, 'finnhub')
    expect(events.length).toBeGreaterThanOrEqual(5)
    expect(events.length).toBeLessThanOrEqual(8)
    expect((events.at(-1)?.snapshot as QuotaUsageSnapshot).dayUsed).toBe(finnhub.calls.length)
    const times = rig.events.flatMap((e, i) => (e.type === 'quota-usage' ? [rig.eventTimes[i] ?? 0] : []))
    expect(times.slice(1).every((t, i) => t - (times[i] ?? 0) >= 10_000)).toBe(true)

    const before = events.length
    await rig.dispose()
    expect(usageEvents(rig, 'finnhub')).toHaveLength(before + 1)
  })

  it('reports every request at once for a provider allowing 100 a day or less', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 2, 10, 15, 0, 0) })
    const av = freshProvider('alphavantage')
    const rig = track(start(av))
    rig.watch('IBM', 'AAPL')
    await rig.seconds(2)
    rig.engine.handle({ type: 'refresh' })
    await rig.seconds(2)
    expect(av.calls).toHaveLength(2)
    // Two requests within the 10 s throttle, both reported as they happen.
    expect(usageEvents(rig, 'alphavantage').map((e) => (e.snapshot as QuotaUsageSnapshot).dayUsed)).toEqual([1, 2])
  })

  it('warns about unusable saved usage and carries on with the full budget', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 2, 10, 15, 0, 0) })
    const av = freshProvider('alphavantage')
    const rig = track(start(av, { alphavantage: { version: 9 } }))
    rig.watch('IBM')
    await rig.seconds(2)
    expect(rig.logs.some((m) => m.includes('Alpha Vantage') && m.includes('unknown version'))).toBe(true)
    expect(rig.of('log').some((e) => e.level === 'warn' && e.message.includes('unknown version'))).toBe(true)
    expect(av.calls).toHaveLength(1)
  })

  it('applies saved usage that arrives after the lane opened', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 2, 10, 15, 0, 0) })
    const av = freshProvider('alphavantage')
    const rig = track(start(av))
    const full: QuotaUsageSnapshot = { version: 1, provider: 'alphavantage', day: '2026-03-10', dayUsed: 25, recent: [], lastRequestAt: Date.now() - 60_000 }
    rig.engine.handle({ type: 'restore-quota-usage', usage: { alphavantage: full } })
    rig.watch('IBM')
    await minutes(rig, 60)
    expect(av.calls).toHaveLength(0)
  })

  it('keeps what a lane spent when a new key rebuilds it', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 2, 10, 15, 0, 0) })
    const av = freshProvider('alphavantage')
    const rig = track(start(av))
    rig.watch('IBM', 'AAPL')
    await minutes(rig, 5)
    const spent = av.calls.length
    expect(spent).toBeGreaterThan(0)
    rig.engine.handle({ type: 'set-keys', keys: { alphavantage: 'another-key' } })
    await minutes(rig, 10)
    expect(rig.logs.filter((m) => m.startsWith('Using Alpha Vantage'))).toHaveLength(2)
    // A fresh planner would send its first request at once; the carried usage keeps the day's pace.
    expect(av.calls.length).toBe(spent)
  })
})

describe('Engine refresh refusals', () => {
  let rig: EngineRig | null = null
  afterEach(async () => {
    await rig?.dispose()
    rig = null
    vi.useRealTimers()
  })

  it('says once per refresh, naming the provider, why its quota cannot allow a refresh now', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 2, 10, 15, 0, 0) })
    const av = freshProvider('alphavantage')
    const full: QuotaUsageSnapshot = { version: 1, provider: 'alphavantage', day: '2026-03-10', dayUsed: 25, recent: [], lastRequestAt: Date.now() - 60_000 }
    rig = start(av, { alphavantage: full })
    rig.watch('IBM')
    await rig.seconds(2)
    rig.engine.handle({ type: 'refresh' })
    await rig.seconds(3)
    const refused = rig.of('refresh-refused')
    expect(refused).toHaveLength(1)
    expect(refused[0]?.provider).toBe('alphavantage')
    expect(refused[0]?.message).toMatch(/^Alpha Vantage: 0 of 25 daily requests left; the next refresh is possible at .*00:00 UTC/)
    expect(av.calls).toHaveLength(0)

    rig.engine.handle({ type: 'refresh' })
    await rig.seconds(1)
    expect(rig.of('refresh-refused')).toHaveLength(2)
  })

  it('stays quiet for a refresh the host asked for on waking or when the network came back', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 2, 10, 15, 0, 0) })
    const av = freshProvider('alphavantage')
    const full: QuotaUsageSnapshot = { version: 1, provider: 'alphavantage', day: '2026-03-10', dayUsed: 25, recent: [], lastRequestAt: Date.now() - 60_000 }
    rig = start(av, { alphavantage: full })
    rig.watch('IBM')
    await rig.seconds(2)
    rig.engine.handle({ type: 'refresh', reason: 'wake' })
    await rig.seconds(3)
    expect(rig.of('refresh-refused')).toHaveLength(0)
    rig.engine.handle({ type: 'refresh', reason: 'user' })
    await rig.seconds(1)
    expect(rig.of('refresh-refused')).toHaveLength(1)
  })

  it('stays quiet when waking from sleep is what asked for the refresh', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 2, 10, 15, 0, 0) })
    const av = freshProvider('alphavantage')
    const full: QuotaUsageSnapshot = { version: 1, provider: 'alphavantage', day: '2026-03-10', dayUsed: 25, recent: [], lastRequestAt: Date.now() - 60_000 }
    rig = start(av, { alphavantage: full })
    rig.watch('IBM')
    rig.engine.handle({ type: 'power', state: 'suspend' })
    rig.engine.handle({ type: 'power', state: 'resume' })
    await rig.seconds(3)
    expect(rig.of('refresh-refused')).toHaveLength(0)
  })
})
