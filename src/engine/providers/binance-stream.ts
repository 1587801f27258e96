/**
 * Binance Spot's public market streams: `wss://stream.binance.com:9443` (TICKERDESK_BINANCE_WS_URL
 * replaces it; without it, a REST override's host is used with ws://).
 *
 * - One combined-stream connection, `/stream?streams=btcusdt@ticker/ethusdt@ticker`: the URL
 *   carries the wanted set at connect time (so a reconnect resubscribes by itself), and later
 *   changes go over the same connection as live `{"method":"SUBSCRIBE"|"UNSUBSCRIBE","params":[…],
 *   "id":n}` requests, only the differences, spaced so the 5 messages/s cap is never reached.
 * - Events arrive wrapped as `{"stream","data"}`; a `24hrTicker` gives the last price `c`, event
 *   time `E` (ms), 24 h open/high/low/volume, change `p` and change % `P`.
 * - Binance sends a ping frame every 20 s and cuts clients that do not answer: the ws library
 *   answers with the same payload (autoPong). Pings and events feed the watchdog.
 * - A connection lives at most 24 h, and `serverShutdown` announces an early end: both renew the
 *   connection at once rather than waiting to be cut.
 * - Binance streams nothing for a pair it does not list and says nothing about it; the REST
 *   adapter reports such symbols. Symbols that are not pairs at all are reported here.
 * - Any loss reconnects with a jittered exponential delay.
 */
import type { ProviderId } from '../../shared/providers'
import { StreamListeners } from './stream-listeners'
import { groupByFeedKey } from './feed-keys'
import { parseFeedMessage } from './feed-message'
import { binancePair, tickerStream, unknownBinanceSymbol } from './binance-symbols'
import { toNumber } from './crypto-pair'
import type { QuoteStream } from './quote-stream'
import { REAL_TIMERS, ReconnectingSocket, type FeedSocketOptions } from './reconnecting-socket'

export const BINANCE_WS_URL = 'wss://stream.binance.com:9443'
export const BINANCE_WATCHDOG_MS = 60_000
/** Binance ends connections at 24 h; renewing a little earlier avoids the cut. */
export const BINANCE_MAX_AGE_MS = 23.5 * 60 * 60 * 1000
export const BINANCE_MAX_STREAMS = 1024
/** At most two messages per spacing: 4 per second, under Binance's 5. */
const SEND_SPACING_MS = 500

export interface BinanceStreamOptions extends FeedSocketOptions {
  /** Websocket base, without a path. */
  url?: string
  maxAgeMs?: number
}

/** TICKERDESK_BINANCE_WS_URL, else the REST override's host as ws(s)://, else the real base. */
export function binanceWsBase(wsUrl: string | undefined, restUrl: string | undefined): string {
  if (wsUrl) return wsUrl.replace(/\/+$/, '')
  if (restUrl) {
    const url = new URL(restUrl)
    return `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`
  }
  return BINANCE_WS_URL
}

