/**
 * Finnhub's live trade feed: `wss://ws.finnhub.io?token=KEY` (TICKERDESK_FINNHUB_WS_URL, or the
 * REST override's host, replaces the base).
 *
 * - One connection per key (Finnhub allows no more); symbols are added and dropped with
 *   `{"type":"subscribe"|"unsubscribe","symbol":…}`, sending only the differences.
 * - The free plan streams 50 symbols: the first 50 wanted are subscribed and each one beyond is
 *   reported once through onSymbolError, so the engine keeps polling it over REST.
 * - `{"type":"trade","data":[{s,p,t,v}…]}` carries several trades, `t` in epoch ms; a `v=0`
 *   entry is a price update and still a tick. `v` is the trade's size, not the day's volume, so
 *   ticks carry no volume.
 * - `{"type":"ping"}` needs no answer but proves the line alive: with no message at all for
 *   `watchdogMs` the socket is dropped and opened again.
 * - `{"type":"error","msg":"Invalid symbol X"}` → onSymbolError("X", "Unknown symbol X…"); the
 *   symbol is not asked for again until it leaves and re-enters the wanted set.
 * - Any loss reconnects after a jittered exponential delay and subscribes everything again;
 *   close() stops for good.
 */
import { StreamListeners } from './stream-listeners'
import type { ProviderId } from '../../shared/providers'
import { parseFeedMessage } from './feed-message'
import type { QuoteStream, StreamState, StreamTick } from './quote-stream'
import { ReconnectingSocket, type FeedSocketOptions } from './reconnecting-socket'
import { FINNHUB_WS_BASE } from './finnhub-client'
import { FINNHUB_LABEL } from './finnhub-replies'

export const FINNHUB_STREAM_SYMBOL_CAP = 50
export const FINNHUB_WATCHDOG_MS = 60_000

export interface FinnhubStreamOptions extends FeedSocketOptions {
  key: string | undefined
  /** Websocket base; see finnhubWsBase for how the overrides map. */
  url?: string
  maxSymbols?: number
  handshakeTimeoutMs?: number
}

export interface FinnhubStream extends QuoteStream {
  readonly state: StreamState
  /** Wanted symbols that are not streamed: over the plan's cap, or refused by Finnhub. */
  unstreamed(): string[]
}

export function finnhubStreamUrl(base: string, key: string): string {
  const url = new URL(base)
  url.searchParams.set('token', key)
  return url.toString()
}

const LABEL = `${FINNHUB_LABEL} stream`

/** Finnhub answers a bad key with 401/403 and a second connection for one key with 429. */
function finnhubRefusal(status: number): { why: string; backOffFully?: boolean } {
  if (status === 401 || status === 403) return { why: `${LABEL} refused the key: invalid API key`, backOffFully: true }
  if (status === 429) return { why: `${LABEL} refused a second connection for this key (one at a time), or its limit was reached` }
  return { why: `${LABEL} refused the connection (HTTP ${status})` }
}

interface TradeItem {
  s?: unknown
  p?: unknown
  t?: unknown
}

