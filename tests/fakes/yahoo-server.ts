/**
 * A strict local stand-in for Yahoo Finance: the cookie + crumb session, v7 batch quotes, v8
 * chart, search, and the ways the real service fails (plain-text 429, HTML pages, broken crumbs,
 * vanishing network). Point the app at it with TICKERDESK_YAHOO_URL=<url>.
 */
import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { startFakeHttpServer } from './fixtures/fake-http-server'
import {
  KNOWN_SYMBOLS,
  applyFields,
  chartBody,
  seedRecord,
  v7Item,
  type FakeQuoteFields,
  type FakeQuoteRecord
} from './fixtures/yahoo-quotes'
import { historyChart, isQuoteChart } from './fixtures/yahoo-history'

export type { FakeQuoteFields, YahooMarketState } from './fixtures/yahoo-quotes'

export interface FakeYahooRequest {
  method: string
  path: string
  query: Record<string, string>
  cookie: string | undefined
  userAgent: string | undefined
}

export interface FakeYahooOptions {
  /** Fixed port; 0 (default) picks a free one. */
  port?: number
  /** Clock for regularMarketTime and trading periods, epoch ms. */
  now?: () => number
  /** Start without the default symbols (AAPL, MSFT, BTC-USD, ^GSPC, ...). */
  empty?: boolean
}

export interface FakeYahoo {
  /** http://127.0.0.1:PORT, stable across stop()/start(). */
  readonly url: string
  readonly port: number
  /** Every request received, oldest first. */
  readonly requests: FakeYahooRequest[]
  /** Creates or updates a symbol; unknown symbols start from plain defaults. */
  setQuote(symbol: string, fields?: FakeQuoteFields): void
  /** The symbol becomes unknown: absent from v7, 404 on the chart. */
  removeSymbol(symbol: string): void
  /** The symbol comes back with quoteType NONE (v7) and 404 (chart). */
  delist(symbol: string): void
  /** The next `count` API requests get HTTP 429 "Too Many Requests\r\n" (text/plain). */
  rateLimit(count: number, retryAfterSec?: number | string): void
  /** The next `count` API requests get a 200 HTML page. */
  serveHtml(count: number): void
  /**
   * The next `count` API requests get this status and body. `path` narrows it to requests whose
   * path starts with it (e.g. '/v7/'), leaving the others alone.
   */
  failWith(count: number, status: number, body: string, options?: { headers?: Record<string, string>; path?: string }): void
  /** The next `count` API requests are never answered. */
  hang(count: number): void
  /**
   * While broken, getcrumb cannot issue crumbs and every existing crumb is refused. `style`:
   * 'body' answers 200 "Too Many Requests" (seen in the wild), 'status' answers HTTP 429.
   */
  setCrumbBroken(broken: boolean, style?: 'body' | 'status'): void
  /** Invalidates every crumb handed out so far: the next v7 call gets 401 "Invalid Crumb". */
  rotateCrumbs(): void
  /** Refuse connections (the port stays reserved for start()). */
  stop(): Promise<void>
  /** Listen again on the same port. */
  start(): Promise<void>
  close(): Promise<void>
}

type Directive =
  | { kind: 'rate-limit'; retryAfter: string | undefined }
  | { kind: 'html' }
  | { kind: 'fail'; status: number; body: string; headers: Record<string, string>; path?: string }
  | { kind: 'hang' }

const CRUMB_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./'
const HTML_PAGE =
  '<!DOCTYPE html><html lang="en-US"><head><meta charset="utf-8"><title>Yahoo</title></head>' +
  '<body><div id="consent-page"><p>Yahoo is part of the Yahoo family of brands.</p>' +
  '<form method="post"><button name="agree" value="agree">Accept all</button></form></div></body></html>'

function errorEnvelope(root: string, code: string, description: string): string {
  return JSON.stringify({ [root]: { result: null, error: { code, description } } })
}

function newCrumb(): string {
  const bytes = randomBytes(11)
  let crumb = ''
  for (const byte of bytes) crumb += CRUMB_ALPHABET[byte % CRUMB_ALPHABET.length]
  return crumb
}

function parseCookies(header: string | undefined): Map<string, string> {
  const jar = new Map<string, string>()
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0) jar.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim())
  }
  return jar
}

