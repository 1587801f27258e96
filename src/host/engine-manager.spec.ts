import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { EngineState } from '../shared/ipc/contract'
import type { EngineCommand, EngineEvent } from '../shared/ipc/engine-protocol'
import type { EngineChild } from './engine-handle'
import { EngineManager } from './engine-manager'

class FakeChild implements EngineChild {
  pid: number | undefined
  readonly received: unknown[] = []
  killed = false
  private messageListeners: ((message: unknown) => void)[] = []
  private exitListeners: ((code: number | null) => void)[] = []
  private spawnListeners: (() => void)[] = []

  constructor(pid: number) {
    this.pid = pid
  }

  postMessage(message: unknown): void {
    if (this.pid === undefined) throw new Error('posted to a dead child')
    this.received.push(message)
  }
  onMessage(listener: (message: unknown) => void): void {
    this.messageListeners.push(listener)
  }
  onSpawn(listener: () => void): void {
    this.spawnListeners.push(listener)
  }
  onExit(listener: (code: number | null) => void): void {
    this.exitListeners.push(listener)
  }
  kill(): void {
    this.killed = true
    this.exit(null)
  }

  /** Test controls */
  emit(message: unknown): void {
    for (const listener of this.messageListeners) listener(message)
  }
  ready(): void {
    for (const listener of this.spawnListeners) listener()
    this.emit({ type: 'ready', pid: this.pid ?? 0 })
  }
  exit(code: number | null): void {
    if (this.pid === undefined) return
    this.pid = undefined
    for (const listener of this.exitListeners) listener(code)
  }
  commands(): EngineCommand[] {
    return this.received as EngineCommand[]
  }
}

const T0 = 1_700_000_000_000

function setup(options: { autoReady?: boolean; backoff?: { initialMs: number; maxMs: number }; stableAfterMs?: number } = {}) {
  const children: FakeChild[] = []
  const logs: { level: string; message: string }[] = []
  const states: EngineState[] = []
  const events: EngineEvent[] = []
  const autoReady = options.autoReady ?? true
  const manager = new EngineManager({
    spawn: () => {
      const child = new FakeChild(1000 + children.length)
      children.push(child)
      if (autoReady) queueMicrotask(() => child.ready())
      return child
    },
    log: (level, message) => logs.push({ level, message }),
    backoff: options.backoff ?? { initialMs: 100, maxMs: 1_000 },
    stableAfterMs: options.stableAfterMs ?? 10_000,
    readyTimeoutMs: 5_000,
    shutdownGraceMs: 500
  })
  manager.onState((state) => states.push(state))
  manager.onEvent((event) => events.push(event))
  const last = (): FakeChild => children[children.length - 1] as FakeChild
  return { manager, children, logs, states, events, last }
}

const configure: EngineCommand = { type: 'configure', config: { provider: 'simulated', refreshIntervalSec: 5, flushIntervalMs: 16 } }

