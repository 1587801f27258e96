import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { EngineState } from '../shared/ipc/contract'
import type { EngineEvent } from '../shared/ipc/engine-protocol'
import { FakeQuoteProvider, ManualHeartbeat, makeQuote } from '../engine/testing/fake-quote-provider'
import { createInProcessEngine } from './engine-in-process'

describe('createInProcessEngine', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_700_000_000_000 })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('runs the engine in this process with the simulated provider and reports state changes', async () => {
    const engine = createInProcessEngine({
      env: { TICKERDESK_SIM_SEED: '3' },
      engineDeps: { createHeartbeat: () => new ManualHeartbeat() }
    })
    const states: EngineState[] = []
    const events: EngineEvent[] = []
    engine.onState((s) => states.push(s))
    engine.onEvent((e) => events.push(e))
    expect(engine.state).toBe('starting')
    await engine.start()
    engine.send({ type: 'configure', config: { provider: 'simulated', refreshIntervalSec: 5, flushIntervalMs: 16 } })
    engine.send({ type: 'set-interest', consumer: 'cli', symbols: ['AAPL'] })
    await vi.advanceTimersByTimeAsync(50)
    const patches = events.flatMap((e) => (e.type === 'quotes' ? e.patches : []))
    expect(patches).toHaveLength(1)
    expect(patches[0]).toMatchObject({ symbol: 'AAPL', source: 'simulated', name: expect.stringContaining('simulated') })
    await engine.dispose()
    expect(states).toEqual(['running', 'stopped'])
    engine.send({ type: 'refresh' })
    await expect(engine.start()).rejects.toThrow(/shut down/)
  })

  it('passes events through EngineEventSchema, so malformed ones never reach listeners', async () => {
    // A provider reporting an id outside the contract yields status events the schema must reject.
    const provider = new FakeQuoteProvider('nasdaq' as never)
    provider.next(() => ({ quotes: [makeQuote('AAPL')], errors: [{ symbol: 'XYZ', message: 'Unknown symbol XYZ' }] }))
    const logs: string[] = []
    const engine = createInProcessEngine({
      env: {},
      log: (_level, message) => logs.push(message),
      engineDeps: { createHeartbeat: () => new ManualHeartbeat(), createProvider: () => provider }
    })
    const events: EngineEvent[] = []
    engine.onEvent((e) => events.push(e))
    await engine.start()
    engine.send({ type: 'configure', config: { provider: 'simulated', refreshIntervalSec: 5, flushIntervalMs: 16 } })
    engine.send({ type: 'set-interest', consumer: 'cli', symbols: ['AAPL', 'XYZ'] })
    await vi.advanceTimersByTimeAsync(50)
    expect(events.find((e) => e.type === 'symbol-errors')).toEqual({ type: 'symbol-errors', errors: [{ symbol: 'XYZ', message: 'Unknown symbol XYZ' }] })
    expect(events.some((e) => e.type === 'status')).toBe(false)
    expect(logs.some((m) => m.startsWith('Dropped a malformed engine event'))).toBe(true)
    engine.send({ type: 'nonsense' } as never)
    expect(logs.at(-1)).toMatch(/Dropped an invalid engine command/)
    await engine.dispose()
  })

  it('treats a shutdown command like dispose', async () => {
    const engine = createInProcessEngine({ env: {}, engineDeps: { createHeartbeat: () => new ManualHeartbeat() } })
    await engine.start()
    engine.send({ type: 'shutdown' })
    await vi.advanceTimersByTimeAsync(0)
    expect(engine.state).toBe('stopped')
  })
})
