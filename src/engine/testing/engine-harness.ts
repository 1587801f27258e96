/**
 * What the engine specs share: a limiter that runs every job at once (they test scheduling,
 * not pacing), events picked by type, heartbeats ticked second by second, and a rig per test
 * under fake timers that is disposed afterwards with its timers run out.
 */
import { afterEach, beforeEach, vi } from 'vitest'
import type { EngineEvent } from '../../shared/ipc/engine-protocol'
import type { Engine } from '../engine'
import type { RequestLimiter } from '../request-limiter'
import type { ManualHeartbeat } from './fake-quote-provider'

export const immediateLimiter = (): RequestLimiter => ({
  schedule: (_priority, job) => Promise.resolve().then(job),
  stop: async () => undefined
})

/** The events of one type, typed. */
export function eventsOfType<T extends EngineEvent['type']>(events: readonly EngineEvent[], type: T): Extract<EngineEvent, { type: T }>[] {
  return events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type)
}

/** Lets requests settle and the coalescer flush. */
export const settle = (): Promise<unknown> => vi.advanceTimersByTimeAsync(20)

/** Moves time a second at a time, ticking every heartbeat after each one and letting work settle. */
export async function tickSeconds(count: number, heartbeats: () => Iterable<ManualHeartbeat>): Promise<void> {
  for (let i = 0; i < count; i++) {
    await vi.advanceTimersByTimeAsync(1000)
    for (const hb of heartbeats()) hb.tick()
    await vi.advanceTimersByTimeAsync(20)
  }
}

/**
 * Registers fake timers from `t0` around every test of the enclosing describe and returns the
 * rig builder; the rig built last in a test is disposed after it, its pending timers run out.
 */
export function rigPerTest<R extends { engine: Engine }, A extends unknown[]>(t0: number, build: (...args: A) => R): (...args: A) => R {
  let rig: R | null = null
  beforeEach(() => {
    vi.useFakeTimers({ now: t0 })
  })
  afterEach(async () => {
    const disposed = rig?.engine.dispose()
    await vi.advanceTimersByTimeAsync(100)
    await disposed
    rig = null
    vi.useRealTimers()
  })
  return (...args) => (rig = build(...args))
}
