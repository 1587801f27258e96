/**
 * A strict local stand-in for Binance Spot public market data: `/api/v3/ticker/24hr` (single,
 * `symbols=[…]` JSON array, or all), `/api/v3/exchangeInfo`, request weight per minute with the
 * X-MBX-USED-WEIGHT-1M header, 429 then a 418 IP ban (both with Retry-After), 400 -1121 for a
 * batch holding one unknown pair, the 451 geo-block, and the websocket streams (`/ws/<stream>`,
 * combined `/stream?streams=a/b` wrapping events as {"stream","data"}, live SUBSCRIBE /
 * UNSUBSCRIBE / LIST_SUBSCRIPTIONS, 5 incoming messages per second, ping frames, serverShutdown).
 * Point the app at it with TICKERDESK_BINANCE_URL=<url> and TICKERDESK_BINANCE_WS_URL=<wsUrl>.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { WebSocket } from 'ws'
import { binanceSeed, tickerWeight, type BinanceRecord } from './fixtures/binance-tickers'
import { MinuteWindow, sendJson, startListener } from './fixtures/crypto-http'
import { klines } from './fixtures/binance-klines'

export type { BinanceRecord } from './fixtures/binance-tickers'

export interface FakeBinanceRequest {
  path: string
  query: Record<string, string>
  weight: number
  status: number
}

export interface FakeBinanceOptions {
  port?: number
  /** Clock for the weight window, ban and event times. */
  now?: () => number
  /** Request weight per minute (Binance: 6000). */
  weightLimit?: number
  /** Requests refused with 429 before the IP is banned with 418. */
  banAfter429s?: number
  banSeconds?: number
}

export interface FakeBinance {
  readonly url: string
  readonly wsUrl: string
  readonly port: number
  readonly requests: FakeBinanceRequest[]
  /** Requests refused for weight (429) or while banned (418). */
  readonly overQuotaCount: number
  readonly usedWeight: number
  /** Websocket messages clients sent, parsed, oldest first. */
  readonly wsMessages: unknown[]
  /** Websocket upgrade paths, oldest first (e.g. `/stream?streams=btcusdt@ticker`). */
  readonly wsConnections: string[]
  readonly wsClientCount: number
  /** Ping payloads clients answered with a pong, oldest first. */
  readonly pongs: string[]
  /** Streams each open client receives. */
  subscriptions(): string[][]
  setTicker(symbol: string, fields?: Partial<BinanceRecord>): void
  removeSymbol(symbol: string): void
  /** Every request gets 451 (restricted location) while on. */
  geoBlock(on: boolean): void
  failWith(count: number, status: number, body: string, headers?: Record<string, string>): void
  /** Sends a 24hrTicker event for the pair to every client subscribed to `<pair>@ticker`. */
  pushTicker(symbol: string, fields?: Partial<BinanceRecord>): number
  ping(payload?: string): void
  /** Announces a shutdown; closes every client after `closeAfterMs` when given. */
  serverShutdown(closeAfterMs?: number): void
  dropClients(): void
  stop(): Promise<void>
  start(): Promise<void>
  close(): Promise<void>
}

interface Client {
  streams: Set<string>
  combined: boolean
  sent: number[]
}

const SYMBOLS_PARAM = /^\[("[A-Z0-9-_.]{1,20}"(,"[A-Z0-9-_.]{1,20}")*)?\]$/
const STREAM_NAME = /^[a-z0-9]+@[a-zA-Z0-9_]+$/
const GEO_BODY = {
  code: 0,
  msg: "Service unavailable from a restricted location according to 'b. Eligibility' in https://www.binance.com/en/terms. Please contact customer service if you believe you received this message in error."
}
const MAX_INCOMING_PER_SECOND = 5