export async function startFakeYahoo(options: FakeYahooOptions = {}): Promise<FakeYahoo> {
  const now = options.now ?? Date.now
  const nowSeconds = (): number => Math.floor(now() / 1000)
  const quotes = new Map<string, FakeQuoteRecord>()
  if (!options.empty) for (const symbol of KNOWN_SYMBOLS) quotes.set(symbol, seedRecord(symbol, nowSeconds()))
  /** A3 cookie value → crumb issued for it (null until getcrumb is called). */
  const sessions = new Map<string, string | null>()
  const directives: Directive[] = []
  const requests: FakeYahooRequest[] = []
  let crumbBroken: false | 'body' | 'status' = false

  const send = (res: ServerResponse, status: number, body: string, type: string, headers: Record<string, string | string[]> = {}): void => {
    res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'private, no-cache', ...headers })
    res.end(body)
  }
  const json = (res: ServerResponse, status: number, body: string): void => send(res, status, body, 'application/json;charset=utf-8')

  function issueCookies(): string[] {
    const value = `d=AQABB${randomBytes(24).toString('base64url')}&S=AQAAA${randomBytes(12).toString('base64url')}`
    sessions.set(value, null)
    const attrs = 'Expires=Wed, 01 Jan 2031 00:00:00 GMT; Max-Age=31557600; Domain=.yahoo.com; Path=/; SameSite=None; Secure; HttpOnly'
    return [`A1=${value}; ${attrs}`, `A3=${value}; ${attrs}`, `A1S=${value}; Expires=Wed, 01 Jan 2031 00:00:00 GMT; Max-Age=31557600; Domain=.yahoo.com; Path=/; Secure`]
  }

  /** The session this request belongs to, or undefined when its A3 cookie was never issued here. */
  function sessionOf(req: IncomingMessage): string | undefined {
    const a3 = parseCookies(req.headers.cookie).get('A3')
    return a3 !== undefined && sessions.has(a3) ? a3 : undefined
  }

  function applyDirective(res: ServerResponse, directive: Directive): void {
    switch (directive.kind) {
      case 'rate-limit':
        send(res, 429, 'Too Many Requests\r\n', 'text/plain;charset=utf-8', directive.retryAfter ? { 'Retry-After': directive.retryAfter } : {})
        return
      case 'html':
        send(res, 200, HTML_PAGE, 'text/html;charset=utf-8')
        return
      case 'fail': {
        const type = /^\s*</.test(directive.body) ? 'text/html;charset=utf-8' : 'application/json;charset=utf-8'
        send(res, directive.status, directive.body, type, directive.headers)
        return
      }
      case 'hang':
        return // never answered; stop()/close() destroy the socket
    }
  }

  function quoteRoute(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
    const session = sessionOf(req)
    if (session === undefined) return json(res, 401, errorEnvelope('finance', 'Unauthorized', 'Invalid Cookie'))
    const crumb = query.get('crumb')
    const expected = sessions.get(session)
    if (crumbBroken || !crumb || expected === null || expected === undefined || crumb !== expected) {
      return json(res, 401, errorEnvelope('finance', 'Unauthorized', 'Invalid Crumb'))
    }
    const raw = query.get('symbols')
    if (raw === null || raw.trim() === '') {
      return json(res, 400, errorEnvelope('finance', 'Bad Request', 'Missing required query parameter=symbols'))
    }
    const result: Record<string, unknown>[] = []
    const seen = new Set<string>()
    for (const part of raw.split(',')) {
      const symbol = part.trim().toUpperCase()
      const record = quotes.get(symbol)
      if (record === undefined || seen.has(symbol)) continue
      seen.add(symbol)
      result.push(v7Item(record))
    }
    json(res, 200, JSON.stringify({ quoteResponse: { result, error: null } }))
  }

  function crumbRoute(req: IncomingMessage, res: ServerResponse): void {
    if (crumbBroken === 'status') return send(res, 429, 'Too Many Requests\r\n', 'text/plain;charset=utf-8')
    if (crumbBroken === 'body') return send(res, 200, 'Too Many Requests', 'text/plain;charset=utf-8')
    const session = sessionOf(req)
    if (session === undefined) return json(res, 401, errorEnvelope('finance', 'Unauthorized', 'Invalid Cookie'))
    const crumb = sessions.get(session) ?? newCrumb()
    sessions.set(session, crumb)
    send(res, 200, crumb, 'text/plain;charset=utf-8')
  }

  function chartRoute(res: ServerResponse, encoded: string, query: URLSearchParams): void {
    let symbol: string
    try {
      symbol = decodeURIComponent(encoded).toUpperCase()
    } catch {
      return json(res, 400, errorEnvelope('chart', 'Bad Request', 'Invalid symbol'))
    }
    const record = quotes.get(symbol)
    if (record === undefined || record.delisted) {
      return json(res, 404, errorEnvelope('chart', 'Not Found', 'No data found, symbol may be delisted'))
    }
    if (!isQuoteChart(query)) {
      const answer = historyChart(record, query, nowSeconds())
      return json(res, answer.status, JSON.stringify(answer.body))
    }
    json(res, 200, JSON.stringify(chartBody(record, nowSeconds())))
  }

  function searchRoute(res: ServerResponse, query: URLSearchParams): void {
    const q = query.get('q')
    if (q === null || q.trim() === '') {
      return json(res, 400, errorEnvelope('finance', 'Bad Request', 'Missing required query parameter=q'))
    }
    const needle = q.trim().toLowerCase()
    const hits = [...quotes.values()]
      .filter((r) => !r.delisted && (r.symbol.toLowerCase().includes(needle) || r.longName.toLowerCase().includes(needle)))
      .slice(0, Number(query.get('quotesCount') ?? 6) || 6)
      .map((r, i) => ({
        exchange: r.exchange, shortname: r.shortName, quoteType: r.quoteType, symbol: r.symbol, index: 'quotes',
        score: 100000 - i, typeDisp: r.quoteType === 'EQUITY' ? 'Equity' : r.quoteType, longname: r.longName,
        exchDisp: r.fullExchangeName, isYahooFinance: true
      }))
    json(res, 200, JSON.stringify({ explains: [], count: hits.length, quotes: hits, news: [], nav: [], lists: [], researchReports: [], totalTime: 12 }))
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const path = url.pathname
    requests.push({
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      cookie: req.headers.cookie,
      userAgent: req.headers['user-agent']
    })
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method Not Allowed', 'text/plain')

    // fc.yahoo.com answers 404 but still sets the session cookies; quote pages answer 200.
    if (path === '/') return send(res, 404, HTML_PAGE, 'text/html;charset=utf-8', { 'Set-Cookie': issueCookies() })
    if (path.startsWith('/quote/')) return send(res, 200, HTML_PAGE, 'text/html;charset=utf-8', { 'Set-Cookie': issueCookies() })

    const index = directives.findIndex((d) => d.kind !== 'fail' || d.path === undefined || path.startsWith(d.path))
    if (index >= 0) return applyDirective(res, directives.splice(index, 1)[0] as Directive)

    if (path === '/v1/test/getcrumb') return crumbRoute(req, res)
    if (path === '/v7/finance/quote') return quoteRoute(req, res, url.searchParams)
    if (path.startsWith('/v8/finance/chart/')) return chartRoute(res, path.slice('/v8/finance/chart/'.length), url.searchParams)
    if (path === '/v1/finance/search') return searchRoute(res, url.searchParams)
    json(res, 404, errorEnvelope('finance', 'Not Found', 'HTTP 404 Not Found'))
  }

  const repeat = (count: number, directive: () => Directive): void => {
    for (let i = 0; i < count; i++) directives.push(directive())
  }
  const record = (symbol: string): FakeQuoteRecord => quotes.get(symbol) ?? seedRecord(symbol, nowSeconds())

  const http = await startFakeHttpServer({
    port: options.port,
    name: 'Yahoo',
    handle,
    onError: (res, error) => send(res, 500, String(error), 'text/plain')
  })

  return {
    get url() {
      return http.url
    },
    get port() {
      return http.port
    },
    requests,
    setQuote(symbol, fields = {}) {
      const key = symbol.toUpperCase()
      quotes.set(key, applyFields({ ...record(key), delisted: false }, fields, nowSeconds()))
    },
    removeSymbol(symbol) {
      quotes.delete(symbol.toUpperCase())
    },
    delist(symbol) {
      const key = symbol.toUpperCase()
      quotes.set(key, { ...record(key), delisted: true })
    },
    rateLimit(count, retryAfterSec) {
      repeat(count, () => ({ kind: 'rate-limit', retryAfter: retryAfterSec === undefined ? undefined : String(retryAfterSec) }))
    },
    serveHtml(count) {
      repeat(count, () => ({ kind: 'html' }))
    },
    failWith(count, status, body, options = {}) {
      repeat(count, () => ({ kind: 'fail', status, body, headers: options.headers ?? {}, path: options.path }))
    },
    hang(count) {
      repeat(count, () => ({ kind: 'hang' }))
    },
    setCrumbBroken(broken, style = 'body') {
      crumbBroken = broken ? style : false
      if (broken) for (const key of sessions.keys()) sessions.set(key, null)
    },
    rotateCrumbs() {
      for (const key of sessions.keys()) sessions.set(key, null)
    },
    stop: () => http.stop(),
    start: () => http.start(),
    close: () => http.close()
  }
}
