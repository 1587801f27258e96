import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { EventPayload, HostEventName } from '../shared/ipc/contract'
import type { EngineCommand } from '../shared/ipc/engine-protocol'
import { dispatchCall } from '../shared/ipc/helpers'
import type { EngineChild } from './engine-handle'
import { EngineManager } from './engine-manager'
import { HostCore, type HostCoreDeps } from './host-core'
import { confBackend } from './state/conf-backend'
import { memoryBackend } from './state/memory-backend'
import { openHostStores, type HostStores } from './state/open-host-stores'
import { FakeEngine } from './testing/fake-engine'

const SNAPSHOT = { day: '2024-05-01', dayUsed: 25, minute: [] }

function setup(options: { overrides?: HostCoreDeps['overrides']; stores?: HostStores } = {}) {
  const backend = memoryBackend()
  const stores = options.stores ?? openHostStores(backend, { now: () => 1_000, onNotice: () => {}, files: backend.fileOps })
  const engine = new FakeEngine()
  const emitted: { event: HostEventName; payload: unknown }[] = []
  const log = vi.fn()
  const core = new HostCore({ engine, stores, emit: (event, payload) => emitted.push({ event, payload }), now: () => 5_000, log, overrides: options.overrides })
  const call = async (name: string, payload: unknown, clientId = 'window:1') => {
    const result = await dispatchCall(core.impl, name, payload, { clientId })
    if (!result.ok) throw new Error(result.error.message)
    return result.value
  }
  const events = <K extends HostEventName>(event: K) => emitted.filter((e) => e.event === event).map((e) => e.payload as EventPayload<K>)
  return { core, engine, stores, backend, call, events, log }
}

const configs = (engine: FakeEngine) => engine.sentOfType('configure').map((c) => c.config)

describe('HostCore market hours', () => {
  it('sends the extended-hours setting in configure, and re-configures when it changes', async () => {
    const { core, engine, call, events } = setup()
    await core.start()
    expect(configs(engine).at(-1)?.marketHours).toEqual({ extendedHours: false })
    await call('updateSettings', { extendedHours: true })
    expect(configs(engine)).toHaveLength(2)
    expect(configs(engine).at(-1)?.marketHours).toEqual({ extendedHours: true })
    expect(events('settings').at(-1)?.extendedHours).toBe(true)
    await call('updateSettings', { extendedHours: true })
    expect(configs(engine)).toHaveLength(2)
  })

  it('polls at all hours with the allHours override, whatever the setting, and keeps it out of the settings', async () => {
    const { core, engine, call, events } = setup({ overrides: { allHours: true } })
    await core.start()
    expect(configs(engine).at(-1)?.marketHours).toBeNull()
    await call('updateSettings', { extendedHours: true })
    expect(configs(engine)).toHaveLength(1)
    expect(events('settings').at(-1)).not.toHaveProperty('allHours')
    expect(core.settings).not.toHaveProperty('allHours')
    // Other changes still re-configure, still at all hours.
    await call('updateSettings', { refreshIntervalSec: 30 })
    expect(configs(engine).at(-1)).toMatchObject({ refreshIntervalSec: 30, marketHours: null })
  })
})

describe('HostCore quota usage', () => {
  it('restores the saved usage before configure on start, even when there is none yet', async () => {
    const { core, engine } = setup()
    await core.start()
    const types = engine.sent.map((c) => c.type)
    expect(types.indexOf('restore-quota-usage')).toBeGreaterThan(-1)
    expect(types.indexOf('restore-quota-usage')).toBeLessThan(types.indexOf('configure'))
    expect(engine.sentOfType('restore-quota-usage')).toEqual([{ type: 'restore-quota-usage', usage: {} }])
  })

  it('saves every usage report and ignores one for an unknown provider with a log line', async () => {
    const { core, engine, stores, log } = setup()
    await core.start()
    engine.push({ type: 'quota-usage', provider: 'alphavantage', snapshot: { dayUsed: 1 } })
    engine.push({ type: 'quota-usage', provider: 'alphavantage', snapshot: SNAPSHOT })
    engine.push({ type: 'quota-usage', provider: 'finnhub', snapshot: { dayUsed: 4 } })
    engine.push({ type: 'quota-usage', provider: 'nobody', snapshot: { dayUsed: 4 } })
    expect(stores.quotaUsage.all()).toEqual({ alphavantage: SNAPSHOT, finnhub: { dayUsed: 4 } })
    expect(log).toHaveBeenCalledWith('error', expect.stringMatching(/malformed quota-usage event/))
  })

  describe('over conf files', () => {
    let dir = ''
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'td-quota-core-'))))
    afterEach(() => rmSync(dir, { recursive: true, force: true }))
    const open = () => openHostStores(confBackend(dir), { now: Date.now, onNotice: () => {} })

    it('a new host on the same data folder restores what the last one saved, the report sent while stopping included', async () => {
      const engine = new FakeEngine()
      const first = new HostCore({ engine, stores: open(), emit: () => {} })
      await first.start()
      engine.push({ type: 'quota-usage', provider: 'finnhub', snapshot: { dayUsed: 2 } })
      const dispose = engine.dispose.bind(engine)
      engine.dispose = async () => {
        engine.push({ type: 'quota-usage', provider: 'alphavantage', snapshot: SNAPSHOT })
        await dispose()
      }
      await first.dispose()
      const onDisk = JSON.parse(readFileSync(join(dir, 'quota-usage.json'), 'utf8')) as { byProvider: unknown }
      expect(onDisk.byProvider).toEqual({ finnhub: { dayUsed: 2 }, alphavantage: SNAPSHOT })

      const next = new FakeEngine()
      const second = new HostCore({ engine: next, stores: open(), emit: () => {} })
      await second.start()
      expect(next.sentOfType('restore-quota-usage')).toEqual([
        { type: 'restore-quota-usage', usage: { finnhub: { dayUsed: 2 }, alphavantage: SNAPSHOT } }
      ])
      const types = next.sent.map((c) => c.type)
      expect(types.indexOf('restore-quota-usage')).toBeLessThan(types.indexOf('configure'))
      await second.dispose()
    })
  })
})

