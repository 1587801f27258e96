/**
 * A strict local stand-in for Alpha Vantage (`/query?function=…&apikey=…`): GLOBAL_QUOTE,
 * REALTIME_BULK_QUOTES (premium), SYMBOL_SEARCH, LISTING_STATUS (CSV) and OVERVIEW, with the
 * service's limits enforced per key (25 requests per UTC day, 1 request per second, optionally the
 * legacy 5 per minute) and every problem answered the way the real service does: HTTP 200 with an
 * `Information`, `Note` or `Error Message` body. Point the app at it with
 * TICKERDESK_ALPHAVANTAGE_URL=<url>.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { startFakeHttpServer } from './fixtures/fake-http-server'
import {
  AV_DELISTED_ROWS,
  AV_KNOWN_SYMBOLS,
  LISTING_HEADER,
  applyAvFields,
  avSeedRecord,
  bulkRow,
  globalQuoteItem,
  listingLine,
  overviewBody,
  searchMatch,
  type AvFakeFields,
  type AvFakeRecord
} from './fixtures/alphavantage-data'

export type { AvFakeFields } from './fixtures/alphavantage-data'

/** The exact bodies the real service sends, from the provider reference. */
export const AV_BODIES = {
  daily: (key: string, perDay: number) =>
    `We have detected your API key as ${key} and our standard API rate limit is ${perDay} requests per day. Please subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly remove all daily rate limits.`,
  burst:
    'Thank you for using Alpha Vantage! Please consider spreading out your free API requests more sparingly (1 request per second). You may subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to lift the free key rate limit (25 requests per day), raise the per-second burst limit, and instantly unlock all premium endpoints',
  premium:
    'Thank you for using Alpha Vantage! This is a premium endpoint. You may subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly unlock all premium endpoints',
  legacyMinute:
    'Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute and 500 calls per day. Please visit https://www.alphavantage.co/premium/ if you would like to target a higher API call frequency.',
  badKey:
    'the parameter apikey is invalid or missing. Please claim your free API key on (https://www.alphavantage.co/support/#api-key). It should take less than 20 seconds.',
  invalidCall: (fn: string) =>
    `Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for ${fn}.`
} as const

export interface FakeAvRequest {
  fn: string | null
  params: Record<string, string>
  key: string | null
  /** What the fake answered: 'ok' or the limit or error it applied. */
  outcome: 'ok' | 'daily-limit' | 'burst' | 'minute-limit' | 'bad-key' | 'premium' | 'invalid' | 'directive'
}

export interface FakeAvLimits {
  /** Requests per key per UTC day (25). */
  perDay: number
  /** Least spacing between two requests of one key, ms (1,000: "1 request per second"); 0 turns it off. */
  burstMs: number
  /** Legacy cap per rolling minute, answered with the old `Note` body; null (default) turns it off. */
  perMinute: number | null
}

export interface FakeAlphaVantageOptions {
  port?: number
  now?: () => number
  /** Start without the default symbols (IBM, AAPL, MSFT, TSLA, SPY, TSCO.LON). */
  empty?: boolean
  limits?: Partial<FakeAvLimits>
  premium?: boolean
}

export interface FakeAlphaVantage {
  readonly url: string
  readonly port: number
  readonly requests: FakeAvRequest[]
  /** Requests refused for a limit, by limit. */
  readonly overQuota: { daily: number; burst: number; minute: number }
  /** Requests that counted against the daily quota (answered with data or a non-limit error). */
  usedToday(key: string): number
  setQuote(symbol: string, fields?: AvFakeFields): void
  /** Unknown from now on: `{"Global Quote":{}}`, absent from bulk, `{}` from OVERVIEW. */
  removeSymbol(symbol: string): void
  /** false: every key is refused with the bad-key `Error Message`. */
  setKeyValid(valid: boolean): void
  /** Only these keys are accepted (null: any non-empty key). */
  setValidKeys(keys: readonly string[] | null): void
  setPremium(premium: boolean): void
  setLimits(limits: Partial<FakeAvLimits>): void
  /** Every key has used its whole day: the next request gets the daily-limit body. */
  exhaustDaily(): void
  /** Forgets all usage (a new day, and no recent requests). */
  resetQuota(): void
  /** The next `count` requests get this status and body instead of an answer. */
  failWith(count: number, status: number, body: string, contentType?: string): void
  stop(): Promise<void>
  start(): Promise<void>
  close(): Promise<void>
}

