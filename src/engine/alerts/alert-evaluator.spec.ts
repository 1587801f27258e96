import { describe, expect, it } from 'vitest'
import type { AlertCondition, AlertFiring, EngineAlertRule } from '../../shared/alerts'
import type { Quote } from '../../shared/quote'
import { makeQuote } from '../testing/fake-quote-provider'
import { AlertEvaluator } from './alert-evaluator'

const T0 = Date.UTC(2026, 0, 5, 15, 0, 0)
const MIN = 60_000

function rule(condition: AlertCondition, overrides: Partial<EngineAlertRule> = {}): EngineAlertRule {
  return {
    id: 'r1',
    symbols: ['AAPL'],
    condition,
    trigger: { mode: 'every', cooldownMinutes: 1 },
    rearmPercent: 0.5,
    expiresAt: null,
    snoozedUntil: null,
    lastFired: {},
    ...overrides
  }
}

/** A fake clock one minute per tick, so a 1-minute cooldown never hides what hysteresis must do. */
function rig(rules: EngineAlertRule[]) {
  const evaluator = new AlertEvaluator()
  evaluator.setRules(rules)
  let now = T0
  const fired: AlertFiring[] = []
  return {
    evaluator,
    fired,
    get now() {
      return now
    },
    advance(ms: number) {
      now += ms
    },
    tick(price: number, extra: Partial<Quote> & { symbol?: string } = {}): AlertFiring[] {
      now += extra.providerTime === undefined ? MIN : 0
      const quote = makeQuote(extra.symbol ?? 'AAPL', { providerTime: now, receivedAt: now, ...extra, price })
      const out = [...evaluator.evaluate(quote, now)]
      fired.push(...out)
      return out
    },
    prices(list: number[], extra: Partial<Quote> = {}): AlertFiring[] {
      return list.flatMap((p) => this.tick(p, extra))
    }
  }
}

