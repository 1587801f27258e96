import { randomUUID } from 'node:crypto'
import { HistoryRangeSchema, HistoryResponseSchema, type HistoryRange, type HistoryResponse } from '../shared/history'
import type { EngineCommand, EngineEvent } from '../shared/ipc/engine-protocol'
import { UserError } from '../shared/ipc/result'
import { normaliseSymbol, symbolProblem } from '../shared/symbols'
import type { Timers } from './state/timers'

/** Long enough for a slow provider (or a few pages of candles), short enough that a chart never spins forever. */
export const HOST_HISTORY_TIMEOUT_MS = 20_000
export const HISTORY_ENGINE_DOWN_MESSAGE = 'The quote engine is not running right now; try the chart again in a moment.'
export const HISTORY_RESTARTED_MESSAGE = 'The quote engine restarted before the price history arrived; try again.'
export const HISTORY_TIMEOUT_MESSAGE = 'The price history took too long to arrive; try again.'

export interface HistoryClientDeps {
  send(command: EngineCommand): void
  /** Whether a command sent now would reach a running engine. */
  engineReady(): boolean
  timers: Timers
  timeoutMs?: number
  newId?: () => string
  /** Blanks API keys out of text: a provider's error may quote the URL it called, key and all. */
  redact?: (text: string) => string
}

/**
 * The host's side of getHistory: one 'history' command per call with a fresh requestId, resolved
 * by the engine's matching event. A timeout, an engine restart or a malformed answer resolves
 * with an error in plain words; nothing here rejects except bad input.
 */
export class HistoryClient {
  private readonly pending = new Map<string, (response: HistoryResponse | string) => void>()

  constructor(private readonly deps: HistoryClientDeps) {}

  get(request: { symbol: string; range: string }): Promise<HistoryResponse> {
    const problem = typeof request?.symbol === 'string' ? symbolProblem(request.symbol) : 'Type a ticker symbol, for example AAPL or BTC-USD.'
    if (problem !== null) throw new UserError(problem)
    const range = HistoryRangeSchema.safeParse(request.range)
    if (!range.success) throw new UserError(`"${String(request.range)}" is not a chart range; use one of ${HistoryRangeSchema.options.join(', ')}.`)
    const symbol = normaliseSymbol(request.symbol)
    const failed = (error: string): HistoryResponse => ({ symbol, range: range.data, source: null, bars: [], error })
    if (!this.deps.engineReady()) return Promise.resolve(failed(HISTORY_ENGINE_DOWN_MESSAGE))
    return this.ask(symbol, range.data).then((answer) => (typeof answer === 'string' ? failed(answer) : answer))
  }

  /** Feed every engine event here; returns true when it was a history answer. */
  handleEvent(event: EngineEvent): boolean {
    if (event.type !== 'history') return false
    const finish = this.pending.get(event.requestId)
    if (finish === undefined) return true
    const parsed = HistoryResponseSchema.safeParse(event.response)
    if (!parsed.success) finish('The quote engine sent a price history TickerDesk could not read.')
    else if (parsed.data.error === null || this.deps.redact === undefined) finish(parsed.data)
    else finish({ ...parsed.data, error: this.deps.redact(parsed.data.error) })
    return true
  }

  /** The engine stopped or restarted: the requests it had are gone. */
  abandonAll(): void {
    for (const finish of [...this.pending.values()]) finish(HISTORY_RESTARTED_MESSAGE)
  }

  private ask(symbol: string, range: HistoryRange): Promise<HistoryResponse | string> {
    const requestId = (this.deps.newId ?? randomUUID)()
    return new Promise((resolve) => {
      const timer = this.deps.timers.setTimeout(() => finish(HISTORY_TIMEOUT_MESSAGE), this.deps.timeoutMs ?? HOST_HISTORY_TIMEOUT_MS)
      const finish = (answer: HistoryResponse | string): void => {
        if (!this.pending.delete(requestId)) return
        this.deps.timers.clearTimeout(timer)
        resolve(answer)
      }
      this.pending.set(requestId, finish)
      try {
        this.deps.send({ type: 'history', requestId, symbol, range })
      } catch {
        finish(HISTORY_ENGINE_DOWN_MESSAGE)
      }
    })
  }
}
