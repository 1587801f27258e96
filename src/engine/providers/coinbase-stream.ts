/**
 * Coinbase Exchange's public websocket feed: `wss://ws-feed.exchange.coinbase.com`
 * (TICKERDESK_COINBASE_WS_URL replaces it; without it, a REST override's host is used with ws://).
 *
 * - The feed cuts a client that has not subscribed within 5 s, so the socket is opened only
 *   while there are products to follow and subscribes the moment it opens:
 *   `{"type":"subscribe","product_ids":[…],"channels":["ticker","heartbeat"]}`; later changes
 *   send only the differences (subscribe / unsubscribe).
 * - `ticker` messages carry numbers as strings and an ISO time; they become ticks with the 24 h
 *   open, high, low and volume, and change against the 24 h open (as the REST adapter does).
 * - `heartbeat` arrives every second per product: any message feeds the watchdog, so a silent
 *   line is dropped and opened again.
 * - `{"type":"error","reason":"X-Y is not a valid product"}` refuses the whole request: X-Y is
 *   reported as an unknown symbol, left out, and the rest subscribed again. Other errors are
 *   logged.
 * - Any loss reconnects with a jittered exponential delay and subscribes everything again.
 */
import type { ProviderId } from '../../shared/providers'
import { StreamListeners } from './stream-listeners'
import { groupByFeedKey } from './feed-keys'
import { parseFeedMessage } from './feed-message'
import { COINBASE_USER_AGENT, coinbaseProductId, unknownSymbol } from './coinbase'
import { changeFrom, toNumber } from './crypto-pair'
import type { QuoteStream } from './quote-stream'
import { ReconnectingSocket, type FeedSocketOptions } from './reconnecting-socket'

export const COINBASE_WS_URL = 'wss://ws-feed.exchange.coinbase.com'
export const COINBASE_WATCHDOG_MS = 15_000
const CHANNELS = ['ticker', 'heartbeat']

export interface CoinbaseStreamOptions extends FeedSocketOptions {
  url?: string
}

/** TICKERDESK_COINBASE_WS_URL, else the REST override's host as ws(s)://, else the real feed. */
export function coinbaseWsUrl(wsUrl: string | undefined, restUrl: string | undefined): string {
  if (wsUrl) return wsUrl
  if (restUrl) {
    const url = new URL(restUrl)
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
    url.pathname = '/'
    url.search = ''
    return url.toString()
  }
  return COINBASE_WS_URL
}

export function createCoinbaseStream(options: CoinbaseStreamOptions): QuoteStream {
  const { deps } = options
  const label = 'Coinbase stream'
  const listeners = new StreamListeners(label, deps.log)
  /** product id → app symbols that want it */
  let wanted = new Map<string, string[]>()
  const refused = new Set<string>()
  /** Symbols that are no Coinbase product at all, told once while they stay in the list. */
  const told = new Set<string>()
  /** Products subscribed on the current socket. */
  const sent = new Set<string>()
  let closed = false

  const socket = new ReconnectingSocket({
    label,
    url: () => options.url ?? COINBASE_WS_URL,
    deps,
    headers: { 'User-Agent': COINBASE_USER_AGENT },
    timers: options.timers,
    random: options.random,
    backoff: options.backoff,
    watchdogMs: options.watchdogMs ?? COINBASE_WATCHDOG_MS,
    onOpen() {
      sent.clear()
      sync()
    },
    onMessage,
    onState: (state, detail) => listeners.emitState(state, detail)
  })

  const active = (): string[] => [...wanted.keys()].filter((p) => !refused.has(p))

  function sync(): void {
    if (closed) return
    const products = active()
    if (products.length === 0) return socket.stop()
    if (!socket.isOpen) return socket.start()
    const keep = new Set(products)
    const drop = [...sent].filter((p) => !keep.has(p))
    const add = products.filter((p) => !sent.has(p))
    if (drop.length > 0 && socket.send(JSON.stringify({ type: 'unsubscribe', product_ids: drop, channels: CHANNELS }))) {
      for (const p of drop) sent.delete(p)
    }
    if (add.length > 0 && socket.send(JSON.stringify({ type: 'subscribe', product_ids: add, channels: CHANNELS }))) {
      for (const p of add) sent.add(p)
    }
  }

  function onMessage(text: string): void {
    const message = parseFeedMessage(text, label, deps.log)
    if (message === null) return
    if (message.type === 'ticker') return onTicker(message)
    if (message.type === 'error') return onError(message)
    // subscriptions, heartbeat and anything new: the watchdog was already fed
  }

  function onTicker(m: Record<string, unknown>): void {
    const product = typeof m.product_id === 'string' ? m.product_id : ''
    const symbols = wanted.get(product)
    const price = toNumber(m.price)
    const time = typeof m.time === 'string' ? Date.parse(m.time) : NaN
    if (symbols === undefined || price === null || price <= 0 || Number.isNaN(time)) return
    const open = toNumber(m.open_24h)
    const fields = {
      price,
      time,
      volume: toNumber(m.volume_24h),
      open,
      dayHigh: toNumber(m.high_24h),
      dayLow: toNumber(m.low_24h),
      ...changeFrom(price, open)
    }
    listeners.emitTicks(symbols.map((symbol) => ({ symbol, ...fields })))
  }

  function onError(m: Record<string, unknown>): void {
    const reason = typeof m.reason === 'string' ? m.reason : ''
    const bad = /^(\S+) is not a valid product$/.exec(reason.trim())?.[1]
    const symbols = bad === undefined ? undefined : wanted.get(bad)
    if (bad === undefined || symbols === undefined) {
      deps.log('warn', `${label} error: ${String(m.message ?? '')}${reason ? ` (${reason})` : ''}`)
      return
    }
    refused.add(bad)
    for (const symbol of symbols) listeners.emitSymbolError(symbol, unknownSymbol(symbol))
    // The whole request was refused: ask again for everything still wanted.
    sent.clear()
    sync()
  }

  return {
    id: 'coinbase' satisfies ProviderId,
    setSymbols(symbols) {
      if (closed) return
      const next = groupByFeedKey(symbols, coinbaseProductId, told, (symbol) => listeners.emitSymbolError(symbol, unknownSymbol(symbol)))
      // A product that left the list may be asked for again if it comes back.
      for (const product of refused) if (!next.has(product)) refused.delete(product)
      wanted = next
      sync()
    },
    ...listeners.subscriptions,
    close() {
      if (closed) return
      closed = true
      socket.close()
    }
  }
}
