import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { HistoryBar, HistoryRange, HistoryResponse } from '../../shared/history'
import type { ProviderId } from '../../shared/providers'
import { singleProviderRouting, type Routing } from '../provider-router'
import { ProviderError } from '../providers/provider'
import { systemTimers } from '../timers'
import type { HistorySource } from './history-source'
import { HISTORY_CACHE_MS, HistoryService, SIMULATED_HISTORY_MESSAGE } from './history-service'

const bar = (time: number, close: number): HistoryBar => ({ time, open: close, high: close, low: close, close, volume: 1 })

interface FakeSource extends HistorySource {
  calls: { symbol: string; range: HistoryRange }[]
  next: (() => Promise<HistoryBar[]>)[]
}

function fakeSource(id: ProviderId, minTimeMs = 0): FakeSource {
  const source: FakeSource = {
    id,
    minTimeMs,
    calls: [],
    next: [],
    fetchHistory(symbol, range) {
      source.calls.push({ symbol, range })
      return (source.next.shift() ?? (() => Promise.resolve([bar(1, 10), bar(2, 11)])))()
    }
  }
  return source
}

let sources: Partial<Record<ProviderId, FakeSource>>
let routing: Routing | null
let assigned: Record<string, ProviderId>
let answers: { requestId: string; response: HistoryResponse }[]
let service: HistoryService

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2025, 1, 19, 15) })
  sources = { yahoo: fakeSource('yahoo'), coinbase: fakeSource('coinbase'), binance: fakeSource('binance'), twelvedata: fakeSource('twelvedata', 15_000) }
  routing = singleProviderRouting('yahoo')
  assigned = {}
  answers = []
  service = new HistoryService({
    now: () => Date.now(),
    timers: systemTimers,
    source: (id) => sources[id] ?? null,
    assigned: (symbol) => assigned[symbol],
    routing: () => routing,
    answer: (requestId, response) => answers.push({ requestId, response }),
    log: () => {}
  })
})
afterEach(() => {
  service.dispose()
  vi.useRealTimers()
})

async function ask(requestId: string, symbol: string, range: HistoryRange = '1mo'): Promise<HistoryResponse> {
  service.request(requestId, symbol, range)
  await vi.advanceTimersByTimeAsync(0)
  const found = answers.find((a) => a.requestId === requestId)
  if (!found) throw new Error(`no answer for ${requestId}`)
  return found.response
}

describe('HistoryService source choice', () => {
  it('uses the provider quoting the symbol when it can chart', async () => {
    routing = { equity: 'twelvedata', crypto: 'binance', fallbacks: [], pins: {} }
    assigned = { AAPL: 'twelvedata' }
    const response = await ask('r1', 'aapl')
    expect(response).toMatchObject({ symbol: 'AAPL', range: '1mo', source: 'twelvedata', error: null })
    expect(sources.twelvedata!.calls).toEqual([{ symbol: 'AAPL', range: '1mo' }])
    expect(sources.yahoo!.calls).toHaveLength(0)
  })

  it('charts with Yahoo for stocks and Coinbase for crypto when the routed provider cannot', async () => {
    routing = { equity: 'alphavantage', crypto: 'coingecko', fallbacks: [], pins: {} }
    expect((await ask('s', 'MSFT')).source).toBe('yahoo')
    expect((await ask('c', 'BTC-USD')).source).toBe('coinbase')
  })

  it('says in plain words that the simulated market has no history', async () => {
    routing = singleProviderRouting('simulated')
    const response = await ask('sim', 'AAPL')
    expect(response).toMatchObject({ source: null, bars: [], error: SIMULATED_HISTORY_MESSAGE })
    expect(sources.yahoo!.calls).toHaveLength(0)
  })

  it('tries one other source when the first fails, and reports the first error when both do', async () => {
    routing = { equity: 'yahoo', crypto: 'binance', fallbacks: [], pins: {} }
    sources.binance!.next.push(() => Promise.reject(new ProviderError('network', 'Cannot reach Binance: the connection was refused.')))
    expect(await ask('one', 'ETH-USD')).toMatchObject({ source: 'coinbase', error: null })

    sources.binance!.next.push(() => Promise.reject(new ProviderError('network', 'Cannot reach Binance: the connection was refused.')))
    sources.coinbase!.next.push(() => Promise.reject(new ProviderError('server', 'Coinbase had a server problem (HTTP 503).')))
    const both = await ask('two', 'SOL-USD')
    expect(both).toMatchObject({ source: 'binance', bars: [], error: 'Cannot reach Binance: the connection was refused.' })
    expect(sources.yahoo!.calls).toHaveLength(0)
  })

  it('turns anything thrown into a plain-words error and an invalid symbol into the symbol rules\' sentence', async () => {
    sources.yahoo!.next.push(() => Promise.reject(new TypeError('x is undefined')))
    sources.yahoo!.next.push(() => Promise.reject(new TypeError('x is undefined')))
    expect((await ask('t', 'AAPL')).error).toBe('Yahoo Finance sent data TickerDesk could not read.')
    const invalid = await ask('bad', 'NOT A SYMBOL!')
    expect(invalid.error).toMatch(/is not a valid ticker symbol/)
    expect(invalid.bars).toEqual([])
  })

  it('calls an empty answer an error', async () => {
    sources.yahoo!.next.push(() => Promise.resolve([]))
    expect((await ask('e', 'AAPL')).error).toBe('Yahoo Finance has no price history for AAPL over this range.')
  })
})

