import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ProviderStatus } from '../shared/ipc/engine-protocol'
import { createCronHeartbeat } from './heartbeat'
import { ProviderError, type FetchResult, type ProviderLimits } from './providers/provider'
import { RefreshScheduler } from './refresh-scheduler'
import type { RequestLimiter } from './request-limiter'
import { FakeQuoteProvider, ManualHeartbeat } from './testing/fake-quote-provider'

const T0 = 1_700_000_000_000

interface Rig {
  provider: FakeQuoteProvider
  heartbeat: ManualHeartbeat
  scheduler: RefreshScheduler
  results: FetchResult[]
  statuses: ProviderStatus[]
  logs: string[]
  /** Advance the clock a whole second at a time, ticking the heartbeat like cron would. */
  seconds(count: number): Promise<void>
  settle(): Promise<void>
}

/** Runs every job on the next microtask, so scheduling logic is tested apart from Bottleneck's own timing. */
const immediateLimiter = (): RequestLimiter => ({
  schedule: (_priority, job) => Promise.resolve().then(job),
  stop: async () => undefined
})

function rig(options: { refreshIntervalSec?: number; limits?: Partial<ProviderLimits>; bottleneck?: boolean } = {}): Rig {
  const provider = new FakeQuoteProvider('simulated', { maxBatch: 50, minTimeMs: 0, maxConcurrent: 1, ...options.limits })
  const heartbeat = new ManualHeartbeat()
  const results: FetchResult[] = []
  const statuses: ProviderStatus[] = []
  const logs: string[] = []
  const scheduler = new RefreshScheduler({
    provider,
    refreshIntervalSec: options.refreshIntervalSec ?? 5,
    now: () => Date.now(),
    heartbeat,
    onResult: (result) => results.push(result),
    onStatus: (status) => statuses.push(status),
    log: (_level, message) => logs.push(message),
    createLimiter: options.bottleneck ? undefined : immediateLimiter
  })
  const settle = async (): Promise<void> => {
    await vi.advanceTimersByTimeAsync(0)
  }
  return {
    provider,
    heartbeat,
    scheduler,
    results,
    statuses,
    logs,
    settle,
    async seconds(count) {
      for (let i = 0; i < count; i++) {
        await vi.advanceTimersByTimeAsync(1000)
        heartbeat.tick()
        await settle()
      }
    }
  }
}

