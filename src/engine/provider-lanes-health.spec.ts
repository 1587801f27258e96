import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { EngineEvent, ProviderStatus } from '../shared/ipc/engine-protocol'
import type { ProviderId } from '../shared/providers'
import { Engine } from './engine'
import { ProviderError } from './providers/provider'
import { effectiveQuota } from './quota/provider-quotas'
import { FakeQuoteProvider, ManualHeartbeat } from './testing/fake-quote-provider'
import { immediateLimiter } from './testing/engine-harness'

const T0 = Date.UTC(2026, 0, 6, 12, 0, 0)

function setup(id: ProviderId, options: { quota?: boolean; threshold?: number; perMinute?: number } = {}) {
  const provider = new FakeQuoteProvider(id, { maxBatch: 1, minTimeMs: 0, maxConcurrent: 1 })
  const events: EngineEvent[] = []
  const sent: { at: number; status: ProviderStatus }[] = []
  const heartbeats: ManualHeartbeat[] = []
  const engine = new Engine({
    now: () => Date.now(),
    emit: (event) => {
      events.push(event)
      if (event.type === 'status') sent.push({ at: Date.now(), status: event.status })
    },
    log: () => undefined,
    createProvider: () => provider,
    createHeartbeat: () => {
      const hb = new ManualHeartbeat()
      heartbeats.push(hb)
      return hb
    },
    createLimiter: immediateLimiter,
    breaker: { threshold: options.threshold ?? 5, coolDownMs: 30_000 },
    ...(options.quota ? { quotaFor: (pid: ProviderId) => ({ ...effectiveQuota(pid, {}), perSecond: null, perMinute: options.perMinute ?? 5 }) } : {})
  })
  engine.handle({ type: 'configure', config: { provider: id, refreshIntervalSec: 1, flushIntervalMs: 16 } })
  const statuses = (): ProviderStatus[] => events.flatMap((e) => (e.type === 'status' ? [e.status] : []))
  return {
    engine,
    provider,
    statuses,
    sent: () => sent,
    last: (): ProviderStatus | undefined => statuses().at(-1),
    async seconds(n: number): Promise<void> {
      for (let i = 0; i < n; i++) {
        await vi.advanceTimersByTimeAsync(1000)
        for (const hb of heartbeats) hb.tick()
        await vi.advanceTimersByTimeAsync(0)
      }
    }
  }
}

describe('provider health in the status', () => {
  beforeEach(() => vi.useFakeTimers({ now: T0 }))
  afterEach(() => vi.useRealTimers())

  it('reports ok with the calls spent this minute and today against the quota', async () => {
    const r = setup('alphavantage', { quota: true, perMinute: 5 })
    r.engine.handle({ type: 'set-interest', consumer: 'w', symbols: ['IBM'] })
    await r.seconds(2)
    expect(r.provider.calls.length).toBe(1)
    expect(r.last()).toMatchObject({
      provider: 'alphavantage',
      state: 'ok',
      usage: { unit: 'requests', minute: { used: 1, limit: 5 }, day: { used: 1, limit: 25 } },
      rateLimitHits: 0
    })
    // 24 left spread over the 12 h to midnight UTC: the next request is planned about half an hour later.
    expect(r.last()?.nextRefreshAt).toBeGreaterThan(Date.now() + 20 * 60_000)
    // The request leaves the sliding minute with no new request to announce it.
    await r.seconds(65)
    expect(r.last()?.usage?.minute).toEqual({ used: 0, limit: 5 })
    expect(r.last()?.usage?.day).toEqual({ used: 1, limit: 25 })
    await r.engine.dispose()
  })

  it('has null limits for a provider without a quota, and a next refresh from the interval', async () => {
    const r = setup('yahoo', { quota: false })
    r.engine.handle({ type: 'set-interest', consumer: 'w', symbols: ['AAPL'] })
    await r.seconds(1)
    expect(r.last()?.usage).toBeUndefined()
    expect(r.last()?.state).toBe('ok')
    expect(r.last()?.nextRefreshAt).toBeGreaterThan(Date.now() - 1000)
    await r.engine.dispose()
  })

  it('sends usage news at most once a second per provider', async () => {
    const r = setup('yahoo')
    r.engine.handle({ type: 'set-interest', consumer: 'w', symbols: ['A', 'B', 'C', 'D', 'E', 'F'] })
    await r.seconds(10)
    expect(r.provider.calls.length).toBeGreaterThan(30)
    // Six requests go out every second; statuses that differ only in usage or next refresh are a second apart at least.
    const core = (s: ProviderStatus): string => JSON.stringify({ ...s, usage: undefined, nextRefreshAt: undefined })
    const sent = r.sent()
    let usageOnly = 0
    for (let i = 1; i < sent.length; i++) {
      if (core(sent[i]!.status) !== core(sent[i - 1]!.status)) continue
      usageOnly++
      expect(sent[i]!.at - sent[i - 1]!.at).toBeGreaterThanOrEqual(1000)
    }
    expect(usageOnly).toBeGreaterThan(0)
    await r.engine.dispose()
  })

  it('counts rate-limit answers and says rate-limited while waiting', async () => {
    const r = setup('finnhub')
    r.provider.next(() => {
      throw new ProviderError('rate-limit', 'Finnhub rate limit reached (60/min).', 30_000)
    })
    r.engine.handle({ type: 'set-interest', consumer: 'w', symbols: ['AAPL'] })
    await r.seconds(1)
    expect(r.last()).toMatchObject({ state: 'rate-limited', rateLimitHits: 1, lastError: 'Finnhub rate limit reached (60/min).' })
    await r.seconds(31)
    expect(r.last()).toMatchObject({ state: 'ok', rateLimitHits: 1 })
    await r.engine.dispose()
  })

  it('says bad-key after an auth failure, and circuit-open with its end once the breaker opens', async () => {
    const r = setup('finnhub', { threshold: 2 })
    r.provider.next(() => {
      throw new ProviderError('auth', 'Finnhub rejected the key: invalid API key.')
    })
    r.engine.handle({ type: 'set-interest', consumer: 'w', symbols: ['AAPL'] })
    await vi.advanceTimersByTimeAsync(0)
    expect(r.last()?.state).toBe('bad-key')
    r.provider.next(() => {
      throw new ProviderError('server', 'Finnhub answered 500.')
    })
    await r.seconds(1)
    expect(r.last()?.state).toBe('circuit-open')
    expect(r.last()?.circuitOpenUntil).toBeGreaterThan(Date.now())
    await r.seconds(40)
    expect(r.last()).toMatchObject({ state: 'ok', circuitOpenUntil: null })
    await r.engine.dispose()
  })

  it('says offline when the provider cannot be reached', async () => {
    const r = setup('yahoo')
    r.provider.next(() => {
      throw new ProviderError('network', 'Cannot reach Yahoo Finance.')
    })
    r.engine.handle({ type: 'set-interest', consumer: 'w', symbols: ['AAPL'] })
    await r.seconds(1)
    expect(r.last()).toMatchObject({ state: 'offline', online: false })
    await r.engine.dispose()
  })
})
