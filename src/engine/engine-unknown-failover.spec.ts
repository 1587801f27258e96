import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Routing } from '../shared/ipc/engine-protocol'
import { engineRig, freshProvider, type EngineRig } from './testing/engine-rig'

const T0 = Date.parse('2026-03-10T11:00:00-04:00')

describe('Engine failover for symbols a provider does not know', () => {
  let rig: EngineRig | null = null
  beforeEach(() => vi.useFakeTimers({ now: T0 }))
  afterEach(async () => {
    await rig?.dispose()
    rig = null
    vi.useRealTimers()
  })

  const start = (routing: Partial<Routing>) => {
    const finnhub = freshProvider('finnhub')
    const yahoo = freshProvider('yahoo')
    const coinbase = freshProvider('coinbase')
    rig = engineRig({ providers: { finnhub, yahoo, coinbase } })
    rig.configure({ provider: 'finnhub', routing: { equity: 'finnhub', crypto: 'coinbase', fallbacks: ['yahoo'], pins: {}, ...routing } })
    const errorsFor = (symbol: string) => (rig?.of('symbol-errors') ?? []).flatMap((e) => e.errors).filter((e) => e.symbol === symbol)
    const sources = (symbol: string) => (rig?.patches() ?? []).filter((p) => p.symbol === symbol && p.source !== undefined).map((p) => p.source)
    return { r: rig, finnhub, yahoo, coinbase, errorsFor, sources }
  }

  it('moves a symbol the first provider does not know to the fallback, without showing the error', async () => {
    const { r, finnhub, yahoo, errorsFor, sources } = start({})
    finnhub.unknown.add('VOW3.DE')
    r.watch('AAPL', 'VOW3.DE')
    await r.seconds(30)
    expect(sources('VOW3.DE')).toEqual(['yahoo'])
    expect(errorsFor('VOW3.DE').filter((e) => e.message !== null)).toEqual([])
    expect(finnhub.requested().filter((s) => s === 'VOW3.DE')).toHaveLength(1)
    expect(yahoo.requested().filter((s) => s === 'VOW3.DE').length).toBeGreaterThanOrEqual(5)
    // AAPL stays where it was.
    expect(yahoo.requested()).not.toContain('AAPL')
    expect(r.logs).toContain('Finnhub does not know VOW3.DE; asking Yahoo Finance instead.')

  })

  it('forgets who did not know a symbol when it is unwatched, its provider rebuilt or the routing changed', async () => {
    const { r, finnhub, errorsFor, sources } = start({})
    finnhub.unknown.add('VOW3.DE')
    const askedFinnhub = () => finnhub.requested().filter((s) => s === 'VOW3.DE').length
    r.watch('AAPL', 'VOW3.DE')
    await r.seconds(10)
    expect(askedFinnhub()).toBe(1)

    // Unwatched, nothing is kept about it; watched again, it is asked where its route starts.
    r.watch('AAPL')
    await r.seconds(2)
    r.watch('AAPL', 'VOW3.DE')
    await r.seconds(10)
    expect(askedFinnhub()).toBe(2)

    // A new Finnhub key may know it.
    r.engine.handle({ type: 'set-keys', keys: { finnhub: 'another-key' } })
    await r.seconds(10)
    expect(askedFinnhub()).toBe(3)

    // So may a new route.
    r.configure({ provider: 'finnhub', routing: { equity: 'finnhub', crypto: 'coinbase', fallbacks: ['yahoo'], pins: { AAPL: 'finnhub' } } })
    await r.seconds(10)
    expect(askedFinnhub()).toBe(4)
    // Each time it ends on the fallback that knows it, and the first answer is never shown.
    expect(sources('VOW3.DE').at(-1)).toBe('yahoo')
    expect(errorsFor('VOW3.DE').filter((e) => e.message !== null)).toEqual([])
  })

  it('shows the error when no provider on the route knows the symbol, and does not bounce between them', async () => {
    const { r, finnhub, yahoo, errorsFor } = start({})
    finnhub.unknown.add('NOPE')
    yahoo.unknown.add('NOPE')
    r.watch('NOPE')
    await r.seconds(60)
    expect(errorsFor('NOPE').at(-1)?.message).toBe('Unknown symbol NOPE')
    expect(finnhub.requested().filter((s) => s === 'NOPE')).toHaveLength(1)
    expect(yahoo.requested().filter((s) => s === 'NOPE').length).toBeGreaterThan(1)
  })

  it('keeps a pinned symbol on its provider and shows that provider\'s answer', async () => {
    const { r, finnhub, yahoo, errorsFor } = start({ pins: { ODD: 'finnhub' } })
    finnhub.unknown.add('ODD')
    r.watch('ODD')
    await r.seconds(30)
    expect(errorsFor('ODD').at(-1)?.message).toBe('Unknown symbol ODD')
    expect(yahoo.requested()).not.toContain('ODD')
    expect(finnhub.requested().filter((s) => s === 'ODD').length).toBeGreaterThan(1)
  })

  it('only hands a crypto pair to a fallback that can price crypto', async () => {
    const { r, coinbase, finnhub, yahoo, sources } = start({ fallbacks: ['finnhub', 'yahoo'] })
    coinbase.unknown.add('PEPE-USD')
    r.watch('PEPE-USD')
    await r.seconds(10)
    expect(finnhub.requested()).not.toContain('PEPE-USD')
    expect(yahoo.requested()).toContain('PEPE-USD')
    expect(sources('PEPE-USD')).toEqual(['yahoo'])
  })
})
