/**
 * A strict local stand-in for Twelve Data: `/quote` (batches keyed by symbol with inline
 * per-symbol errors), `/time_series` and `/symbol_search`, charging 1 credit per symbol against
 * 8 credits a minute and 800 a day per key, with the documented error bodies. Errors come as a
 * real HTTP status or as HTTP 200 with `status:"error"`, as a test chooses. The key is read from
 * `?apikey=` or `Authorization: apikey KEY`. Point the app at it with TICKERDESK_TWELVEDATA_URL=<url>.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { startFakeHttpServer } from './fixtures/fake-http-server'
import {
  TD_INTERVAL_MS,
  TD_KNOWN_SYMBOLS,
  applyTdFields,
  tdQuoteItem,
  tdSearchRow,
  tdSeedRecord,
  tdTimeSeries,
  type TdFakeFields,
  type TdFakeRecord
} from './fixtures/twelvedata-data'

export type { TdFakeFields } from './fixtures/twelvedata-data'

/** 'status': the HTTP status is the error code; 'body': HTTP 200 with the same body. */
export type TdErrorMode = 'status' | 'body'

export const TD_MESSAGES = {
  minute: (used: number, limit: number) =>
    `You have run out of API credits for the current minute. ${used} API credits were used, with the current limit being ${limit}. Wait for the next minute or consider switching to a higher tier plan at https://twelvedata.com/pricing`,
  day: (limit: number) => `You have run out of API credits for the day. The current limit being ${limit} API credits per day.`,
  notFound: (symbol: string) => `**symbol** not found: ${symbol}. Please specify it correctly according to API Documentation.`,
  missingSymbol:
    '**symbol** parameter is missing or invalid. Please provide a valid symbol according to API documentation: https://twelvedata.com/docs#reference-data',
  badKey:
    '**apikey** parameter is incorrect or not specified. You can get your free API key instantly following this link: https://twelvedata.com/pricing. If you believe that everything is correct, you can contact us at https://twelvedata.com/contact/customer',
  badInterval: `**interval** is not supported. Please specify one of the supported intervals: ${Object.keys(TD_INTERVAL_MS).join(', ')}.`,
  badOutputsize: '**outputsize** must be in range 1-5000.'
} as const

export interface FakeTdRequest {
  path: string
  query: Record<string, string>
  key: string | null
  keyFrom: 'query' | 'header' | null
  cost: number
  outcome: 'ok' | 'minute-limit' | 'daily-limit' | 'bad-key' | 'error' | 'directive'
}

export interface FakeTdLimits {
  perMinute: number
  perDay: number
}

export interface FakeTwelveDataOptions {
  port?: number
  now?: () => number
  empty?: boolean
  limits?: Partial<FakeTdLimits>
  errorMode?: TdErrorMode
}

export interface FakeTwelveData {
  readonly url: string
  readonly port: number
  readonly requests: FakeTdRequest[]
  /** Requests refused for lack of credits, by window. */
  readonly overQuota: { minute: number; day: number }
  /** Credits a key has spent in the current minute and UTC day. */
  credits(key: string): { minute: number; day: number }
  setQuote(symbol: string, fields?: TdFakeFields): void
  removeSymbol(symbol: string): void
  setKeyValid(valid: boolean): void
  setValidKeys(keys: readonly string[] | null): void
  setErrorMode(mode: TdErrorMode): void
  setLimits(limits: Partial<FakeTdLimits>): void
  /** Every key has spent the day's credits. */
  exhaustDaily(): void
  /** Every key has spent this minute's credits. */
  exhaustMinute(): void
  resetQuota(): void
  /** The next `count` requests get this status and body instead of an answer. */
  failWith(count: number, status: number, body: string, contentType?: string): void
  stop(): Promise<void>
  start(): Promise<void>
  close(): Promise<void>
}

interface Usage {
  minute: number
  minuteUsed: number
  day: number
  dayUsed: number
}

const DAY_MS = 86_400_000
/** Credits per request: 1 per symbol for data; 1 for a search. */
const COSTLY = new Set(['/quote', '/time_series', '/symbol_search'])