describe('HistoryService cache and spacing', () => {
  it('answers a repeat from the cache until it expires (a minute intraday, an hour daily)', async () => {
    await ask('a', 'AAPL', '1d')
    await ask('b', 'AAPL', '1d')
    expect(sources.yahoo!.calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(HISTORY_CACHE_MS.intraday + 1)
    await ask('c', 'AAPL', '1d')
    expect(sources.yahoo!.calls).toHaveLength(2)

    await ask('d', 'AAPL', '1y')
    await vi.advanceTimersByTimeAsync(HISTORY_CACHE_MS.intraday * 30)
    await ask('e', 'AAPL', '1y')
    expect(sources.yahoo!.calls).toHaveLength(3)
  })

  it('keys the cache by the source that charts the symbol now, and forgets everything when asked', async () => {
    routing = { equity: 'twelvedata', crypto: 'binance', fallbacks: [], pins: {} }
    assigned = { AAPL: 'yahoo' }
    expect((await ask('y', 'AAPL')).source).toBe('yahoo')
    assigned = { AAPL: 'twelvedata' }
    expect((await ask('t', 'AAPL')).source).toBe('twelvedata')
    expect(sources.twelvedata!.calls).toHaveLength(1)
    expect((await ask('t2', 'AAPL')).source).toBe('twelvedata')
    expect(sources.twelvedata!.calls).toHaveLength(1)

    service.forget()
    service.request('t3', 'AAPL', '1mo')
    // Twelve Data's charts are spaced 15 s apart.
    await vi.advanceTimersByTimeAsync(15_000)
    expect(answers.find((a) => a.requestId === 't3')?.response.source).toBe('twelvedata')
    expect(sources.twelvedata!.calls).toHaveLength(2)
  })

  it('never caches an error', async () => {
    sources.yahoo!.next.push(() => Promise.reject(new ProviderError('server', 'Yahoo Finance had a server problem (HTTP 502).')))
    expect((await ask('x', 'AAPL')).error).not.toBeNull()
    expect((await ask('y', 'AAPL')).error).toBeNull()
  })

  it('shares one request between two identical asks, each answered once', async () => {
    let release!: (bars: HistoryBar[]) => void
    sources.yahoo!.next.push(() => new Promise((resolve) => (release = resolve)))
    service.request('p', 'AAPL', '5d')
    service.request('q', 'AAPL', '5d')
    await vi.advanceTimersByTimeAsync(0)
    release([bar(5, 1)])
    await vi.advanceTimersByTimeAsync(0)
    expect(sources.yahoo!.calls).toHaveLength(1)
    expect(answers.map((a) => a.requestId).sort()).toEqual(['p', 'q'])
  })

  it('spaces a quota-tight source\'s requests', async () => {
    routing = singleProviderRouting('twelvedata')
    service.request('1', 'AAPL', '1mo')
    service.request('2', 'MSFT', '1mo')
    await vi.advanceTimersByTimeAsync(0)
    expect(sources.twelvedata!.calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(14_000)
    expect(sources.twelvedata!.calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1_001)
    expect(sources.twelvedata!.calls).toHaveLength(2)
    expect(answers).toHaveLength(2)
  })

  it('leaves a rate-limited source alone for its Retry-After', async () => {
    routing = { equity: 'yahoo', crypto: 'coinbase', fallbacks: [], pins: {} }
    sources.yahoo!.next.push(() => Promise.reject(new ProviderError('rate-limit', 'Yahoo Finance is limiting requests (HTTP 429).', 30_000)))
    await ask('limited', 'AAPL')
    const again = await ask('again', 'MSFT')
    expect(again.error).toBe('Yahoo Finance is limiting requests; try the chart again in 30 s.')
    expect(sources.yahoo!.calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(30_001)
    expect((await ask('later', 'MSFT')).error).toBeNull()
  })
})

describe('HistoryService and a quote quota', () => {
  it("charges a chart to its provider's quota right before sending, and falls back in plain words when it has no room", async () => {
    const spent: { id: ProviderId; cost: number; charge: boolean }[] = []
    let room = false
    const tdWithCost: FakeSource = Object.assign(fakeSource('twelvedata'), { quotaCost: 1 })
    sources.twelvedata = tdWithCost
    service.dispose()
    service = new HistoryService({
      now: () => Date.now(),
      timers: systemTimers,
      source: (id) => sources[id] ?? null,
      assigned: () => 'twelvedata',
      routing: () => ({ equity: 'twelvedata', crypto: 'binance', fallbacks: [], pins: {} }),
      spend: (id, cost, charge) => {
        spent.push({ id, cost, charge })
        return room ? null : 'Twelve Data has no credits to spare for a chart right now; try again in 40 s.'
      },
      answer: (requestId, response) => answers.push({ requestId, response }),
      log: () => {}
    })
    expect(await ask('full', 'AAPL')).toMatchObject({ source: 'yahoo', error: null })
    expect(tdWithCost.calls).toHaveLength(0)
    // Yahoo has no quota to share: only Twelve Data's chart was weighed.
    expect(spent).toEqual([{ id: 'twelvedata', cost: 1, charge: false }])

    sources.yahoo!.next.push(() => Promise.reject(new ProviderError('network', 'Yahoo Finance cannot be reached.')))
    expect((await ask('both', 'AAPL', '1y')).error).toBe('Twelve Data has no credits to spare for a chart right now; try again in 40 s.')

    room = true
    spent.length = 0
    expect(await ask('room', 'AAPL', '5y')).toMatchObject({ source: 'twelvedata', error: null })
    expect(spent).toEqual([
      { id: 'twelvedata', cost: 1, charge: false },
      { id: 'twelvedata', cost: 1, charge: true }
    ])
  })
})