describe('AlertEvaluator rule kinds', () => {
  it('price-above fires on the crossing with the price in plain words', () => {
    const r = rig([rule({ kind: 'price-above', price: 200 })])
    expect(r.prices([190, 199.5])).toEqual([])
    const [firing] = r.tick(201.35)
    expect(firing).toMatchObject({ ruleId: 'r1', symbol: 'AAPL', at: r.now, occurredAt: null, catchUp: false })
    expect(firing?.message).toBe('AAPL rose above 200.00 (now 201.35)')
    expect(firing?.quote.price).toBe(201.35)
  })

  it('price-above fires on the first tick when already above', () => {
    const r = rig([rule({ kind: 'price-above', price: 200 })])
    expect(r.tick(205)).toHaveLength(1)
  })

  it('price-below fires once below and says so', () => {
    const r = rig([rule({ kind: 'price-below', price: 150 })])
    expect(r.prices([155, 151])).toEqual([])
    expect(r.tick(149.8).map((f) => f.message)).toEqual(['AAPL fell below 150.00 (now 149.80)'])
  })

  it('crosses needs a previous price and fires only in its direction', () => {
    const up = rig([rule({ kind: 'crosses', price: 200, direction: 'up' })])
    expect(up.tick(205)).toEqual([])
    expect(up.tick(195)).toEqual([])
    expect(up.tick(201).map((f) => f.message)).toEqual(['AAPL crossed above 200.00 (now 201.00)'])

    const down = rig([rule({ kind: 'crosses', price: 200, direction: 'down' })])
    expect(down.prices([195, 205])).toEqual([])
    expect(down.tick(199).map((f) => f.message)).toEqual(['AAPL crossed below 200.00 (now 199.00)'])
  })

  it('crosses either fires up, then down once the price left the band', () => {
    const r = rig([rule({ kind: 'crosses', price: 200, direction: 'either' })])
    r.prices([195, 201, 199.5, 200.5, 199.2, 198])
    expect(r.fired.map((f) => f.message)).toEqual(['AAPL crossed above 200.00 (now 201.00)', 'AAPL crossed below 200.00 (now 198.00)'])
  })

  it('day-change-above and -below use changePercent', () => {
    const above = rig([rule({ kind: 'day-change-above', percent: 3 })])
    expect(above.tick(100, { changePercent: 2.9 })).toEqual([])
    expect(above.tick(100, { changePercent: 3.12 }).map((f) => f.message)).toEqual(['AAPL is +3.12 % today (above +3.00 %)'])
    expect(above.tick(100, { changePercent: null })).toEqual([])

    const below = rig([rule({ kind: 'day-change-below', percent: -2 })])
    expect(below.tick(100, { changePercent: -1.5 })).toEqual([])
    expect(below.tick(100, { changePercent: -2.5 }).map((f) => f.message)).toEqual(['AAPL is -2.50 % today (below -2.00 %)'])
  })

  it('volume-above fires when volume passes the line', () => {
    const r = rig([rule({ kind: 'volume-above', volume: 1_000_000 })])
    expect(r.tick(100, { volume: 900_000 })).toEqual([])
    expect(r.tick(100, { volume: 1_234_567 }).map((f) => f.message)).toEqual(['AAPL volume passed 1,000,000 (now 1,234,567)'])
    expect(r.tick(100, { volume: 1_500_000 })).toEqual([])
  })

  it('move-within fires on a move inside the window, not on a slow drift', () => {
    const fast = rig([rule({ kind: 'move-within', percent: 3, windowMinutes: 15, direction: 'either' }, { symbols: ['BTC-USD'] })])
    fast.prices([100, 100.5, 101, 102], { symbol: 'BTC-USD' })
    expect(fast.fired).toEqual([])
    expect(fast.tick(103.2, { symbol: 'BTC-USD' }).map((f) => f.message)).toEqual(['BTC-USD moved 3.2 % in 15 min (up to 103.20)'])

    // 0.5 % every 5 minutes: 6 % in total, never 3 % within 15 minutes.
    const slow = rig([rule({ kind: 'move-within', percent: 3, windowMinutes: 15, direction: 'either' })])
    let price = 100
    for (let i = 0; i < 12; i++) {
      slow.advance(4 * MIN)
      slow.tick(price)
      price *= 1.005
    }
    expect(slow.fired).toEqual([])
  })

  it('move-within respects its direction', () => {
    const up = rig([rule({ kind: 'move-within', percent: 2, windowMinutes: 10, direction: 'up' })])
    up.prices([100, 97.5])
    expect(up.fired).toEqual([])
    const down = rig([rule({ kind: 'move-within', percent: 2, windowMinutes: 10, direction: 'down' })])
    down.prices([100, 97.5])
    expect(down.fired.map((f) => f.message)).toEqual(['AAPL moved 2.5 % in 10 min (down to 97.50)'])
  })

  it('new-52w-high and -low compare with the extreme known before the tick', () => {
    const high = rig([rule({ kind: 'new-52w-high' })])
    expect(high.tick(261, { fiftyTwoWeekHigh: 261 })).toEqual([])
    expect(high.tick(260, { fiftyTwoWeekHigh: 261 })).toEqual([])
    expect(high.tick(262.5, { fiftyTwoWeekHigh: 262.5 }).map((f) => f.message)).toEqual([
      'AAPL made a new 52-week high (now 262.50, previous high 261.00)'
    ])
    expect(high.tick(263, { fiftyTwoWeekHigh: 263 })).toEqual([])

    const low = rig([rule({ kind: 'new-52w-low' })])
    low.tick(50, { fiftyTwoWeekLow: 48 })
    expect(low.tick(47.5, { fiftyTwoWeekLow: 47.5 })).toHaveLength(1)
  })
})