describe('RefreshScheduler', () => {
  let current: Rig | null = null
  const make = (options?: Parameters<typeof rig>[0]): Rig => (current = rig(options))

  beforeEach(() => {
    vi.useFakeTimers({ now: T0 })
  })
  afterEach(async () => {
    const disposed = current?.scheduler.dispose()
    await vi.advanceTimersByTimeAsync(1_000)
    await disposed
    current = null
    vi.useRealTimers()
  })

  it('fetches newly added symbols at once, without waiting for the heartbeat', async () => {
    const r = make()
    r.scheduler.start()
    r.scheduler.add(['AAPL', 'MSFT'])
    await r.settle()
    expect(r.provider.calls).toEqual([['AAPL', 'MSFT']])
    expect(r.results[0]?.quotes.map((q) => q.symbol)).toEqual(['AAPL', 'MSFT'])
  })

  it('splits requests into batches of at most maxBatch symbols', async () => {
    const r = make({ limits: { maxBatch: 2 } })
    r.scheduler.start()
    r.scheduler.add(['A', 'B', 'C', 'D', 'E'])
    await r.settle()
    expect(r.provider.calls).toEqual([['A', 'B'], ['C', 'D'], ['E']])
  })

  it('refetches a symbol only once its refresh interval has passed', async () => {
    const r = make({ refreshIntervalSec: 5 })
    r.scheduler.start()
    r.scheduler.add(['AAPL'])
    await r.settle()
    await r.seconds(4)
    expect(r.provider.calls).toHaveLength(1)
    await r.seconds(1)
    expect(r.provider.calls).toHaveLength(2)
    await r.seconds(5)
    expect(r.provider.calls).toHaveLength(3)
  })

  it('refreshes symbols with their own interval apart from the others, and back to the common one when cleared', async () => {
    const r = make({ refreshIntervalSec: 2 })
    r.scheduler.start()
    r.scheduler.add(['AAPL', 'BTC-USD'])
    await r.settle()
    r.scheduler.setSymbolInterval(['BTC-USD', 'NOT-SCHEDULED'], 10_000)
    expect(r.scheduler.has('NOT-SCHEDULED')).toBe(false)
    await r.seconds(8)
    expect(r.provider.requested().filter((s) => s === 'AAPL')).toHaveLength(5)
    expect(r.provider.requested().filter((s) => s === 'BTC-USD')).toHaveLength(1)
    await r.seconds(2)
    expect(r.provider.requested().filter((s) => s === 'BTC-USD')).toHaveLength(2)
    r.scheduler.setSymbolInterval(['BTC-USD'], null)
    await r.seconds(2)
    expect(r.provider.requested().filter((s) => s === 'BTC-USD')).toHaveLength(3)
  })

  it('follows a changed refresh interval', async () => {
    const r = make({ refreshIntervalSec: 10 })
    r.scheduler.start()
    r.scheduler.add(['AAPL'])
    await r.settle()
    r.scheduler.setRefreshInterval(2)
    await r.seconds(2)
    expect(r.provider.calls).toHaveLength(2)
  })

  it('never has two requests in flight for the same symbol', async () => {
    const r = make({ refreshIntervalSec: 1, limits: { maxConcurrent: 4 } })
    r.provider.hold()
    r.scheduler.start()
    r.scheduler.add(['AAPL'])
    await r.settle()
    await r.seconds(5)
    expect(r.provider.calls).toEqual([['AAPL']])
    r.scheduler.refreshNow()
    await r.settle()
    expect(r.provider.calls).toHaveLength(1)

    r.provider.held[0]?.resolve()
    await r.settle()
    await r.seconds(1)
    expect(r.provider.calls).toHaveLength(2)
  })

  it('stops fetching removed symbols and drops late answers for them', async () => {
    const r = make({ refreshIntervalSec: 1 })
    r.provider.hold()
    r.scheduler.start()
    r.scheduler.add(['AAPL', 'MSFT'])
    await r.settle()
    r.scheduler.remove(['MSFT'])
    r.provider.held[0]?.resolve()
    await r.settle()
    expect(r.results.flatMap((x) => x.quotes.map((q) => q.symbol))).toEqual(['AAPL'])
    await r.seconds(2)
    expect(r.provider.requested().filter((s) => s === 'MSFT')).toHaveLength(1)
  })

  it('holds every request back until Retry-After has passed after a rate limit', async () => {
    const r = make({ refreshIntervalSec: 1 })
    r.provider.next(() => {
      throw new ProviderError('rate-limit', 'Yahoo Finance is limiting requests (HTTP 429).', 30_000)
    })
    r.scheduler.start()
    r.scheduler.add(['AAPL'])
    await r.settle()
    expect(r.scheduler.status.rateLimitedUntil).toBe(T0 + 30_000)
    expect(r.scheduler.status.lastError).toMatch(/limiting requests/)

    r.scheduler.refreshNow()
    await r.seconds(29)
    expect(r.provider.calls).toHaveLength(1)

    await r.seconds(1)
    expect(r.provider.calls).toHaveLength(2)
    expect(r.scheduler.status).toMatchObject({ rateLimitedUntil: null, lastError: null, lastSuccess: T0 + 30_000 })
  })

  it('backs off exponentially on rate limits that give no Retry-After', async () => {
    const r = make({ refreshIntervalSec: 1 })
    const limited = () => {
      throw new ProviderError('rate-limit', 'Too many requests.')
    }
    r.provider.next(limited).next(limited)
    r.scheduler.start()
    r.scheduler.add(['AAPL'])
    await r.settle()
    expect(r.scheduler.status.rateLimitedUntil).toBe(T0 + 5_000)
    await r.seconds(5)
    expect(r.provider.calls).toHaveLength(2)
    expect(r.scheduler.status.rateLimitedUntil).toBe(T0 + 5_000 + 10_000)
    await r.seconds(9)
    expect(r.provider.calls).toHaveLength(2)
    await r.seconds(1)
    expect(r.provider.calls).toHaveLength(3)
    expect(r.scheduler.status.rateLimitedUntil).toBeNull()
  })

  it('does not send requests queued before a rate limit began', async () => {
    const r = make({ limits: { maxBatch: 1, maxConcurrent: 1, minTimeMs: 100 }, bottleneck: true })
    r.provider.next(() => {
      throw new ProviderError('rate-limit', 'Slow down.', 60_000)
    })
    r.scheduler.start()
    r.scheduler.add(['A', 'B', 'C'])
    await vi.advanceTimersByTimeAsync(1_000)
    expect(r.provider.calls).toEqual([['A']])
  })

  it('goes offline on network errors, retries with growing waits capped near a minute, and recovers on success', async () => {
    const r = make({ refreshIntervalSec: 300 })
    const down = () => {
      throw new ProviderError('network', 'Cannot reach Yahoo Finance: connection refused')
    }
    for (let i = 0; i < 8; i++) r.provider.next(down)
    r.scheduler.start()
    r.scheduler.add(['AAPL'])
    await r.settle()
    expect(r.scheduler.status).toMatchObject({ online: false, offlineSince: T0, lastError: expect.stringMatching(/Cannot reach/) })

    const attemptTimes: number[] = []
    for (let s = 0; s < 200; s++) {
      const before = r.provider.calls.length
      await r.seconds(1)
      if (r.provider.calls.length > before) attemptTimes.push((Date.now() - T0) / 1000)
    }
    // Waits of 2, 4, 8, 16, 32, then 60 s (the cap) after each failure.
    expect(attemptTimes).toEqual([2, 6, 14, 30, 62, 122, 182])
    expect(r.scheduler.status).toMatchObject({ online: false, offlineSince: T0 })

    await r.seconds(60)
    expect(r.scheduler.status).toMatchObject({ online: true, offlineSince: null, lastError: null })
  })

  it('lets a manual refresh try the network at once while offline, but not during a rate-limit cooldown', async () => {
    const r = make({ refreshIntervalSec: 300 })
    r.provider.next(() => {
      throw new ProviderError('network', 'Cannot reach the provider.')
    })
    r.scheduler.start()
    r.scheduler.add(['AAPL'])
    await r.settle()
    expect(r.scheduler.status.online).toBe(false)
    r.scheduler.refreshNow()
    await r.settle()
    expect(r.provider.calls).toHaveLength(2)
    expect(r.scheduler.status.online).toBe(true)

    r.provider.next(() => {
      throw new ProviderError('rate-limit', 'Slow down.', 10_000)
    })
    r.scheduler.refreshNow()
    await r.settle()
    expect(r.provider.calls).toHaveLength(3)
    r.scheduler.refreshNow()
    await r.settle()
    expect(r.provider.calls).toHaveLength(3)
  })

  it('pauses polling while suspended and refreshes everything on resume', async () => {
    const r = make({ refreshIntervalSec: 1 })
    r.scheduler.start()
    r.scheduler.add(['AAPL'])
    await r.settle()
    r.scheduler.suspend()
    await r.seconds(10)
    expect(r.provider.calls).toHaveLength(1)
    r.scheduler.resume()
    await r.settle()
    expect(r.provider.calls).toHaveLength(2)
  })

  it('catches up on resume even when the suspend was never seen', async () => {
    const r = make({ refreshIntervalSec: 60 })
    r.scheduler.start()
    r.scheduler.add(['AAPL'])
    await r.settle()
    r.scheduler.resume()
    await r.settle()
    expect(r.provider.calls).toHaveLength(2)
  })

  it('turns anything a provider throws into a plain-words status error and keeps going', async () => {
    const r = make({ refreshIntervalSec: 1 })
    r.provider.next(() => {
      throw new TypeError('boom')
    })
    r.provider.next(() => ({ nonsense: true }) as unknown as FetchResult)
    r.scheduler.start()
    r.scheduler.add(['AAPL'])
    await r.settle()
    expect(r.scheduler.status.lastError).toBe('Simulated market failed unexpectedly: boom')
    await r.seconds(1)
    expect(r.scheduler.status.lastError).toBe('Simulated market failed unexpectedly: it returned no quote list')
    await r.seconds(1)
    expect(r.scheduler.status.lastError).toBeNull()
    expect(r.results).toHaveLength(1)
  })

  it('reports a status change only when something changed', async () => {
    const r = make({ refreshIntervalSec: 1 })
    r.scheduler.start()
    r.scheduler.add(['AAPL'])
    await r.settle()
    const count = r.statuses.length
    expect(count).toBe(1)
    await r.seconds(3)
    // Each success moves lastSuccess, which is a change; nothing else is announced.
    expect(r.statuses).toHaveLength(count + 3)
    expect(new Set(r.statuses.map((s) => s.lastSuccess)).size).toBe(r.statuses.length)
  })

  it('spaces requests by the provider minTime through its Bottleneck limiter', async () => {
    const r = make({ limits: { maxBatch: 1, minTimeMs: 1_000, maxConcurrent: 1 }, bottleneck: true })
    const startedAt: number[] = []
    for (let i = 0; i < 3; i++) {
      r.provider.next((symbols) => {
        startedAt.push(Date.now() - T0)
        return r.provider.answer(symbols)
      })
    }
    r.scheduler.start()
    r.scheduler.add(['A', 'B', 'C'])
    await vi.advanceTimersByTimeAsync(2_500)
    expect(startedAt).toHaveLength(3)
    expect((startedAt[1] ?? 0) - (startedAt[0] ?? 0)).toBeGreaterThanOrEqual(990)
    expect((startedAt[2] ?? 0) - (startedAt[1] ?? 0)).toBeGreaterThanOrEqual(990)
  })

  it('never exceeds maxConcurrent requests at once', async () => {
    const r = make({ limits: { maxBatch: 1, minTimeMs: 0, maxConcurrent: 2 }, bottleneck: true })
    for (let i = 0; i < 6; i++) r.provider.next(async (symbols) => {
      await new Promise((resolve) => setTimeout(resolve, 100))
      return r.provider.answer(symbols)
    })
    r.scheduler.start()
    r.scheduler.add(['A', 'B', 'C', 'D', 'E', 'F'])
    await vi.advanceTimersByTimeAsync(1_000)
    expect(r.provider.calls).toHaveLength(6)
    expect(r.provider.maxActive).toBe(2)
  })

  it('sends nothing after dispose', async () => {
    const r = make({ refreshIntervalSec: 1 })
    r.scheduler.start()
    r.scheduler.add(['AAPL'])
    await r.settle()
    const disposed = r.scheduler.dispose()
    await r.settle()
    await disposed
    expect(r.heartbeat.running).toBe(false)
    r.scheduler.add(['MSFT'])
    r.scheduler.refreshNow()
    await r.seconds(3)
    expect(r.provider.calls).toHaveLength(1)
  })
})

describe('createCronHeartbeat', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('ticks once a second and stops when asked', async () => {
    vi.useFakeTimers({ now: T0 })
    const heartbeat = createCronHeartbeat()
    let ticks = 0
    heartbeat.start(() => ticks++)
    await vi.advanceTimersByTimeAsync(5_000)
    expect(ticks).toBeGreaterThanOrEqual(4)
    expect(ticks).toBeLessThanOrEqual(5)
    heartbeat.stop()
    const stoppedAt = ticks
    await vi.advanceTimersByTimeAsync(5_000)
    expect(ticks).toBe(stoppedAt)
  })
})
