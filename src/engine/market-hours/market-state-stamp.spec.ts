import { describe, expect, it } from 'vitest'
import type { Quote } from '../../shared/quote'
import { makeQuote } from '../testing/fake-quote-provider'
import { MarketStateStamp } from './market-state-stamp'

// Tuesday 10 March 2026, New York on daylight time (UTC-4).
const ny = (hhmm: string): number => Date.parse(`2026-03-10T${hhmm}:00-04:00`)
const MIN = 60_000

const quote = (symbol: string, providerTime: number, receivedAt: number, overrides: Partial<Quote> = {}): Quote =>
  makeQuote(symbol, { providerTime, receivedAt, marketState: 'closed', source: 'twelvedata', ...overrides })

describe('MarketStateStamp', () => {
  const stamp = new MarketStateStamp()

  it('marks a fresh pre-market or post-market US quote from a provider that only knows open and closed', () => {
    expect(stamp.stamp(quote('AAPL', ny('08:15'), ny('08:16')), 'twelvedata').marketState).toBe('pre')
    expect(stamp.stamp(quote('AAPL', ny('17:40'), ny('17:41')), 'twelvedata').marketState).toBe('post')
    expect(stamp.stamp(quote('AAPL', ny('17:40'), ny('17:41'), { marketState: 'regular' }), 'finnhub').marketState).toBe('post')
  })

  it('uses the session now for an old price: a previous close seen in the pre-market is a pre-market row', () => {
    const yesterdayClose = ny('16:00') - 24 * 60 * MIN
    expect(stamp.stamp(quote('MSFT', yesterdayClose, ny('07:00')), 'twelvedata').marketState).toBe('pre')
    // Late at night there is no session to mark.
    expect(stamp.stamp(quote('MSFT', ny('19:59'), ny('22:00')), 'twelvedata').marketState).toBe('closed')
  })

  it('keeps a delayed regular-session price regular while it is within the close grace', () => {
    const q = quote('IBM', ny('15:50'), ny('16:05'), { marketState: 'regular' })
    expect(stamp.stamp(q, 'twelvedata')).toBe(q)
  })

  it('never touches Yahoo, the simulated market, crypto or non-US listings', () => {
    const pre = ny('08:15')
    for (const [symbol, provider] of [['AAPL', 'yahoo'], ['AAPL', 'simulated'], ['BTC-USD', 'coinbase'], ['BTC-USD', 'twelvedata'], ['VOD.L', 'twelvedata'], ['^GSPC', 'finnhub']] as const) {
      const q = quote(symbol, pre, pre)
      expect(stamp.stamp(q, provider)).toBe(q)
    }
  })

  it('leaves a state the adapter worked out itself (pre or post) as it is', () => {
    const q = quote('AAPL', ny('12:00'), ny('12:00'), { marketState: 'post' })
    expect(stamp.stamp(q, 'alphavantage')).toBe(q)
  })

  it('gives a live tick the session at its trade time, whatever the merged-on quote said', () => {
    const tick = quote('AAPL', ny('09:31'), ny('09:31'), { marketState: 'pre', source: 'finnhub' })
    expect(stamp.stamp(tick, 'finnhub', true).marketState).toBe('regular')
    expect(stamp.stamp({ ...tick, providerTime: ny('16:30') }, 'finnhub', true).marketState).toBe('post')
  })

  it('looks the calendar up once per minute of quote time', () => {
    let lookups = 0
    const counted = new MarketStateStamp({
      sessionAt: () => {
        lookups++
        return 'pre'
      }
    })
    const base = ny('08:00')
    for (let i = 0; i < 1000; i++) counted.stamp(quote(`S${i % 50}`, base + (i % 60) * 1000, base + 60_000), 'twelvedata')
    expect(lookups).toBe(1)
    counted.stamp(quote('S1', base + MIN, base + MIN), 'twelvedata')
    expect(lookups).toBe(2)
  })
})