export function createFinnhubStream(options: FinnhubStreamOptions): FinnhubStream {
  const { deps } = options
  const key = options.key?.trim() || undefined
  const cap = options.maxSymbols ?? FINNHUB_STREAM_SYMBOL_CAP
  const base = options.url?.trim() || FINNHUB_WS_BASE

  const listeners = new StreamListeners(LABEL, deps.log)

  let wanted: string[] = []
  /** Symbols Finnhub called invalid; left out until they are no longer wanted. */
  const refused = new Set<string>()
  /** Symbols already told they are over the cap, so a repeat setSymbols does not say it again. */
  const toldOverCap = new Set<string>()
  /** Subscribed on the current socket. */
  const sent = new Set<string>()
  let closed = false

  const streamed = (): string[] => wanted.filter((s) => !refused.has(s)).slice(0, cap)

  const socket = new ReconnectingSocket({
    label: LABEL,
    url: () => finnhubStreamUrl(base, key ?? ''),
    deps,
    timers: options.timers,
    random: options.random,
    backoff: options.backoff,
    watchdogMs: options.watchdogMs ?? FINNHUB_WATCHDOG_MS,
    handshakeTimeoutMs: options.handshakeTimeoutMs,
    refusal: finnhubRefusal,
    // With nothing left to stream a reconnect would only hold a connection for nobody.
    shouldReconnect: () => streamed().length > 0,
    onOpen() {
      sent.clear()
      sync()
    },
    onMessage,
    onState(state, detail) {
      // close() tells its own final state.
      if (!closed) listeners.emitState(state, detail)
    }
  })

  function reportOverCap(active: readonly string[]): void {
    const inStream = new Set(active)
    for (const symbol of wanted) {
      if (inStream.has(symbol) || refused.has(symbol) || toldOverCap.has(symbol)) continue
      toldOverCap.add(symbol)
      listeners.emitSymbolError(symbol, `${symbol} is not streamed: Finnhub streams at most ${cap} symbols at once on this plan, so it is refreshed over REST instead.`)
    }
    for (const symbol of inStream) toldOverCap.delete(symbol)
  }

  function send(message: { type: 'subscribe' | 'unsubscribe'; symbol: string }): void {
    socket.send(JSON.stringify(message))
  }

  /** Brings the socket's subscriptions in line with what is wanted, opening it if needed. */
  function sync(): void {
    if (closed) return
    const active = streamed()
    reportOverCap(active)
    if (key === undefined) {
      if (active.length > 0) listeners.emitState('down', `${LABEL} needs an API key: add one in Settings or set TICKERDESK_FINNHUB_KEY.`)
      return
    }
    if (!socket.isOpen) {
      if (active.length > 0) socket.start()
      return
    }
    const keep = new Set(active)
    for (const symbol of [...sent]) {
      if (keep.has(symbol)) continue
      sent.delete(symbol)
      send({ type: 'unsubscribe', symbol })
    }
    for (const symbol of active) {
      if (sent.has(symbol)) continue
      sent.add(symbol)
      send({ type: 'subscribe', symbol })
    }
  }

  function onMessage(text: string): void {
    const message = parseFeedMessage(text, LABEL, deps.log)
    if (message === null) return
    if (message.type === 'trade') return onTrades(message.data)
    if (message.type === 'error') return onError(typeof message.msg === 'string' ? message.msg : '')
    // 'ping' and anything new: the watchdog was already fed.
  }

  function onTrades(data: unknown): void {
    if (!Array.isArray(data)) return
    const ticks: StreamTick[] = []
    for (const raw of data as TradeItem[]) {
      if (typeof raw !== 'object' || raw === null) continue
      const { s, p, t } = raw
      if (typeof s !== 'string' || !sent.has(s)) continue
      if (typeof p !== 'number' || !Number.isFinite(p) || p <= 0) continue
      if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0) continue
      ticks.push({ symbol: s, price: p, time: t })
    }
    if (ticks.length > 0) listeners.emitTicks(ticks)
  }

  function onError(msg: string): void {
    const invalid = /^invalid symbol\s+(.+)$/i.exec(msg.trim())
    const symbol = invalid?.[1]?.trim()
    if (symbol === undefined || !wanted.includes(symbol)) {
      deps.log('warn', `${LABEL} error: ${msg || '(no message)'}`)
      return
    }
    refused.add(symbol)
    sent.delete(symbol)
    listeners.emitSymbolError(symbol, `Unknown symbol ${symbol}: Finnhub does not stream it ("${msg.trim()}").`)
    sync()
  }

  return {
    id: 'finnhub' satisfies ProviderId,
    get state() {
      return listeners.state
    },
    unstreamed() {
      const active = new Set(streamed())
      return wanted.filter((s) => !active.has(s))
    },
    setSymbols(symbols) {
      if (closed) return
      const next: string[] = []
      for (const raw of symbols) {
        const symbol = raw.trim()
        if (symbol !== '' && !next.includes(symbol)) next.push(symbol)
      }
      wanted = next
      const still = new Set(next)
      for (const symbol of [...refused]) if (!still.has(symbol)) refused.delete(symbol)
      for (const symbol of [...toldOverCap]) if (!still.has(symbol)) toldOverCap.delete(symbol)
      sync()
    },
    ...listeners.subscriptions,
    close() {
      if (closed) return
      closed = true
      socket.close('closed by TickerDesk')
      sent.clear()
      listeners.emitState('down', `${LABEL} closed.`)
      listeners.clear()
    }
  }
}