describe('AlertEvaluator hysteresis and trigger modes', () => {
  it('a price hovering at the line fires once and re-arms only past the band', () => {
    const r = rig([rule({ kind: 'price-above', price: 200 })])
    r.prices([199.9, 200.1, 199.95, 200.2, 199.5, 200.3])
    expect(r.fired).toHaveLength(1)
    r.prices([198.9, 200.05])
    expect(r.fired).toHaveLength(2)
  })

  it('the re-arm band follows rearmPercent', () => {
    const r = rig([rule({ kind: 'price-above', price: 100 }, { rearmPercent: 5 })])
    r.prices([101, 96, 101])
    expect(r.fired).toHaveLength(1)
    r.prices([94.9, 101])
    expect(r.fired).toHaveLength(2)
  })

  it('every: nothing within the cooldown, fires again after it when still true', () => {
    const r = rig([rule({ kind: 'price-above', price: 200 }, { trigger: { mode: 'every', cooldownMinutes: 10 } })])
    r.prices([201, 190, 202])
    expect(r.fired).toHaveLength(1)
    r.advance(10 * MIN)
    r.tick(202)
    expect(r.fired).toHaveLength(2)
  })

  it('daily: at most once per UTC day', () => {
    const r = rig([rule({ kind: 'price-above', price: 200 }, { trigger: { mode: 'daily' } })])
    r.prices([201, 190, 202, 190, 203])
    expect(r.fired).toHaveLength(1)
    r.advance(24 * 60 * MIN)
    r.tick(204)
    expect(r.fired).toHaveLength(2)
  })

  it('once: never again for that symbol', () => {
    const r = rig([rule({ kind: 'price-above', price: 200 }, { trigger: { mode: 'once' } })])
    r.prices([201, 190, 202])
    r.advance(3 * 24 * 60 * MIN)
    r.prices([180, 210])
    expect(r.fired).toHaveLength(1)
  })

  it('an expired rule does not fire', () => {
    const r = rig([rule({ kind: 'price-above', price: 200 }, { expiresAt: T0 + 30_000 })])
    r.prices([190, 201])
    expect(r.fired).toEqual([])
  })

  it('a snoozed rule waits, then fires if still true', () => {
    const r = rig([rule({ kind: 'price-above', price: 200 }, { snoozedUntil: T0 + 5 * MIN })])
    r.prices([201, 202, 203])
    expect(r.fired).toEqual([])
    r.advance(5 * MIN)
    r.tick(204)
    expect(r.fired).toHaveLength(1)
  })

  it('lastFired from the host seeds cooldowns and once across restarts', () => {
    const once = rig([rule({ kind: 'price-above', price: 200 }, { trigger: { mode: 'once' }, lastFired: { AAPL: T0 - 1000 } })])
    once.prices([190, 201, 180, 210])
    expect(once.fired).toEqual([])

    const every = rig([
      rule({ kind: 'price-above', price: 200 }, { trigger: { mode: 'every', cooldownMinutes: 30 }, lastFired: { AAPL: T0 } })
    ])
    // Already past its line when it last fired: no repeat just because the engine restarted.
    every.tick(201)
    expect(every.fired).toEqual([])
    every.prices([190, 201])
    expect(every.fired).toEqual([])
    every.advance(30 * MIN)
    every.prices([190, 201])
    expect(every.fired).toHaveLength(1)
  })
})

describe('AlertEvaluator rule sets', () => {
  it('a watchlist rule keeps state per symbol', () => {
    const r = rig([rule({ kind: 'price-above', price: 100 }, { symbols: ['AAA', 'BBB', 'CCC'] })])
    r.tick(99, { symbol: 'AAA' })
    r.tick(99, { symbol: 'BBB' })
    r.tick(101, { symbol: 'AAA' })
    r.tick(101, { symbol: 'AAA' })
    r.tick(150, { symbol: 'CCC' })
    expect(r.fired.map((f) => f.symbol)).toEqual(['AAA', 'CCC'])
    r.tick(101, { symbol: 'BBB' })
    expect(r.fired.map((f) => f.symbol)).toEqual(['AAA', 'CCC', 'BBB'])
    expect(r.evaluator.bindingCount).toBe(3)
  })

  it('several rules on one symbol fire independently', () => {
    const r = rig([rule({ kind: 'price-above', price: 100 }), rule({ kind: 'price-above', price: 110 }, { id: 'r2' })])
    r.prices([95, 105, 115])
    expect(r.fired.map((f) => f.ruleId)).toEqual(['r1', 'r2'])
  })

  it('removed rules and symbols never fire again', () => {
    const r = rig([rule({ kind: 'price-above', price: 100 }, { symbols: ['AAPL', 'MSFT'] })])
    r.tick(95)
    r.evaluator.setRules([rule({ kind: 'price-above', price: 100 }, { symbols: ['MSFT'] })])
    r.tick(105)
    expect(r.evaluator.hasRules('AAPL')).toBe(false)
    r.evaluator.setRules([])
    r.tick(105, { symbol: 'MSFT' })
    expect(r.fired).toEqual([])
  })

  it('an unchanged rule keeps its state across a rule update; a changed condition starts over', () => {
    const r = rig([rule({ kind: 'price-above', price: 100 })])
    r.tick(105)
    r.evaluator.setRules([rule({ kind: 'price-above', price: 100 }, { snoozedUntil: null })])
    r.tick(106)
    expect(r.fired).toHaveLength(1)
    r.evaluator.setRules([rule({ kind: 'price-above', price: 104 })])
    r.tick(106)
    expect(r.fired).toHaveLength(2)
  })
})

