/**
 * A strict local stand-in for CoinGecko's public API v3: `/simple/price` (unknown ids simply
 * absent), `/search`, `/coins/list`, `/ping`, the per-minute call quota with its real 429 body
 * (or, as once seen in the wild, that body with HTTP 200), and Demo-key checks. Point the app at
 * it with TICKERDESK_COINGECKO_URL=<url> (the override replaces `https://api.coingecko.com/api/v3`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { coinGeckoSeed, type CoinGeckoRecord } from './fixtures/coingecko-coins'
import { MinuteWindow, sendJson, startListener } from './fixtures/crypto-http'

export type { CoinGeckoRecord } from './fixtures/coingecko-coins'

export interface FakeCoinGeckoRequest {
  path: string
  query: Record<string, string>
  key: string | undefined
  status: number
}

export interface FakeCoinGeckoOptions {
  port?: number
  now?: () => number
  /** Calls per minute before 429 (keyless ~30; Demo 100). */
  perMinute?: number
  /** 'status' answers 429; 'body200' answers the same body with HTTP 200. */
  rateLimitStyle?: 'status' | 'body200'
  /** When set, only this Demo key is accepted (header x-cg-demo-api-key or query x_cg_demo_api_key). */
  requireKey?: string
}

export interface FakeCoinGecko {
  readonly url: string
  readonly port: number
  readonly requests: FakeCoinGeckoRequest[]
  readonly overQuotaCount: number
  setCoin(id: string, fields: Partial<CoinGeckoRecord>): void
  removeCoin(id: string): void
  failWith(count: number, status: number, body: string, headers?: Record<string, string>): void
  stop(): Promise<void>
  start(): Promise<void>
  close(): Promise<void>
}

export const COINGECKO_RATE_LIMIT_BODY = {
  status: {
    error_code: 429,
    error_message:
      "You've exceeded the Rate Limit. Please visit https://www.coingecko.com/en/api/pricing to subscribe to our API plans for higher rate limits."
  }
}

export async function startFakeCoinGecko(options: FakeCoinGeckoOptions = {}): Promise<FakeCoinGecko> {
  const now = options.now ?? Date.now
  const coins = new Map<string, CoinGeckoRecord>(coinGeckoSeed().map((c) => [c.id, c]))
  const window = new MinuteWindow(now)
  const perMinute = options.perMinute ?? 30
  const requests: FakeCoinGeckoRequest[] = []
  const failures: { status: number; body: string; headers: Record<string, string> }[] = []
  let overQuota = 0

  function simplePrice(query: URLSearchParams): [number, unknown] {
    const ids = query.get('ids')
    const vs = query.get('vs_currencies')
    if (!vs) return [400, { error: 'Missing parameter vs_currencies' }]
    if (!ids) return [400, { error: 'Missing parameter ids' }]
    const flag = (name: string): boolean => query.get(name) === 'true'
    const out: Record<string, Record<string, number>> = {}
    for (const id of ids.split(',').map((s) => s.trim().toLowerCase())) {
      const coin = coins.get(id)
      if (coin === undefined) continue
      const row: Record<string, number> = {}
      for (const currency of vs.split(',').map((s) => s.trim().toLowerCase())) {
        const price = coin.prices[currency]
        if (price === undefined) continue
        const scale = price / (coin.prices.usd ?? price)
        row[currency] = price
        if (flag('include_market_cap')) row[`${currency}_market_cap`] = coin.marketCapUsd * scale
        if (flag('include_24hr_vol')) row[`${currency}_24h_vol`] = coin.volumeUsd * scale
        if (flag('include_24hr_change')) row[`${currency}_24h_change`] = coin.change24h
      }
      if (flag('include_last_updated_at')) row.last_updated_at = coin.lastUpdatedAt ?? Math.floor(now() / 1000)
      out[id] = row
    }
    return [200, out]
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const path = url.pathname
    const query = url.searchParams
    const headerKey = req.headers['x-cg-demo-api-key']
    const key = (typeof headerKey === 'string' ? headerKey : undefined) ?? query.get('x_cg_demo_api_key') ?? undefined
    const entry: FakeCoinGeckoRequest = { path, query: Object.fromEntries(query), key, status: 200 }
    requests.push(entry)
    const reply = (status: number, body: unknown): void => {
      entry.status = status
      sendJson(res, status, body)
    }
    if (options.requireKey !== undefined) {
      if (key === undefined) return reply(401, { status: { error_code: 10002, error_message: 'API Key Missing' } })
      if (key !== options.requireKey) return reply(401, { status: { error_code: 10010, error_message: 'Invalid API Key' } })
    }
    if (window.current() >= perMinute) {
      overQuota++
      return reply(options.rateLimitStyle === 'body200' ? 200 : 429, COINGECKO_RATE_LIMIT_BODY)
    }
    window.add(1)
    const failure = failures.shift()
    if (failure) {
      entry.status = failure.status
      const type = /^\s*</.test(failure.body) ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8'
      res.writeHead(failure.status, { 'Content-Type': type, ...failure.headers })
      return void res.end(failure.body)
    }
    if (path === '/ping') return reply(200, { gecko_says: '(V3) To the Moon!' })
    if (path === '/simple/price') return reply(...simplePrice(query))
    if (path === '/coins/list') return reply(200, [...coins.values()].map((c) => ({ id: c.id, symbol: c.symbol, name: c.name })))
    if (path === '/search') {
      const q = (query.get('query') ?? '').trim().toLowerCase()
      const hits = q === '' ? [] : [...coins.values()].filter((c) => c.symbol.includes(q) || c.name.toLowerCase().includes(q) || c.id.includes(q))
      return reply(200, {
        coins: hits.map((c) => ({
          id: c.id, name: c.name, api_symbol: c.id, symbol: c.symbol.toUpperCase(), market_cap_rank: c.marketCapRank,
          thumb: `https://coin-images.coingecko.com/coins/images/1/thumb/${c.id}.png`, large: `https://coin-images.coingecko.com/coins/images/1/large/${c.id}.png`
        })),
        exchanges: [], icos: [], categories: [], nfts: []
      })
    }
    reply(404, { error: 'Incorrect path. Please check https://www.coingecko.com/api/' })
  }

  const listener = await startListener({ port: options.port ?? 0, handle })

  return {
    get url() {
      return `http://127.0.0.1:${listener.port}`
    },
    get port() {
      return listener.port
    },
    requests,
    get overQuotaCount() {
      return overQuota
    },
    setCoin(id, fields) {
      const existing = coins.get(id) ?? { id, symbol: id.slice(0, 4), name: id, marketCapRank: null, prices: { usd: 1 }, marketCapUsd: 0, volumeUsd: 0, change24h: 0 }
      coins.set(id, { ...existing, ...fields, id })
    },
    removeCoin: (id) => void coins.delete(id),
    failWith(count, status, body, headers = {}) {
      for (let i = 0; i < count; i++) failures.push({ status, body, headers })
    },
    stop: () => listener.stop(),
    start: () => listener.start(),
    close: () => listener.close()
  }
}
