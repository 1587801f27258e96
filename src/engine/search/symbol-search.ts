import { PROVIDER_LABELS, type ProviderId } from '../../shared/providers'
import { mergeAndRank } from '../../shared/symbol-rank'
import { SymbolMatchSchema, type SymbolMatch } from '../../shared/symbol-search'
import { ProviderError } from '../providers/provider'
import type { Timers } from '../timers'
import { SourceGate } from './source-gate'
import type { SearchSource } from './search-source'

export const DEFAULT_SEARCH_TIMEOUT_MS = 2_500

export interface SymbolSearchOptions {
  /** The provider's search source, or null when it has none; asked once per provider. */
  source(id: ProviderId): SearchSource | null
  timers: Timers
  now(): number
  timeoutMs?: number
}

export interface SearchOutcome {
  results: SymbolMatch[]
  /** One plain-words line per provider that failed. */
  errors: string[]
  /** Every provider asked failed for want of a network (offline, timed out). */
  unreachable: boolean
}

type SourceAnswer = { matches: SymbolMatch[] } | { error: string; network: boolean } | { skipped: true }

/**
 * Asks several providers' search endpoints at once, each behind its own gate (one request in
 * flight, provider spacing) and all under one timeout, then merges, de-duplicates and ranks.
 * A provider that fails costs only its own hits.
 */
export class SymbolSearch {
  private readonly sources = new Map<ProviderId, { source: SearchSource; gate: SourceGate } | null>()
  private readonly timeoutMs: number
  private readonly controllers = new Set<AbortController>()
  private disposed = false

  constructor(private readonly options: SymbolSearchOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_SEARCH_TIMEOUT_MS
  }

  /** The providers in `ids` that can search. */
  searchable(ids: readonly ProviderId[]): ProviderId[] {
    return ids.filter((id) => this.entry(id) !== null)
  }

  async search(query: string, limit: number, providers: readonly ProviderId[]): Promise<SearchOutcome> {
    const ids = [...new Set(this.searchable(providers))]
    const answers = await Promise.all(ids.map((id) => this.ask(id, query, limit)))
    const lists: SymbolMatch[][] = []
    const errors: string[] = []
    let networkFailures = 0
    for (const answer of answers) {
      if ('matches' in answer) lists.push(answer.matches)
      else if ('error' in answer) {
        errors.push(answer.error)
        if (answer.network) networkFailures++
      }
    }
    return { results: mergeAndRank(query, lists, limit), errors, unreachable: ids.length > 0 && networkFailures === ids.length }
  }

  /** Drops the cached sources of these providers (a new key): the next search builds them again. */
  forget(ids: Iterable<ProviderId>): void {
    for (const id of ids) {
      this.sources.get(id)?.gate.dispose()
      this.sources.delete(id)
    }
  }

  dispose(): void {
    this.disposed = true
    for (const controller of this.controllers) controller.abort()
    for (const entry of this.sources.values()) entry?.gate.dispose()
  }

  private entry(id: ProviderId): { source: SearchSource; gate: SourceGate } | null {
    if (!this.sources.has(id)) {
      let source: SearchSource | null
      try {
        source = this.options.source(id)
      } catch {
        // A provider whose adapter cannot be built simply has no search.
        source = null
      }
      this.sources.set(id, source === null ? null : { source, gate: new SourceGate(source.minTimeMs, this.options.timers, this.options.now) })
    }
    return this.sources.get(id) ?? null
  }

  private ask(id: ProviderId, query: string, limit: number): Promise<SourceAnswer> {
    const entry = this.entry(id)
    if (entry === null || this.disposed) return Promise.resolve({ skipped: true })
    const label = PROVIDER_LABELS[id]
    const controller = new AbortController()
    this.controllers.add(controller)
    const job = (): Promise<SymbolMatch[]> => entry.source.search(query, limit, controller.signal)
    return new Promise<SourceAnswer>((resolve) => {
      let done = false
      const finish = (answer: SourceAnswer): void => {
        if (done) return
        done = true
        this.options.timers.clearTimeout(timer)
        this.controllers.delete(controller)
        resolve(answer)
      }
      const timer = this.options.timers.setTimeout(() => {
        entry.gate.cancelWaiting(job)
        controller.abort()
        finish({ error: `${label} search timed out after ${this.timeoutMs / 1000} s.`, network: true })
      }, this.timeoutMs)
      entry.gate.run(job).then(
        (outcome) => finish(outcome.kind === 'superseded' ? { skipped: true } : { matches: cleanHits(outcome.value, id) }),
        (error: unknown) => finish(describeFailure(label, error))
      )
    })
  }
}

/** A source's hits as the contract wants them; anything malformed is left out, not trusted. */
function cleanHits(hits: unknown, id: ProviderId): SymbolMatch[] {
  if (!Array.isArray(hits)) return []
  const clean: SymbolMatch[] = []
  for (const hit of hits) {
    const parsed = SymbolMatchSchema.safeParse({ ...(hit as object), source: id })
    if (parsed.success) clean.push(parsed.data)
  }
  return clean
}

function describeFailure(label: string, error: unknown): { error: string; network: boolean } {
  const message = error instanceof Error ? error.message : String(error)
  const text = message.includes(label) ? message : `${label} search failed: ${message}`
  return { error: text, network: error instanceof ProviderError && error.kind === 'network' }
}
