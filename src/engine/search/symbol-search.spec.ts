import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ProviderId } from '../../shared/providers'
import type { SymbolMatch } from '../../shared/symbol-search'
import { ProviderError } from '../providers/provider'
import { systemTimers } from '../timers'
import type { SearchSource } from './search-source'
import { SymbolSearch } from './symbol-search'

const hit = (symbol: string, name: string | null, source: ProviderId = 'yahoo'): SymbolMatch => ({ symbol, name, exchange: null, type: null, source })

interface Call {
  query: string
  signal: AbortSignal
  resolve(matches: SymbolMatch[]): void
  reject(error: unknown): void
}

function manualSource(id: ProviderId, minTimeMs = 0) {
  const calls: Call[] = []
  let active = 0
  let maxActive = 0
  const source: SearchSource = {
    id,
    minTimeMs,
    search: (query, _limit, signal) =>
      new Promise<SymbolMatch[]>((resolve, reject) => {
        active++
        maxActive = Math.max(maxActive, active)
        const done = <T>(fn: (v: T) => void) => (v: T) => {
          active--
          fn(v)
        }
        calls.push({ query, signal, resolve: done(resolve), reject: done(reject) })
      })
  }
  return { source, calls, maxActive: () => maxActive }
}

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

const make = (sources: Partial<Record<ProviderId, SearchSource>>, timeoutMs = 2_500) =>
  new SymbolSearch({ source: (id) => sources[id] ?? null, timers: systemTimers, now: () => Date.now(), timeoutMs })

describe('SymbolSearch', () => {
  it('asks every provider at once, then merges, de-duplicates and ranks', async () => {
    const a = manualSource('yahoo')
    const b = manualSource('finnhub')
    const search = make({ yahoo: a.source, finnhub: b.source })
    const pending = search.search('aapl', 10, ['yahoo', 'finnhub'])
    expect(a.calls).toHaveLength(1)
    expect(b.calls).toHaveLength(1)
    a.calls[0]!.resolve([hit('AAPL.MX', 'Apple Inc.'), hit('AAPL', null)])
    b.calls[0]!.resolve([hit('AAPL', 'Apple Inc', 'finnhub')])
    const outcome = await pending
    expect(outcome.errors).toEqual([])
    expect(outcome.results.map((r) => [r.symbol, r.source])).toEqual([
      ['AAPL', 'finnhub'],
      ['AAPL.MX', 'yahoo']
    ])
  })

  it('keeps the hits of one provider when another fails, naming the failure', async () => {
    const a = manualSource('yahoo')
    const b = manualSource('finnhub')
    const search = make({ yahoo: a.source, finnhub: b.source })
    const pending = search.search('msft', 10, ['yahoo', 'finnhub'])
    a.calls[0]!.resolve([hit('MSFT', 'Microsoft')])
    b.calls[0]!.reject(new ProviderError('rate-limit', 'Finnhub rate limit reached (60/min).'))
    const outcome = await pending
    expect(outcome.results.map((r) => r.symbol)).toEqual(['MSFT'])
    expect(outcome.errors).toEqual(['Finnhub rate limit reached (60/min).'])
    expect(outcome.unreachable).toBe(false)
  })

  it('gives up on a slow provider after the timeout and aborts its request', async () => {
    const a = manualSource('yahoo')
    const search = make({ yahoo: a.source }, 1_000)
    const pending = search.search('ibm', 10, ['yahoo'])
    await vi.advanceTimersByTimeAsync(1_000)
    const outcome = await pending
    expect(outcome.errors[0]).toMatch(/Yahoo Finance search timed out/)
    expect(outcome.unreachable).toBe(true)
    expect(a.calls[0]!.signal.aborted).toBe(true)
  })

  it('never has more than one request per provider in flight; a newer search replaces the waiting one', async () => {
    const a = manualSource('yahoo')
    const search = make({ yahoo: a.source }, 10_000)
    const first = search.search('a', 10, ['yahoo'])
    const second = search.search('ap', 10, ['yahoo'])
    const third = search.search('app', 10, ['yahoo'])
    expect(a.calls.map((c) => c.query)).toEqual(['a'])
    expect(await second).toEqual({ results: [], errors: [], unreachable: false })
    a.calls[0]!.resolve([hit('A', 'Agilent')])
    expect((await first).results.map((r) => r.symbol)).toEqual(['A'])
    await vi.advanceTimersByTimeAsync(0)
    expect(a.calls.map((c) => c.query)).toEqual(['a', 'app'])
    a.calls[1]!.resolve([hit('AAPL', 'Apple Inc.')])
    expect((await third).results.map((r) => r.symbol)).toEqual(['AAPL'])
    expect(a.maxActive()).toBe(1)
  })

  it('spaces requests to one provider by its minimum interval', async () => {
    const a = manualSource('yahoo', 500)
    const search = make({ yahoo: a.source }, 10_000)
    const first = search.search('a', 10, ['yahoo'])
    a.calls[0]!.resolve([])
    await first
    const second = search.search('b', 10, ['yahoo'])
    await vi.advanceTimersByTimeAsync(400)
    expect(a.calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(100)
    expect(a.calls).toHaveLength(2)
    a.calls[1]!.resolve([])
    await second
  })

  it('skips providers without a search and drops malformed hits', async () => {
    const a = manualSource('yahoo')
    const search = make({ yahoo: a.source })
    expect(search.searchable(['simulated', 'yahoo'])).toEqual(['yahoo'])
    const pending = search.search('x', 10, ['simulated', 'yahoo'])
    a.calls[0]!.resolve([hit('X', 'US Steel'), { symbol: '', name: 5 } as unknown as SymbolMatch])
    expect((await pending).results).toEqual([hit('X', 'US Steel')])
  })
})
