/**
 * A strict local stand-in for Finnhub: REST (`/quote`, `/search`, `/stock/symbol`,
 * `/stock/profile2`, `/stock/market-status`, `/stock/market-holiday`, premium `/stock/candle`)
 * and the trade websocket on the same port. It enforces what the real service enforces: a key
 * on every call (query `token` or header X-Finnhub-Token), 60 calls a minute and 30 a second per
 * key (a 429 with Finnhub's body beyond that, counted in `overQuota`), one websocket per key,
 * 50 streamed symbols per connection, and "Invalid symbol" errors for symbols it does not know.
 *
 * Point the app at it with TICKERDESK_FINNHUB_URL=<url> (the websocket is derived from it, or
 * set TICKERDESK_FINNHUB_WS_URL=<wsUrl>) and TICKERDESK_FINNHUB_KEY=<a key it accepts>.
 *
 * Where Finnhub's behaviour is not documented (the answer to a wrong key, a second websocket, a
 * 51st symbol, a missing parameter) the fake picks a plausible answer, marked [U] below.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { startFakeHttpServer } from './fixtures/fake-http-server'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import {
  UNKNOWN_QUOTE,
  US_HOLIDAYS_2026,
  KNOWN_SYMBOLS,
  quoteRecord,
  seedListings,
  seedProfile,
  seedQuote,
  type FinnhubHolidayRecord,
  type FinnhubListingRecord,
  type FinnhubProfileRecord,
  type FinnhubQuoteRecord
} from './fixtures/finnhub-data'

export type { FinnhubHolidayRecord, FinnhubProfileRecord, FinnhubQuoteRecord } from './fixtures/finnhub-data'

export const FAKE_FINNHUB_KEY = 'd0fakefinnhubkey0000'

export const FINNHUB_BODIES = {
  noKey: '{"error":"Please use an API key."}',
  noAccess: `{"error":"You don't have access to this resource."}`,
  limit: '{"error":"API limit reached. Please try again later. Remaining Limit: 0"}'
} as const

export interface FakeFinnhubRequest {
  path: string
  /** Query parameters without the token. */
  query: Record<string, string>
  token: string | undefined
  tokenVia: 'query' | 'header' | null
  status: number
}

export interface FakeFinnhubOptions {
  port?: number
  /** Clock for quote times and the rate-limit windows, epoch ms. */
  now?: () => number
  /** Keys it accepts (default [FAKE_FINNHUB_KEY]). */
  keys?: string[]
  perMinute?: number
  perSecond?: number
  /** Interval of `{"type":"ping"}` to every socket; 0 turns pings off (default 15 s). */
  pingIntervalMs?: number
  maxStreamSymbols?: number
  /** Send Retry-After (seconds) on 429s as well as X-Ratelimit-Reset (default false). [U] */
  retryAfterHeader?: boolean
}

export interface FakeTrade {
  symbol: string
  price: number
  /** Trade size; 0 marks a price update without a trade. */
  volume?: number
  /** Epoch ms; defaults to the fake's clock. */
  time?: number
  conditions?: string[] | null
}

export interface FakeFinnhub {
  /** http://127.0.0.1:PORT, stable across stop()/start(). */
  readonly url: string
  /** ws://127.0.0.1:PORT (same port). */
  readonly wsUrl: string
  readonly port: number
  readonly requests: FakeFinnhubRequest[]
  /** Calls refused because a quota was used up. */
  readonly overQuota: number
  setQuote(symbol: string, fields: Partial<FinnhubQuoteRecord> & { c: number }): void
  /** The symbol becomes unknown: all-zero quote, `{}` profile, "Invalid symbol" on the stream. */
  removeSymbol(symbol: string): void
  setProfile(symbol: string, profile: Partial<FinnhubProfileRecord> | null): void
  setMarketStatus(status: Partial<{ isOpen: boolean; session: string | null; holiday: string | null }>): void
  setHolidays(holidays: FinnhubHolidayRecord[]): void
  acceptKey(key: string): void
  revokeKey(key: string): void
  /** Requests to paths starting with `prefix` get Finnhub's 403 "You don't have access to this resource." */
  denyAccess(prefix: string): void
  /** The next `count` API calls (optionally only those under `path`) get this answer. */
  failWith(count: number, status: number, body: string, options?: { headers?: Record<string, string>; path?: string }): void
  /** The next `count` API calls are never answered. */
  hang(count: number): void
  /** Forget calls made so far, as if a new minute began. */
  resetQuota(): void

