import { TD_LABEL, tdNumber } from './twelvedata-replies'
import { ProviderError } from './provider'
import { isRecord } from './json-reply'

export const TD_INTERVALS = ['1min', '5min', '15min', '30min', '45min', '1h', '2h', '4h', '8h', '1day', '1week', '1month'] as const
export type TdInterval = (typeof TD_INTERVALS)[number]

export interface Bar {
  /** Bar start, epoch ms. */
  time: number
  open: number
  high: number
  low: number
  close: number
  volume: number | null
}

export interface BarSeries {
  symbol: string
  interval: TdInterval
  /** IANA zone the wire's naive datetimes were in (meta.exchange_timezone). */
  timeZone: string
  currency: string | null
  /** Oldest first (the wire sends newest first). */
  bars: Bar[]
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit'
    })
    formatters.set(timeZone, f)
  }
  return f
}

function offsetMs(timeZone: string, epochMs: number): number {
  const p: Record<string, string> = {}
  for (const part of formatter(timeZone).formatToParts(new Date(epochMs))) p[part.type] = part.value
  const local = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second))
  return local - (epochMs - (((epochMs % 1000) + 1000) % 1000))
}

/** A naive "YYYY-MM-DD[ HH:MM[:SS]]" in `timeZone` as epoch ms; null when unreadable. */
export function zonedToEpochMs(textValue: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(textValue.trim())
  if (m === null) return null
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0))
  if (Number.isNaN(asUtc)) return null
  try {
    const first = asUtc - offsetMs(timeZone, asUtc)
    return asUtc - offsetMs(timeZone, first)
  } catch {
    return null
  }
}


/** A /time_series body (status "ok") as bars, oldest first; unreadable rows are skipped. */
export function barsFromTimeSeries(body: unknown, symbol: string, interval: TdInterval): { series: BarSeries; skipped: number } {
  if (!isRecord(body) || !isRecord(body.meta) || !Array.isArray(body.values)) {
    throw new ProviderError('bad-payload', `${TD_LABEL} sent malformed data.`)
  }
  const zone = typeof body.meta.exchange_timezone === 'string' && body.meta.exchange_timezone !== '' ? body.meta.exchange_timezone : 'UTC'
  const bars: Bar[] = []
  let skipped = 0
  for (const row of body.values) {
    const time = isRecord(row) && typeof row.datetime === 'string' ? zonedToEpochMs(row.datetime, zone) : null
    const [open, high, low, close] = isRecord(row) ? [row.open, row.high, row.low, row.close].map(tdNumber) : []
    if (!isRecord(row) || time === null || open == null || high == null || low == null || close == null) {
      skipped++
      continue
    }
    bars.push({ time, open, high, low, close, volume: tdNumber(row.volume) })
  }
  bars.sort((a, b) => a.time - b.time)
  const currency = typeof body.meta.currency === 'string' ? body.meta.currency : null
  return { series: { symbol, interval, timeZone: zone, currency, bars }, skipped }
}
