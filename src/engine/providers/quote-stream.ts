import type { ProviderId } from '../../shared/providers'

/**
 * A tick pushed by a provider's websocket. Only `price` and `time` are always known; the engine
 * merges a tick onto the symbol's last full quote (from REST) before it goes anywhere.
 */
export interface StreamTick {
  symbol: string
  price: number
  /** Provider time of the trade or update, epoch ms. */
  time: number
  volume?: number | null
  open?: number | null
  dayHigh?: number | null
  dayLow?: number | null
  previousClose?: number | null
  change?: number | null
  changePercent?: number | null
}

export type StreamState = 'connecting' | 'open' | 'down'

/**
 * A live feed for one provider. It owns its socket, heartbeats and reconnects (jittered
 * exponential backoff, resubscribing everything); the engine only says which symbols it wants
 * and polls the same symbols over REST while the stream is not 'open'.
 */
export interface QuoteStream {
  readonly id: ProviderId
  /** Replaces the wanted set; the stream sends only the subscribe/unsubscribe differences. */
  setSymbols(symbols: readonly string[]): void
  onTick(listener: (ticks: readonly StreamTick[]) => void): () => void
  /** detail: plain words for the user when down (e.g. "Coinbase stream closed; reconnecting in 4 s"). */
  onState(listener: (state: StreamState, detail: string | null) => void): () => void
  /** Per-symbol problems the stream reported (e.g. Finnhub "Invalid symbol"). */
  onSymbolError(listener: (symbol: string, message: string) => void): () => void
  close(): void
}