  /** Open websockets. */
  readonly connections: number
  /** Upgrades refused (bad key, second connection per key). */
  readonly rejectedConnections: number
  /** Subscribe messages refused for going over maxStreamSymbols. */
  readonly overSymbolLimit: number
  /** Symbols subscribed, over all sockets, sorted. */
  subscriptions(): string[]
  /** Every message a client sent, parsed when it was JSON. */
  readonly wsMessages: unknown[]
  /** One trade message to each socket subscribed to the symbol; returns the number of sockets reached. */
  pushTrade(symbol: string, price: number, options?: Omit<FakeTrade, 'symbol' | 'price'>): number
  /** One message per socket carrying every trade it is subscribed to. */
  pushTrades(trades: readonly FakeTrade[]): number
  sendRaw(text: string): void
  ping(): void
  /** Cuts every websocket without a close frame, as a dead network would. */
  dropClients(): void
  stop(): Promise<void>
  start(): Promise<void>
  close(): Promise<void>
}

type Directive = { kind: 'fail'; status: number; body: string; headers: Record<string, string>; path?: string } | { kind: 'hang' }

interface Client {
  socket: WebSocket
  key: string
  symbols: Set<string>
}

function blankProfile(ticker: string): FinnhubProfileRecord {
  return {
    country: 'US', currency: 'USD', exchange: '', ipo: '', marketCapitalization: 0, name: ticker, phone: '',
    shareOutstanding: 0, ticker, weburl: '', logo: '', finnhubIndustry: ''
  }
}

