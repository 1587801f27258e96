import type { HistoryRange, HistoryResponse } from '../../shared/history'
import { PROVIDER_LABELS, type ProviderId } from '../../shared/providers'
import { normaliseSymbol, symbolProblem } from '../../shared/symbols'
import { assetClassOf, routeFor, type Routing } from '../provider-router'
import { ProviderError } from '../providers/provider'
import type { Timers } from '../timers'
import { isIntraday, type HistorySource } from './history-source'

export const HISTORY_CACHE_MS = { intraday: 60_000, daily: 3_600_000 }
const CACHE_LIMIT = 100
/** When a rate limit names no wait, a source is left alone this long. */
const DEFAULT_COOL_DOWN_MS = 60_000
/** At most this many sources are asked for one chart: a failing one, then one other. */
const MAX_ATTEMPTS = 2

/** Keyless sources that chart each asset class when the symbol's own providers cannot. */
const CLASS_DEFAULTS: Record<'equity' | 'crypto', ProviderId[]> = {
  equity: ['yahoo'],
  crypto: ['coinbase', 'binance', 'yahoo']
}

export const SIMULATED_HISTORY_MESSAGE = 'The simulated market keeps no price history; choose a real data source in Settings to see charts.'

export interface HistoryServiceDeps {
  now(): number
  timers: Timers
  /** The provider's history source as configured now (its key), or null when it has none. */
  source(id: ProviderId): HistorySource | null
  /** The provider quoting the symbol right now, if any. */
  assigned(symbol: string): ProviderId | undefined
  /** The routing in force; null before the first configuration. */
  routing(): Routing | null
  /**
   * Charges a chart of `cost` to the provider's quote quota when it has room now (null; also null
   * when no quota is running for it), else says in plain words why not; `charge` false only asks.
   */
  spend?(id: ProviderId, cost: number, charge: boolean): string | null
  answer(requestId: string, response: HistoryResponse): void
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void
}

interface Cached {
  response: HistoryResponse
  expires: number
}

/**
 * Answers history requests: picks the source (the provider quoting the symbol if it can chart,
 * else one that can for its asset class), spaces each source's requests, caches answers briefly
 * and shares one request between identical askers. Every request gets exactly one answer; errors
 * are plain words in the response, never thrown.
 */
export class HistoryService {
  private readonly cache = new Map<string, Cached>()
  private readonly inFlight = new Map<string, Promise<HistoryResponse>>()
  private readonly queues = new Map<ProviderId, Promise<void>>()
  private readonly lastStart = new Map<ProviderId, number>()
  private readonly coolDown = new Map<ProviderId, number>()
  private readonly aborter = new AbortController()
  private disposed = false

  constructor(private readonly deps: HistoryServiceDeps) {}

  request(requestId: string, rawSymbol: string, range: HistoryRange): void {
    void this.respond(requestId, rawSymbol, range)
  }

  /**
   * Forgets every cached answer: a new configuration or new keys can change which source answers
   * a symbol (requests under way still answer their askers).
   */
  forget(): void {
    this.cache.clear()
  }

  dispose(): void {
    this.disposed = true
    this.aborter.abort()
  }

  private async respond(requestId: string, rawSymbol: string, range: HistoryRange): Promise<void> {
    const symbol = normaliseSymbol(rawSymbol)
    let response: HistoryResponse
    try {
      const problem = symbolProblem(rawSymbol)
      response = problem !== null ? failed(symbol, range, null, problem) : await this.lookup(symbol, range)
    } catch (error) {
      response = failed(symbol, range, null, `The price history could not be loaded: ${describe(error)}`)
    }
    try {
      this.deps.answer(requestId, response)
    } catch (error) {
      this.deps.log('error', `Could not send a history answer: ${describe(error)}`)
    }
  }

  private lookup(symbol: string, range: HistoryRange): Promise<HistoryResponse> {
    const sources = this.sources(symbol)
    // The source the symbol is charted by now is part of the key: a chart from another source
    // (before a routing change, or while the first one failed) is not the answer for this one.
    const key = `${symbol}|${range}|${sources === 'simulated' ? 'simulated' : (sources[0]?.id ?? 'none')}`
    const cached = this.cache.get(key)
    if (cached !== undefined && cached.expires > this.deps.now()) return Promise.resolve(cached.response)
    const running = this.inFlight.get(key)
    if (running !== undefined) return running
    const next = this.load(symbol, range, sources).finally(() => this.inFlight.delete(key))
    this.inFlight.set(key, next)
    return next.then((response) => {
      if (response.error === null) this.remember(key, response, range)
      return response
    })
  }

  private remember(key: string, response: HistoryResponse, range: HistoryRange): void {
    this.cache.delete(key)
    this.cache.set(key, { response, expires: this.deps.now() + (isIntraday(range) ? HISTORY_CACHE_MS.intraday : HISTORY_CACHE_MS.daily) })
    while (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string)
  }

