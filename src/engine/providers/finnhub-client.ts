/**
 * What every Finnhub REST call shares: the base URL, the key, the request budget and the
 * mapping of replies to data or ProviderError.
 *
 * Base URL: the real base is `https://finnhub.io/api/v1`. An override (TICKERDESK_FINNHUB_URL)
 * replaces the whole base including `/api/v1`, so `http://127.0.0.1:P` + `/quote` is
 * `http://127.0.0.1:P/quote`.
 * The key goes in the X-Finnhub-Token header (Finnhub also accepts `?token=`), which keeps it
 * out of URLs and logs.
 */
import type { AxiosInstance } from 'axios'
import { createHttpClient, getText } from './http-client'
import { networkError } from './http-errors'
import { ProviderError, type ProviderDeps } from './provider'
import { RequestBudget, realSleep, type Sleep } from './finnhub-budget'
import { FINNHUB_PER_MINUTE, FINNHUB_PER_SECOND } from './finnhub-limits'
import { FINNHUB_LABEL, missingKeyError, readReply } from './finnhub-replies'

export const FINNHUB_REST_BASE = 'https://finnhub.io/api/v1'
export const FINNHUB_WS_BASE = 'wss://ws.finnhub.io'
export const FINNHUB_USER_AGENT = 'TickerDesk/0.1 (+https://tickerdesk.app)'
export const FINNHUB_DEFAULT_TIMEOUT_MS = 10_000
/** Calls of the minute window left for quotes when an optional lookup wants one. */
export const FINNHUB_SPARE_RESERVE = 15

export function finnhubRestBase(override?: string): string {
  const base = override?.trim()
  return base ? base.replace(/\/+$/, '') : FINNHUB_REST_BASE
}

/**
 * The websocket base: TICKERDESK_FINNHUB_WS_URL when set; else, with a REST override, the same
 * host over ws(s) at its root (a local fake serves both on one port); else the real one.
 */
export function finnhubWsBase(wsOverride?: string, restOverride?: string): string {
  const ws = wsOverride?.trim()
  if (ws) return ws
  const rest = restOverride?.trim()
  if (rest) {
    try {
      const url = new URL(rest)
      if (url.protocol === 'http:' || url.protocol === 'https:') return `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}/`
    } catch {
      // an unreadable override falls through to the real feed's address
    }
  }
  return FINNHUB_WS_BASE
}

export interface FinnhubClientOptions {
  key: string | undefined
  baseUrl?: string
  timeoutMs?: number
  deps: ProviderDeps
  http?: AxiosInstance
  /** Waits for quota; tests pass one that moves their clock. */
  sleep?: Sleep
}

export interface FinnhubGetOptions {
  signal?: AbortSignal
  timeoutMs?: number
  /** The caller already took a slot with takeSpare(). */
  slotTaken?: boolean
}

export interface FinnhubClient {
  readonly deps: ProviderDeps
  readonly budget: RequestBudget
  /** Takes a slot only when quota is to spare, for lookups that may be skipped. */
  takeSpare(): boolean
  /** GET `path` with `params`: the JSON of a 200, or a ProviderError. */
  get(path: string, params: Record<string, string>, options?: FinnhubGetOptions): Promise<unknown>
}

export function createFinnhubClient(options: FinnhubClientOptions): FinnhubClient {
  const { deps } = options
  const key = options.key?.trim() || undefined
  const base = finnhubRestBase(options.baseUrl)
  const http = options.http ?? createHttpClient({ userAgent: FINNHUB_USER_AGENT })
  const budget = new RequestBudget(
    [
      { limit: FINNHUB_PER_MINUTE, ms: 60_000 },
      { limit: FINNHUB_PER_SECOND, ms: 1_000 }
    ],
    deps.now,
    options.sleep ?? realSleep
  )

  return {
    deps,
    budget,
    takeSpare: () => key !== undefined && budget.tryTake(FINNHUB_SPARE_RESERVE),
    async get(path, params, getOptions = {}) {
      if (key === undefined) throw missingKeyError()
      const what = describePath(path)
      if (!getOptions.slotTaken) {
        try {
          await budget.take(getOptions.signal)
        } catch (error) {
          throw error instanceof ProviderError ? error : networkError(FINNHUB_LABEL, { code: 'ERR_CANCELED', cause: error })
        }
      }
      const query = new URLSearchParams(params).toString()
      const reply = await getText(http, FINNHUB_LABEL, {
        url: `${base}${path}${query ? `?${query}` : ''}`,
        headers: { Accept: 'application/json', 'X-Finnhub-Token': key },
        timeoutMs: getOptions.timeoutMs ?? options.timeoutMs ?? FINNHUB_DEFAULT_TIMEOUT_MS,
        signal: getOptions.signal
      })
      return readReply(reply, deps, what)
    }
  }
}

const PATH_WORDS: Record<string, string> = {
  '/quote': 'quotes',
  '/search': 'the symbol search',
  '/stock/symbol': 'the symbol list',
  '/stock/profile2': 'company profiles',
  '/stock/market-status': 'the market status',
  '/stock/market-holiday': 'the market holidays'
}

function describePath(path: string): string {
  return PATH_WORDS[path] ?? `${path.replace(/^\//, '')} data`
}
