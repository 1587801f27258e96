import { randomUUID } from 'node:crypto'
import type { EngineCommand, EngineEvent } from '../../shared/ipc/engine-protocol'
import { mergeAndRank } from '../../shared/symbol-rank'
import { DEFAULT_SEARCH_LIMIT, type SearchSymbolsResponse, type SymbolMatch } from '../../shared/symbol-search'
import type { Timers } from '../state/timers'

/** A little more than the engine's own per-provider timeout, so its answer (with errors) usually arrives. */
export const HOST_SEARCH_TIMEOUT_MS = 3_000
export const ENGINE_UNREACHABLE_MESSAGE = 'Symbol search could not reach the quote providers; showing matches from the local directory.'

export interface SearchServiceDeps {
  send(command: EngineCommand): void
  /** Whether a command sent now would reach a running engine. */
  engineReady(): boolean
  /** False while the quote provider is known to be offline: no point waiting for a search to fail. */
  online(): boolean
  directory: { search(query: string, limit: number): SymbolMatch[] }
  timers: Timers
  timeoutMs?: number
  newId?: () => string
}

interface Pending {
  resolve(event: Extract<EngineEvent, { type: 'search-results' }> | null): void
}

/**
 * The host's symbol search: asks the engine (which asks the providers) and merges its answer
 * with the local directory. Offline, with the engine down or too slow, the directory answers
 * alone and the response says so.
 */
export class SearchService {
  private readonly pending = new Map<string, Pending>()

  constructor(private readonly deps: SearchServiceDeps) {}

  async search(query: string, limit = DEFAULT_SEARCH_LIMIT): Promise<SearchSymbolsResponse> {
    const q = query.trim()
    const local = this.localMatches(q, limit)
    if (!this.deps.engineReady() || !this.deps.online()) return { matches: local, offline: true, errors: [] }
    const reply = await this.ask(q, limit)
    if (reply === null) return { matches: local, offline: true, errors: [ENGINE_UNREACHABLE_MESSAGE] }
    // Provider hits first: on a tie in richness they carry the provider's own spelling.
    return { matches: mergeAndRank(q, [reply.results, local], limit), offline: reply.unreachable === true, errors: reply.errors }
  }

  /** Feed every engine event here; returns true when it was a search answer. */
  handleEvent(event: EngineEvent): boolean {
    if (event.type !== 'search-results') return false
    const pending = this.pending.get(event.requestId)
    if (pending) pending.resolve(event)
    return true
  }

  /** The engine stopped: nobody is going to answer. */
  abandonAll(): void {
    for (const pending of [...this.pending.values()]) pending.resolve(null)
  }

  private localMatches(query: string, limit: number): SymbolMatch[] {
    try {
      return this.deps.directory.search(query, limit)
    } catch {
      return []
    }
  }

  private ask(query: string, limit: number): Promise<Extract<EngineEvent, { type: 'search-results' }> | null> {
    const requestId = (this.deps.newId ?? randomUUID)()
    return new Promise((resolve) => {
      const timer = this.deps.timers.setTimeout(() => finish(null), this.deps.timeoutMs ?? HOST_SEARCH_TIMEOUT_MS)
      const finish = (event: Extract<EngineEvent, { type: 'search-results' }> | null): void => {
        if (!this.pending.delete(requestId)) return
        this.deps.timers.clearTimeout(timer)
        resolve(event)
      }
      this.pending.set(requestId, { resolve: finish })
      try {
        this.deps.send({ type: 'search', requestId, query, limit })
      } catch {
        finish(null)
      }
    })
  }
}
