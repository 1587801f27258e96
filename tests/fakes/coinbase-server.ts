/**
 * A strict local stand-in for Coinbase Exchange public market data: `/products`, the per-product
 * ticker and 24 h stats (numbers as strings, ISO times), the 10 requests/s token bucket (burst
 * 15) with its real 429 body, the 400 for a missing User-Agent, and the websocket feed (subscribe
 * within 5 s, `ticker` + `heartbeat` channels, subscriptions acks, error messages). Point the app
 * at it with TICKERDESK_COINBASE_URL=<url> and TICKERDESK_COINBASE_WS_URL=<wsUrl>.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { WebSocket } from 'ws'
import { sendJson, startListener, TokenBucket } from './fixtures/crypto-http'
import { COINBASE_SEED, type CoinbaseRecord } from './fixtures/coinbase-products'
import { candles } from './fixtures/coinbase-candles'

export type { CoinbaseRecord } from './fixtures/coinbase-products'

export interface FakeCoinbaseRequest {
  path: string
  userAgent: string | undefined
  /** True when the token bucket refused it (429). */
  overQuota: boolean
}

export interface FakeCoinbaseOptions {
  port?: number
  /** Clock for the token bucket and ticker times; a frozen clock never refills the bucket. */
  now?: () => number
  /** How long a websocket client may stay unsubscribed before it is cut off (Coinbase: 5 s). */
  subscribeTimeoutMs?: number
  /** Turn the token bucket off (other specs that do not test limits). */
  unlimited?: boolean
}

export interface FakeCoinbase {
  readonly url: string
  readonly wsUrl: string
  readonly port: number
  readonly requests: FakeCoinbaseRequest[]
  /** Requests refused by the token bucket. */
  readonly overQuotaCount: number
  /** Every websocket message clients sent, parsed, oldest first. */
  readonly wsMessages: unknown[]
  /** Open websocket clients. */
  readonly wsClientCount: number
  /** Products each open client has the ticker channel for. */
  subscriptions(): string[][]
  setProduct(id: string, fields?: Partial<CoinbaseRecord>): void
  removeProduct(id: string): void
  /** The next `count` REST requests (after the rate limiter) get this status and body. */
  failWith(count: number, status: number, body: string, headers?: Record<string, string>): void
  /** The next `count` REST requests are never answered. */
  hang(count: number): void
  /** Empties the token bucket so the next request gets 429. */
  exhaust(): void
  /** Pushes a ticker for the product to every client subscribed to it; returns how many got it. */
  pushTicker(id: string, fields?: Partial<CoinbaseRecord>): number
  heartbeat(id: string): number
  /** Sends any message to every client (e.g. an error). */
  broadcast(message: unknown): void
  /** Cuts every websocket client (the REST side stays up). */
  dropClients(): void
  /** While true, websocket upgrades are refused (the feed is down, REST still answers). */
  refuseStreams(refused: boolean): void
  stop(): Promise<void>
  start(): Promise<void>
  close(): Promise<void>
}

interface ClientState {
  ticker: Set<string>
  heartbeat: Set<string>
  subscribed: boolean
}

type Directive = { kind: 'fail'; status: number; body: string; headers: Record<string, string> } | { kind: 'hang' }

const ChannelNames = new Set(['ticker', 'heartbeat', 'level2', 'matches', 'full', 'status', 'ticker_batch'])

