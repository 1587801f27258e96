import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AlertRuleInput, AlertsState } from '../shared/alerts'
import { dispatchCall } from '../shared/ipc/helpers'
import { HostCore } from './host-core'
import { memoryBackend } from './state/memory-backend'
import { openHostStores } from './state/open-host-stores'
import { FakeEngine } from './testing/fake-engine'

const START = Date.UTC(2024, 4, 1, 12, 0, 0)

function setup() {
  const backend = memoryBackend()
  const stores = openHostStores(backend, { now: () => Date.now(), onNotice: () => {}, files: backend.fileOps })
  const engine = new FakeEngine()
  const core = new HostCore({ engine, stores, emit: () => {}, now: () => Date.now() })
  const call = async <T = null>(name: string, payload: unknown, clientId = 'window:1'): Promise<T> => {
    const result = await dispatchCall(core.impl, name, payload, { clientId })
    if (!result.ok) throw new Error(result.error.message)
    return result.value as T
  }
  const priorities = () => engine.sentOfType('set-priority').map((c) => c.symbols)
  return { core, engine, call, priorities }
}

const priceAbove = (symbol: string): AlertRuleInput => ({
  target: { type: 'symbol', symbol },
  condition: { kind: 'price-above', price: 500 },
  trigger: { mode: 'every', cooldownMinutes: 5 }
})

describe('HostCore priorities', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(START)
  })
  afterEach(() => vi.useRealTimers())

  it('sends the rows on screen of every client, a client without visible rows counting its whole interest', async () => {
    const { core, call, priorities } = setup()
    await core.start()
    await call('setInterest', { symbols: ['AAPL', 'MSFT', 'NVDA'], visible: ['MSFT'] }, 'ws:1')
    expect(priorities().at(-1)).toEqual(['MSFT'])
    await call('setInterest', { symbols: ['BTC-USD', 'ETH-USD'] }, 'ws:2')
    expect(priorities().at(-1)).toEqual(['BTC-USD', 'ETH-USD', 'MSFT'])
    await call('setInterest', { symbols: ['AAPL', 'MSFT', 'NVDA'], visible: ['NVDA', 'AAPL'] }, 'ws:1')
    expect(priorities().at(-1)).toEqual(['AAPL', 'BTC-USD', 'ETH-USD', 'NVDA'])
  })

  it('forgets what a disconnected client showed', async () => {
    const { core, call, priorities } = setup()
    await core.start()
    await call('setInterest', { symbols: ['AAPL'], visible: ['AAPL'] }, 'ws:1')
    await call('setInterest', { symbols: ['MSFT'], visible: ['MSFT'] }, 'ws:2')
    core.dropClient('ws:1')
    expect(priorities().at(-1)).toEqual(['MSFT'])
  })

  it('adds the symbols of armed alerts, not of disabled or snoozed ones, and takes a rule back when its snooze ends', async () => {
    const { core, call, priorities } = setup()
    await core.start()
    await call('setInterest', { symbols: ['AAPL'], visible: ['AAPL'] }, 'ws:1')
    const created = await call<AlertsState>('createAlert', priceAbove('MSFT'))
    const id = created.rules[0]!.id
    expect(priorities().at(-1)).toEqual(['AAPL', 'MSFT'])

    await call('snoozeAlert', { id, minutes: 30 })
    expect(priorities().at(-1)).toEqual(['AAPL'])
    await vi.advanceTimersByTimeAsync(30 * 60_000 + 1)
    expect(priorities().at(-1)).toEqual(['AAPL', 'MSFT'])

    await call('updateAlert', { id, changes: { enabled: false } })
    expect(priorities().at(-1)).toEqual(['AAPL'])
  })

  it('tells a restarted engine the priorities again, once', async () => {
    const { core, engine, call, priorities } = setup()
    await core.start()
    await call('setInterest', { symbols: ['AAPL'], visible: ['AAPL'] }, 'ws:1')
    await call('createAlert', priceAbove('MSFT'))
    engine.setState('reconnecting')
    engine.clearSent()
    engine.setState('running')
    expect(priorities()).toEqual([['AAPL', 'MSFT']])
  })

  it('sends the priorities at start right after the quota usage and before configure, once', async () => {
    const { core, engine, call, priorities } = setup()
    await call('setInterest', { symbols: ['AAPL', 'NVDA'], visible: ['NVDA'] }, 'ws:1')
    await call('createAlert', priceAbove('MSFT'))
    await core.start()
    const types = engine.sent.map((c) => c.type)
    expect(types.indexOf('set-priority')).toBe(types.indexOf('restore-quota-usage') + 1)
    expect(types.indexOf('set-priority')).toBeLessThan(types.indexOf('configure'))
    expect(priorities()).toEqual([['MSFT', 'NVDA']])
  })

  it('sends nothing before the engine is up, then the whole set after start', async () => {
    const { core, engine, call, priorities } = setup()
    await call('setInterest', { symbols: ['AAPL', 'MSFT'], visible: ['MSFT'] }, 'ws:1')
    expect(engine.sent).toEqual([])
    await core.start()
    expect(priorities()).toEqual([['MSFT']])
  })
})