export function createBinanceStream(options: BinanceStreamOptions): QuoteStream {
  const { deps } = options
  const label = 'Binance stream'
  const base = (options.url ?? BINANCE_WS_URL).replace(/\/+$/, '')
  const timers = options.timers ?? REAL_TIMERS
  const listeners = new StreamListeners(label, deps.log)
  /** pair (upper case) → app symbols that want it */
  let wanted = new Map<string, string[]>()
  const told = new Set<string>()
  /** Streams on the current connection (from its URL, then live requests). */
  const sent = new Set<string>()
  let pendingUrlStreams: string[] = []
  let nextId = 1
  let lastSendAt = -Infinity
  let syncTimer: unknown = null
  let closed = false

  const active = (): string[] => [...wanted.keys()].slice(0, BINANCE_MAX_STREAMS).map(tickerStream)

  const socket = new ReconnectingSocket({
    label,
    url() {
      pendingUrlStreams = active()
      return `${base}/stream?streams=${pendingUrlStreams.join('/')}`
    },
    deps,
    timers,
    random: options.random,
    backoff: options.backoff,
    watchdogMs: options.watchdogMs ?? BINANCE_WATCHDOG_MS,
    maxAgeMs: options.maxAgeMs ?? BINANCE_MAX_AGE_MS,
    onOpen() {
      sent.clear()
      for (const s of pendingUrlStreams) sent.add(s)
      sync()
    },
    onMessage,
    onState: (state, detail) => listeners.emitState(state, detail)
  })

  function request(method: 'SUBSCRIBE' | 'UNSUBSCRIBE', params: string[]): boolean {
    return socket.send(JSON.stringify({ method, params, id: nextId++ }))
  }

  function sync(): void {
    if (closed) return
    const streams = active()
    if (streams.length === 0) {
      sent.clear()
      return socket.stop()
    }
    if (!socket.isOpen) return socket.start()
    const keep = new Set(streams)
    const drop = [...sent].filter((s) => !keep.has(s))
    const add = streams.filter((s) => !sent.has(s))
    if (drop.length === 0 && add.length === 0) return
    const wait = lastSendAt + SEND_SPACING_MS - deps.now()
    if (wait > 0) {
      syncTimer ??= timers.setTimeout(() => {
        syncTimer = null
        sync()
      }, wait)
      return
    }
    lastSendAt = deps.now()
    if (drop.length > 0 && request('UNSUBSCRIBE', drop)) for (const s of drop) sent.delete(s)
    if (add.length > 0 && request('SUBSCRIBE', add)) for (const s of add) sent.add(s)
  }

  function onMessage(text: string): void {
    const message = parseFeedMessage(text, label, deps.log)
    if (message === null) return
    const data = typeof message.data === 'object' && message.data !== null ? (message.data as Record<string, unknown>) : message
    if (data.e === 'serverShutdown') return socket.renew('Binance announced a server shutdown')
    if (data.e === '24hrTicker') return onTicker(data)
    const error = (typeof message.error === 'object' && message.error !== null ? message.error : message) as { code?: unknown; msg?: unknown }
    if (typeof error.msg === 'string') deps.log('warn', `${label} refused a request: ${error.msg} (code ${String(error.code)})`)
    // {"result":null,"id":n} acknowledgements need nothing
  }

  function onTicker(d: Record<string, unknown>): void {
    const pair = typeof d.s === 'string' ? d.s : ''
    const symbols = wanted.get(pair)
    const price = toNumber(d.c)
    const time = typeof d.E === 'number' && Number.isFinite(d.E) ? d.E : null
    if (symbols === undefined || price === null || price <= 0 || time === null) return
    const fields = {
      price,
      time,
      volume: toNumber(d.v),
      open: toNumber(d.o),
      dayHigh: toNumber(d.h),
      dayLow: toNumber(d.l),
      previousClose: toNumber(d.x),
      change: toNumber(d.p),
      changePercent: toNumber(d.P)
    }
    listeners.emitTicks(symbols.map((symbol) => ({ symbol, ...fields })))
  }

  return {
    id: 'binance' satisfies ProviderId,
    setSymbols(symbols) {
      if (closed) return
      const next = groupByFeedKey(symbols, binancePair, told, (symbol) => listeners.emitSymbolError(symbol, unknownBinanceSymbol(symbol)))
      const overCap = [...next.keys()].slice(BINANCE_MAX_STREAMS)
      for (const pair of overCap) {
        if (wanted.has(pair)) continue
        for (const symbol of next.get(pair) ?? []) {
          listeners.emitSymbolError(symbol, `${symbol} is not streamed: one Binance connection carries at most ${BINANCE_MAX_STREAMS} streams, so it is refreshed over REST instead.`)
        }
      }
      wanted = next
      sync()
    },
    ...listeners.subscriptions,
    close() {
      if (closed) return
      closed = true
      if (syncTimer !== null) timers.clearTimeout(syncTimer)
      socket.close()
    }
  }
}
