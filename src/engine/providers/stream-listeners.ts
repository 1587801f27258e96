import type { ProviderDeps } from './provider'
import type { QuoteStream, StreamState, StreamTick } from './quote-stream'

type Subscriptions = Pick<QuoteStream, 'onTick' | 'onState' | 'onSymbolError'>

/**
 * The listener side every QuoteStream shares: subscribe/unsubscribe, and delivery that survives
 * a throwing listener (it is logged; the others still hear the news). A state is told only when
 * it differs from the last one, so listeners never hear the same news twice in a row.
 */
export class StreamListeners {
  private readonly ticks = new Set<(ticks: readonly StreamTick[]) => void>()
  private readonly states = new Set<(state: StreamState, detail: string | null) => void>()
  private readonly errors = new Set<(symbol: string, message: string) => void>()
  private lastState: StreamState = 'down'
  private lastDetail: string | null = null

  /** `label` names the stream in the log line when a listener fails. */
  constructor(
    private readonly label: string,
    private readonly log: ProviderDeps['log']
  ) {}

  /** The QuoteStream methods, ready to spread into a stream object. */
  readonly subscriptions: Subscriptions = {
    onTick: (listener) => add(this.ticks, listener),
    onState: (listener) => add(this.states, listener),
    onSymbolError: (listener) => add(this.errors, listener)
  }

  emitTicks(ticks: readonly StreamTick[]): void {
    this.emit(this.ticks, ticks)
  }

  /** The last state told (streams start 'down'). */
  get state(): StreamState {
    return this.lastState
  }

  emitState(state: StreamState, detail: string | null): void {
    if (state === this.lastState && detail === this.lastDetail) return
    this.lastState = state
    this.lastDetail = detail
    this.emit(this.states, state, detail)
  }

  emitSymbolError(symbol: string, message: string): void {
    this.emit(this.errors, symbol, message)
  }

  clear(): void {
    this.ticks.clear()
    this.states.clear()
    this.errors.clear()
  }

  private emit<A extends unknown[]>(listeners: Set<(...args: A) => void>, ...args: A): void {
    for (const listener of [...listeners]) {
      try {
        listener(...args)
      } catch (error) {
        this.log('error', `${this.label} listener failed: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
  }
}

function add<T>(set: Set<T>, listener: T): () => void {
  set.add(listener)
  return () => set.delete(listener)
}
