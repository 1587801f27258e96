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
import WebSocket from 'ws'
import { StreamListeners } from './stream-listeners'
import type { ProviderId } from '../../shared/providers'
import { describeWait } from './http-errors'
import type { ProviderDeps } from './provider'
import type { QuoteStream, StreamState, StreamTick } from './quote-stream'
import { FINNHUB_WS_BASE } from './finnhub-client'
import { FINNHUB_LABEL } from './finnhub-replies'

export const FINNHUB_STREAM_SYMBOL_CAP = 50
export const FINNHUB_WATCHDOG_MS = 60_000
export const FINNHUB_BACKOFF = { initialMs: 1_000, maxMs: 60_000 } as const

export interface StreamTimers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export interface FinnhubStreamOptions {
  key: string | undefined
  /** Websocket base; see finnhubWsBase for how the overrides map. */
  url?: string
  deps: ProviderDeps
  timers?: StreamTimers
  /** 0 ≤ random() < 1, for the backoff jitter. */
  random?: () => number
  maxSymbols?: number
  watchdogMs?: number
  backoff?: { initialMs?: number; maxMs?: number }
  handshakeTimeoutMs?: number
}

export interface FinnhubStream extends QuoteStream {
  readonly state: StreamState
  /** Wanted symbols that are not streamed: over the plan's cap, or refused by Finnhub. */
  unstreamed(): string[]
}

const realTimers: StreamTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>)
}

/** Equal jitter: half the exponential step fixed, half random, so clients do not reconnect in step. */
export function backoffDelay(attempt: number, random: () => number, initialMs: number, maxMs: number): number {
  const step = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30))
  return Math.round(step / 2 + random() * (step / 2))
}

export function finnhubStreamUrl(base: string, key: string): string {
  const url = new URL(base)
  url.searchParams.set('token', key)
  return url.toString()
}

interface TradeItem {
  s?: unknown
  p?: unknown
  t?: unknown
}

