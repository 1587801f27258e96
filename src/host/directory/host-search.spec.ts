import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { EventPayload, HostEventName } from '../../shared/ipc/contract'
import { dispatchCall } from '../../shared/ipc/helpers'
import type { SymbolMatch } from '../../shared/symbol-search'
import { HostCore } from '../host-core'
import { memoryBackend } from '../state/memory-backend'
import { openHostStores } from '../state/open-host-stores'
import { FakeEngine } from '../testing/fake-engine'
import { DIRECTORY_FIRST_REFRESH_MS, DirectoryRefresher } from './directory-refresher'
import { ENGINE_UNREACHABLE_MESSAGE, HOST_SEARCH_TIMEOUT_MS } from './search-service'
import { SymbolDirectory } from './symbol-directory'

const hit = (symbol: string, name: string, extra: Partial<SymbolMatch> = {}): SymbolMatch => ({
  symbol,
  name,
  exchange: 'NasdaqGS',
  type: 'EQUITY',
  source: 'yahoo',
  ...extra
})

function setup() {
  const backend = memoryBackend()
  const stores = openHostStores(backend, { now: Date.now, onNotice: () => {}, files: backend.fileOps })
  const engine = new FakeEngine()
  const core = new HostCore({ engine, stores, emit: <K extends HostEventName>(_e: K, _p: EventPayload<K>) => {} })
  const search = async (payload: unknown) => dispatchCall(core.impl, 'searchSymbols', payload, { clientId: 'window:1' })
  /** Answers the latest search command the way the engine would. */
  const answer = (results: SymbolMatch[], errors: string[] = [], unreachable = false) => {
    const command = engine.sentOfType('search').at(-1)!
    engine.push({ type: 'search-results', requestId: command.requestId, results, errors, unreachable })
  }
  return { engine, core, stores, search, answer }
}

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('searchSymbols', () => {
  it('asks the engine and merges its matches with the local directory', async () => {
    const { core, engine, search, answer } = setup()
    await core.start()
    const pending = search({ query: 'apple' })
    await vi.advanceTimersByTimeAsync(0)
    expect(engine.sentOfType('search')).toEqual([expect.objectContaining({ query: 'apple', limit: 10 })])
    answer([hit('APLE', 'Apple Hospitality REIT, Inc.'), hit('AAPL', 'Apple Inc.', { exchange: 'NasdaqGS' })])
    const result = await pending
    expect(result.ok).toBe(true)
    if (!result.ok) return
    const { matches, offline, errors } = result.value as { matches: SymbolMatch[]; offline: boolean; errors: string[] }
    expect(offline).toBe(false)
    expect(errors).toEqual([])
    expect(matches.filter((m) => m.symbol === 'AAPL')).toHaveLength(1)
    expect(matches.map((m) => m.symbol)).toEqual(expect.arrayContaining(['AAPL', 'APLE']))
    expect(matches.find((m) => m.symbol === 'AAPL')?.exchange).toBe('NasdaqGS')
  })

  it('passes provider errors on with the matches it still has', async () => {
    const { core, search, answer } = setup()
    await core.start()
    const pending = search({ query: 'msft', limit: 3 })
    await vi.advanceTimersByTimeAsync(0)
    answer([], ['Yahoo Finance rate limit reached; try again in a minute.'])
    const result = await pending
    expect(result).toEqual({
      ok: true,
      value: { matches: [expect.objectContaining({ symbol: 'MSFT' })], offline: false, errors: ['Yahoo Finance rate limit reached; try again in a minute.'] }
    })
  })

  it('answers from the directory alone, flagged offline, when the provider is offline', async () => {
    const { core, engine, search } = setup()
    await core.start()
    engine.push({ type: 'status', status: { provider: 'yahoo', online: false, offlineSince: 1, lastSuccess: null, lastError: 'Yahoo Finance cannot be reached.', rateLimitedUntil: null } })
    const result = await search({ query: 'nvda' })
    expect(result).toEqual({ ok: true, value: { matches: [expect.objectContaining({ symbol: 'NVDA', name: 'NVIDIA Corporation' })], offline: true, errors: [] } })
    expect(engine.sentOfType('search')).toEqual([])
  })

  it('falls back to the directory after the timeout when the engine does not answer', async () => {
    const { core, search } = setup()
    await core.start()
    const pending = search({ query: 'btc' })
    await vi.advanceTimersByTimeAsync(HOST_SEARCH_TIMEOUT_MS)
    const result = await pending
    expect(result).toEqual({ ok: true, value: { matches: expect.arrayContaining([expect.objectContaining({ symbol: 'BTC-USD' })]), offline: true, errors: [ENGINE_UNREACHABLE_MESSAGE] } })
  })

  it('flags offline when every provider was unreachable, and when the engine is not running', async () => {
    const { core, engine, search, answer } = setup()
    const before = await search({ query: 'tsla' })
    expect(before).toMatchObject({ ok: true, value: { offline: true } })
    await core.start()
    const pending = search({ query: 'tsla' })
    await vi.advanceTimersByTimeAsync(0)
    answer([], ['Yahoo Finance cannot be reached.'], true)
    expect(await pending).toMatchObject({ ok: true, value: { offline: true, matches: [expect.objectContaining({ symbol: 'TSLA' })] } })
    const during = search({ query: 'tsla' })
    await vi.advanceTimersByTimeAsync(0)
    engine.setState('reconnecting')
    expect(await during).toMatchObject({ ok: true, value: { offline: true } })
  })

  it('rejects an empty query in plain words', async () => {
    const { search } = setup()
    const result = await search({ query: '   ' })
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
  })
})

describe('DirectoryRefresher', () => {
  it('asks the engine after start when stale, collects chunks and replaces each listing', async () => {
    const engine = new FakeEngine()
    await engine.start()
    const directory = SymbolDirectory.seedOnly()
    const jobs: (() => void)[] = []
    const refresher = new DirectoryRefresher({
      send: (c) => engine.send(c),
      engineReady: () => true,
      directory,
      now: () => 5,
      timers: { setTimeout: (cb, ms) => setTimeout(cb, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
      log: () => {},
      schedule: (_expr, task) => (jobs.push(task), { stop: () => {} })
    })
    refresher.start()
    expect(jobs).toHaveLength(1)
    expect(engine.sentOfType('refresh-directory')).toEqual([])
    await vi.advanceTimersByTimeAsync(DIRECTORY_FIRST_REFRESH_MS)
    const [command] = engine.sentOfType('refresh-directory')
    expect(command).toBeDefined()
    const coin = (s: string): SymbolMatch => ({ symbol: s, name: `${s} coin`, exchange: 'Coinbase', type: 'CRYPTOCURRENCY', source: 'coinbase' })
    refresher.handleEvent({ type: 'directory', requestId: command!.requestId, source: 'coinbase', entries: [coin('AAA-USD')], done: false, error: null })
    expect(directory.search('aaa-usd', 1)).toEqual([])
    refresher.handleEvent({ type: 'directory', requestId: command!.requestId, source: 'coinbase', entries: [coin('BBB-USD')], done: true, error: null })
    expect(directory.search('aaa-usd', 1)).toHaveLength(1)
    expect(directory.search('bbb-usd', 1)).toHaveLength(1)
    expect(directory.fetchedAt('coinbase')).toBe(5)
    jobs[0]!()
    expect(engine.sentOfType('refresh-directory')).toHaveLength(2)
    refresher.stop()
  })
})
