import { describe, expect, it } from 'vitest'
import type { EngineAlertRule } from '../shared/alerts'
import type { EngineConfig, EngineEvent, ProviderStatus, Routing } from '../shared/ipc/engine-protocol'
import type { ProviderId } from '../shared/providers'
import type { QuotePatch } from '../shared/quote'
import { Engine } from './engine'
import { ProviderError } from './providers/provider'
import { FakeQuoteProvider, ManualHeartbeat, makeQuote } from './testing/fake-quote-provider'
import { FakeQuoteStream } from './testing/fake-quote-stream'
import { rigPerTest, eventsOfType, immediateLimiter, settle, tickSeconds } from './testing/engine-harness'

const T0 = Date.UTC(2026, 0, 5, 15, 0, 0)

/** A provider whose answers are fresh (providerTime = now), so alerts accept them. */
function provider(id: ProviderId): FakeQuoteProvider {
  const p = new FakeQuoteProvider(id)
  p.answer = (symbols) => ({
    quotes: symbols
      .filter((s) => !p.unknown.has(s))
      .map((s) => makeQuote(s, { price: p.prices.get(s) ?? 100, previousClose: 99, source: id, providerTime: Date.now(), receivedAt: Date.now() })),
    errors: symbols.filter((s) => p.unknown.has(s)).map((s) => ({ symbol: s, message: `Unknown symbol ${s}` }))
  })
  return p
}

function failing(p: FakeQuoteProvider, times: number, kind: ProviderError['kind'] = 'server'): void {
  for (let i = 0; i < times; i++) {
    p.next(() => {
      throw new ProviderError(kind, `${p.id} broke`)
    })
  }
}

function setup(options: { ids?: ProviderId[]; streams?: ProviderId[] } = {}) {
  const providers = new Map<ProviderId, FakeQuoteProvider>()
  for (const id of options.ids ?? ['finnhub', 'yahoo', 'coinbase']) providers.set(id, provider(id))
  const streams = new Map<ProviderId, FakeQuoteStream>()
  const events: EngineEvent[] = []
  const heartbeats = new Map<ProviderId, ManualHeartbeat[]>()
  let building: ProviderId | null = null
  const engine = new Engine({
    now: () => Date.now(),
    emit: (event) => events.push(event),
    log: () => undefined,
    createProvider: (id) => {
      const p = providers.get(id)
      if (!p) throw new Error(`${id} is not available yet.`)
      building = id
      return p
    },
    createStream: (id) => {
      if (!(options.streams ?? []).includes(id)) return null
      const stream = new FakeQuoteStream(id)
      streams.set(id, stream)
      return stream
    },
    createHeartbeat: () => {
      const hb = new ManualHeartbeat()
      const id = building as ProviderId
      heartbeats.set(id, [...(heartbeats.get(id) ?? []), hb])
      return hb
    },
    createLimiter: immediateLimiter,
    breaker: { threshold: 3, coolDownMs: 30_000, maxCoolDownMs: 120_000 }
  })
  const of = <T extends EngineEvent['type']>(type: T) => eventsOfType(events, type)
  const p = (id: ProviderId) => providers.get(id) as FakeQuoteProvider
  return {
    engine,
    events,
    p,
    streams,
    heartbeats,
    patches: (): QuotePatch[] => of('quotes').flatMap((e) => e.patches),
    statuses: (id?: ProviderId): ProviderStatus[] => of('status').map((e) => e.status).filter((s) => id === undefined || s.provider === id),
    symbolErrors: () => of('symbol-errors').flatMap((e) => e.errors),
    fired: () => of('alert-fired').map((e) => e.firing),
    configure(routing?: Partial<Routing>, refreshIntervalSec = 5) {
      const config: EngineConfig = {
        provider: routing?.equity ?? 'finnhub',
        refreshIntervalSec,
        flushIntervalMs: 16,
        ...(routing ? { routing: { equity: 'finnhub', crypto: 'coinbase', fallbacks: [], pins: {}, ...routing } } : {})
      }
      engine.handle({ type: 'configure', config })
    },
    watch(...symbols: string[]) {
      engine.handle({ type: 'set-interest', consumer: 'w', symbols })
    },
    /** Clears what each provider was asked so far. */
    resetCalls() {
      for (const fake of providers.values()) fake.calls.length = 0
    },
    settle,
    seconds: (count: number) => tickSeconds(count, () => [...heartbeats.values()].flat())
  }
}