describe('AlertEvaluator catch-up after a gap', () => {
  it('fires once from the day high, labelled, and not again', () => {
    const r = rig([rule({ kind: 'price-above', price: 200 })])
    r.tick(195, { dayHigh: 196, dayLow: 190 })
    r.evaluator.markGap()
    r.advance(2 * 60 * MIN)
    const [firing, ...rest] = r.tick(198, { dayHigh: 203.1, dayLow: 190 })
    expect(rest).toEqual([])
    expect(firing).toMatchObject({ catchUp: true, occurredAt: null })
    expect(firing?.message).toBe('While you were away: AAPL rose above 200.00 (day high 203.10)')
    r.tick(198.5, { dayHigh: 203.1, dayLow: 190 })
    r.evaluator.markGap()
    r.tick(198.6, { dayHigh: 203.1, dayLow: 190 })
    expect(r.fired).toHaveLength(1)
  })

  it('live ticks use the price, not the day range', () => {
    const r = rig([rule({ kind: 'price-above', price: 200 })])
    r.tick(195, { dayHigh: 196, dayLow: 190 })
    r.tick(198, { dayHigh: 203.1, dayLow: 190 })
    expect(r.fired).toEqual([])
  })

  it('a day high from before the gap does not count', () => {
    const r = rig([rule({ kind: 'price-below', price: 150 })])
    r.tick(155, { dayHigh: 160, dayLow: 148 })
    r.evaluator.markGap()
    r.tick(156, { dayHigh: 160, dayLow: 148 })
    expect(r.fired).toEqual([])
  })

  it('on another day it uses the current price only, still labelled', () => {
    const r = rig([rule({ kind: 'price-above', price: 200 })])
    r.tick(195, { dayHigh: 196, dayLow: 190 })
    r.evaluator.markGap()
    r.advance(24 * 60 * MIN)
    expect(r.tick(198, { dayHigh: 203, dayLow: 190 })).toEqual([])
    r.evaluator.markGap()
    r.advance(24 * 60 * MIN)
    expect(r.tick(201, { dayHigh: 203, dayLow: 190 }).map((f) => f.message)).toEqual([
      'While you were away: AAPL rose above 200.00 (now 201.00)'
    ])
  })

  it('crosses either reports the crossing up from the day high and the one back down from the price', () => {
    const r = rig([rule({ kind: 'crosses', price: 200, direction: 'either' })])
    r.tick(195, { dayHigh: 196, dayLow: 190 })
    r.evaluator.markGap()
    expect(r.tick(190, { dayHigh: 205, dayLow: 189 }).map((f) => f.message)).toEqual([
      'While you were away: AAPL crossed above 200.00 (day high 205.00)',
      'While you were away: AAPL crossed below 200.00 (now 190.00)'
    ])
  })

  it('new 52-week high and day change catch up from the day range', () => {
    const r = rig([rule({ kind: 'new-52w-high' }), rule({ kind: 'day-change-above', percent: 5 }, { id: 'r2' })])
    r.tick(100, { fiftyTwoWeekHigh: 104, previousClose: 100, changePercent: 0, dayHigh: 101, dayLow: 99 })
    r.evaluator.markGap()
    const messages = r.tick(101, { fiftyTwoWeekHigh: 106, previousClose: 100, changePercent: 1, dayHigh: 106, dayLow: 99 }).map((f) => f.message)
    expect(messages).toEqual([
      'While you were away: AAPL made a new 52-week high (day high 106.00, previous high 104.00)',
      'While you were away: AAPL is +6.00 % today (above +5.00 %, day high 106.00)'
    ])
  })

  it('a symbol never seen before the gap is evaluated live', () => {
    const r = rig([rule({ kind: 'price-above', price: 200 })])
    r.evaluator.markGap()
    expect(r.tick(201, { dayHigh: 203, dayLow: 190 }).map((f) => f.catchUp)).toEqual([false])
  })
})