export async function startFakeCoinbase(options: FakeCoinbaseOptions = {}): Promise<FakeCoinbase> {
  const now = options.now ?? Date.now
  const products = new Map<string, CoinbaseRecord>(Object.entries(COINBASE_SEED).map(([id, r]) => [id, { ...r }]))
  const bucket = new TokenBucket(15, 10, now)
  const requests: FakeCoinbaseRequest[] = []
  const wsMessages: unknown[] = []
  const clientState = new Map<WebSocket, ClientState>()
  const directives: Directive[] = []
  let overQuota = 0
  let sequence = 1000
  let tradeId = 50_000

  /** Coinbase times carry microseconds: 2024-12-07T18:00:00.542551Z. */
  const iso = (): string => new Date(now()).toISOString().replace(/Z$/, '551Z')

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const path = url.pathname
    const entry: FakeCoinbaseRequest = { path, userAgent: req.headers['user-agent'], overQuota: false }
    requests.push(entry)
    if (req.method !== 'GET') return sendJson(res, 404, { message: 'NotFound' })
    if (!entry.userAgent) return sendJson(res, 400, { message: 'User-Agent header is required.' })
    if (!options.unlimited && !bucket.take()) {
      entry.overQuota = true
      overQuota++
      return sendJson(res, 429, { message: 'Public rate limit exceeded' })
    }
    const directive = directives.shift()
    if (directive?.kind === 'hang') return
    if (directive?.kind === 'fail') {
      const type = /^\s*</.test(directive.body) ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8'
      res.writeHead(directive.status, { 'Content-Type': type, ...directive.headers })
      return void res.end(directive.body)
    }

    if (path === '/products') {
      return sendJson(
        res,
        200,
        [...products.values()].map((p) => ({
          id: p.id, base_currency: p.id.split('-')[0], quote_currency: p.id.split('-')[1], quote_increment: '0.01',
          base_increment: '0.00000001', display_name: p.id.replace('-', '/'), min_market_funds: '1', margin_enabled: false,
          post_only: false, limit_only: false, cancel_only: false, status: p.status, status_message: '',
          trading_disabled: false, fx_stablecoin: false, max_slippage_percentage: '0.02000000', auction_mode: false,
          high_bid_limit_percentage: ''
        }))
      )
    }
    const candleMatch = /^\/products\/([^/]+)\/candles$/.exec(path)
    if (candleMatch !== null) {
      const product = products.get(decodeURIComponent(candleMatch[1] as string))
      if (product === undefined) return sendJson(res, 404, { message: 'NotFound' })
      const answer = candles(product.id, Number(product.price), url.searchParams, now())
      return sendJson(res, answer.status, answer.body)
    }
    const match = /^\/products\/([^/]+)\/(ticker|stats)$/.exec(path)
    if (match === null) return sendJson(res, 404, { message: 'NotFound' })
    const product = products.get(decodeURIComponent(match[1] as string))
    if (product === undefined) return sendJson(res, 404, { message: 'NotFound' })
    if (match[2] === 'ticker') {
      return sendJson(res, 200, {
        ask: product.ask, bid: product.bid, volume: product.volume, trade_id: tradeId++, price: product.price,
        size: '0.00100000', time: product.time ?? iso(), rfq_volume: '0.000000'
      })
    }
    sendJson(res, 200, {
      open: product.open, high: product.high, low: product.low, last: product.price, volume: product.volume,
      volume_30day: product.volume30d, rfq_volume_24hour: '0.000000', rfq_volume_30day: '0.000000',
      conversions_volume_24hour: '0', conversions_volume_30day: '0'
    })
  }

  function send(ws: WebSocket, message: unknown): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message))
  }

  function ack(ws: WebSocket, state: ClientState): void {
    const channels = [
      { name: 'ticker', product_ids: [...state.ticker] },
      { name: 'heartbeat', product_ids: [...state.heartbeat] }
    ].filter((c) => c.product_ids.length > 0)
    send(ws, { type: 'subscriptions', channels })
  }

  /** Channel list in either form: names plus top-level product_ids, or per-channel objects. */
  function channelRequests(message: Record<string, unknown>): { name: string; products: string[] }[] | string {
    const top = Array.isArray(message.product_ids) ? message.product_ids.filter((p): p is string => typeof p === 'string') : []
    if (!Array.isArray(message.channels) || message.channels.length === 0) return 'Type subscribe requires channels'
    const out: { name: string; products: string[] }[] = []
    for (const channel of message.channels) {
      if (typeof channel === 'string') out.push({ name: channel, products: top })
      else if (typeof channel === 'object' && channel !== null && typeof (channel as { name?: unknown }).name === 'string') {
        const c = channel as { name: string; product_ids?: unknown }
        const own = Array.isArray(c.product_ids) ? c.product_ids.filter((p): p is string => typeof p === 'string') : top
        out.push({ name: c.name, products: own })
      } else return 'Malformed channel'
    }
    for (const request of out) if (!ChannelNames.has(request.name)) return `${request.name} is not a valid channel`
    return out
  }

  function onMessage(ws: WebSocket, state: ClientState, text: string): void {
    let message: unknown
    try {
      message = JSON.parse(text)
    } catch {
      return send(ws, { type: 'error', message: 'Failed to subscribe', reason: 'malformed JSON' })
    }
    wsMessages.push(message)
    if (typeof message !== 'object' || message === null) return send(ws, { type: 'error', message: 'Failed to subscribe', reason: 'Malformed message' })
    const m = message as Record<string, unknown>
    if (m.type !== 'subscribe' && m.type !== 'unsubscribe') {
      return send(ws, { type: 'error', message: 'Failed to subscribe', reason: `${String(m.type)} is not a valid type` })
    }
    const requested = channelRequests(m)
    if (typeof requested === 'string') return send(ws, { type: 'error', message: 'Failed to subscribe', reason: requested })
    if (m.type === 'subscribe') {
      // Like Coinbase, one bad product refuses the whole request.
      for (const r of requested) {
        if (r.products.length === 0) return send(ws, { type: 'error', message: 'Failed to subscribe', reason: `${r.name} channel requires product_ids` })
        const bad = r.products.find((p) => !products.has(p))
        if (bad !== undefined) return send(ws, { type: 'error', message: 'Failed to subscribe', reason: `${bad} is not a valid product` })
      }
    }
    for (const r of requested) {
      const set = r.name === 'ticker' ? state.ticker : r.name === 'heartbeat' ? state.heartbeat : null
      if (set === null) continue
      for (const p of r.products) {
        if (m.type === 'subscribe') set.add(p)
        else set.delete(p)
      }
    }
    state.subscribed = true
    ack(ws, state)
  }

  let streamsRefused = false
  const listener = await startListener({
    port: options.port ?? 0,
    handle,
    upgrade: (req) => !streamsRefused && new URL(req.url ?? '/', 'http://127.0.0.1').pathname === '/',
    onSocket(ws) {
      const state: ClientState = { ticker: new Set(), heartbeat: new Set(), subscribed: false }
      clientState.set(ws, state)
      const timer = setTimeout(() => {
        if (!state.subscribed) ws.close(1000, 'subscribe timeout')
      }, options.subscribeTimeoutMs ?? 5000)
      ws.on('message', (data) => onMessage(ws, state, String(data)))
      ws.on('close', () => {
        clearTimeout(timer)
        clientState.delete(ws)
      })
    }
  })

  const upsert = (id: string, fields: Partial<CoinbaseRecord> = {}): CoinbaseRecord => {
    const key = id.toUpperCase()
    const record: CoinbaseRecord = {
      ...(products.get(key) ?? { id: key, price: '1.00', open: '1.00', high: '1.00', low: '1.00', volume: '100.00000000', volume30d: '3000.00000000', bid: '0.99', ask: '1.01', status: 'online' }),
      ...fields,
      id: key
    }
    products.set(key, record)
    return record
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
    wsMessages,
    get wsClientCount() {
      return listener.clients.size
    },
    subscriptions: () => [...clientState.values()].map((s) => [...s.ticker]),
    setProduct: (id, fields) => void upsert(id, fields),
    removeProduct: (id) => void products.delete(id.toUpperCase()),
    failWith(count, status, body, headers = {}) {
      for (let i = 0; i < count; i++) directives.push({ kind: 'fail', status, body, headers })
    },
    hang(count) {
      for (let i = 0; i < count; i++) directives.push({ kind: 'hang' })
    },
    exhaust() {
      while (bucket.take()) {
        /* drain */
      }
    },
    pushTicker(id, fields) {
      const p = upsert(id, fields)
      let delivered = 0
      for (const [ws, state] of clientState) {
        if (!state.ticker.has(p.id)) continue
        send(ws, {
          type: 'ticker', sequence: sequence++, product_id: p.id, price: p.price, open_24h: p.open, volume_24h: p.volume,
          low_24h: p.low, high_24h: p.high, volume_30d: p.volume30d, best_bid: p.bid, best_bid_size: '0.02453500',
          best_ask: p.ask, best_ask_size: '0.06298200', side: 'buy', time: p.time ?? iso(), trade_id: tradeId++, last_size: '0.00026100'
        })
        delivered++
      }
      return delivered
    },
    heartbeat(id) {
      let delivered = 0
      for (const [ws, state] of clientState) {
        if (!state.heartbeat.has(id)) continue
        send(ws, { type: 'heartbeat', sequence: sequence++, last_trade_id: tradeId, product_id: id, time: iso() })
        delivered++
      }
      return delivered
    },
    broadcast(message) {
      for (const ws of clientState.keys()) send(ws, message)
    },
    dropClients() {
      for (const ws of listener.clients) ws.terminate()
    },
    refuseStreams(refused) {
      streamsRefused = refused
      if (refused) for (const ws of listener.clients) ws.terminate()
    },
    stop: () => listener.stop(),
    start: () => listener.start(),
    close: () => listener.close()
  }
}