/** Resolves once `predicate` holds, polling; rejects with `what` after `timeoutMs`. */
export async function until(predicate: () => boolean, what = 'condition', timeoutMs = 3_000): Promise<void> {
  const start = Date.now()
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

export async function startFakeFinnhub(options: FakeFinnhubOptions = {}): Promise<FakeFinnhub> {
  const now = options.now ?? Date.now
  const nowSeconds = (): number => Math.floor(now() / 1000)
  const perMinute = options.perMinute ?? 60
  const perSecond = options.perSecond ?? 30
  const maxStreamSymbols = options.maxStreamSymbols ?? 50
  const keys = new Set(options.keys ?? [FAKE_FINNHUB_KEY])
  const quotes = new Map<string, FinnhubQuoteRecord>()
  const profiles = new Map<string, FinnhubProfileRecord>()
  const listings = new Map<string, FinnhubListingRecord>()
  for (const symbol of KNOWN_SYMBOLS) {
    const quote = seedQuote(symbol, nowSeconds())
    if (quote) quotes.set(symbol, quote)
    const profile = seedProfile(symbol)
    if (profile) profiles.set(symbol, profile)
  }
  for (const listing of seedListings()) listings.set(listing.symbol, listing)
  let holidays = [...US_HOLIDAYS_2026]
  let marketStatus: { isOpen: boolean; session: string | null; holiday: string | null } = { isOpen: true, session: 'regular', holiday: null }
  const denied: string[] = ['/stock/candle']
  const directives: Directive[] = []
  const requests: FakeFinnhubRequest[] = []
  /** key → epoch ms of each counted call in the last minute */
  const calls = new Map<string, number[]>()
  let overQuota = 0
  const clients = new Set<Client>()
  let rejectedConnections = 0
  let overSymbolLimit = 0
  const wsMessages: unknown[] = []
  const wss = new WebSocketServer({ noServer: true })

  const pingEvery = options.pingIntervalMs ?? 15_000
  const pinger = pingEvery > 0 ? setInterval(() => broadcast('{"type":"ping"}'), pingEvery) : null
  pinger?.unref()

  function broadcast(text: string): void {
    for (const client of clients) client.socket.send(text)
  }

  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers })
    res.end(body)
  }

  /** Counts the call against both windows; returns the 429 headers when a quota is used up. */
  function admit(key: string): { ok: boolean; headers: Record<string, string> } {
    const t = now()
    const recent = (calls.get(key) ?? []).filter((stamp) => stamp > t - 60_000)
    const lastSecond = recent.filter((stamp) => stamp > t - 1_000)
    const ok = recent.length < perMinute && lastSecond.length < perSecond
    if (ok) recent.push(t)
    calls.set(key, recent)
    const minuteFull = recent.length >= perMinute
    const resetAt = minuteFull ? (recent[recent.length - perMinute] as number) + 60_000 : (recent[0] ?? t) + 60_000
    const headers: Record<string, string> = {
      'X-Ratelimit-Limit': String(perMinute),
      'X-Ratelimit-Remaining': String(Math.max(0, perMinute - recent.length)),
      'X-Ratelimit-Reset': String(Math.ceil(resetAt / 1000))
    }
    if (!ok && options.retryAfterHeader) {
      const waitMs = minuteFull ? resetAt - t : (lastSecond[lastSecond.length - perSecond] as number) + 1_000 - t
      headers['Retry-After'] = String(Math.max(1, Math.ceil(waitMs / 1000)))
    }
    return { ok, headers }
  }

  function quoteRoute(res: ServerResponse, query: URLSearchParams, headers: Record<string, string>): number {
    const symbol = query.get('symbol')
    // [U] what Finnhub says without a symbol
    if (!symbol) return reply(res, 422, '{"error":"Wrong symbol"}', headers)
    const record = quotes.get(symbol.toUpperCase()) ?? UNKNOWN_QUOTE
    return reply(res, 200, JSON.stringify(record), headers)
  }

  function searchRoute(res: ServerResponse, query: URLSearchParams, headers: Record<string, string>): number {
    const q = query.get('q')
    if (q === null || q.trim() === '') return reply(res, 422, '{"error":"Wrong query"}', headers) // [U]
    const needle = q.trim().toLowerCase()
    const exchange = query.get('exchange')
    const result = [...listings.values()]
      .filter((l) => l.symbol.toLowerCase().includes(needle) || l.description.toLowerCase().includes(needle))
      .filter(() => exchange === null || exchange === 'US')
      .map((l) => ({ description: l.description, displaySymbol: l.displaySymbol, symbol: l.symbol, type: l.type }))
    return reply(res, 200, JSON.stringify({ count: result.length, result }), headers)
  }

  function route(path: string, query: URLSearchParams, res: ServerResponse, headers: Record<string, string>): number {
    switch (path) {
      case '/quote':
        return quoteRoute(res, query, headers)
      case '/search':
        return searchRoute(res, query, headers)
      case '/stock/symbol': {
        const exchange = query.get('exchange')
        if (!exchange) return reply(res, 422, '{"error":"Wrong exchange"}', headers) // [U]
        return reply(res, 200, JSON.stringify(exchange === 'US' ? [...listings.values()] : []), headers)
      }
      case '/stock/profile2': {
        const symbol = (query.get('symbol') ?? '').toUpperCase()
        return reply(res, 200, JSON.stringify(profiles.get(symbol) ?? {}), headers)
      }
      case '/stock/market-status':
        return reply(
          res,
          200,
          JSON.stringify({ exchange: query.get('exchange') ?? 'US', holiday: marketStatus.holiday, isOpen: marketStatus.isOpen, session: marketStatus.session, t: nowSeconds(), timezone: 'America/New_York' }),
          headers
        )
      case '/stock/market-holiday':
        return reply(res, 200, JSON.stringify({ data: holidays, exchange: query.get('exchange') ?? 'US', timezone: 'America/New_York' }), headers)
      default:
        return reply(res, 404, '{"error":"Not found"}', headers) // [U]
    }
  }

  function reply(res: ServerResponse, status: number, body: string, headers: Record<string, string>): number {
    send(res, status, body, headers)
    return status
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const path = url.pathname
    const headerToken = req.headers['x-finnhub-token']
    const queryToken = url.searchParams.get('token')
    const token = queryToken ?? (typeof headerToken === 'string' ? headerToken : undefined)
    url.searchParams.delete('token')
    const entry: FakeFinnhubRequest = {
      path,
      query: Object.fromEntries(url.searchParams),
      token,
      tokenVia: queryToken !== null ? 'query' : token !== undefined ? 'header' : null,
      status: 0
    }
    requests.push(entry)
    if (req.method !== 'GET') {
      entry.status = reply(res, 405, '{"error":"Method not allowed"}', {})
      return
    }
    // [U] a wrong key gets the same answer as none
    if (token === undefined || !keys.has(token)) {
      entry.status = reply(res, 401, FINNHUB_BODIES.noKey, {})
      return
    }
    const index = directives.findIndex((d) => d.kind !== 'fail' || d.path === undefined || path.startsWith(d.path))
    if (index >= 0) {
      const directive = directives.splice(index, 1)[0] as Directive
      if (directive.kind === 'hang') return
      entry.status = reply(res, directive.status, directive.body, directive.headers)
      return
    }
    const quota = admit(token)
    if (!quota.ok) {
      overQuota++
      entry.status = reply(res, 429, FINNHUB_BODIES.limit, quota.headers)
      return
    }
    if (denied.some((prefix) => path.startsWith(prefix))) {
      entry.status = reply(res, 403, FINNHUB_BODIES.noAccess, quota.headers)
      return
    }
    entry.status = route(path, url.searchParams, res, quota.headers)
  }

  function refuseUpgrade(socket: Duplex, status: number, text: string, body: string): void {
    rejectedConnections++
    socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const token = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('token')
    if (token === null || !keys.has(token)) return refuseUpgrade(socket, 401, 'Unauthorized', FINNHUB_BODIES.noKey)
    // "1 API key can only open 1 connection at a time"; [U] how a second one is refused
    if ([...clients].some((c) => c.key === token)) return refuseUpgrade(socket, 429, 'Too Many Requests', FINNHUB_BODIES.limit)
    wss.handleUpgrade(req, socket, head, (ws) => {
      const client: Client = { socket: ws, key: token, symbols: new Set() }
      clients.add(client)
      ws.on('close', () => clients.delete(client))
      ws.on('error', () => clients.delete(client))
      ws.on('message', (data) => onClientMessage(client, data.toString()))
    })
  }

  function onClientMessage(client: Client, text: string): void {
    let message: unknown
    try {
      message = JSON.parse(text)
    } catch {
      wsMessages.push(text)
      client.socket.send('{"type":"error","msg":"Invalid message"}') // [U]
      return
    }
    wsMessages.push(message)
    const m = message as { type?: unknown; symbol?: unknown }
    if ((m.type !== 'subscribe' && m.type !== 'unsubscribe') || typeof m.symbol !== 'string') {
      client.socket.send('{"type":"error","msg":"Invalid message"}')
      return
    }
    if (m.type === 'unsubscribe') {
      client.symbols.delete(m.symbol)
      return
    }
    if (!quotes.has(m.symbol)) {
      client.socket.send(JSON.stringify({ type: 'error', msg: `Invalid symbol ${m.symbol}` }))
      return
    }
    if (!client.symbols.has(m.symbol) && client.symbols.size >= maxStreamSymbols) {
      overSymbolLimit++
      client.socket.send(JSON.stringify({ type: 'error', msg: `Subscription limit reached (${maxStreamSymbols} symbols)` })) // [U]
      return
    }
    client.symbols.add(m.symbol)
  }

  function pushTrades(trades: readonly FakeTrade[]): number {
    let reached = 0
    for (const client of clients) {
      const data = trades
        .filter((t) => client.symbols.has(t.symbol))
        .map((t) => ({ c: t.conditions === undefined ? ['1', '12'] : t.conditions, p: t.price, s: t.symbol, t: t.time ?? now(), v: t.volume ?? 100 }))
      if (data.length === 0) continue
      client.socket.send(JSON.stringify({ data, type: 'trade' }))
      reached++
    }
    return reached
  }

  function dropClients(): void {
    for (const client of clients) client.socket.terminate()
    clients.clear()
  }

  const http = await startFakeHttpServer({
    port: options.port,
    name: 'Finnhub',
    handle,
    onError: (res, error) => send(res, 500, JSON.stringify({ error: String(error) })),
    onUpgrade,
    onStop: dropClients
  })

  return {
    get url() {
      return http.url
    },
    get wsUrl() {
      return `ws://127.0.0.1:${http.port}`
    },
    get port() {
      return http.port
    },
    requests,
    get overQuota() {
      return overQuota
    },
    setQuote(symbol, fields) {
      const key = symbol.toUpperCase()
      const base = quotes.get(key) ?? quoteRecord(fields.c, fields.pc ?? fields.c, nowSeconds())
      const merged = { ...base, ...fields }
      if (fields.pc !== undefined || fields.c !== base.c) {
        const derived = quoteRecord(merged.c, merged.pc, merged.t)
        if (fields.d === undefined) merged.d = derived.d
        if (fields.dp === undefined) merged.dp = derived.dp
      }
      quotes.set(key, merged)
    },
    removeSymbol(symbol) {
      const key = symbol.toUpperCase()
      quotes.delete(key)
      profiles.delete(key)
      listings.delete(key)
    },
    setProfile(symbol, profile) {
      const key = symbol.toUpperCase()
      if (profile === null) profiles.delete(key)
      else profiles.set(key, { ...(profiles.get(key) ?? blankProfile(key)), ...profile })
    },
    setMarketStatus(status) {
      marketStatus = { ...marketStatus, ...status }
    },
    setHolidays(list) {
      holidays = [...list]
    },
    acceptKey(key) {
      keys.add(key)
    },
    revokeKey(key) {
      keys.delete(key)
    },
    denyAccess(prefix) {
      denied.push(prefix)
    },
    failWith(count, status, body, failOptions = {}) {
      for (let i = 0; i < count; i++) directives.push({ kind: 'fail', status, body, headers: failOptions.headers ?? {}, path: failOptions.path })
    },
    hang(count) {
      for (let i = 0; i < count; i++) directives.push({ kind: 'hang' })
    },
    resetQuota() {
      calls.clear()
    },
    get connections() {
      return clients.size
    },
    get rejectedConnections() {
      return rejectedConnections
    },
    get overSymbolLimit() {
      return overSymbolLimit
    },
    subscriptions() {
      return [...new Set([...clients].flatMap((c) => [...c.symbols]))].sort()
    },
    wsMessages,
    pushTrade(symbol, price, tradeOptions = {}) {
      return pushTrades([{ symbol, price, ...tradeOptions }])
    },
    pushTrades,
    sendRaw(text) {
      broadcast(text)
    },
    ping() {
      broadcast('{"type":"ping"}')
    },
    dropClients,
    stop: () => http.stop(),
    start: () => http.start(),
    async close() {
      if (pinger) clearInterval(pinger)
      await http.close()
      wss.close()
    }
  }
}
