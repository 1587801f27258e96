import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { EngineEvent } from '../../shared/ipc/engine-protocol'
import type { ProviderId } from '../../shared/providers'
import { Engine } from '../engine'
import type { RequestLimiter } from '../request-limiter'
import { FakeQuoteProvider, ManualHeartbeat } from '../testing/fake-quote-provider'
import type { HistorySource } from './history-source'

const immediateLimiter = (): RequestLimiter => ({
  schedule: (_priority, job) => Promise.resolve().then(job),
  stop: async () => undefined
})

let events: EngineEvent[]
let asked: { id: ProviderId; symbol: string }[]
let engine: Engine

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2025, 1, 19, 15) })
  events = []
  asked = []
  const providers: Partial<Record<ProviderId, FakeQuoteProvider>> = { yahoo: new FakeQuoteProvider(), binance: new FakeQuoteProvider() }
  engine = new Engine({
    now: () => Date.now(),
    emit: (event) => events.push(event),
    log: () => undefined,
    createProvider: (id) => {
      const provider = providers[id]
      if (!provider) throw new Error(`${id} is not available`)
      return provider
    },
    createHeartbeat: () => new ManualHeartbeat(),
    createLimiter: immediateLimiter,
    createHistorySource: (id): HistorySource | null =>
      id === 'yahoo' || id === 'binance'
        ? {
            id,
            minTimeMs: 0,
            async fetchHistory(symbol) {
              asked.push({ id, symbol })
              if (symbol === 'ZZZZ') throw new Error('boom')
              return [{ time: 1, open: 1, high: 2, low: 1, close: 2, volume: null }]
            }
          }
        : null
  })
  engine.handle({
    type: 'configure',
    config: { provider: 'yahoo', refreshIntervalSec: 5, flushIntervalMs: 16, routing: { equity: 'yahoo', crypto: 'binance', fallbacks: [], pins: {} } }
  })
})
afterEach(async () => {
  await engine.dispose()
  vi.useRealTimers()
})

const historyEvents = () => events.filter((e): e is Extract<EngineEvent, { type: 'history' }> => e.type === 'history')

describe('Engine history command', () => {
  it('answers each request with exactly one history event carrying its requestId', async () => {
    engine.handle({ type: 'set-interest', consumer: 'w', symbols: ['BTC-USD'] })
    engine.handle({ type: 'history', requestId: 'h1', symbol: 'BTC-USD', range: '1mo' })
    engine.handle({ type: 'history', requestId: 'h2', symbol: 'AAPL', range: '1d' })
    await vi.advanceTimersByTimeAsync(50)
    const answers = historyEvents()
    expect(answers.map((e) => e.requestId).sort()).toEqual(['h1', 'h2'])
    expect(answers.find((e) => e.requestId === 'h1')?.response).toMatchObject({ symbol: 'BTC-USD', source: 'binance', error: null })
    expect(answers.find((e) => e.requestId === 'h2')?.response).toMatchObject({ symbol: 'AAPL', source: 'yahoo', error: null })
  })

  it('turns a failing source into an error response, never an exception', async () => {
    engine.handle({ type: 'history', requestId: 'bad', symbol: 'ZZZZ', range: '1y' })
    await vi.advanceTimersByTimeAsync(50)
    const [answer] = historyEvents()
    expect(answer?.response).toMatchObject({ symbol: 'ZZZZ', bars: [], error: expect.any(String) })
    expect(asked).toEqual([{ id: 'yahoo', symbol: 'ZZZZ' }])
  })

  it('asks again after a new configuration or new keys, which can change the source', async () => {
    const chart = async (requestId: string): Promise<void> => {
      engine.handle({ type: 'history', requestId, symbol: 'AAPL', range: '1y' })
      await vi.advanceTimersByTimeAsync(50)
    }
    await chart('a')
    await chart('b')
    expect(asked).toHaveLength(1)
    engine.handle({
      type: 'configure',
      config: { provider: 'yahoo', refreshIntervalSec: 10, flushIntervalMs: 16, routing: { equity: 'yahoo', crypto: 'binance', fallbacks: [], pins: {} } }
    })
    await chart('c')
    expect(asked).toHaveLength(2)
    engine.handle({ type: 'set-keys', keys: { twelvedata: 'new-key' } })
    await chart('d')
    expect(asked).toHaveLength(3)
    expect(historyEvents().map((e) => e.response.error)).toEqual([null, null, null, null])
  })

  it('ignores a malformed history command with a warning', async () => {
    engine.handle({ type: 'history', requestId: 'x', symbol: 'AAPL', range: '2w' })
    await vi.advanceTimersByTimeAsync(50)
    expect(historyEvents()).toHaveLength(0)
    expect(events.some((e) => e.type === 'log' && /invalid engine command/i.test(e.message))).toBe(true)
  })
})
