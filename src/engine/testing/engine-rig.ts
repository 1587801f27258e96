import { vi } from 'vitest'
import type { EngineConfig, EngineEvent } from '../../shared/ipc/engine-protocol'
import type { ProviderId } from '../../shared/providers'
import type { QuotePatch } from '../../shared/quote'
import { Engine, type EngineDeps } from '../engine'
import { eventsOfType, immediateLimiter, settle } from './engine-harness'
import { FakeQuoteProvider, ManualHeartbeat, makeQuote } from './fake-quote-provider'
import { FakeQuoteStream } from './fake-quote-stream'

/** A provider whose answers are fresh (providerTime = now). */
export function freshProvider(id: ProviderId): FakeQuoteProvider {
  const p = new FakeQuoteProvider(id, { maxBatch: 50, minTimeMs: 0, maxConcurrent: 4 })
  p.answer = (symbols) => ({
    quotes: symbols
      .filter((s) => !p.unknown.has(s))
      .map((s) => makeQuote(s, { price: p.prices.get(s) ?? 100, source: id, providerTime: Date.now(), receivedAt: Date.now() })),
    errors: symbols.filter((s) => p.unknown.has(s)).map((s) => ({ symbol: s, message: `Unknown symbol ${s}` }))
  })
  return p
}

export interface EngineRigOptions {
  /** The providers that can be built (each a fresh FakeQuoteProvider, or the one given). */
  providers: Partial<Record<ProviderId, FakeQuoteProvider>>
  /** Providers that get a FakeQuoteStream. */
  streams?: ProviderId[]
  deps?: Partial<EngineDeps>
}

/**
 * An Engine on fake providers, heartbeats and the fake clock, recording every event.
 * `seconds(n)` moves the clock a second at a time and ticks every live heartbeat.
 */
export function engineRig(options: EngineRigOptions) {
  const events: EngineEvent[] = []
  /** When each event was emitted, on the fake clock. */
  const eventTimes: number[] = []
  const logs: string[] = []
  const heartbeats: ManualHeartbeat[] = []
  const streams = new Map<ProviderId, FakeQuoteStream>()
  const engine = new Engine({
    now: () => Date.now(),
    emit: (event) => {
      events.push(event)
      eventTimes.push(Date.now())
    },
    log: (_level, message) => logs.push(message),
    createProvider: (id) => {
      const p = options.providers[id]
      if (p === undefined) throw new Error(`${id} is not available here.`)
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
      heartbeats.push(hb)
      return hb
    },
    createLimiter: immediateLimiter,
    ...options.deps
  })
  const of = <T extends EngineEvent['type']>(type: T) => eventsOfType(events, type)
  return {
    engine,
    events,
    eventTimes,
    logs,
    streams,
    of,
    patches: (): QuotePatch[] => of('quotes').flatMap((e) => e.patches),
    configure(config: Partial<EngineConfig> & Pick<EngineConfig, 'provider'>) {
      engine.handle({ type: 'configure', config: { refreshIntervalSec: 5, flushIntervalMs: 16, ...config } })
    },
    watch(...symbols: string[]) {
      engine.handle({ type: 'set-interest', consumer: 'w', symbols })
    },
    settle,
    async seconds(count: number) {
      for (let i = 0; i < count; i++) {
        await vi.advanceTimersByTimeAsync(1000)
        for (const hb of heartbeats) if (hb.running) hb.tick()
        await vi.advanceTimersByTimeAsync(0)
      }
    },
    /** One jump of the clock, then one heartbeat tick: for paces of minutes or hours. */
    async advance(ms: number) {
      await vi.advanceTimersByTimeAsync(ms)
      for (const hb of heartbeats) if (hb.running) hb.tick()
      await vi.advanceTimersByTimeAsync(0)
    },
    async dispose() {
      const disposed = engine.dispose()
      await vi.advanceTimersByTimeAsync(100)
      await disposed
    }
  }
}

export type EngineRig = ReturnType<typeof engineRig>