describe('Engine routing', () => {
  const make = rigPerTest(T0, setup)

  it('sends crypto to the crypto provider and equities to the equity provider, each with its own scheduler and status', async () => {
    const r = make()
    r.configure({ equity: 'finnhub', crypto: 'coinbase' })
    r.watch('AAPL', 'BTC-USD', 'MSFT', 'ETH/USD')
    await r.settle()
    expect(r.p('finnhub').requested().sort()).toEqual(['AAPL', 'MSFT'])
    expect(r.p('coinbase').requested().sort()).toEqual(['BTC-USD', 'ETH/USD'])
    expect(r.p('yahoo').requested()).toEqual([])
    expect(r.patches().map((q) => [q.symbol, q.source]).sort()).toEqual([
      ['AAPL', 'finnhub'],
      ['BTC-USD', 'coinbase'],
      ['ETH/USD', 'coinbase'],
      ['MSFT', 'finnhub']
    ])
    expect(r.heartbeats.get('finnhub')).toHaveLength(1)
    expect(r.heartbeats.get('coinbase')).toHaveLength(1)
    expect(new Set(r.statuses().map((s) => s.provider))).toEqual(new Set(['finnhub', 'coinbase']))
  })

  it('keeps today’s behaviour without routing: the configured provider serves crypto too', async () => {
    const r = make()
    r.configure()
    r.watch('AAPL', 'BTC-USD')
    await r.settle()
    expect(r.p('finnhub').requested().sort()).toEqual(['AAPL', 'BTC-USD'])
    expect(r.p('coinbase').requested()).toEqual([])
  })

  it('follows symbol pins and moves symbols when the routing changes', async () => {
    const r = make()
    r.configure({ pins: { MSFT: 'yahoo', 'BTC-USD': 'yahoo' } })
    r.watch('AAPL', 'MSFT', 'BTC-USD')
    await r.settle()
    expect(r.p('finnhub').requested()).toEqual(['AAPL'])
    expect(r.p('yahoo').requested().sort()).toEqual(['BTC-USD', 'MSFT'])

    r.resetCalls()
    r.configure({ pins: {} })
    await r.settle()
    expect(r.p('finnhub').requested()).toEqual(['MSFT'])
    expect(r.p('coinbase').requested()).toEqual(['BTC-USD'])
    // Yahoo has nothing left to serve: its scheduler stops.
    expect(r.heartbeats.get('yahoo')?.[0]?.running).toBe(false)
  })

  it('moves a failing provider’s symbols to the next healthy fallback and says so in plain words', async () => {
    const r = make()
    r.configure({ fallbacks: ['yahoo'] }, 1)
    r.watch('AAPL', 'MSFT', 'BTC-USD')
    await r.settle()
    r.resetCalls()
    failing(r.p('finnhub'), 3)
    await r.seconds(12)
    expect(r.p('yahoo').requested().sort()).toEqual(expect.arrayContaining(['AAPL', 'MSFT']))
    const finnhubCalls = r.p('finnhub').calls.length
    expect(finnhubCalls).toBe(3)
    await r.seconds(5)
    // While the circuit is open Finnhub gets nothing; Yahoo keeps AAPL and MSFT fresh; crypto stays on Coinbase.
    expect(r.p('finnhub').calls.length).toBe(finnhubCalls)
    expect(r.p('yahoo').requested()).not.toContain('BTC-USD')
    expect(r.statuses('finnhub').at(-1)?.lastError).toBe('Finnhub failed 3 times in a row; using Yahoo Finance until it recovers.')
    const moved = r.patches().filter((q) => q.source === 'yahoo').map((q) => q.symbol)
    expect(moved.sort()).toEqual(['AAPL', 'MSFT'])
  })

  it('keeps an open circuit open when the routing changes for other reasons', async () => {
    const r = make()
    r.configure({ fallbacks: ['yahoo'] }, 1)
    r.watch('AAPL')
    await r.settle()
    failing(r.p('finnhub'), 3)
    await r.seconds(10)
    r.resetCalls()
    r.configure({ fallbacks: ['yahoo'], pins: { 'BTC-USD': 'yahoo' } }, 1)
    r.watch('AAPL', 'MSFT')
    await r.seconds(5)
    expect(r.p('finnhub').calls).toHaveLength(0)
    expect(r.p('yahoo').requested()).toEqual(expect.arrayContaining(['AAPL', 'MSFT']))
  })

  it('does not open the circuit on rate limits', async () => {
    const r = make()
    r.configure({ fallbacks: ['yahoo'] }, 1)
    r.watch('AAPL')
    await r.settle()
    for (let i = 0; i < 5; i++) {
      r.p('finnhub').next(() => {
        throw new ProviderError('rate-limit', 'Finnhub rate limit reached (60/min)', 1_000)
      })
    }
    await r.seconds(15)
    expect(r.p('yahoo').requested()).toEqual([])
    expect(r.statuses('finnhub').some((s) => s.lastError?.includes('in a row'))).toBe(false)
  })

  it('probes with one symbol after the cool-down: success brings every symbol back, failure re-opens for longer', async () => {
    const r = make()
    r.configure({ fallbacks: ['yahoo'] }, 1)
    r.watch('AAPL', 'MSFT')
    await r.settle()
    failing(r.p('finnhub'), 3)
    await r.seconds(10)
    r.resetCalls()

    // First probe fails: one symbol went back, the circuit re-opens (60 s now) and it returns to Yahoo.
    failing(r.p('finnhub'), 1)
    await r.seconds(30)
    expect(r.p('finnhub').calls).toHaveLength(1)
    expect(r.p('finnhub').calls[0]).toHaveLength(1)
    r.resetCalls()
    await r.seconds(40)
    expect(r.p('finnhub').calls).toHaveLength(0)
    expect(r.p('yahoo').requested()).toEqual(expect.arrayContaining(['AAPL', 'MSFT']))

    // Second probe answers: both symbols are back on Finnhub and Yahoo stops.
    await r.seconds(25)
    expect(r.p('finnhub').calls[0]).toHaveLength(1)
    r.resetCalls()
    await r.seconds(3)
    expect(r.p('finnhub').requested()).toEqual(expect.arrayContaining(['AAPL', 'MSFT']))
    expect(r.p('yahoo').requested()).toEqual([])
    expect(r.heartbeats.get('yahoo')?.every((hb) => !hb.running)).toBe(true)
    expect(r.statuses('finnhub').at(-1)?.lastError).toBeNull()
  })

  it('keeps symbols with no healthy alternative on their provider, paced by its own backoff', async () => {
    const r = make()
    r.configure({}, 1)
    r.watch('AAPL')
    await r.settle()
    failing(r.p('finnhub'), 4)
    await r.seconds(20)
    expect(r.p('finnhub').calls.length).toBeGreaterThan(4)
    expect(r.patches().filter((q) => q.symbol === 'AAPL').length).toBeGreaterThan(1)
  })
})

