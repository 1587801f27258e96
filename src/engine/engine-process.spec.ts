import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { EngineEvent } from '../shared/ipc/engine-protocol'
import { runEngineProcess } from './engine-process'
import type { EnginePort } from './port-adapter'
import { ManualHeartbeat } from './testing/fake-quote-provider'

function fakePort() {
  const posted: EngineEvent[] = []
  let onMessage: (data: unknown) => void = () => undefined
  let onDisconnect: () => void = () => undefined
  const port: EnginePort = {
    kind: 'fork',
    onMessage: (listener) => (onMessage = listener),
    post: (message) => posted.push(message),
    onDisconnect: (listener) => (onDisconnect = listener)
  }
  return { port, posted, send: (data: unknown) => onMessage(data), disconnect: () => onDisconnect() }
}

describe('runEngineProcess', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_700_000_000_000 })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  const start = (p: ReturnType<typeof fakePort>, exit: (code: number) => void) =>
    runEngineProcess({
      port: p.port,
      env: { TICKERDESK_SIM_SEED: '7' },
      pid: 4242,
      exit,
      engineDeps: { createHeartbeat: () => new ManualHeartbeat() }
    })

  it('announces ready, serves simulated quotes for subscribed symbols and exits 0 on shutdown', async () => {
    const p = fakePort()
    const exit = vi.fn()
    start(p, exit)
    expect(p.posted[0]).toEqual({ type: 'ready', pid: 4242 })

    p.send({ type: 'configure', config: { provider: 'simulated', refreshIntervalSec: 1, flushIntervalMs: 16 } })
    p.send({ type: 'set-interest', consumer: 'cli', symbols: ['AAPL', 'BTC-USD'] })
    await vi.advanceTimersByTimeAsync(100)
    const patches = p.posted.flatMap((e) => (e.type === 'quotes' ? e.patches : []))
    expect(patches.map((q) => q.symbol).sort()).toEqual(['AAPL', 'BTC-USD'])
    expect(patches[0]?.source).toBe('simulated')

    p.send({ type: 'shutdown' })
    await vi.advanceTimersByTimeAsync(100)
    expect(exit).toHaveBeenCalledWith(0)
  })

  it('logs invalid messages as log events and keeps running', async () => {
    const p = fakePort()
    const exit = vi.fn()
    start(p, exit)
    p.send({ type: 'configure', config: { provider: 'simulated' } })
    p.send(42)
    const logs = p.posted.filter((e) => e.type === 'log')
    expect(logs).toHaveLength(2)
    expect(exit).not.toHaveBeenCalled()
  })

  it('announces the configured provider’s status as soon as it is configured', () => {
    // Every provider id has an adapter now, so the status tells about a provider that is up, not one that is missing.
    const p = fakePort()
    start(p, vi.fn())
    p.send({ type: 'configure', config: { provider: 'binance', refreshIntervalSec: 5, flushIntervalMs: 16 } })
    const status = p.posted.find((e) => e.type === 'status')
    expect(status).toMatchObject({ status: { provider: 'binance', online: true, lastError: null } })
  })

  it('waits for the last messages to reach the host before exiting, but not forever', async () => {
    const p = fakePort()
    let release: () => void = () => undefined
    p.port.drain = () => new Promise<void>((resolve) => (release = resolve))
    const exit = vi.fn()
    start(p, exit)
    p.send({ type: 'shutdown' })
    await vi.advanceTimersByTimeAsync(100)
    expect(exit).not.toHaveBeenCalled()
    release()
    await vi.advanceTimersByTimeAsync(0)
    expect(exit).toHaveBeenCalledWith(0)

    const stuck = fakePort()
    stuck.port.drain = () => new Promise<void>(() => undefined)
    const exitStuck = vi.fn()
    start(stuck, exitStuck)
    stuck.send({ type: 'shutdown' })
    await vi.advanceTimersByTimeAsync(1_100)
    expect(exitStuck).toHaveBeenCalledWith(0)
  })

  it('shuts down when the host disconnects', async () => {
    const p = fakePort()
    const exit = vi.fn()
    start(p, exit)
    p.disconnect()
    await vi.advanceTimersByTimeAsync(100)
    expect(exit).toHaveBeenCalledWith(0)
  })
})
