import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ProviderId } from '../../shared/providers'
import { ProviderError } from '../providers/provider'
import { RefreshScheduler } from '../refresh-scheduler'
import type { RequestLimiter } from '../request-limiter'
import { FakeQuoteProvider, ManualHeartbeat } from '../testing/fake-quote-provider'
import { DOCUMENTED_FREE_TIERS, LimitChecker } from '../../../bench/quota-limit-checker'
import { effectiveQuota } from './provider-quotas'
import type { MarketHoursOptions } from './quota-gate'

const immediateLimiter = (): RequestLimiter => ({
  schedule: (_priority, job) => Promise.resolve().then(job),
  stop: async () => undefined
})

function rig(id: ProviderId, options: { quota?: boolean; marketHours?: MarketHoursOptions; refreshIntervalSec?: number } = {}) {
  const provider = new FakeQuoteProvider(id, { maxBatch: 50, minTimeMs: 0, maxConcurrent: 4 })
  const heartbeat = new ManualHeartbeat()
  const logs: string[] = []
  const scheduler = new RefreshScheduler({
    provider,
    refreshIntervalSec: options.refreshIntervalSec ?? 5,
    now: () => Date.now(),
    heartbeat,
    onResult: () => undefined,
    onStatus: () => undefined,
    log: (_level, message) => logs.push(message),
    createLimiter: immediateLimiter,
    quota: options.quota === false ? null : effectiveQuota(id),
    marketHours: options.marketHours
  })
  const times: number[] = []
  const seconds = async (count: number): Promise<void> => {
    for (let i = 0; i < count; i++) {
      await vi.advanceTimersByTimeAsync(1000)
      heartbeat.tick()
      await vi.advanceTimersByTimeAsync(0)
    }
  }
  return { provider, scheduler, logs, seconds, times }
}

describe('RefreshScheduler under a quota', () => {
  let schedulers: RefreshScheduler[] = []
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2026, 2, 10, 15, 0) }) // Tuesday 11:00 New York
  })
  afterEach(async () => {
    for (const s of schedulers) await s.dispose()
    schedulers = []
    vi.useRealTimers()
  })

  it('paces Finnhub to its per-minute limit instead of the flat 5 s interval', async () => {
    const r = rig('finnhub')
    schedulers.push(r.scheduler)
    const symbols = Array.from({ length: 120 }, (_, i) => `S${i}`)
    r.scheduler.add(symbols)
    r.scheduler.start()
    await r.seconds(180)
    // Flat polling would send 120 requests every 5 s; the quota allows about 60 a minute.
    expect(r.provider.calls.length).toBeGreaterThan(170)
    expect(r.provider.calls.length).toBeLessThanOrEqual(180)
    expect(r.provider.calls.every((c) => c.length === 1)).toBe(true)
  })

  it('keeps Alpha Vantage within 5 a minute and 25 a day, checked independently', async () => {
    const r = rig('alphavantage')
    schedulers.push(r.scheduler)
    const checker = new LimitChecker(DOCUMENTED_FREE_TIERS.alphavantage)
    const fetch = r.provider.fetchQuotes.bind(r.provider)
    r.provider.fetchQuotes = (symbols: readonly string[]) => {
      checker.record({ at: Date.now(), symbols: symbols.length })
      return fetch(symbols)
    }
    r.scheduler.add(['IBM', 'AAPL', 'MSFT'])
    r.scheduler.start()
    await r.seconds(600)
    expect(checker.violations).toBe(0)
    // One request at once, then the day's budget spread out: nothing like 5 a minute.
    expect(r.provider.calls.length).toBeLessThanOrEqual(2)
  })

  it('answers a user refresh with one request ahead of the pace, then a plain-words refusal', async () => {
    const r = rig('alphavantage')
    schedulers.push(r.scheduler)
    r.scheduler.add(['IBM', 'AAPL'])
    r.scheduler.start()
    await r.seconds(2)
    expect(r.provider.calls).toHaveLength(1)
    r.scheduler.refreshNow()
    await r.seconds(1)
    expect(r.provider.calls).toHaveLength(2)
    r.scheduler.refreshNow()
    await r.seconds(1)
    expect(r.provider.calls).toHaveLength(2)
    expect(r.logs.at(-1)).toMatch(/^Alpha Vantage: 23 of 25 daily requests left; the next refresh is possible at \d\d:\d\d/)
    expect(r.scheduler.quotaUsage()).toMatchObject({ provider: 'alphavantage', dayUsed: 2 })
  })

  it('restores saved usage so a restart starts with what is left today', async () => {
    const r = rig('alphavantage')
    schedulers.push(r.scheduler)
    const day = new Date(Date.now()).toISOString().slice(0, 10)
    expect(r.scheduler.restoreQuotaUsage({ version: 1, provider: 'alphavantage', day, dayUsed: 25, recent: [], lastRequestAt: Date.now() - 60_000 })).toBeNull()
    r.scheduler.add(['IBM'])
    r.scheduler.start()
    await r.seconds(30)
    expect(r.provider.calls).toHaveLength(0)
    expect(r.scheduler.restoreQuotaUsage('junk')).toMatch(/not an object/)
  })

  it('leaves unlimited providers on the flat interval', async () => {
    const r = rig('simulated', { refreshIntervalSec: 5 })
    schedulers.push(r.scheduler)
    r.scheduler.add(['A', 'B'])
    r.scheduler.start()
    await r.seconds(20)
    expect(r.provider.calls.length).toBeGreaterThanOrEqual(4)
    expect(r.scheduler.quotaUsage()).toBeNull()
  })
})

