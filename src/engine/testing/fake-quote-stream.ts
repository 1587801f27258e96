import type { ProviderId } from '../../shared/providers'
import type { QuoteStream, StreamState, StreamTick } from '../providers/quote-stream'

/** A stream the test drives by hand: state changes, ticks and per-symbol errors on demand. */
export class FakeQuoteStream implements QuoteStream {
  symbols: readonly string[] = []
  readonly subscriptions: string[][] = []
  closed = false
  private readonly tickListeners = new Set<(ticks: readonly StreamTick[]) => void>()
  private readonly stateListeners = new Set<(state: StreamState, detail: string | null) => void>()
  private readonly errorListeners = new Set<(symbol: string, message: string) => void>()

  constructor(readonly id: ProviderId) {}

  setSymbols(symbols: readonly string[]): void {
    this.symbols = [...symbols]
    this.subscriptions.push([...symbols])
  }

  onTick(listener: (ticks: readonly StreamTick[]) => void): () => void {
    this.tickListeners.add(listener)
    return () => this.tickListeners.delete(listener)
  }

  onState(listener: (state: StreamState, detail: string | null) => void): () => void {
    this.stateListeners.add(listener)
    return () => this.stateListeners.delete(listener)
  }

  onSymbolError(listener: (symbol: string, message: string) => void): () => void {
    this.errorListeners.add(listener)
    return () => this.errorListeners.delete(listener)
  }

  close(): void {
    this.closed = true
  }

  state(state: StreamState, detail: string | null = null): void {
    for (const listener of [...this.stateListeners]) listener(state, detail)
  }

  tick(...ticks: StreamTick[]): void {
    for (const listener of [...this.tickListeners]) listener(ticks)
  }

  symbolError(symbol: string, message: string): void {
    for (const listener of [...this.errorListeners]) listener(symbol, message)
  }

  get listening(): boolean {
    return this.tickListeners.size > 0
  }
}