export async function startFakeBinance(options: FakeBinanceOptions = {}): Promise<FakeBinance> {
  const now = options.now ?? Date.now
  const weightLimit = options.weightLimit ?? 6000
  const banAfter = options.banAfter429s ?? 2
  const banSeconds = options.banSeconds ?? 120
  const tickers = new Map<string, BinanceRecord>(binanceSeed().map((r) => [r.symbol, r]))
  const weight = new MinuteWindow(now)
  const requests: FakeBinanceRequest[] = []
  const wsMessages: unknown[] = []
  const wsConnections: string[] = []
  const pongs: string[] = []
  const clients = new Map<WebSocket, Client>()
  const failures: { status: number; body: string; headers: Record<string, string> }[] = []
  let overQuota = 0
  let strikes = 0
  let bannedUntil = 0
  let geoBlocked = false

  function full(r: BinanceRecord): Record<string, unknown> {
    const last = Number(r.lastPrice)
    const open = Number(r.openPrice)
    const t = now()
    return {
      symbol: r.symbol, priceChange: (last - open).toFixed(8), priceChangePercent: (((last - open) / open) * 100).toFixed(3),
      weightedAvgPrice: ((last + open) / 2).toFixed(8), prevClosePrice: r.openPrice, lastPrice: r.lastPrice, lastQty: '0.00100000',
      bidPrice: r.lastPrice, bidQty: '1.00000000', askPrice: r.lastPrice, askQty: '1.00000000', openPrice: r.openPrice,
      highPrice: r.highPrice, lowPrice: r.lowPrice, volume: r.volume, quoteVolume: r.quoteVolume,
      openTime: t - 86_400_000, closeTime: t, firstId: 28385, lastId: 28460, count: 76
    }
  }

  function weightOf(path: string, query: URLSearchParams): number {
    if (path === '/api/v3/ticker/24hr') {
      if (query.has('symbol')) return 2
      const raw = query.get('symbols')
      if (raw === null) return 80
      try {
        const list: unknown = JSON.parse(raw)
        return tickerWeight(Array.isArray(list) ? list.length : null)
      } catch {
        return 2
      }
    }
    if (path === '/api/v3/exchangeInfo') return 20
    if (path === '/api/v3/klines') return 2
    return 1
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const path = url.pathname
    const query = url.searchParams
    const entry: FakeBinanceRequest = { path, query: Object.fromEntries(query), weight: weightOf(path, query), status: 200 }
    requests.push(entry)
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      entry.status = status
      sendJson(res, status, body, { 'X-MBX-USED-WEIGHT-1M': String(weight.current()), ...headers })
    }
    if (geoBlocked) return reply(451, GEO_BODY)
    const t = now()
    if (bannedUntil > t) {
      overQuota++
      const retry = Math.ceil((bannedUntil - t) / 1000)
      return reply(418, { code: -1003, msg: `Way too much request weight used; IP banned until ${bannedUntil}. Please use WebSocket Streams for live updates to avoid bans.` }, { 'Retry-After': String(retry) })
    }
    if (weight.current() + entry.weight > weightLimit) {
      overQuota++
      strikes++
      if (strikes > banAfter) {
        bannedUntil = t + banSeconds * 1000
        return reply(418, { code: -1003, msg: `Way too much request weight used; IP banned until ${bannedUntil}. Please use WebSocket Streams for live updates to avoid bans.` }, { 'Retry-After': String(banSeconds) })
      }
      return reply(
        429,
        { code: -1003, msg: `Too much request weight used; current limit is ${weightLimit} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.` },
        { 'Retry-After': String(Math.ceil(weight.remainingMs() / 1000)) }
      )
    }
    weight.add(entry.weight)
    const failure = failures.shift()
    if (failure) {
      entry.status = failure.status
      const type = /^\s*</.test(failure.body) ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8'
      res.writeHead(failure.status, { 'Content-Type': type, ...failure.headers })
      return void res.end(failure.body)
    }

    if (path === '/api/v3/ping') return reply(200, {})
    if (path === '/api/v3/exchangeInfo') {
      return reply(200, {
        timezone: 'UTC', serverTime: t, rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: weightLimit }],
        exchangeFilters: [],
        symbols: [...tickers.values()].map((r) => ({
          symbol: r.symbol, status: r.status, baseAsset: r.baseAsset, baseAssetPrecision: 8, quoteAsset: r.quoteAsset,
          quotePrecision: 8, quoteAssetPrecision: 8, orderTypes: ['LIMIT', 'MARKET'], isSpotTradingAllowed: true, permissionSets: [['SPOT']]
        }))
      })
    }
    if (path === '/api/v3/klines') {
      const answer = klines(tickers, query, t)
      return reply(answer.status, answer.body)
    }
    if (path !== '/api/v3/ticker/24hr') return reply(404, '')
    const single = query.get('symbol')
    const many = query.get('symbols')
    if (single !== null && many !== null) return reply(400, { code: -1128, msg: 'Combination of optional parameters invalid.' })
    if (single !== null) {
      const r = tickers.get(single)
      return r ? reply(200, full(r)) : reply(400, { code: -1121, msg: 'Invalid symbol.' })
    }
    if (many === null) return reply(200, [...tickers.values()].map(full))
    if (!SYMBOLS_PARAM.test(many)) {
      return reply(400, { code: -1100, msg: "Illegal characters found in parameter 'symbols'; legal range is '^\\[(\"[A-Z0-9-_.]{1,20}\"(,\"[A-Z0-9-_.]{1,20}\"){0,}){0,1}\\]$'." })
    }
    const list = JSON.parse(many) as string[]
    if (list.length === 0) return reply(400, { code: -1102, msg: "Mandatory parameter 'symbols' was not sent, was empty/null, or malformed." })
    const rows: BinanceRecord[] = []
    for (const s of list) {
      const r = tickers.get(s)
      if (r === undefined) return reply(400, { code: -1121, msg: 'Invalid symbol.' })
      if (!rows.includes(r)) rows.push(r)
    }
    reply(200, rows.map(full))
  }

  function send(ws: WebSocket, message: unknown): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message))
  }

  function onMessage(ws: WebSocket, client: Client, text: string): void {
    const t = Date.now()
    client.sent = client.sent.filter((at) => t - at < 1000)
    client.sent.push(t)
    if (client.sent.length > MAX_INCOMING_PER_SECOND) return void ws.close(1008, 'Too many messages')
    let message: unknown
    try {
      message = JSON.parse(text)
    } catch {
      return send(ws, { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' })
    }
    wsMessages.push(message)
    const m = (typeof message === 'object' && message !== null ? message : {}) as { method?: unknown; params?: unknown; id?: unknown }
    const id = m.id
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) return send(ws, { code: 2, msg: 'Invalid request: request ID must be an unsigned integer' })
    if (m.method === 'LIST_SUBSCRIPTIONS') return send(ws, { result: [...client.streams], id })
    if (m.method !== 'SUBSCRIBE' && m.method !== 'UNSUBSCRIBE') {
      return send(ws, { code: 2, msg: `Invalid request: unknown variant ${String(m.method)}, expected one of SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY, GET_PROPERTY`, id })
    }
    const params = Array.isArray(m.params) ? m.params : null
    if (params === null || params.some((p) => typeof p !== 'string' || !STREAM_NAME.test(p))) {
      return send(ws, { code: 2, msg: 'Invalid request: invalid stream name', id })
    }
    for (const p of params as string[]) {
      if (m.method === 'SUBSCRIBE') client.streams.add(p)
      else client.streams.delete(p)
    }
    send(ws, { result: null, id })
  }

  const listener = await startListener({
    port: options.port ?? 0,
    handle,
    upgrade(req) {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      return url.pathname === '/stream' || url.pathname === '/ws' || url.pathname.startsWith('/ws/')
    },
    onSocket(ws, req) {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      wsConnections.push(`${url.pathname}${url.search}`)
      const combined = url.pathname === '/stream'
      const initial = combined ? (url.searchParams.get('streams') ?? '').split('/') : url.pathname.slice('/ws/'.length).split('/')
      // Stream names are case-sensitive: upper-case names simply never receive anything.
      const client: Client = { streams: new Set(initial.filter((s) => s !== '')), combined, sent: [] }
      clients.set(ws, client)
      ws.on('message', (data) => onMessage(ws, client, String(data)))
      ws.on('pong', (data) => pongs.push(String(data)))
      ws.on('close', () => clients.delete(ws))
    }
  })

  const upsert = (symbol: string, fields: Partial<BinanceRecord> = {}): BinanceRecord => {
    const key = symbol.toUpperCase()
    const existing = tickers.get(key) ?? {
      symbol: key, baseAsset: key.slice(0, 3), quoteAsset: key.slice(3), status: 'TRADING' as const, lastPrice: '1.00000000',
      openPrice: '1.00000000', highPrice: '1.00000000', lowPrice: '1.00000000', volume: '1.00000000', quoteVolume: '1.00000000'
    }
    const next = { ...existing, ...fields, symbol: key }
    tickers.set(key, next)
    return next
  }

  return {
    get url() {
      return `http://127.0.0.1:${listener.port}`
    },
    get wsUrl() {
      return `ws://127.0.0.1:${listener.port}`
    },
    get port() {
      return listener.port
    },
    requests,
    get overQuotaCount() {
      return overQuota
    },
    get usedWeight() {
      return weight.current()
    },
    wsMessages,
    wsConnections,
    get wsClientCount() {
      return listener.clients.size
    },
    pongs,
    subscriptions: () => [...clients.values()].map((c) => [...c.streams]),
    setTicker: (symbol, fields) => void upsert(symbol, fields),
    removeSymbol: (symbol) => void tickers.delete(symbol.toUpperCase()),
    geoBlock(on) {
      geoBlocked = on
    },
    failWith(count, status, body, headers = {}) {
      for (let i = 0; i < count; i++) failures.push({ status, body, headers })
    },
    pushTicker(symbol, fields) {
      const r = upsert(symbol, fields)
      const stream = `${r.symbol.toLowerCase()}@ticker`
      const f = full(r)
      const data = {
        e: '24hrTicker', E: now(), s: r.symbol, p: f.priceChange, P: f.priceChangePercent, w: f.weightedAvgPrice, x: r.openPrice,
        c: r.lastPrice, Q: '0.00100000', b: r.lastPrice, B: '1.00000000', a: r.lastPrice, A: '1.00000000', o: r.openPrice,
        h: r.highPrice, l: r.lowPrice, v: r.volume, q: r.quoteVolume, O: now() - 86_400_000, C: now(), F: 0, L: 18150, n: 18151
      }
      let delivered = 0
      for (const [ws, client] of clients) {
        if (!client.streams.has(stream)) continue
        send(ws, client.combined ? { stream, data } : data)
        delivered++
      }
      return delivered
    },
    ping(payload = String(now())) {
      for (const ws of clients.keys()) if (ws.readyState === ws.OPEN) ws.ping(payload)
    },
    serverShutdown(closeAfterMs) {
      for (const ws of clients.keys()) send(ws, { e: 'serverShutdown', E: now() })
      if (closeAfterMs !== undefined) {
        const victims = [...clients.keys()]
        setTimeout(() => victims.forEach((ws) => ws.close(1001, 'server shutdown')), closeAfterMs)
      }
    },
    dropClients() {
      for (const ws of listener.clients) ws.terminate()
    },
    stop: () => listener.stop(),
    start: () => listener.start(),
    close: () => listener.close()
  }
}