describe('EngineManager', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('starts in "starting" and resolves start() once the child reports ready', async () => {
    const r = setup({ autoReady: false })
    expect(r.manager.state).toBe('starting')
    let resolved = false
    const started = r.manager.start().then(() => (resolved = true))
    await vi.advanceTimersByTimeAsync(0)
    expect(r.children).toHaveLength(1)
    expect(resolved).toBe(false)
    r.last().ready()
    await started
    expect(r.manager.state).toBe('running')
    expect(r.states).toEqual(['running'])
  })

  it('forwards valid events and drops malformed ones with a log line', async () => {
    const r = setup()
    await r.manager.start()
    r.last().emit({ type: 'status', status: { provider: 'simulated', online: true, offlineSince: null, lastSuccess: 1, lastError: null, rateLimitedUntil: null } })
    r.last().emit({ type: 'quotes', patches: [{ symbol: 'AAPL', price: 'a lot' }] })
    r.last().emit('garbage')
    expect(r.events.map((e) => e.type)).toEqual(['status'])
    expect(r.logs.filter((l) => l.message.startsWith('Dropped a malformed message'))).toHaveLength(2)
  })

  it('holds commands until ready, then sends the configuration and interests', async () => {
    const r = setup({ autoReady: false })
    const started = r.manager.start()
    r.manager.send(configure)
    r.manager.send({ type: 'set-interest', consumer: 'w1', symbols: ['AAPL'] })
    r.manager.send({ type: 'refresh' })
    await vi.advanceTimersByTimeAsync(0)
    expect(r.last().received).toEqual([])
    r.last().ready()
    await started
    expect(r.last().commands()).toEqual([configure, { type: 'set-interest', consumer: 'w1', symbols: ['AAPL'] }])
    r.manager.send({ type: 'refresh' })
    expect(r.last().commands().at(-1)).toEqual({ type: 'refresh' })
  })

  it('rejects invalid commands with a log line instead of sending them', async () => {
    const r = setup()
    await r.manager.start()
    r.manager.send({ type: 'set-interest', consumer: '', symbols: [] } as EngineCommand)
    expect(r.last().received).toEqual([])
    expect(r.logs.at(-1)?.message).toMatch(/Dropped an invalid engine command/)
  })

  it('restarts a crashed engine with backoff and replays configure, live interests and the power state', async () => {
    const r = setup()
    await r.manager.start()
    r.manager.send(configure)
    r.manager.send({ type: 'set-interest', consumer: 'w1', symbols: ['AAPL', 'MSFT'] })
    r.manager.send({ type: 'set-interest', consumer: 'w2', symbols: ['BTC-USD'] })
    r.manager.send({ type: 'set-interest', consumer: 'w1', symbols: ['AAPL'] })
    r.manager.send({ type: 'set-interest', consumer: 'gone', symbols: ['TSLA'] })
    r.manager.send({ type: 'drop-consumer', consumer: 'gone' })
    r.manager.send({ type: 'power', state: 'suspend' })

    r.last().exit(1)
    expect(r.manager.state).toBe('reconnecting')
    expect(r.logs.some((l) => l.level === 'error' && /stopped unexpectedly \(exit code 1\)/.test(l.message))).toBe(true)
    // Commands while down are remembered, never posted to the dead child.
    r.manager.send({ type: 'set-interest', consumer: 'w2', symbols: ['ETH-USD'] })
    await vi.advanceTimersByTimeAsync(99)
    expect(r.children).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(r.children).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(0)
    expect(r.manager.state).toBe('running')
    expect(r.states).toEqual(['running', 'reconnecting', 'running'])
    expect(r.last().commands()).toEqual([
      configure,
      { type: 'set-interest', consumer: 'w1', symbols: ['AAPL'] },
      { type: 'set-interest', consumer: 'w2', symbols: ['ETH-USD'] },
      { type: 'power', state: 'suspend' }
    ])
  })

  it('replays the quota usage, the restored one updated by every report since, before configure', async () => {
    const r = setup()
    await r.manager.start()
    r.manager.send({ type: 'restore-quota-usage', usage: { alphavantage: { dayUsed: 3 }, finnhub: { dayUsed: 9 } } })
    r.manager.send(configure)
    expect(r.last().commands().map((c) => c.type)).toEqual(['restore-quota-usage', 'configure'])
    r.last().emit({ type: 'quota-usage', provider: 'alphavantage', snapshot: { dayUsed: 7 } })
    expect(r.events).toContainEqual({ type: 'quota-usage', provider: 'alphavantage', snapshot: { dayUsed: 7 } })

    r.last().exit(1)
    await vi.advanceTimersByTimeAsync(100)
    expect(r.children).toHaveLength(2)
    expect(r.last().commands()).toEqual([
      { type: 'restore-quota-usage', usage: { alphavantage: { dayUsed: 7 }, finnhub: { dayUsed: 9 } } },
      configure
    ])
  })

  it('replays the latest priorities right after the quota usage and before configure', async () => {
    const r = setup()
    await r.manager.start()
    r.manager.send({ type: 'restore-quota-usage', usage: { finnhub: { dayUsed: 9 } } })
    r.manager.send({ type: 'set-priority', symbols: ['AAPL'] })
    r.manager.send(configure)
    r.manager.send({ type: 'set-priority', symbols: ['MSFT', 'NVDA'] })
    r.last().exit(1)
    await vi.advanceTimersByTimeAsync(100)
    expect(r.children).toHaveLength(2)
    expect(r.last().commands()).toEqual([
      { type: 'restore-quota-usage', usage: { finnhub: { dayUsed: 9 } } },
      { type: 'set-priority', symbols: ['MSFT', 'NVDA'] },
      configure
    ])
  })

  it('replays usage reported by a crashed engine even when none was restored', async () => {
    const r = setup()
    await r.manager.start()
    r.manager.send(configure)
    r.last().emit({ type: 'quota-usage', provider: 'twelvedata', snapshot: { dayUsed: 1 } })
    r.last().exit(1)
    await vi.advanceTimersByTimeAsync(100)
    expect(r.last().commands()).toEqual([{ type: 'restore-quota-usage', usage: { twelvedata: { dayUsed: 1 } } }, configure])
  })

  it('sends no usage to a restarted engine when there is none to give', async () => {
    const r = setup()
    await r.manager.start()
    r.manager.send(configure)
    r.last().exit(1)
    await vi.advanceTimersByTimeAsync(100)
    expect(r.last().commands()).toEqual([configure])
  })

  it('doubles the restart delay on repeated crashes, capped, and resets it after a stable run', async () => {
    const r = setup({ backoff: { initialMs: 100, maxMs: 350 }, stableAfterMs: 10_000 })
    await r.manager.start()
    const delays: number[] = []
    for (let i = 0; i < 4; i++) {
      const crashedAt = Date.now()
      const count = r.children.length
      r.last().exit(1)
      while (r.children.length === count) await vi.advanceTimersByTimeAsync(10)
      delays.push(Date.now() - crashedAt)
      await vi.advanceTimersByTimeAsync(0)
    }
    expect(delays).toEqual([100, 200, 350, 350])

    await vi.advanceTimersByTimeAsync(10_000)
    const crashedAt = Date.now()
    const count = r.children.length
    r.last().exit(1)
    while (r.children.length === count) await vi.advanceTimersByTimeAsync(10)
    expect(Date.now() - crashedAt).toBe(100)
  })

  it('ignores messages and exits from a replaced child', async () => {
    const r = setup()
    await r.manager.start()
    const old = r.last()
    old.exit(1)
    await vi.advanceTimersByTimeAsync(100)
    await vi.advanceTimersByTimeAsync(0)
    old.emit({ type: 'log', level: 'info', message: 'from the past' })
    expect(r.events).toEqual([])
    expect(r.manager.state).toBe('running')
  })

  it('replaces a child that never reports ready', async () => {
    const r = setup({ autoReady: false })
    const started = r.manager.start()
    await vi.advanceTimersByTimeAsync(5_000)
    expect(r.children[0]?.killed).toBe(true)
    await vi.advanceTimersByTimeAsync(100)
    expect(r.children).toHaveLength(2)
    r.last().ready()
    await started
    expect(r.manager.state).toBe('running')
  })

  it('gives up with a clear error when the engine cannot start at all', async () => {
    const r = setup({ autoReady: false })
    const started = r.manager.start().catch((error: Error) => error)
    for (let i = 0; i < 3; i++) {
      await vi.advanceTimersByTimeAsync(0)
      r.last().exit(1)
      await vi.advanceTimersByTimeAsync(1_000)
    }
    const error = await started
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toMatch(/exited while starting \(exit code 1\).*Gave up after 3 attempts/)
    expect(r.manager.state).toBe('stopped')
    expect(r.children).toHaveLength(3)
  })

  it('dispose sends shutdown and resolves when the child exits on its own', async () => {
    const r = setup()
    await r.manager.start()
    const child = r.last()
    const disposed = r.manager.dispose()
    expect(child.commands().at(-1)).toEqual({ type: 'shutdown' })
    expect(r.manager.state).toBe('stopped')
    child.exit(0)
    await disposed
    expect(child.killed).toBe(false)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(r.children).toHaveLength(1)
  })

  it('dispose kills a child that ignores shutdown, and nothing is posted afterwards', async () => {
    const r = setup()
    await r.manager.start()
    const child = r.last()
    const disposed = r.manager.dispose()
    await vi.advanceTimersByTimeAsync(500)
    await disposed
    expect(child.killed).toBe(true)
    const count = child.received.length
    r.manager.send({ type: 'refresh' })
    expect(child.received).toHaveLength(count)
    await expect(r.manager.start()).rejects.toThrow(/shut down/)
  })

  it('dispose during a pending restart cancels it', async () => {
    const r = setup()
    await r.manager.start()
    r.last().exit(1)
    await r.manager.dispose()
    await vi.advanceTimersByTimeAsync(5_000)
    expect(r.children).toHaveLength(1)
    expect(r.states).toEqual(['running', 'reconnecting', 'stopped'])
  })

  it('survives a spawn function that throws and tries again', async () => {
    let attempts = 0
    const children: FakeChild[] = []
    const manager = new EngineManager({
      spawn: () => {
        attempts++
        if (attempts === 1) throw new Error('EAGAIN')
        const child = new FakeChild(attempts)
        children.push(child)
        queueMicrotask(() => child.ready())
        return child
      },
      backoff: { initialMs: 50, maxMs: 50 }
    })
    const started = manager.start()
    await vi.advanceTimersByTimeAsync(50)
    await started
    expect(attempts).toBe(2)
    expect(manager.state).toBe('running')
  })
})