interface Usage {
  day: string
  count: number
  lastAt: number | null
  recent: number[]
}

const DAY_MS = 86_400_000
const FUNCTIONS = new Set(['GLOBAL_QUOTE', 'REALTIME_BULK_QUOTES', 'SYMBOL_SEARCH', 'LISTING_STATUS', 'OVERVIEW'])

export async function startFakeAlphaVantage(options: FakeAlphaVantageOptions = {}): Promise<FakeAlphaVantage> {
  const now = options.now ?? Date.now
  const records = new Map<string, AvFakeRecord>()
  if (!options.empty) for (const symbol of AV_KNOWN_SYMBOLS) records.set(symbol, avSeedRecord(symbol))
  const limits: FakeAvLimits = { perDay: 25, burstMs: 1_000, perMinute: null, ...options.limits }
  const usage = new Map<string, Usage>()
  const requests: FakeAvRequest[] = []
  const overQuota = { daily: 0, burst: 0, minute: 0 }
  const directives: { status: number; body: string; type: string }[] = []
  let premium = options.premium ?? false
  let keysValid = true
  let validKeys: Set<string> | null = null
  let exhaustedDay: string | null = null

  const utcDay = (): string => new Date(Math.floor(now() / DAY_MS) * DAY_MS).toISOString().slice(0, 10)

  function send(res: ServerResponse, status: number, body: string, type = 'application/json'): void {
    res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-cache' })
    res.end(body)
  }
  const json = (res: ServerResponse, body: unknown): void => send(res, 200, JSON.stringify(body, null, 4))

  function usageOf(key: string): Usage {
    const day = utcDay()
    let u = usage.get(key)
    if (u === undefined || u.day !== day) {
      u = { day, count: 0, lastAt: u?.lastAt ?? null, recent: u?.recent ?? [] }
      usage.set(key, u)
    }
    return u
  }

  /** Applies the limits in the order the service reports them: the day first, then the burst rule. */
  function limitFor(key: string): FakeAvRequest['outcome'] | null {
    const u = usageOf(key)
    const t = now()
    if (exhaustedDay === u.day || u.count >= limits.perDay) return 'daily-limit'
    if (limits.burstMs > 0 && u.lastAt !== null && t - u.lastAt < limits.burstMs) return 'burst'
    u.recent = u.recent.filter((at) => t - at < 60_000)
    if (limits.perMinute !== null && u.recent.length >= limits.perMinute) return 'minute-limit'
    u.count++
    u.lastAt = t
    u.recent.push(t)
    return null
  }

  function record(symbol: string): AvFakeRecord | undefined {
    const r = records.get(symbol.trim().toUpperCase())
    return r && !r.delisted ? r : undefined
  }

  function globalQuote(res: ServerResponse, q: URLSearchParams): FakeAvRequest['outcome'] {
    const symbol = q.get('symbol')
    if (!symbol) {
      json(res, { 'Error Message': AV_BODIES.invalidCall('GLOBAL_QUOTE') })
      return 'invalid'
    }
    const r = record(symbol)
    json(res, { 'Global Quote': r ? globalQuoteItem(r, now()) : {} })
    return 'ok'
  }

  function bulk(res: ServerResponse, q: URLSearchParams): FakeAvRequest['outcome'] {
    if (!premium) {
      json(res, { Information: AV_BODIES.premium })
      return 'premium'
    }
    const symbols = (q.get('symbol') ?? '').split(',').map((s) => s.trim()).filter(Boolean).slice(0, 100)
    if (symbols.length === 0) {
      json(res, { 'Error Message': AV_BODIES.invalidCall('REALTIME_BULK_QUOTES') })
      return 'invalid'
    }
    const data = symbols.flatMap((s) => {
      const r = record(s)
      return r ? [bulkRow(r, now())] : []
    })
    json(res, { endpoint: 'Realtime Bulk Quotes', message: 'extended hours fields are empty outside 04:00-20:00 US/Eastern', data })
    return 'ok'
  }

  function search(res: ServerResponse, q: URLSearchParams): FakeAvRequest['outcome'] {
    const keywords = q.get('keywords')
    if (!keywords) {
      json(res, { 'Error Message': AV_BODIES.invalidCall('SYMBOL_SEARCH') })
      return 'invalid'
    }
    const needle = keywords.trim().toLowerCase()
    const matches = [...records.values()]
      .filter((r) => !r.delisted && (r.symbol.toLowerCase().includes(needle) || r.name.toLowerCase().includes(needle)))
      .map((r) => searchMatch(r, r.symbol.toLowerCase() === needle ? 1 : r.symbol.toLowerCase().startsWith(needle) ? 0.8 : 0.5))
      .sort((a, b) => Number(b['9. matchScore']) - Number(a['9. matchScore']))
      .slice(0, 10)
    json(res, { bestMatches: matches })
    return 'ok'
  }

  function listing(res: ServerResponse, q: URLSearchParams): FakeAvRequest['outcome'] {
    const state = q.get('state') ?? 'active'
    const lines = state === 'delisted' ? AV_DELISTED_ROWS : [...records.values()].filter((r) => !r.delisted).map(listingLine)
    send(res, 200, `${[LISTING_HEADER, ...lines].join('\r\n')}\r\n`, 'application/x-download')
    return 'ok'
  }

  function overview(res: ServerResponse, q: URLSearchParams): FakeAvRequest['outcome'] {
    const r = record(q.get('symbol') ?? '')
    json(res, r ? overviewBody(r) : {})
    return 'ok'
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const q = url.searchParams
    const params = Object.fromEntries(q)
    delete params.apikey
    const entry: FakeAvRequest = { fn: q.get('function'), params, key: q.get('apikey'), outcome: 'ok' }
    requests.push(entry)
    if (url.pathname !== '/query') return send(res, 404, '<!DOCTYPE html><html><body><h1>Not Found</h1></body></html>', 'text/html')

    const directive = directives.shift()
    if (directive) {
      entry.outcome = 'directive'
      return send(res, directive.status, directive.body, directive.type)
    }
    const key = entry.key?.trim() ?? ''
    if (key === '' || !keysValid || (validKeys !== null && !validKeys.has(key))) {
      entry.outcome = 'bad-key'
      return json(res, { 'Error Message': AV_BODIES.badKey })
    }
    const limited = limitFor(key)
    if (limited === 'daily-limit') {
      overQuota.daily++
      entry.outcome = limited
      return json(res, { Information: AV_BODIES.daily(key, limits.perDay) })
    }
    if (limited === 'burst') {
      overQuota.burst++
      entry.outcome = limited
      return json(res, { Information: AV_BODIES.burst })
    }
    if (limited === 'minute-limit') {
      overQuota.minute++
      entry.outcome = limited
      return json(res, { Note: AV_BODIES.legacyMinute })
    }
    const fn = entry.fn ?? ''
    if (!FUNCTIONS.has(fn)) {
      entry.outcome = 'invalid'
      return json(res, { 'Error Message': `This API function (${fn}) does not exist.` })
    }
    switch (fn) {
      case 'GLOBAL_QUOTE':
        entry.outcome = globalQuote(res, q)
        return
      case 'REALTIME_BULK_QUOTES':
        entry.outcome = bulk(res, q)
        return
      case 'SYMBOL_SEARCH':
        entry.outcome = search(res, q)
        return
      case 'LISTING_STATUS':
        entry.outcome = listing(res, q)
        return
      case 'OVERVIEW':
        entry.outcome = overview(res, q)
        return
    }
  }

  const http = await startFakeHttpServer({
    port: options.port,
    name: 'Alpha Vantage',
    handle: (req, res) => (req.method === 'GET' ? handle(req, res) : send(res, 405, 'Method Not Allowed', 'text/plain')),
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
    overQuota,
    usedToday(key) {
      return usageOf(key).count
    },
    setQuote(symbol, fields = {}) {
      const key = symbol.trim().toUpperCase()
      records.set(key, applyAvFields({ ...(records.get(key) ?? avSeedRecord(key)), delisted: false }, fields))
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
    setPremium(value) {
      premium = value
    },
    setLimits(next) {
      Object.assign(limits, next)
    },
    exhaustDaily() {
      exhaustedDay = utcDay()
    },
    resetQuota() {
      usage.clear()
      exhaustedDay = null
    },
    failWith(count, status, body, contentType = 'text/html') {
      for (let i = 0; i < count; i++) directives.push({ status, body, type: contentType })
    },
    stop: () => http.stop(),
    start: () => http.start(),
    close: () => http.close()
  }
}
