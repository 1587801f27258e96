import { describe, expect, it, vi } from 'vitest'
import type { EngineEvent, ProviderStatus } from '../shared/ipc/engine-protocol'
import type { ProviderId } from '../shared/providers'
import type { QuotePatch, SymbolError } from '../shared/quote'
import { Engine } from './engine'
import { ProviderError } from './providers/provider'
import { FakeQuoteProvider, ManualHeartbeat, makeQuote } from './testing/fake-quote-provider'
import { rigPerTest, eventsOfType, immediateLimiter, settle, tickSeconds } from './testing/engine-harness'

const T0 = 1_700_000_000_000

function setup(options: { providers?: Partial<Record<ProviderId, FakeQuoteProvider>> } = {}) {
  const events: EngineEvent[] = []
  const providers: Partial<Record<ProviderId, FakeQuoteProvider>> = options.providers ?? { simulated: new FakeQuoteProvider() }
  const heartbeats: ManualHeartbeat[] = []
  const created: ProviderId[] = []
  const engine = new Engine({
    now: () => Date.now(),
    emit: (event) => events.push(event),
    log: () => undefined,
    createProvider: (id) => {
      created.push(id)
      const provider = providers[id]
      if (!provider) throw new Error(`${id} is not available yet; choose Yahoo Finance or the simulated market.`)
      return provider
    },
    createHeartbeat: () => {
      const heartbeat = new ManualHeartbeat()
      heartbeats.push(heartbeat)
      return heartbeat
    },
    createLimiter: immediateLimiter
  })
  const of = <T extends EngineEvent['type']>(type: T) => eventsOfType(events, type)
  return {
    engine,
    events,
    providers,
    created,
    heartbeats,
    patches: (): QuotePatch[] => of('quotes').flatMap((e) => e.patches),
    symbolErrors: (): SymbolError[] => of('symbol-errors').flatMap((e) => e.errors),
    statuses: (): ProviderStatus[] => of('status').map((e) => e.status),
    logs: () => of('log'),
    configure: (provider: ProviderId = 'simulated', refreshIntervalSec = 5) =>
      engine.handle({ type: 'configure', config: { provider, refreshIntervalSec, flushIntervalMs: 16 } }),
    settle,
    seconds: (count: number) => tickSeconds(count, () => heartbeats)
  }
}

