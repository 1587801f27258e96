import { describe, expect, it } from 'vitest'
import type { EngineAlertRule } from '../../shared/alerts'
import type { Quote } from '../../shared/quote'
import { makeQuote } from '../testing/fake-quote-provider'
import { AlertEngine } from './alert-engine'

const T0 = Date.UTC(2026, 0, 5, 15, 0, 0)

const below: EngineAlertRule = {
  id: 'low',
  symbols: ['AAPL'],
  condition: { kind: 'price-below', price: 90 },
  trigger: { mode: 'every', cooldownMinutes: 1 },
  rearmPercent: 0.5,
  expiresAt: null,
  snoozedUntil: null,
  lastFired: {}
}

function rig() {
  let now = T0
  const alerts = new AlertEngine({ now: () => now, refreshIntervalSec: 5 })
  alerts.setRules([below, { ...below, id: 'high', condition: { kind: 'price-above', price: 110 } }])
  const tick = (price: number, extra: Partial<Quote> = {}) => {
    now += 5000
    alerts.accept(makeQuote('AAPL', { price, providerTime: now, receivedAt: now, ...extra }))
    return alerts.drain()
  }
  return { alerts, tick, advance: (ms: number) => (now += ms) }
}

describe('AlertEngine', () => {
  it('guarded ticks never fire and are flagged once, then cleared by a good tick', () => {
    const r = rig()
    expect(r.tick(100).flags).toEqual([])
    expect(r.tick(0)).toEqual({ firings: [], flags: [{ symbol: 'AAPL', flag: 'zero' }] })
    expect(r.tick(-1)).toEqual({ firings: [], flags: [{ symbol: 'AAPL', flag: 'negative' }] })
    expect(r.tick(-1).flags).toEqual([])
    expect(r.tick(100).flags).toEqual([{ symbol: 'AAPL', flag: null }])
  })

  it('an unconfirmed outlier does not fire; a confirmed one does', () => {
    const r = rig()
    r.tick(100)
    expect(r.tick(130)).toEqual({ firings: [], flags: [{ symbol: 'AAPL', flag: 'outlier' }] })
    expect(r.tick(100)).toEqual({ firings: [], flags: [{ symbol: 'AAPL', flag: null }] })
    expect(r.tick(130).firings).toEqual([])
    const confirmed = r.tick(128)
    expect(confirmed.flags).toEqual([{ symbol: 'AAPL', flag: null }])
    expect(confirmed.firings.map((f) => f.message)).toEqual(['AAPL rose above 110.00 (now 128.00)'])
  })

  it('a stale tick does not fire', () => {
    const r = rig()
    r.tick(100)
    r.advance(10 * 60_000)
    const out = r.tick(80, { providerTime: T0 })
    expect(out).toEqual({ firings: [], flags: [{ symbol: 'AAPL', flag: 'stale' }] })
  })

  it('coming back online starts a catch-up', () => {
    const r = rig()
    r.tick(100, { dayHigh: 101, dayLow: 99 })
    r.alerts.noteOnline(false)
    r.alerts.noteOnline(true)
    const out = r.tick(100, { dayHigh: 112, dayLow: 99 })
    expect(out.firings.map((f) => [f.catchUp, f.message])).toEqual([[true, 'While you were away: AAPL rose above 110.00 (day high 112.00)']])
    r.alerts.noteOnline(true)
    expect(r.tick(100, { dayHigh: 113, dayLow: 99 }).firings).toEqual([])
  })

  it('forgetting a flagged symbol clears its flag', () => {
    const r = rig()
    r.tick(0)
    r.alerts.forget(['AAPL'])
    expect(r.alerts.drain().flags).toEqual([{ symbol: 'AAPL', flag: null }])
  })

  it('resetting the market forgets baselines, so another provider is not an outlier', () => {
    const r = rig()
    r.tick(100)
    r.alerts.resetMarket()
    expect(r.tick(150).flags).toEqual([])
  })

  it('a rule made just before an outage catches up from the last tick seen before it', () => {
    let now = T0
    const alerts = new AlertEngine({ now: () => now, refreshIntervalSec: 5 })
    const tick = (price: number, dayHigh: number) => {
      now += 5000
      alerts.accept(makeQuote('AAPL', { price, dayHigh, dayLow: 95, providerTime: now, receivedAt: now }))
      return alerts.drain()
    }
    tick(100, 101)
    // The rule arrives between ticks, then the provider goes away before the next one.
    alerts.setRules([{ ...below, id: 'high', condition: { kind: 'price-above', price: 110 }, trigger: { mode: 'once' } }])
    alerts.noteOnline(false)
    alerts.noteOnline(true)
    const back = tick(104, 112)
    expect(back.firings.map((f) => [f.catchUp, f.message])).toEqual([[true, 'While you were away: AAPL rose above 110.00 (day high 112.00)']])
  })

  it('without any earlier tick a day high is not taken as a crossing after the rule was made', () => {
    let now = T0
    const alerts = new AlertEngine({ now: () => now, refreshIntervalSec: 5 })
    alerts.setRules([{ ...below, id: 'high', condition: { kind: 'price-above', price: 110 }, trigger: { mode: 'once' } }])
    alerts.noteOnline(false)
    alerts.noteOnline(true)
    now += 5000
    alerts.accept(makeQuote('AAPL', { price: 104, dayHigh: 112, dayLow: 95, providerTime: now, receivedAt: now }))
    expect(alerts.drain().firings).toEqual([])
  })
})