export async function startFakeTwelveData(options: FakeTwelveDataOptions = {}): Promise<FakeTwelveData> {
  const now = options.now ?? Date.now
  const records = new Map<string, TdFakeRecord>()
  if (!options.empty) for (const symbol of TD_KNOWN_SYMBOLS) records.set(symbol, tdSeedRecord(symbol))
  const limits: FakeTdLimits = { perMinute: 8, perDay: 800, ...options.limits }
  const usage = new Map<string, Usage>()
  const requests: FakeTdRequest[] = []
  const overQuota = { minute: 0, day: 0 }
  const directives: { status: number; body: string; type: string }[] = []
  let errorMode: TdErrorMode = options.errorMode ?? 'status'
  let keysValid = true
  let validKeys: Set<string> | null = null
  let exhausted: { day: number | null; minute: number | null } = { day: null, minute: null }

  function usageOf(key: string): Usage {
    const minute = Math.floor(now() / 60_000)
    const day = Math.floor(now() / DAY_MS)
    const u = usage.get(key) ?? { minute, minuteUsed: 0, day, dayUsed: 0 }
    if (u.minute !== minute) Object.assign(u, { minute, minuteUsed: 0 })
    if (u.day !== day) Object.assign(u, { day, dayUsed: 0 })
    if (exhausted.day === day) u.dayUsed = Math.max(u.dayUsed, limits.perDay)
    if (exhausted.minute === minute) u.minuteUsed = Math.max(u.minuteUsed, limits.perMinute)
    usage.set(key, u)
    return u
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers })
    res.end(typeof body === 'string' ? body : JSON.stringify(body))
  }

  function sendError(res: ServerResponse, code: number, message: string, headers: Record<string, string> = {}): void {
    send(res, errorMode === 'status' ? code : 200, { code, message, status: 'error' }, headers)
  }

  function creditHeaders(u: Usage): Record<string, string> {
    return { 'api-credits-used': String(u.minuteUsed), 'api-credits-left': String(Math.max(0, limits.perMinute - u.minuteUsed)) }
  }

  const lookup = (asked: string): TdFakeRecord | undefined => records.get(asked.split(':')[0]!.trim().toUpperCase())

  function quote(res: ServerResponse, symbols: string[], headers: Record<string, string>): FakeTdRequest['outcome'] {
    if (symbols.length === 1) {
      const r = lookup(symbols[0]!)
      if (!r) {
        sendError(res, 404, TD_MESSAGES.notFound(symbols[0]!), headers)
        return 'error'
      }
      send(res, 200, tdQuoteItem(r, now()), headers)
      return 'ok'
    }
    const body: Record<string, unknown> = {}
    for (const asked of symbols) {
      const r = lookup(asked)
      body[asked] = r ? tdQuoteItem(r, now()) : { code: 404, message: TD_MESSAGES.notFound(asked), status: 'error' }
    }
    send(res, 200, body, { ...headers, Is_batch: 'true' })
    return 'ok'
  }

  function timeSeries(res: ServerResponse, q: URLSearchParams, symbol: string, headers: Record<string, string>): FakeTdRequest['outcome'] {
    const interval = q.get('interval') ?? ''
    if (!(interval in TD_INTERVAL_MS)) {
      sendError(res, 400, TD_MESSAGES.badInterval, headers)
      return 'error'
    }
    const size = Number(q.get('outputsize') ?? 30)
    if (!Number.isInteger(size) || size < 1 || size > 5000) {
      sendError(res, 400, TD_MESSAGES.badOutputsize, headers)
      return 'error'
    }
    const r = lookup(symbol)
    if (!r) {
      sendError(res, 404, TD_MESSAGES.notFound(symbol), headers)
      return 'error'
    }
    send(res, 200, tdTimeSeries(r, interval, size, now()), headers)
    return 'ok'
  }

  function search(res: ServerResponse, q: URLSearchParams, text: string, headers: Record<string, string>): FakeTdRequest['outcome'] {
    const needle = text.trim().toLowerCase()
    const size = Number(q.get('outputsize') ?? 30) || 30
    const data = [...records.values()]
      .filter((r) => r.symbol.toLowerCase().startsWith(needle) || r.name.toLowerCase().includes(needle))
      .slice(0, size)
      .map(tdSearchRow)
    send(res, 200, { data, status: 'ok' }, headers)
    return 'ok'
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const q = url.searchParams
    const auth = /^apikey\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null
    const key = q.get('apikey') ?? auth
    const query = Object.fromEntries(q)
    delete query.apikey
    const entry: FakeTdRequest = { path: url.pathname, query, key, keyFrom: q.has('apikey') ? 'query' : auth ? 'header' : null, cost: 0, outcome: 'ok' }
    requests.push(entry)

    const directive = directives.shift()
    if (directive) {
      entry.outcome = 'directive'
      res.writeHead(directive.status, { 'Content-Type': directive.type })
      res.end(directive.body)
      return
    }
    if (!COSTLY.has(url.pathname)) {
      entry.outcome = 'error'
      return sendError(res, 404, `**${url.pathname}** endpoint not found. Please check the API documentation: https://twelvedata.com/docs`)
    }
    if (!key || !keysValid || (validKeys !== null && !validKeys.has(key))) {
      entry.outcome = 'bad-key'
      return sendError(res, 401, TD_MESSAGES.badKey)
    }
    const symbolParam = q.get('symbol')?.trim() ?? ''
    const symbols = symbolParam.split(',').map((s) => s.trim()).filter(Boolean)
    if (symbols.length === 0) {
      entry.outcome = 'error'
      return sendError(res, 400, TD_MESSAGES.missingSymbol)
    }
    const cost = url.pathname === '/symbol_search' ? 1 : symbols.length
    const u = usageOf(key)
    if (u.dayUsed + cost > limits.perDay) {
      overQuota.day++
      entry.outcome = 'daily-limit'
      return sendError(res, 429, TD_MESSAGES.day(limits.perDay), creditHeaders(u))
    }
    if (u.minuteUsed + cost > limits.perMinute) {
      overQuota.minute++
      entry.outcome = 'minute-limit'
      return sendError(res, 429, TD_MESSAGES.minute(u.minuteUsed + cost, limits.perMinute), creditHeaders(u))
    }
    u.minuteUsed += cost
    u.dayUsed += cost
    entry.cost = cost
    const headers = creditHeaders(u)
    switch (url.pathname) {
      case '/quote':
        entry.outcome = quote(res, symbols, headers)
        return
      case '/time_series':
        entry.outcome = timeSeries(res, q, symbols[0]!, headers)
        return
      case '/symbol_search':
        entry.outcome = search(res, q, symbolParam, headers)
        return
    }
  }

  const http = await startFakeHttpServer({
    port: options.port,
    name: 'Twelve Data',
    handle: (req, res) => (req.method === 'GET' ? handle(req, res) : send(res, 405, { code: 405, message: 'Method not allowed', status: 'error' })),
    onError: (res, error) => send(res, 500, { code: 500, message: String(error), status: 'error' })
  })

  return {
    get url() {
      return http.url
    },
    get port() {
      return http.port
    },
    requests,
    overQuota,
    credits(key) {
      const u = usageOf(key)
      return { minute: u.minuteUsed, day: u.dayUsed }
    },
    setQuote(symbol, fields = {}) {
      const key = symbol.trim().toUpperCase()
      records.set(key, applyTdFields(records.get(key) ?? tdSeedRecord(key), fields))
    },
    removeSymbol(symbol) {
      records.delete(symbol.trim().toUpperCase())
    },
    setKeyValid(valid) {
      keysValid = valid
    },
    setValidKeys(keys) {
      validKeys = keys === null ? null : new Set(keys)
    },
    setErrorMode(mode) {
      errorMode = mode
    },
    setLimits(next) {
      Object.assign(limits, next)
    },
    exhaustDaily() {
      exhausted = { ...exhausted, day: Math.floor(now() / DAY_MS) }
    },
    exhaustMinute() {
      exhausted = { ...exhausted, minute: Math.floor(now() / 60_000) }
    },
    resetQuota() {
      usage.clear()
      exhausted = { day: null, minute: null }
    },
    failWith(count, status, body, contentType = 'text/html') {
      for (let i = 0; i < count; i++) directives.push({ status, body, type: contentType })
    },
    stop: () => http.stop(),
    start: () => http.start(),
    close: () => http.close()
  }
}