  /** The providers to ask, best first. */
  candidates(symbol: string): ProviderId[] | 'simulated' {
    const routing = this.deps.routing()
    const assigned = this.deps.assigned(symbol)
    const own = unique([...(assigned === undefined ? [] : [assigned]), ...(routing === null ? [] : routeFor(symbol, routing))])
    if (own.length > 0 && own.every((id) => id === 'simulated')) return 'simulated'
    return unique([...own, ...CLASS_DEFAULTS[assetClassOf(symbol)]])
  }

  /** The sources that can chart the symbol as configured now, best first. */
  private sources(symbol: string): HistorySource[] | 'simulated' {
    const ids = this.candidates(symbol)
    if (ids === 'simulated') return 'simulated'
    const found: HistorySource[] = []
    for (const id of ids) {
      if (found.length >= MAX_ATTEMPTS) break
      try {
        const source = this.deps.source(id)
        if (source !== null) found.push(source)
      } catch (error) {
        this.deps.log('warn', `${PROVIDER_LABELS[id]} cannot chart right now: ${describe(error)}`)
      }
    }
    return found
  }

  private async load(symbol: string, range: HistoryRange, sources: HistorySource[] | 'simulated'): Promise<HistoryResponse> {
    if (sources === 'simulated') return failed(symbol, range, null, SIMULATED_HISTORY_MESSAGE)
    let first: HistoryResponse | null = null
    for (const source of sources) {
      if (this.disposed) break
      const response = await this.ask(source, symbol, range)
      if (response.error === null) return response
      first ??= response
    }
    return first ?? failed(symbol, range, null, `No data source can chart ${symbol}.`)
  }

  private async ask(source: HistorySource, symbol: string, range: HistoryRange): Promise<HistoryResponse> {
    const label = PROVIDER_LABELS[source.id]
    const blockedUntil = this.coolDown.get(source.id) ?? 0
    if (blockedUntil > this.deps.now()) {
      const seconds = Math.ceil((blockedUntil - this.deps.now()) / 1000)
      return failed(symbol, range, source.id, `${label} is limiting requests; try the chart again in ${seconds} s.`)
    }
    // Asked before waiting its turn too, so a refused chart does not first wait out the spacing.
    const refusedEarly = this.spend(source, false)
    if (refusedEarly !== null) return failed(symbol, range, source.id, refusedEarly)
    const release = await this.turn(source)
    try {
      if (this.disposed) return failed(symbol, range, source.id, 'The quote engine is stopping.')
      const refused = this.spend(source, true)
      if (refused !== null) return failed(symbol, range, source.id, refused)
      const bars = await source.fetchHistory(symbol, range, this.aborter.signal)
      if (bars.length === 0) return failed(symbol, range, source.id, `${label} has no price history for ${symbol} over this range.`)
      return { symbol, range, source: source.id, bars, error: null }
    } catch (error) {
      if (error instanceof ProviderError && error.kind === 'rate-limit') {
        this.coolDown.set(source.id, this.deps.now() + (error.retryAfterMs ?? DEFAULT_COOL_DOWN_MS))
      }
      const message = error instanceof ProviderError ? error.message : `${label} sent data TickerDesk could not read.`
      if (!(error instanceof ProviderError)) this.deps.log('error', `${label} history for ${symbol} failed: ${describe(error)}`)
      return failed(symbol, range, source.id, message)
    } finally {
      release()
    }
  }

  /** Charges (or, with `charge` false, only checks) the chart against its provider's quote quota. */
  private spend(source: HistorySource, charge: boolean): string | null {
    if (source.quotaCost === undefined || this.deps.spend === undefined) return null
    return this.deps.spend(source.id, source.quotaCost, charge)
  }

  /** Waits for this source's previous request to finish and its spacing to pass; returns the release. */
  private async turn(source: HistorySource): Promise<() => void> {
    const previous = this.queues.get(source.id) ?? Promise.resolve()
    let release!: () => void
    const mine = new Promise<void>((resolve) => (release = resolve))
    const chained = previous.then(() => mine)
    this.queues.set(source.id, chained)
    void chained.then(() => {
      if (this.queues.get(source.id) === chained) this.queues.delete(source.id)
    })
    await previous
    const wait = (this.lastStart.get(source.id) ?? Number.NEGATIVE_INFINITY) + source.minTimeMs - this.deps.now()
    if (wait > 0 && !this.disposed) await new Promise<void>((resolve) => this.deps.timers.setTimeout(resolve, wait))
    this.lastStart.set(source.id, this.deps.now())
    return release
  }
}

function failed(symbol: string, range: HistoryRange, source: ProviderId | null, error: string): HistoryResponse {
  return { symbol, range, source, bars: [], error }
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)]
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
