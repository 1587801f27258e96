import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeYahoo, type FakeYahoo } from '../../../tests/fakes/yahoo-server'
import type { EngineEvent } from '../../shared/ipc/engine-protocol'
import type { SymbolMatch } from '../../shared/symbol-search'
import { Engine } from '../engine'
import { ProviderError } from '../providers/provider'
import { ManualHeartbeat } from '../testing/fake-quote-provider'
import { DIRECTORY_CHUNK } from './directory-refresh'
import type { DirectorySource } from './search-source'
import { searchEngineDeps } from './search-sources'

let yahoo: FakeYahoo
let events: EngineEvent[]
let engine: Engine

function makeEngine(env: Record<string, string>, extra: Partial<ConstructorParameters<typeof Engine>[0]> = {}): Engine {
  const deps = { now: Date.now, log: () => undefined }
  return new Engine({
    now: Date.now,
    emit: (event) => events.push(event),
    log: () => undefined,
    createProvider: () => {
      throw new Error('no quotes in this spec')
    },
    createHeartbeat: () => new ManualHeartbeat(),
    ...searchEngineDeps(deps, env),
    ...extra
  })
}

function answer<T extends 'search-results' | 'directory'>(type: T, requestId: string, count = 1): Promise<Extract<EngineEvent, { type: T }>[]> {
  return new Promise((resolve) => {
    const poll = (): void => {
      const found = events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type && e.requestId === requestId)
      if (found.length >= count) resolve(found)
      else setTimeout(poll, 5)
    }
    poll()
  })
}

beforeEach(async () => {
  yahoo = await startFakeYahoo()
  events = []
  engine = makeEngine({ TICKERDESK_YAHOO_URL: yahoo.url })
})

afterEach(async () => {
  await engine.dispose()
  await yahoo.close()
})

describe('engine search command', () => {
  it('answers with ranked Yahoo matches from the configured provider', async () => {
    engine.handle({ type: 'search', requestId: 'r1', query: 'aapl', limit: 5 })
    const [reply] = await answer('search-results', 'r1')
    expect(reply?.errors).toEqual([])
    expect(reply?.results[0]).toMatchObject({ symbol: 'AAPL', source: 'yahoo', type: 'EQUITY' })
    expect(reply?.results[0]?.name).toMatch(/Apple/)
    const searches = yahoo.requests.filter((r) => r.path === '/v1/finance/search')
    expect(searches).toHaveLength(1)
    expect(searches[0]?.query.q).toBe('aapl')
  })

  it('reports a rate limit in plain words and still answers', async () => {
    yahoo.rateLimit(1)
    engine.handle({ type: 'search', requestId: 'r2', query: 'msft', limit: 5, providers: ['yahoo'] })
    const [reply] = await answer('search-results', 'r2')
    expect(reply?.results).toEqual([])
    expect(reply?.errors.join(' ')).toMatch(/Yahoo Finance/)
    expect(reply?.errors.join(' ').toLowerCase()).toMatch(/rate limit|limiting|too many/)
  })

  it('says the provider is unreachable when the network is gone', async () => {
    await yahoo.stop()
    engine.handle({ type: 'search', requestId: 'r3', query: 'msft', limit: 5, providers: ['yahoo'] })
    const [reply] = await answer('search-results', 'r3')
    expect(reply?.unreachable).toBe(true)
    expect(reply?.errors).toHaveLength(1)
    await yahoo.start()
  })

  it('asks nobody for the simulated market (the host directory answers)', async () => {
    engine.handle({ type: 'configure', config: { provider: 'simulated', refreshIntervalSec: 60, flushIntervalMs: 16 } })
    engine.handle({ type: 'search', requestId: 'r4', query: 'aapl', limit: 5 })
    const [reply] = await answer('search-results', 'r4')
    expect(reply).toMatchObject({ results: [], errors: [] })
    expect(yahoo.requests.filter((r) => r.path === '/v1/finance/search')).toHaveLength(0)
  })

  it('ignores a search without a query', () => {
    engine.handle({ type: 'search', requestId: 'r5', query: '  ', limit: 5 })
    expect(events.filter((e) => e.type === 'search-results')).toHaveLength(0)
  })
})

describe('engine refresh-directory command', () => {
  it('sends each listing in chunks and reports a failed one without stopping the rest', async () => {
    await engine.dispose()
    const big: SymbolMatch[] = Array.from({ length: DIRECTORY_CHUNK + 10 }, (_, i) => ({
      symbol: `c${i}-usd`,
      name: `Coin ${i}`,
      exchange: 'Coinbase',
      type: 'CRYPTOCURRENCY',
      source: 'coinbase'
    }))
    const sources: Record<string, DirectorySource> = {
      binance: { id: 'binance', fetchListing: () => Promise.reject(new ProviderError('network', 'Binance cannot be reached.')) },
      coinbase: { id: 'coinbase', fetchListing: async () => big }
    }
    engine = makeEngine({}, { createDirectorySource: (id) => sources[id] ?? null, directoryProviders: ['binance', 'coinbase', 'finnhub'] })
    engine.handle({ type: 'refresh-directory', requestId: 'd0' })
    engine.handle({ type: 'refresh-directory', requestId: 'd1', providers: ['binance', 'coinbase', 'finnhub'] })
    const chunks = await answer('directory', 'd1', 3)
    expect(chunks.map((c) => [c.source, c.entries.length, c.done, c.error])).toEqual([
      ['binance', 0, true, 'Binance cannot be reached.'],
      ['coinbase', DIRECTORY_CHUNK, false, null],
      ['coinbase', 10, true, null]
    ])
    expect(chunks[1]?.entries[0]?.symbol).toBe('C0-USD')
    // Without a list, only providers in use are listed: none here (Yahoo by default has no listing).
    expect(events.filter((e) => e.type === 'directory' && e.requestId === 'd0')).toEqual([])
  })
})
