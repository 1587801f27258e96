import { describe, expect, it, vi } from 'vitest'
import type { EngineAlertRule } from '../../shared/alerts'
import { EngineEventSchema, type EngineEvent } from '../../shared/ipc/engine-protocol'
import type { Quote } from '../../shared/quote'
import { Engine } from '../engine'
import { ProviderError } from '../providers/provider'
import { FakeQuoteProvider, ManualHeartbeat, makeQuote } from '../testing/fake-quote-provider'
import { rigPerTest, eventsOfType, immediateLimiter, settle, tickSeconds } from '../testing/engine-harness'

const T0 = Date.UTC(2026, 0, 5, 15, 0, 0)

const above200: EngineAlertRule = {
  id: 'r1',
  symbols: ['AAPL'],
  condition: { kind: 'price-above', price: 200 },
  trigger: { mode: 'every', cooldownMinutes: 1 },
  rearmPercent: 0.5,
  expiresAt: null,
  snoozedUntil: null,
  lastFired: {}
}

/** The provider answers with fresh quotes built from `quote` per symbol. */
function setup() {
  const events: EngineEvent[] = []
  const provider = new FakeQuoteProvider()
  const quotes = new Map<string, Partial<Quote>>()
  const fresh = (symbols: readonly string[]) => ({
    quotes: symbols.map((s) => makeQuote(s, { providerTime: Date.now(), receivedAt: Date.now(), ...quotes.get(s) })),
    errors: []
  })
  const heartbeats: ManualHeartbeat[] = []
  const engine = new Engine({
    now: () => Date.now(),
    emit: (event) => events.push(event),
    log: () => undefined,
    createProvider: () => provider,
    createHeartbeat: () => {
      const hb = new ManualHeartbeat()
      heartbeats.push(hb)
      return hb
    },
    createLimiter: immediateLimiter
  })
  // Every answer is fresh unless a test scripts one with provider.next.
  provider.answer = (symbols) => fresh(symbols)
  const of = <T extends EngineEvent['type']>(type: T) => eventsOfType(events, type)
  return {
    engine,
    events,
    provider,
    quotes,
    fired: () => of('alert-fired').map((e) => e.firing),
    flags: () => of('tick-flags').map((e) => e.flags),
    start() {
      engine.handle({ type: 'configure', config: { provider: 'simulated', refreshIntervalSec: 5, flushIntervalMs: 16 } })
      engine.handle({ type: 'set-interest', consumer: 'host:alerts', symbols: ['AAPL', 'MSFT'] })
    },
    price(symbol: string, price: number, extra: Partial<Quote> = {}) {
      quotes.set(symbol, { price, ...extra })
    },
    settle,
    seconds: (count: number) => tickSeconds(count, () => heartbeats)
  }
}

describe('Engine alert wiring', () => {
  const make = rigPerTest(T0, setup)

  it('evaluates rules on provider ticks and emits valid alert-fired events', async () => {
    const r = make()
    r.engine.handle({ type: 'set-alert-rules', rules: [above200] })
    r.price('AAPL', 195)
    r.start()
    await r.settle()
    expect(r.fired()).toEqual([])
    r.price('AAPL', 201.35)
    await r.seconds(5)
    expect(r.fired().map((f) => f.message)).toEqual(['AAPL rose above 200.00 (now 201.35)'])
    for (const event of r.events) expect(EngineEventSchema.safeParse(event).success).toBe(true)
    await r.seconds(10)
    expect(r.fired()).toHaveLength(1)
  })

  it('flags a zero tick in one batch, fires nothing from it, and clears the flag on a good tick', async () => {
    const r = make()
    r.engine.handle({ type: 'set-alert-rules', rules: [{ ...above200, condition: { kind: 'price-below', price: 50 } }] })
    r.price('AAPL', 100)
    r.price('MSFT', 100)
    r.start()
    await r.settle()
    r.price('AAPL', 0)
    r.price('MSFT', -1)
    await r.seconds(5)
    expect(r.fired()).toEqual([])
    expect(r.flags()).toEqual([
      [
        { symbol: 'AAPL', flag: 'zero' },
        { symbol: 'MSFT', flag: 'negative' }
      ]
    ])
    r.price('AAPL', 100)
    r.price('MSFT', 100)
    await r.seconds(5)
    expect(r.flags().at(-1)).toEqual([
      { symbol: 'AAPL', flag: null },
      { symbol: 'MSFT', flag: null }
    ])
  })

  it('replacing the rules removes them: no ghost alerts', async () => {
    const r = make()
    r.engine.handle({ type: 'set-alert-rules', rules: [above200] })
    r.price('AAPL', 195)
    r.start()
    await r.settle()
    r.engine.handle({ type: 'set-alert-rules', rules: [] })
    r.price('AAPL', 210)
    await r.seconds(5)
    expect(r.fired()).toEqual([])
  })

  it('pause stops fetching entirely; resume fetches at once; waking does not undo a pause', async () => {
    const r = make()
    r.price('AAPL', 100)
    r.start()
    await r.settle()
    const before = r.provider.calls.length
    r.engine.handle({ type: 'pause', paused: true })
    r.engine.handle({ type: 'refresh' })
    await r.seconds(30)
    r.engine.handle({ type: 'power', state: 'suspend' })
    r.engine.handle({ type: 'power', state: 'resume' })
    await r.seconds(30)
    expect(r.provider.calls.length).toBe(before)
    r.engine.handle({ type: 'pause', paused: false })
    await r.settle()
    expect(r.provider.calls.length).toBe(before + 1)
  })

  it('after sleep, fires a crossing seen only in the day high once, labelled', async () => {
    const r = make()
    r.engine.handle({ type: 'set-alert-rules', rules: [above200] })
    r.price('AAPL', 195, { dayHigh: 196, dayLow: 190 })
    r.start()
    await r.settle()
    r.engine.handle({ type: 'power', state: 'suspend' })
    await vi.advanceTimersByTimeAsync(60 * 60_000)
    r.price('AAPL', 198, { dayHigh: 203.1, dayLow: 190 })
    r.engine.handle({ type: 'power', state: 'resume' })
    await r.settle()
    expect(r.fired().map((f) => [f.catchUp, f.occurredAt, f.message])).toEqual([
      [true, null, 'While you were away: AAPL rose above 200.00 (day high 203.10)']
    ])
    await r.seconds(10)
    expect(r.fired()).toHaveLength(1)
  })

  it('catches up when the provider comes back after being offline', async () => {
    const r = make()
    r.engine.handle({ type: 'set-alert-rules', rules: [above200] })
    r.price('AAPL', 195, { dayHigh: 196, dayLow: 190 })
    r.start()
    await r.settle()
    r.provider.next(() => {
      throw new ProviderError('network', 'Cannot reach the simulated market.')
    })
    await r.seconds(5)
    expect(r.events.some((e) => e.type === 'status' && !e.status.online)).toBe(true)
    r.price('AAPL', 199, { dayHigh: 201, dayLow: 190 })
    await r.seconds(5)
    expect(r.fired().map((f) => f.message)).toEqual(['While you were away: AAPL rose above 200.00 (day high 201.00)'])
  })

  it('a provider switch drops price baselines and clears flags', async () => {
    const r = make()
    r.price('AAPL', 0)
    r.start()
    await r.settle()
    expect(r.flags()).toEqual([[{ symbol: 'AAPL', flag: 'zero' }]])
    r.engine.handle({ type: 'configure', config: { provider: 'yahoo', refreshIntervalSec: 5, flushIntervalMs: 16 } })
    expect(r.flags().at(-1)).toEqual([{ symbol: 'AAPL', flag: null }])
  })
})
