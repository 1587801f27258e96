import type { ProviderId } from '../shared/providers'
import type { Quote } from '../shared/quote'
import type { StreamTick } from './providers/quote-stream'

/**
 * A full quote from a stream tick: the tick's price and whatever else it carries, laid over the
 * symbol's last full quote for the fields ticks never have (name, market cap, 52-week range).
 * Change is recomputed from the previous close when the tick does not carry it, and the day's
 * range widens to include the new price.
 */
export function mergeTick(base: Quote, tick: StreamTick, source: ProviderId, receivedAt: number): Quote {
  const price = tick.price
  const previousClose = pick(tick.previousClose, base.previousClose)
  // Without a previous close, the base's own change still tells what the change is measured from.
  const reference = previousClose ?? (base.change !== null ? base.price - base.change : null)
  let change = tick.change ?? null
  let changePercent = tick.changePercent ?? null
  if (change === null && reference !== null) change = price - reference
  if (changePercent === null && change !== null && reference !== null && reference !== 0) {
    changePercent = (change / reference) * 100
  }
  const dayHigh = pick(tick.dayHigh, base.dayHigh)
  const dayLow = pick(tick.dayLow, base.dayLow)
  return {
    ...base,
    price,
    previousClose,
    change: change ?? base.change,
    changePercent: changePercent ?? base.changePercent,
    open: pick(tick.open, base.open),
    dayHigh: dayHigh === null ? null : Math.max(dayHigh, price),
    dayLow: dayLow === null ? null : Math.min(dayLow, price),
    volume: pick(tick.volume, base.volume),
    providerTime: tick.time,
    receivedAt,
    source,
    // A pushed trade is live even when the provider's REST quotes are delayed.
    delayed: false
  }
}

function pick(fromTick: number | null | undefined, fromBase: number | null): number | null {
  return typeof fromTick === 'number' && Number.isFinite(fromTick) ? fromTick : fromBase
}