describe('RefreshScheduler with market hours', () => {
  let schedulers: RefreshScheduler[] = []
  afterEach(async () => {
    for (const s of schedulers) await s.dispose()
    schedulers = []
    vi.useRealTimers()
  })

  it('fetches a closed US equity once, keeps polling crypto, and resumes equities at the open', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 2, 9, 13, 25) }) // Monday 09:25 New York, pre-market
    const r = rig('yahoo', { quota: false, marketHours: { extendedHours: false } })
    schedulers.push(r.scheduler)
    r.scheduler.add(['AAPL', 'BTC-USD', 'VOD.L'])
    r.scheduler.start()
    await r.seconds(120)
    const fetched = (s: string): number => r.provider.calls.filter((c) => c.includes(s)).length
    expect(fetched('AAPL')).toBe(1)
    expect(fetched('BTC-USD')).toBeGreaterThan(20)
    expect(fetched('VOD.L')).toBeGreaterThan(20)
    await r.seconds(300) // past 09:30
    expect(fetched('AAPL')).toBeGreaterThan(20)
  })

  it('tries a closed US equity again when its first fetch fails, then leaves it alone', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 2, 14, 15, 0) }) // Saturday
    const r = rig('yahoo', { quota: false, marketHours: { extendedHours: false } })
    schedulers.push(r.scheduler)
    r.provider.next(() => {
      throw new ProviderError('network', 'Yahoo Finance cannot be reached.')
    })
    r.scheduler.add(['AAPL'])
    r.scheduler.start()
    await r.seconds(120)
    expect(r.provider.calls).toEqual([['AAPL'], ['AAPL']])
  })

  it('retries the closing fetch after the close when it was rate limited', async () => {
    // Monday 15:50 New York (EDT): the session, the close at 16:00, its settled quote from 16:20.
    vi.useFakeTimers({ now: Date.UTC(2026, 2, 9, 19, 50) })
    const settled = Date.UTC(2026, 2, 9, 20, 20)
    const r = rig('finnhub', { marketHours: { extendedHours: false } })
    schedulers.push(r.scheduler)
    const answer = r.provider.fetchQuotes.bind(r.provider)
    const sentAt: number[] = []
    r.provider.fetchQuotes = async (symbols: readonly string[]) => {
      sentAt.push(Date.now())
      if (Date.now() >= settled && sentAt.filter((at) => at >= settled).length === 1) {
        throw new ProviderError('rate-limit', 'Finnhub is limiting requests.', 30_000)
      }
      return answer(symbols)
    }
    r.scheduler.add(['AAPL'])
    r.scheduler.start()
    await r.seconds(45 * 60)
    expect(sentAt.filter((at) => at < settled).length).toBeGreaterThan(10)
    // After 16:20: the refused closing fetch, one retry that gets the closing quote, then nothing.
    const late = sentAt.filter((at) => at >= settled)
    expect(late).toHaveLength(2)
    expect(late[1]! - late[0]!).toBeGreaterThanOrEqual(30_000)
  })

  it.each([
    ['on the flat interval', 'yahoo', false],
    ['under a quota', 'finnhub', true]
  ] as const)("fetches a closed US equity once more on the user's refresh %s, not on a wake-up", async (_how, id, quota) => {
    vi.useFakeTimers({ now: Date.UTC(2026, 2, 14, 15, 0) }) // Saturday
    const r = rig(id, { quota, marketHours: { extendedHours: false } })
    schedulers.push(r.scheduler)
    r.scheduler.add(['AAPL'])
    r.scheduler.start()
    await r.seconds(30)
    expect(r.provider.calls).toHaveLength(1)
    r.scheduler.refreshNow('wake')
    await r.seconds(30)
    expect(r.provider.calls).toHaveLength(1)
    r.scheduler.refreshNow('user')
    await r.seconds(30)
    expect(r.provider.calls).toHaveLength(2)
    await r.seconds(120)
    expect(r.provider.calls).toHaveLength(2)
  })

  it('polls in pre-market when extended hours are on', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 2, 9, 12, 0) }) // 08:00 New York
    const r = rig('yahoo', { quota: false, marketHours: { extendedHours: true } })
    schedulers.push(r.scheduler)
    r.scheduler.add(['AAPL'])
    r.scheduler.start()
    await r.seconds(60)
    expect(r.provider.calls.length).toBeGreaterThan(5)
  })
})
