import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { HistoryResponse } from '../shared/history'
import { dispatchCall } from '../shared/ipc/helpers'
import { HISTORY_ENGINE_DOWN_MESSAGE, HISTORY_RESTARTED_MESSAGE, HISTORY_TIMEOUT_MESSAGE, HOST_HISTORY_TIMEOUT_MS } from './history-client'
import { HostCore } from './host-core'
import { memoryBackend } from './state/memory-backend'
import { openHostStores } from './state/open-host-stores'
import { FakeEngine } from './testing/fake-engine'

function setup(env: Record<string, string> = {}) {
  const backend = memoryBackend()
  const stores = openHostStores(backend, { now: () => Date.now(), onNotice: () => {}, files: backend.fileOps })
  const engine = new FakeEngine()
  const core = new HostCore({ engine, stores, emit: () => {}, now: () => Date.now(), env })
  const call = async (payload: unknown): Promise<{ ok: true; value: HistoryResponse } | { ok: false; error: { message: string } }> =>
    (await dispatchCall(core.impl, 'getHistory', payload, { clientId: 'window:1' })) as never
  const asked = () => engine.sentOfType('history')
  return { core, engine, call, asked }
}

const bars = [{ time: 1_700_000_000_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 }]

describe('HostCore getHistory', () => {
  beforeEach(() => vi.useFakeTimers({ now: Date.UTC(2025, 1, 19, 15) }))
  afterEach(() => vi.useRealTimers())

  it('sends a history command with a fresh requestId and resolves with the matching answer', async () => {
    const { core, engine, call, asked } = setup()
    await core.start()
    const first = call({ symbol: ' aapl ', range: '1mo' })
    const second = call({ symbol: 'MSFT', range: '1d' })
    await vi.advanceTimersByTimeAsync(0)
    const [a, b] = asked()
    expect(a).toMatchObject({ symbol: 'AAPL', range: '1mo' })
    expect(a!.requestId).not.toBe(b!.requestId)
    // Answers may come in any order; each goes to its own caller.
    engine.push({ type: 'history', requestId: b!.requestId, response: { symbol: 'MSFT', range: '1d', source: 'yahoo', bars, error: null } })
    engine.push({ type: 'history', requestId: a!.requestId, response: { symbol: 'AAPL', range: '1mo', source: 'yahoo', bars, error: null } })
    expect(await first).toEqual({ ok: true, value: { symbol: 'AAPL', range: '1mo', source: 'yahoo', bars, error: null } })
    expect(await second).toMatchObject({ ok: true, value: { symbol: 'MSFT', range: '1d' } })
  })

  it('resolves with a plain-words error after the timeout instead of hanging', async () => {
    const { core, call } = setup()
    await core.start()
    const pending = call({ symbol: 'AAPL', range: '5y' })
    await vi.advanceTimersByTimeAsync(HOST_HISTORY_TIMEOUT_MS + 1)
    expect(await pending).toEqual({ ok: true, value: { symbol: 'AAPL', range: '5y', source: null, bars: [], error: HISTORY_TIMEOUT_MESSAGE } })
  })

  it('resolves pending requests when the engine restarts, and answers at once while it is down', async () => {
    const { core, engine, call, asked } = setup()
    await core.start()
    const pending = call({ symbol: 'AAPL', range: '1y' })
    await vi.advanceTimersByTimeAsync(0)
    engine.setState('reconnecting')
    expect(await pending).toMatchObject({ ok: true, value: { error: HISTORY_RESTARTED_MESSAGE, bars: [] } })
    const count = asked().length
    expect(await call({ symbol: 'AAPL', range: '1y' })).toMatchObject({ ok: true, value: { error: HISTORY_ENGINE_DOWN_MESSAGE } })
    expect(asked()).toHaveLength(count)
  })

  it('refuses an invalid symbol or range with the shared rules\' words, sending nothing', async () => {
    const { core, call, asked } = setup()
    await core.start()
    const bad = await call({ symbol: 'NOT A SYMBOL', range: '1mo' })
    expect(bad.ok).toBe(false)
    const range = await call({ symbol: 'AAPL', range: '2w' })
    expect(range.ok).toBe(false)
    expect(asked()).toHaveLength(0)
  })

  it('turns a malformed engine answer into an error response', async () => {
    const { core, engine, call, asked } = setup()
    await core.start()
    const pending = call({ symbol: 'AAPL', range: '1mo' })
    await vi.advanceTimersByTimeAsync(0)
    engine.push({ type: 'history', requestId: asked()[0]!.requestId, response: { symbol: 'AAPL', bars: 'nope' } })
    expect(await pending).toMatchObject({ ok: true, value: { bars: [], error: expect.stringMatching(/could not read/) } })
  })

  it('blanks API keys out of a provider\'s error before it reaches the page', async () => {
    const key = 'td-env-SECRET-9876543210'
    const { core, engine, call, asked } = setup({ TICKERDESK_TWELVEDATA_KEY: key })
    await core.start()
    const pending = call({ symbol: 'AAPL', range: '1y' })
    await vi.advanceTimersByTimeAsync(0)
    const error = `Twelve Data failed: GET /time_series?symbol=AAPL&apikey=${key} returned 500`
    engine.push({ type: 'history', requestId: asked()[0]!.requestId, response: { symbol: 'AAPL', range: '1y', source: 'twelvedata', bars: [], error } })
    const answer = await pending
    expect(JSON.stringify(answer)).not.toContain(key)
    expect(answer).toMatchObject({ ok: true, value: { source: 'twelvedata', error: 'Twelve Data failed: GET /time_series?symbol=AAPL&apikey=[redacted] returned 500' } })
  })
})