/** Just enough of a child process for EngineManager. */
class Child implements EngineChild {
  pid: number | undefined = 4242
  readonly received: EngineCommand[] = []
  private readonly listeners: ((message: unknown) => void)[] = []
  private readonly exits: ((code: number | null) => void)[] = []
  postMessage(message: unknown): void {
    this.received.push(message as EngineCommand)
    if ((message as EngineCommand).type === 'shutdown') queueMicrotask(() => this.exit(0))
  }
  onMessage(listener: (message: unknown) => void): void {
    this.listeners.push(listener)
  }
  onSpawn(): void {}
  onExit(listener: (code: number | null) => void): void {
    this.exits.push(listener)
  }
  kill(): void {
    this.exit(null)
  }
  emit(message: unknown): void {
    for (const listener of this.listeners) listener(message)
  }
  exit(code: number | null): void {
    this.pid = undefined
    for (const listener of this.exits) listener(code)
  }
}

describe('HostCore with the engine manager: a crash', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('gives the restarted engine the saved and since reported usage, then the priorities, before configure', async () => {
    const backend = memoryBackend({ 'quota-usage': JSON.stringify({ schemaVersion: 1, byProvider: { finnhub: { dayUsed: 9 } } }) })
    const stores = openHostStores(backend, { now: Date.now, onNotice: () => {}, files: backend.fileOps })
    const children: Child[] = []
    const manager = new EngineManager({
      spawn: () => {
        const child = new Child()
        children.push(child)
        queueMicrotask(() => child.emit({ type: 'ready', pid: 4242 }))
        return child
      },
      backoff: { initialMs: 100, maxMs: 100 }
    })
    const core = new HostCore({ engine: manager, stores, emit: () => {} })
    await core.start()
    await dispatchCall(core.impl, 'setInterest', { symbols: ['AAPL', 'MSFT'], visible: ['MSFT'] }, { clientId: 'ws:1' })
    const first = children[0]!
    expect(first.received.map((c) => c.type).slice(0, 4)).toEqual(['set-keys', 'restore-quota-usage', 'set-priority', 'configure'])
    first.emit({ type: 'quota-usage', provider: 'alphavantage', snapshot: SNAPSHOT })

    first.exit(1)
    await vi.advanceTimersByTimeAsync(100)
    const second = children[1]!
    expect(second.received[0]).toEqual({ type: 'restore-quota-usage', usage: { finnhub: { dayUsed: 9 }, alphavantage: SNAPSHOT } })
    // The manager replays the priorities before configure; the host's own re-send repeats the same set.
    expect(second.received[1]).toEqual({ type: 'set-priority', symbols: ['MSFT'] })
    expect(second.received[2]?.type).toBe('configure')
    expect(new Set(second.received.filter((c) => c.type === 'set-priority').map((c) => JSON.stringify(c)))).toEqual(
      new Set([JSON.stringify({ type: 'set-priority', symbols: ['MSFT'] })])
    )
    await core.dispose()
  })
})

describe('HostCore refresh refusals', () => {
  it('become one info notice per provider, the newest replacing the older one', async () => {
    const { core, engine, events } = setup()
    await core.start()
    const message = 'Alpha Vantage: 0 of 25 daily requests left; the next refresh is possible at 00:00 (after the 00:00 UTC reset).'
    engine.push({ type: 'refresh-refused', provider: 'alphavantage', message })
    engine.push({ type: 'refresh-refused', provider: 'alphavantage', message })
    engine.push({ type: 'refresh-refused', provider: 'finnhub', message: 'daily limit reached; resumes 00:00 UTC.' })
    expect(core.notices.map((n) => [n.level, n.message])).toEqual([
      ['info', `Refresh now: ${message}`],
      ['info', 'Refresh now: Finnhub: daily limit reached; resumes 00:00 UTC.']
    ])
    // Pages update a notice with a known id in place, so the repeat does not stack there either.
    const shown = events('notice')
    expect(shown).toHaveLength(3)
    expect(shown[0]!.id).toBe(shown[1]!.id)
    expect(shown[2]!.id).not.toBe(shown[0]!.id)
  })

  it('a refusal after the notice was dismissed shows it again', async () => {
    const { core, engine, call } = setup()
    await core.start()
    engine.push({ type: 'refresh-refused', provider: 'twelvedata', message: 'Twelve Data: limit reached.' })
    await call('dismissNotice', { id: core.notices[0]!.id })
    expect(core.notices).toEqual([])
    engine.push({ type: 'refresh-refused', provider: 'twelvedata', message: 'Twelve Data: limit reached.' })
    expect(core.notices.map((n) => n.message)).toEqual(['Refresh now: Twelve Data: limit reached.'])
  })

  it('ignores a malformed refusal with a log line', async () => {
    const { core, engine, log } = setup()
    await core.start()
    engine.push({ type: 'refresh-refused', provider: 'alphavantage', message: '  ' })
    engine.push({ type: 'refresh-refused', provider: 'nobody', message: 'x' })
    expect(core.notices).toEqual([])
    expect(log).toHaveBeenCalledWith('error', expect.stringMatching(/malformed refresh-refused event/))
  })
})