describe('Engine streams', () => {
  const make = rigPerTest(T0, setup)

  async function streaming() {
    const r = make({ streams: ['finnhub'] })
    r.configure({}, 2)
    r.watch('AAPL', 'MSFT')
    await r.settle()
    const stream = r.streams.get('finnhub') as FakeQuoteStream
    return { r, stream }
  }

  it('subscribes the provider’s symbols and polls them while the stream is connecting', async () => {
    const { r, stream } = await streaming()
    expect(stream.symbols).toEqual(['AAPL', 'MSFT'])
    stream.state('connecting')
    r.resetCalls()
    await r.seconds(4)
    expect(r.p('finnhub').requested().filter((s) => s === 'AAPL')).toHaveLength(2)
  })

  it('stops polling while open except a slow REST refresh, and merges ticks into full quotes with their source', async () => {
    const { r, stream } = await streaming()
    stream.state('open')
    r.resetCalls()
    await r.seconds(50)
    expect(r.p('finnhub').calls).toHaveLength(0)

    const before = r.patches().length
    stream.tick({ symbol: 'AAPL', price: 110, time: Date.now() }, { symbol: 'NOT-MINE', price: 1, time: Date.now() })
    await r.settle()
    const patches = r.patches().slice(before)
    expect(patches).toEqual([
      expect.objectContaining({ symbol: 'AAPL', price: 110, change: 11, providerTime: Date.now() - 20, receivedAt: Date.now() - 20 })
    ])
    // Same provider as the REST quote it was merged onto, so `source` stays out of the patch; the merged quote keeps it.
    expect(patches[0]).not.toHaveProperty('name')

    // The slow REST refresh fills in what ticks lack, but its older price does not wind the tick's back.
    const tickTime = Date.now() - 20
    r.p('finnhub').next((symbols) => ({
      quotes: symbols.map((s) => makeQuote(s, { name: `${s} Corp.`, price: 100, source: 'finnhub', providerTime: tickTime - 5_000, receivedAt: Date.now() })),
      errors: []
    }))
    await r.seconds(12)
    expect(r.p('finnhub').requested().sort()).toEqual(['AAPL', 'MSFT'])
    const refreshed = r.patches().slice(before + 1)
    expect(refreshed.find((q) => q.symbol === 'AAPL')).toMatchObject({ name: 'AAPL Corp.' })
    expect(refreshed.filter((q) => q.symbol === 'AAPL' && 'price' in q)).toEqual([])
  })

  it('sends merged ticks through the alert rules', async () => {
    const { r, stream } = await streaming()
    stream.state('open')
    const rule: EngineAlertRule = {
      id: 'r1',
      symbols: ['AAPL'],
      condition: { kind: 'price-above', price: 105 },
      trigger: { mode: 'every', cooldownMinutes: 1 },
      rearmPercent: 0.5,
      expiresAt: null,
      snoozedUntil: null,
      lastFired: {}
    }
    r.engine.handle({ type: 'set-alert-rules', rules: [rule] })
    await r.seconds(1)
    stream.tick({ symbol: 'AAPL', price: 106, time: Date.now() })
    await r.settle()
    expect(r.fired()).toEqual([expect.objectContaining({ ruleId: 'r1', symbol: 'AAPL', quote: expect.objectContaining({ price: 106, source: 'finnhub' }) })])
  })

  it('waits for a symbol’s first REST quote before using its ticks', async () => {
    const { r, stream } = await streaming()
    stream.state('open')
    r.p('finnhub').hold()
    r.watch('AAPL', 'MSFT', 'NVDA')
    await r.settle()
    expect(stream.symbols).toEqual(['AAPL', 'MSFT', 'NVDA'])
    const before = r.patches().length
    stream.tick({ symbol: 'NVDA', price: 500, time: Date.now() })
    await r.settle()
    expect(r.patches().slice(before)).toEqual([])
    r.p('finnhub').held[0]?.resolve()
    await r.settle()
    stream.tick({ symbol: 'NVDA', price: 500, time: Date.now() })
    await r.settle()
    expect(r.patches().filter((q) => q.symbol === 'NVDA').at(-1)).toMatchObject({ price: 500 })
  })

  it('polls again when the stream drops, says so, and stops when it is back', async () => {
    const { r, stream } = await streaming()
    stream.state('open')
    await r.seconds(10)
    r.resetCalls()

    stream.state('down', 'Finnhub stream closed; reconnecting in 4 s')
    await r.seconds(4)
    expect(r.p('finnhub').requested().filter((s) => s === 'AAPL').length).toBeGreaterThanOrEqual(2)
    expect(r.statuses('finnhub').at(-1)?.lastError).toBe('Finnhub stream down, polling until it reconnects (Finnhub stream closed; reconnecting in 4 s).')

    stream.state('open')
    await r.settle()
    expect(r.statuses('finnhub').at(-1)?.lastError).toBeNull()
    r.resetCalls()
    await r.seconds(30)
    expect(r.p('finnhub').calls).toHaveLength(0)
  })

  it('polls symbols the stream will not carry at the usual interval', async () => {
    const { r, stream } = await streaming()
    stream.state('open')
    stream.symbolError('MSFT', 'MSFT is not streamed: Finnhub streams at most 1 symbols at once on this plan.')
    r.resetCalls()
    await r.seconds(6)
    expect(r.p('finnhub').requested().filter((s) => s === 'MSFT').length).toBeGreaterThanOrEqual(2)
    expect(r.p('finnhub').requested()).not.toContain('AAPL')
    expect(r.symbolErrors()).toEqual([])
  })

  it('unsubscribes while paused and ignores ticks, then resubscribes', async () => {
    const { r, stream } = await streaming()
    stream.state('open')
    r.engine.handle({ type: 'pause', paused: true })
    expect(stream.symbols).toEqual([])
    const before = r.patches().length
    stream.tick({ symbol: 'AAPL', price: 120, time: Date.now() })
    await r.settle()
    expect(r.patches().slice(before)).toEqual([])
    r.engine.handle({ type: 'pause', paused: false })
    expect(stream.symbols).toEqual(['AAPL', 'MSFT'])
  })

  it('moves symbols off the stream when their provider’s circuit opens and closes the stream with the provider', async () => {
    const r = make({ streams: ['finnhub'] })
    r.configure({ equity: 'yahoo', pins: { AAPL: 'finnhub' }, fallbacks: [] }, 1)
    r.watch('AAPL', 'MSFT')
    await r.settle()
    const stream = r.streams.get('finnhub') as FakeQuoteStream
    expect(stream.symbols).toEqual(['AAPL'])
    r.configure({ equity: 'yahoo', pins: {}, fallbacks: [] }, 1)
    await r.settle()
    expect(stream.closed).toBe(true)
    expect(stream.listening).toBe(false)
  })
})
