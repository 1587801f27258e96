import { randomUUID } from 'node:crypto'
import { createTask } from 'node-cron'
import type { EngineCommand, EngineEvent } from '../../shared/ipc/engine-protocol'
import type { ProviderId } from '../../shared/providers'
import type { SymbolMatch } from '../../shared/symbol-search'
import type { Timers } from '../state/timers'

export const DIRECTORY_MAX_AGE_MS = 24 * 60 * 60 * 1000
/** Once a day at 04:17 local time, away from market hours and from the top of the hour. */
export const DIRECTORY_CRON = '17 4 * * *'
/** After start-up, give quotes the network first. */
export const DIRECTORY_FIRST_REFRESH_MS = 60_000

export interface DirectoryRefresherDeps {
  send(command: EngineCommand): void
  engineReady(): boolean
  directory: { replaceListing(id: ProviderId, entries: readonly SymbolMatch[], fetchedAt: number): void; readonly lastRefresh: number | null }
  now(): number
  timers: Timers
  log(level: 'info' | 'warn', message: string): void
  /** Seam for tests; production uses node-cron. */
  schedule?: (expression: string, task: () => void) => { stop(): void }
  newId?: () => string
}

/**
 * Keeps the directory fresh. The listings are fetched by the engine (it owns the network and
 * every provider's rate limits), so the host only decides when: a daily cron job, and once
 * shortly after start when the directory is more than a day old. Chunks of a listing are
 * collected until its last one, then that provider's listing is replaced as a whole.
 */
export class DirectoryRefresher {
  private readonly partial = new Map<ProviderId, SymbolMatch[]>()
  private requestId: string | null = null
  private job: { stop(): void } | null = null
  private firstTimer: unknown = null

  constructor(private readonly deps: DirectoryRefresherDeps) {}

  start(): void {
    if (this.job !== null) return
    const schedule = this.deps.schedule ?? cronSchedule
    this.job = schedule(DIRECTORY_CRON, () => this.refresh())
    const last = this.deps.directory.lastRefresh
    if (last === null || this.deps.now() - last > DIRECTORY_MAX_AGE_MS) {
      this.firstTimer = this.deps.timers.setTimeout(() => {
        this.firstTimer = null
        this.refresh()
      }, DIRECTORY_FIRST_REFRESH_MS)
    }
  }

  refresh(): void {
    if (!this.deps.engineReady()) return
    this.requestId = (this.deps.newId ?? randomUUID)()
    this.partial.clear()
    this.deps.send({ type: 'refresh-directory', requestId: this.requestId })
  }

  /** Feed every engine event here; returns true when it was a directory chunk. */
  handleEvent(event: EngineEvent): boolean {
    if (event.type !== 'directory') return false
    if (event.requestId !== this.requestId) return true
    if (event.error !== null) {
      this.partial.delete(event.source)
      this.deps.log('warn', `Could not refresh the symbol directory: ${event.error}`)
      return true
    }
    const collected = this.partial.get(event.source) ?? []
    collected.push(...event.entries)
    this.partial.set(event.source, collected)
    if (event.done) {
      this.partial.delete(event.source)
      this.deps.directory.replaceListing(event.source, collected, this.deps.now())
      this.deps.log('info', `Symbol directory: ${collected.length} symbols from ${event.source}.`)
    }
    return true
  }

  stop(): void {
    this.job?.stop()
    this.job = null
    if (this.firstTimer !== null) this.deps.timers.clearTimeout(this.firstTimer)
    this.firstTimer = null
  }
}

function cronSchedule(expression: string, task: () => void): { stop(): void } {
  // unref: a pending daily job must never keep a process alive on its own.
  const job = createTask(expression, task, { name: 'tickerdesk-directory', noOverlap: true, suppressMissedWarning: true, unref: true })
  void job.start()
  return { stop: () => void job.stop() }
}
