import type { EngineState } from '../src/shared/ipc/contract'
import type { EngineCommand, EngineEvent } from '../src/shared/ipc/engine-protocol'
import type { Quote } from '../src/shared/quote'
import type { EngineHandle } from '../src/host/engine-handle'
import { QuoteCoalescer } from '../src/engine/quote-coalescer'
import { makeQuote } from '../tests/fakes/fixtures/make-quote'

/**
 * A stand-in for the engine process that pushes quotes at a fixed rate through the engine's
 * own coalescer, so the UI benchmark drives the real host, bridge and renderer at a known load.
 * Prices rise by one cent per update, which makes every (symbol, price) pair unique: the
 * benchmark maps a painted price back to the moment it was generated.
 */
export class FeedEngine implements EngineHandle {
  state: EngineState = 'starting'
  private symbols: string[] = []
  private readonly listeners = new Set<(event: EngineEvent) => void>()
  private readonly stateListeners = new Set<(state: EngineState) => void>()
  private readonly coalescer = new QuoteCoalescer({ onFlush: (patches) => this.emit({ type: 'quotes', patches }) })
  private timer: NodeJS.Timeout | undefined
  private cursor = 0
  private readonly seq = new Map<string, number>()
  /** `${symbol} ${cents}` → epoch ms when generated. */
  readonly sentAt = new Map<string, number>()
  generated = 0

  async start(): Promise<void> {
    this.state = 'running'
    for (const l of this.stateListeners) l('running')
    const now = Date.now()
    this.emit({ type: 'status', status: { provider: 'simulated', online: true, offlineSince: null, lastSuccess: now, lastError: null, rateLimitedUntil: null } })
  }

  send(command: EngineCommand): void {
    if (command.type === 'set-interest' && command.symbols.length > 0) this.symbols = command.symbols
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  onState(listener: (state: EngineState) => void): () => void {
    this.stateListeners.add(listener)
    return () => this.stateListeners.delete(listener)
  }

  /** Starts emitting `updatesPerSecond` quotes, spread evenly over the subscribed symbols. */
  run(updatesPerSecond: number): void {
    const tickMs = 5
    const perTick = Math.max(1, Math.round((updatesPerSecond * tickMs) / 1000))
    const started = Date.now()
    this.timer = setInterval(() => {
      // Catch up to the schedule if a timer fired late, so the offered load stays exact.
      const due = Math.floor(((Date.now() - started) * updatesPerSecond) / 1000) - this.generated
      for (let i = 0; i < Math.min(due, perTick * 4); i++) this.next()
    }, tickMs)
  }

  stop(): void {
    clearInterval(this.timer)
  }

  async dispose(): Promise<void> {
    this.stop()
    this.coalescer.dispose()
  }

  private next(): void {
    if (this.symbols.length === 0) return
    const symbol = this.symbols[this.cursor++ % this.symbols.length] as string
    const n = (this.seq.get(symbol) ?? 0) + 1
    this.seq.set(symbol, n)
    const cents = 10_000 + (this.cursor % 7) * 10_000 + n
    const now = Date.now()
    this.sentAt.set(`${symbol} ${cents}`, now)
    this.generated++
    this.coalescer.push(quoteFor(symbol, cents / 100, now))
  }

  private emit(event: EngineEvent): void {
    for (const l of this.listeners) l(event)
  }
}

export function quoteFor(symbol: string, price: number, now: number): Quote {
  return makeQuote(symbol, {
    name: `${symbol} (simulated)`,
    price,
    change: 1.25,
    changePercent: 0.5,
    open: price - 1,
    previousClose: price - 1.25,
    dayHigh: price + 2,
    dayLow: price - 3,
    volume: 1_000_000,
    marketCap: 2_500_000_000,
    providerTime: now,
    receivedAt: now
  })
}
