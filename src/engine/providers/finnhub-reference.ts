/**
 * Finnhub lookups besides quotes: symbol search, the exchange's symbol list, market status and
 * market holidays. Each costs one call of the same quota as quotes.
 */
import type { FinnhubClient } from './finnhub-client'
import { malformed, FINNHUB_LABEL } from './finnhub-replies'
import {
  HolidayItemSchema,
  ListedSymbolSchema,
  MarketHolidayBodySchema,
  MarketStatusBodySchema,
  SearchBodySchema,
  SearchItemSchema
} from './finnhub-schemas'

export interface FinnhubSearchHit {
  symbol: string
  name: string | null
  exchange: string | null
  type: string | null
}

export interface FinnhubListedSymbol {
  symbol: string
  displaySymbol: string
  name: string | null
  type: string | null
  currency: string | null
  /** ISO 10383 market identifier, e.g. XNAS. */
  mic: string | null
  figi: string | null
}

export type FinnhubSession = 'pre-market' | 'regular' | 'post-market'

export interface FinnhubMarketStatus {
  exchange: string
  timezone: string | null
  /** null outside every session (night, weekend, holiday). */
  session: FinnhubSession | null
  /** The holiday's name when the exchange is closed for one. */
  holiday: string | null
  isOpen: boolean
  /** When Finnhub computed the status, epoch ms (null when absent). */
  time: number | null
}

export interface FinnhubHoliday {
  name: string
  /** Exchange-local date, YYYY-MM-DD. */
  date: string
  /** Finnhub's `tradingHour`, e.g. "09:30-13:00"; null when the exchange is closed all day. */
  tradingHours: string | null
  /** A day with trading hours listed is a shortened session. */
  earlyClose: boolean
}

export interface FinnhubMarketHolidays {
  exchange: string
  timezone: string | null
  holidays: FinnhubHoliday[]
}

const text = (value: string | null | undefined): string | null => (value && value.trim() !== '' ? value.trim() : null)

/**
 * Where a hit trades, when its symbol says so: `BINANCE:BTCUSDT` → BINANCE, `BMW.DE` → DE; a
 * plain US ticker gets the exchange the search was narrowed to, if any.
 */
function exchangeOf(symbol: string, narrowedTo: string | null): string | null {
  const colon = symbol.indexOf(':')
  if (colon > 0) return symbol.slice(0, colon)
  const dot = symbol.lastIndexOf('.')
  if (dot > 0 && dot < symbol.length - 1 && symbol.length - dot <= 4) return symbol.slice(dot + 1)
  return narrowedTo
}

/** `/search?q=`: symbols whose ticker or name matches the text. An empty query asks nothing. */
export async function finnhubSearch(
  client: FinnhubClient,
  query: string,
  options: { exchange?: string; signal?: AbortSignal } = {}
): Promise<FinnhubSearchHit[]> {
  const q = query.trim()
  if (q === '') return []
  const exchange = text(options.exchange)
  const params: Record<string, string> = { q }
  if (exchange !== null) params.exchange = exchange
  const envelope = SearchBodySchema.safeParse(await client.get('/search', params, { signal: options.signal }))
  if (!envelope.success) throw malformed()
  const hits: FinnhubSearchHit[] = []
  for (const raw of envelope.data.result ?? []) {
    const item = SearchItemSchema.safeParse(raw)
    if (!item.success) continue
    const symbol = item.data.symbol
    hits.push({ symbol, name: text(item.data.description), exchange: exchangeOf(symbol, exchange), type: text(item.data.type) })
  }
  return hits
}

/**
 * `/stock/symbol?exchange=US`: every symbol the exchange lists (tens of thousands for US), for
 * the symbol directory. Items that cannot be read are skipped and counted in the log.
 */
export async function finnhubSymbols(
  client: FinnhubClient,
  exchange = 'US',
  options: { signal?: AbortSignal; timeoutMs?: number } = {}
): Promise<FinnhubListedSymbol[]> {
  const body = await client.get('/stock/symbol', { exchange }, { signal: options.signal, timeoutMs: options.timeoutMs ?? 60_000 })
  if (!Array.isArray(body)) throw malformed()
  const out: FinnhubListedSymbol[] = []
  let skipped = 0
  for (const raw of body) {
    const item = ListedSymbolSchema.safeParse(raw)
    if (!item.success) {
      skipped++
      continue
    }
    const d = item.data
    out.push({
      symbol: d.symbol,
      displaySymbol: text(d.displaySymbol) ?? d.symbol,
      name: text(d.description),
      type: text(d.type),
      currency: text(d.currency),
      mic: text(d.mic),
      figi: text(d.figi)
    })
  }
  if (skipped > 0) client.deps.log('warn', `${FINNHUB_LABEL} symbol list ${exchange}: skipped ${skipped} unreadable entries`)
  return out
}

const SESSIONS: readonly FinnhubSession[] = ['pre-market', 'regular', 'post-market']

/** `/stock/market-status?exchange=US`: whether the exchange trades now, and in which session. */
export async function finnhubMarketStatus(
  client: FinnhubClient,
  exchange = 'US',
  options: { signal?: AbortSignal } = {}
): Promise<FinnhubMarketStatus> {
  const parsed = MarketStatusBodySchema.safeParse(await client.get('/stock/market-status', { exchange }, options))
  if (!parsed.success) throw malformed()
  const d = parsed.data
  const session = SESSIONS.find((s) => s === d.session) ?? null
  if (d.session && session === null) client.deps.log('warn', `${FINNHUB_LABEL} market status: unknown session "${d.session}"`)
  return {
    exchange: d.exchange,
    timezone: text(d.timezone),
    session,
    holiday: text(d.holiday),
    isOpen: d.isOpen,
    time: typeof d.t === 'number' && d.t > 0 ? d.t * 1000 : null
  }
}

/** `/stock/market-holiday?exchange=US`: closures and early closes Finnhub knows about. */
export async function finnhubMarketHolidays(
  client: FinnhubClient,
  exchange = 'US',
  options: { signal?: AbortSignal } = {}
): Promise<FinnhubMarketHolidays> {
  const parsed = MarketHolidayBodySchema.safeParse(await client.get('/stock/market-holiday', { exchange }, options))
  if (!parsed.success) throw malformed()
  const holidays: FinnhubHoliday[] = []
  for (const raw of parsed.data.data) {
    const item = HolidayItemSchema.safeParse(raw)
    if (!item.success) continue
    const tradingHours = text(item.data.tradingHour)
    holidays.push({ name: item.data.eventName, date: item.data.atDate, tradingHours, earlyClose: tradingHours !== null })
  }
  holidays.sort((a, b) => a.date.localeCompare(b.date))
  return { exchange: parsed.data.exchange, timezone: text(parsed.data.timezone), holidays }
}