export function createFinnhubStream(options: FinnhubStreamOptions): FinnhubStream {
  const { deps } = options
  const key = options.key?.trim() || undefined
  const timers = options.timers ?? realTimers
  const random = options.random ?? Math.random
  const cap = options.maxSymbols ?? FINNHUB_STREAM_SYMBOL_CAP
  const watchdogMs = options.watchdogMs ?? FINNHUB_WATCHDOG_MS
  const initialMs = options.backoff?.initialMs ?? FINNHUB_BACKOFF.initialMs
  const maxMs = options.backoff?.maxMs ?? FINNHUB_BACKOFF.maxMs
  const base = options.url?.trim() || FINNHUB_WS_BASE

  const listeners = new StreamListeners(`${FINNHUB_LABEL} stream`, deps.log)

  let wanted: string[] = []
  /** Symbols Finnhub called invalid; left out until they are no longer wanted. */
  const refused = new Set<string>()
  /** Symbols already told they are over the cap, so a repeat setSymbols does not say it again. */
  const toldOverCap = new Set<string>()
  /** Subscribed on the current socket. */
  const sent = new Set<string>()
  let socket: WebSocket | null = null
  let state: StreamState = 'down'
  let detail: string | null = null
  let attempt = 0
  let reconnectTimer: unknown = null
  let watchdogTimer: unknown = null
  let closed = false


  function setState(next: StreamState, nextDetail: string | null): void {
    if (next === state && nextDetail === detail) return
    state = next
    detail = nextDetail
    listeners.emitState(next, nextDetail)
  }

  const streamed = (): string[] => wanted.filter((s) => !refused.has(s)).slice(0, cap)

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
    socket?.send(JSON.stringify(message))
  }

  /** Brings the socket's subscriptions in line with what is wanted, opening it if needed. */
  function sync(): void {
    if (closed) return
    const active = streamed()
    reportOverCap(active)
    if (key === undefined) {
      if (active.length > 0) setState('down', `${FINNHUB_LABEL} stream needs an API key: add one in Settings or set TICKERDESK_FINNHUB_KEY.`)
      return
    }
    if (socket === null) {
      if (active.length > 0 && reconnectTimer === null) connect()
      return
    }
    if (socket.readyState !== WebSocket.OPEN) return
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

  function armWatchdog(ws: WebSocket): void {
    if (watchdogTimer !== null) timers.clearTimeout(watchdogTimer)
    watchdogTimer = timers.setTimeout(() => {
      watchdogTimer = null
      deps.log('warn', `${FINNHUB_LABEL} stream: no message for ${describeWait(watchdogMs)}; reconnecting`)
      drop(ws, `${FINNHUB_LABEL} stream went silent for ${describeWait(watchdogMs)}`)
    }, watchdogMs)
  }

  function connect(): void {
    if (closed || key === undefined) return
    setState('connecting', null)
    let ws: WebSocket
    try {
      ws = new WebSocket(finnhubStreamUrl(base, key), { handshakeTimeout: options.handshakeTimeoutMs ?? 10_000 })
    } catch (error) {
      // A malformed address is a setup problem; trying again slowly keeps the engine running.
      socket = null
      scheduleReconnect(`${FINNHUB_LABEL} stream address is unusable (${error instanceof Error ? error.message : String(error)})`)
      return
    }
    socket = ws
    ws.on('open', () => {
      if (socket !== ws) return
      sent.clear()
      armWatchdog(ws)
      setState('open', null)
      sync()
    })
    ws.on('message', (data) => {
      if (socket !== ws) return
      armWatchdog(ws)
      attempt = 0
      onMessage(data.toString())
    })
    ws.on('unexpected-response', (_request, response) => {
      const status = response.statusCode ?? 0
      if (status === 401 || status === 403) attempt = Math.max(attempt, 30)
      const why =
        status === 401 || status === 403
          ? `${FINNHUB_LABEL} stream refused the key: invalid API key`
          : status === 429
            ? `${FINNHUB_LABEL} stream refused a second connection for this key (one at a time), or its limit was reached`
            : `${FINNHUB_LABEL} stream refused the connection (HTTP ${status})`
      drop(ws, why)
    })
    ws.on('error', (error) => {
      deps.log('info', `${FINNHUB_LABEL} stream error: ${error.message}`)
      drop(ws, `${FINNHUB_LABEL} stream failed (${error.message})`)
    })
    ws.on('close', (code) => drop(ws, `${FINNHUB_LABEL} stream closed (code ${code})`))
  }

  /** Forgets a socket that failed or went quiet, once, and plans the next attempt. */
  function drop(ws: WebSocket, why: string): void {
    if (socket !== ws) return
    socket = null
    sent.clear()
    if (watchdogTimer !== null) timers.clearTimeout(watchdogTimer)
    watchdogTimer = null
    ws.removeAllListeners()
    ws.on('error', () => undefined)
    ws.terminate()
    scheduleReconnect(why)
  }

  function scheduleReconnect(why: string): void {
    if (closed) return
    const delay = backoffDelay(attempt, random, initialMs, maxMs)
    attempt++
    setState('down', `${why}; reconnecting in ${describeWait(delay)}.`)
    reconnectTimer = timers.setTimeout(() => {
      reconnectTimer = null
      if (streamed().length > 0) connect()
      else setState('down', null)
    }, delay)
  }

  function onMessage(text: string): void {
    let message: { type?: unknown; data?: unknown; msg?: unknown }
    try {
      message = JSON.parse(text) as typeof message
    } catch {
      deps.log('warn', `${FINNHUB_LABEL} stream: unreadable message ignored: ${text.slice(0, 120)}`)
      return
    }
    if (typeof message !== 'object' || message === null) return
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
      deps.log('warn', `${FINNHUB_LABEL} stream error: ${msg || '(no message)'}`)
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
      return state
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
      if (reconnectTimer !== null) timers.clearTimeout(reconnectTimer)
      if (watchdogTimer !== null) timers.clearTimeout(watchdogTimer)
      reconnectTimer = null
      watchdogTimer = null
      const ws = socket
      socket = null
      sent.clear()
      if (ws !== null) {
        ws.removeAllListeners()
        ws.on('error', () => undefined)
        if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'closed by TickerDesk')
        else ws.terminate()
      }
      setState('down', `${FINNHUB_LABEL} stream closed.`)
      listeners.clear()
    }
  }
}