describe('Engine', () => {
  const make = rigPerTest(T0, setup)

  it('fetches each symbol once for all consumers and sends coalesced full quotes first', async () => {
    const r = make()
    r.configure()
    r.engine.handle({ type: 'set-interest', consumer: 'window-1', symbols: ['AAPL', 'MSFT'] })
    r.engine.handle({ type: 'set-interest', consumer: 'web-1', symbols: ['msft', ' BTC-USD '] })
    await r.settle()
    const provider = r.providers.simulated as FakeQuoteProvider
    expect(provider.requested().sort()).toEqual(['AAPL', 'BTC-USD', 'MSFT'])
    const quoteEvents = r.events.filter((e) => e.type === 'quotes')
    expect(quoteEvents).toHaveLength(1)
    expect(r.patches().map((p) => p.symbol).sort()).toEqual(['AAPL', 'BTC-USD', 'MSFT'])
    expect(r.patches()[0]).toEqual(makeQuote(r.patches()[0]?.symbol ?? '', { source: 'simulated' }))
  })

  it('sends only changes on later refreshes and nothing when prices stand still', async () => {
    const r = make()
    const provider = r.providers.simulated as FakeQuoteProvider
    r.configure('simulated', 1)
    r.engine.handle({ type: 'set-interest', consumer: 'w', symbols: ['AAPL', 'MSFT'] })
    await r.settle()
    provider.prices.set('AAPL', 123.45)
    await r.seconds(1)
    expect(r.events.filter((e) => e.type === 'quotes')).toHaveLength(2)
    expect(r.patches().at(-1)).toEqual({ symbol: 'AAPL', price: 123.45 })
    await r.seconds(3)
    expect(r.events.filter((e) => e.type === 'quotes')).toHaveLength(2)
  })

  it('does not fetch symbols that nobody shows any more', async () => {
    const r = make()
    const provider = r.providers.simulated as FakeQuoteProvider
    r.configure('simulated', 1)
    r.engine.handle({ type: 'set-interest', consumer: 'a', symbols: ['AAPL'] })
    r.engine.handle({ type: 'set-interest', consumer: 'b', symbols: ['AAPL', 'MSFT'] })
    await r.settle()
    r.engine.handle({ type: 'drop-consumer', consumer: 'b' })
    provider.calls.length = 0
    await r.seconds(3)
    expect(new Set(provider.requested())).toEqual(new Set(['AAPL']))
  })

  it('reports per-symbol errors without blanking other rows and clears them when the symbol prices again', async () => {
    const r = make()
    const provider = r.providers.simulated as FakeQuoteProvider
    provider.unknown.add('XYZ')
    r.configure('simulated', 1)
    r.engine.handle({ type: 'set-interest', consumer: 'w', symbols: ['AAPL', 'XYZ'] })
    await r.settle()
    expect(r.symbolErrors()).toEqual([{ symbol: 'XYZ', message: 'Unknown symbol XYZ' }])
    expect(r.patches().map((p) => p.symbol)).toEqual(['AAPL'])

    await r.seconds(2)
    expect(r.symbolErrors()).toHaveLength(1)

    provider.unknown.delete('XYZ')
    await r.seconds(1)
    expect(r.symbolErrors().at(-1)).toEqual({ symbol: 'XYZ', message: null })
    expect(r.patches().some((p) => p.symbol === 'XYZ')).toBe(true)
  })

  it('turns an unusable quote into that symbol’s error and keeps the others', async () => {
    const r = make()
    const provider = r.providers.simulated as FakeQuoteProvider
    provider.next(() => ({ quotes: [makeQuote('AAPL'), makeQuote('BAD', { price: Number.NaN })], errors: [] }))
    r.configure()
    r.engine.handle({ type: 'set-interest', consumer: 'w', symbols: ['AAPL', 'BAD'] })
    await r.settle()
    expect(r.patches().map((p) => p.symbol)).toEqual(['AAPL'])
    expect(r.symbolErrors()).toEqual([{ symbol: 'BAD', message: 'Simulated market sent unusable data for BAD' }])
    expect(r.logs().some((l) => l.level === 'warn' && /price is missing or not a number/.test(l.message))).toBe(true)
  })

  it('clears a symbol’s error when nobody shows it any more', async () => {
    const r = make()
    ;(r.providers.simulated as FakeQuoteProvider).unknown.add('XYZ')
    r.configure()
    r.engine.handle({ type: 'set-interest', consumer: 'w', symbols: ['XYZ'] })
    await r.settle()
    r.engine.handle({ type: 'set-interest', consumer: 'w', symbols: [] })
    expect(r.symbolErrors()).toEqual([
      { symbol: 'XYZ', message: 'Unknown symbol XYZ' },
      { symbol: 'XYZ', message: null }
    ])
  })

  it('announces provider status on every change: offline, recovery, rate limits', async () => {
    const r = make()
    const provider = r.providers.simulated as FakeQuoteProvider
    provider.next(() => {
      throw new ProviderError('network', 'Cannot reach the simulated market.')
    })
    r.configure('simulated', 1)
    r.engine.handle({ type: 'set-interest', consumer: 'w', symbols: ['AAPL'] })
    await r.settle()
    expect(r.statuses()[0]).toMatchObject({
      provider: 'simulated',
      online: true,
      offlineSince: null,
      lastSuccess: null,
      lastError: null,
      rateLimitedUntil: null,
      state: 'ok'
    })
    expect(r.statuses().at(-1)).toMatchObject({ online: false, offlineSince: T0, lastError: 'Cannot reach the simulated market.' })

    await r.seconds(2)
    expect(r.statuses().at(-1)).toMatchObject({ online: true, offlineSince: null, lastError: null })
    expect(r.statuses().at(-1)?.lastSuccess).toBeGreaterThan(T0)

    provider.next(() => {
      throw new ProviderError('rate-limit', 'Too many requests; waiting.', 10_000)
    })
    await r.seconds(1)
    expect(r.statuses().at(-1)).toMatchObject({ online: true, lastError: 'Too many requests; waiting.' })
    expect(r.statuses().at(-1)?.rateLimitedUntil).toBeGreaterThan(Date.now())
  })

  it('logs and ignores invalid commands, then keeps working', async () => {
    const r = make()
    r.engine.handle({ type: 'launch-rockets' })
    r.engine.handle({ type: 'configure', config: { provider: 'nasdaq', refreshIntervalSec: 5 } })
    r.engine.handle('not even an object')
    expect(r.logs()).toHaveLength(3)
    expect(r.logs().every((l) => l.level === 'warn' && l.message.startsWith('Ignored an invalid engine command'))).toBe(true)

    r.configure()
    r.engine.handle({ type: 'set-interest', consumer: 'w', symbols: ['AAPL', 'not a symbol!'] })
    await r.settle()
    expect(r.patches().map((p) => p.symbol)).toEqual(['AAPL'])
    expect(r.logs().at(-1)?.message).toMatch(/Skipped a symbol: "not a symbol!" is not a valid ticker symbol/)
  })

  it('reports a provider that cannot be built as a status error and recovers when switched', async () => {
    const r = make()
    r.engine.handle({ type: 'set-interest', consumer: 'w', symbols: ['AAPL'] })
    r.configure('finnhub')
    await r.settle()
    expect(r.statuses().at(-1)).toMatchObject({ provider: 'finnhub', online: false, lastError: expect.stringMatching(/finnhub is not available yet/) })
    r.configure('simulated')
    await r.settle()
    expect(r.patches().map((p) => p.symbol)).toEqual(['AAPL'])
    expect(r.statuses().at(-1)).toMatchObject({ provider: 'simulated', lastError: null })
  })

  it('rebuilds the provider and refetches everything when the provider changes; late answers from the old one are ignored', async () => {
    const yahoo = new FakeQuoteProvider('yahoo')
    const simulated = new FakeQuoteProvider('simulated')
    const r = make({ providers: { yahoo, simulated } })
    r.engine.handle({ type: 'set-interest', consumer: 'w', symbols: ['AAPL', 'MSFT'] })
    r.configure('yahoo')
    await r.settle()
    yahoo.hold()
    r.engine.handle({ type: 'refresh' })
    await r.settle()
    expect(yahoo.held).toHaveLength(1)

    const beforeSwitch = r.patches().length
    r.configure('simulated')
    await r.settle()
    expect(simulated.requested().sort()).toEqual(['AAPL', 'MSFT'])
    expect(r.heartbeats[0]?.running).toBe(false)
    const switched = r.patches().slice(beforeSwitch)
    expect(switched.map((p) => [p.symbol, p.source]).sort()).toEqual([
      ['AAPL', 'simulated'],
      ['MSFT', 'simulated']
    ])

    const beforeLate = r.patches().length
    yahoo.held[0]?.resolve({ quotes: [makeQuote('AAPL', { price: 1, source: 'yahoo' })], errors: [] })
    await r.settle()
    expect(r.patches().slice(beforeLate)).toEqual([])
  })

  it('changes the refresh interval without rebuilding the provider', async () => {
    const r = make()
    const provider = r.providers.simulated as FakeQuoteProvider
    r.configure('simulated', 60)
    r.engine.handle({ type: 'set-interest', consumer: 'w', symbols: ['AAPL'] })
    await r.settle()
    r.configure('simulated', 2)
    await r.seconds(2)
    expect(r.created).toEqual(['simulated'])
    expect(provider.calls).toHaveLength(2)
  })

  it('fetches at once on refresh, pauses on suspend and catches up on resume', async () => {
    const r = make()
    const provider = r.providers.simulated as FakeQuoteProvider
    r.configure('simulated', 60)
    r.engine.handle({ type: 'set-interest', consumer: 'w', symbols: ['AAPL'] })
    await r.settle()
    r.engine.handle({ type: 'refresh' })
    await r.settle()
    expect(provider.calls).toHaveLength(2)

    r.engine.handle({ type: 'power', state: 'suspend' })
    r.engine.handle({ type: 'refresh' })
    await r.seconds(120)
    expect(provider.calls).toHaveLength(2)
    r.engine.handle({ type: 'power', state: 'resume' })
    await r.settle()
    expect(provider.calls).toHaveLength(3)
  })

  it('waits for a configuration before fetching', async () => {
    const r = make()
    r.engine.handle({ type: 'set-interest', consumer: 'w', symbols: ['AAPL'] })
    await r.settle()
    expect(r.created).toEqual([])
    r.configure()
    await r.settle()
    expect(r.patches().map((p) => p.symbol)).toEqual(['AAPL'])
  })

  it('flushes pending quotes on dispose and then stays quiet', async () => {
    const r = make()
    r.configure()
    r.engine.handle({ type: 'set-interest', consumer: 'w', symbols: ['AAPL'] })
    await vi.advanceTimersByTimeAsync(1)
    expect(r.patches()).toEqual([])
    await r.engine.dispose()
    expect(r.patches().map((p) => p.symbol)).toEqual(['AAPL'])
    const count = r.events.length
    r.engine.handle({ type: 'refresh' })
    await r.seconds(5)
    expect(r.events).toHaveLength(count)
  })

  it('survives an emit sink that throws', async () => {
    let fail = true
    const events: EngineEvent[] = []
    const engine = new Engine({
      now: () => Date.now(),
      emit: (event) => {
        if (fail) throw new Error('pipe closed')
        events.push(event)
      },
      log: () => undefined,
      createProvider: () => new FakeQuoteProvider(),
      createHeartbeat: () => new ManualHeartbeat(),
      createLimiter: immediateLimiter
    })
    engine.handle({ type: 'configure', config: { provider: 'simulated', refreshIntervalSec: 5, flushIntervalMs: 16 } })
    engine.handle({ type: 'set-interest', consumer: 'w', symbols: ['AAPL'] })
    await vi.advanceTimersByTimeAsync(20)
    fail = false
    engine.handle({ type: 'set-interest', consumer: 'w', symbols: ['AAPL', 'MSFT'] })
    await vi.advanceTimersByTimeAsync(20)
    expect(events.filter((e) => e.type === 'quotes').flatMap((e) => (e.type === 'quotes' ? e.patches : []))).toHaveLength(1)
    await engine.dispose()
  })
})
