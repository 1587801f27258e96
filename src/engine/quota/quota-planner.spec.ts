import { describe, expect, it } from 'vitest'
import { effectiveQuota, FREE_TIER_QUOTAS, quotaOverrideProblem, quotaOverridesFromSettings, requestCost } from './provider-quotas'
import { optimalIntervalMs, QuotaPlanner, type PlanDecision } from './quota-planner'

const T0 = Date.UTC(2026, 2, 10) // 00:00 UTC
const MIN = 60_000
const HOUR = 60 * MIN

const syms = (n: number, prefix = 'S'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`)

/** Runs the planner until `end`, returning every batch with its time. */
function drive(planner: QuotaPlanner, from: number, end: number, canPoll?: (s: string) => boolean): { at: number; symbols: string[] }[] {
  const out: { at: number; symbols: string[] }[] = []
  let now = from
  while (now < end) {
    const d: PlanDecision = planner.next(now, canPoll)
    if (d.kind === 'idle') break
    if (d.kind === 'wait') now = d.until
    else out.push({ at: now, symbols: d.symbols })
  }
  return out
}

describe('provider quotas', () => {
  it('holds the documented free tiers', () => {
    expect(FREE_TIER_QUOTAS.alphavantage).toMatchObject({ perMinute: 5, perDay: 25, maxBatch: 1 })
    expect(FREE_TIER_QUOTAS.finnhub).toMatchObject({ perSecond: 30, perMinute: 60, perDay: null, maxBatch: 1 })
    expect(FREE_TIER_QUOTAS.twelvedata).toMatchObject({ perMinute: 8, perDay: 800, costModel: 'symbol', maxBatch: 8 })
    expect(FREE_TIER_QUOTAS.coinbase.perSecond).toBe(10)
    expect(FREE_TIER_QUOTAS.binance.perMinute).toBe(6_000)
    expect(FREE_TIER_QUOTAS.coingecko.perMinute).toBe(30)
    expect(FREE_TIER_QUOTAS.simulated).toMatchObject({ perSecond: null, perMinute: null, perDay: null })
  })

  it('charges Binance by weight band and Twelve Data per symbol', () => {
    const bn = FREE_TIER_QUOTAS.binance
    expect([1, 20, 21, 100, 101].map((n) => requestCost(bn, n))).toEqual([2, 2, 40, 40, 80])
    expect(requestCost(FREE_TIER_QUOTAS.twelvedata, 5)).toBe(5)
    expect(requestCost(FREE_TIER_QUOTAS.finnhub, 1)).toBe(1)
  })

  it('merges plan overrides over the free tier, null removing a limit, and ignores bad ones', () => {
    const premium = effectiveQuota('alphavantage', { alphavantage: { perDay: null, perMinute: 75, maxBatch: 100 } })
    expect(premium).toMatchObject({ perDay: null, perMinute: 75, maxBatch: 100, perSecond: 1 })
    expect(FREE_TIER_QUOTAS.alphavantage.perDay).toBe(25)
    expect(effectiveQuota('finnhub', { finnhub: { perMinute: -3 } }).perMinute).toBe(60)
    expect(quotaOverrideProblem('finnhub', { perMinute: -3 })).toMatch(/perMinute must be a whole number/)
    expect(quotaOverrideProblem('finnhub', { perHour: 3 })).toMatch(/"perHour" is not a quota setting/)
    expect(quotaOverrideProblem('nasdaq', {})).toMatch(/not a known provider/)
  })

  it('reads the plan settings the host stores', () => {
    const overrides = quotaOverridesFromSettings({ alphavantage: { premium: true, perMinute: 75 }, twelvedata: { perDay: 5_000, batch: 50 } })
    expect(effectiveQuota('alphavantage', overrides)).toMatchObject({ perDay: null, perMinute: 75, maxBatch: 100 })
    expect(effectiveQuota('twelvedata', overrides)).toMatchObject({ perDay: 5_000, maxBatch: 50, perMinute: 8 })
    expect(quotaOverridesFromSettings(undefined)).toEqual({})
  })
})

describe('QuotaPlanner', () => {
  it('spreads Alpha Vantage’s 25 daily requests over the day instead of spending them at once', () => {
    const planner = new QuotaPlanner({ quota: FREE_TIER_QUOTAS.alphavantage })
    planner.add(syms(20))
    const batches = drive(planner, T0, T0 + 24 * HOUR)
    expect(batches).toHaveLength(25)
    expect(batches.filter((b) => b.at < T0 + HOUR)).toHaveLength(2)
    expect(batches.at(-1)!.at).toBeLessThan(T0 + 24 * HOUR)
    // Round-robin: the first 20 requests cover all 20 symbols once.
    expect(new Set(batches.slice(0, 20).map((b) => b.symbols[0])).size).toBe(20)
  })

  it('refreshes 200 Finnhub symbols about every 200 s and never exceeds 60 in any minute', () => {
    const planner = new QuotaPlanner({ quota: FREE_TIER_QUOTAS.finnhub })
    planner.add(syms(200))
    const batches = drive(planner, T0, T0 + 20 * MIN)
    for (let i = 60; i < batches.length; i++) expect(batches[i]!.at - batches[i - 60]!.at).toBeGreaterThanOrEqual(MIN)
    const times = batches.filter((b) => b.symbols[0] === 'S7').map((b) => b.at)
    const gap = times[1]! - times[0]!
    expect(gap).toBeGreaterThanOrEqual(200_000)
    expect(gap).toBeLessThanOrEqual(220_000)
    expect(optimalIntervalMs(FREE_TIER_QUOTAS.finnhub, 200)).toBe(200_000)
  })

  it('lets Twelve Data’s daily credits bind: 100 symbols in batches of 8, each about every 3 h', () => {
    const planner = new QuotaPlanner({ quota: FREE_TIER_QUOTAS.twelvedata })
    planner.add(syms(100))
    expect(planner.batchSize()).toBe(8)
    const batches = drive(planner, T0, T0 + 24 * HOUR)
    expect(batches.reduce((s, b) => s + b.symbols.length, 0)).toBe(800)
    expect(optimalIntervalMs(FREE_TIER_QUOTAS.twelvedata, 100)).toBe(3 * HOUR)
  })

  it('picks Binance batches of 20 (weight 2) rather than 100 (weight 40)', () => {
    const planner = new QuotaPlanner({ quota: FREE_TIER_QUOTAS.binance })
    planner.add(syms(300))
    const d = planner.next(T0)
    expect(d).toMatchObject({ kind: 'batch', cost: 2 })
    expect(d.kind === 'batch' && d.symbols.length).toBe(20)
  })

  it('refreshes high-priority symbols twice as often without starving the rest', () => {
    const planner = new QuotaPlanner({ quota: FREE_TIER_QUOTAS.finnhub })
    planner.add(syms(10, 'H'), 'high')
    planner.add(syms(30, 'N'))
    const batches = drive(planner, T0, T0 + 30 * MIN)
    const count = (s: string): number => batches.filter((b) => b.symbols.includes(s)).length
    const high = count('H3')
    const normal = count('N12')
    expect(normal).toBeGreaterThan(0)
    expect(high / normal).toBeGreaterThan(1.8)
    expect(high / normal).toBeLessThan(2.2)
  })

  it('fetches a newly added symbol next, and never fetches a removed one', () => {
    const planner = new QuotaPlanner({ quota: FREE_TIER_QUOTAS.finnhub })
    planner.add(syms(50))
    drive(planner, T0, T0 + 30_000)
    planner.add(['NEW'])
    planner.remove(['S0', 'S1'])
    const after = drive(planner, T0 + 30_000, T0 + 10 * MIN)
    expect(after[0]!.symbols).toEqual(['NEW'])
    expect(after.some((b) => b.symbols.includes('S0') || b.symbols.includes('S1'))).toBe(false)
  })

  it('leaves out symbols that may not be polled and takes them back without a catch-up burst', () => {
    const planner = new QuotaPlanner({ quota: FREE_TIER_QUOTAS.finnhub })
    planner.add([...syms(5, 'E'), ...syms(5, 'C')])
    const closed = (s: string): boolean => s.startsWith('C')
    const night = drive(planner, T0, T0 + 10 * MIN, closed)
    expect(night.every((b) => b.symbols[0]!.startsWith('C'))).toBe(true)
    const day = drive(planner, T0 + 10 * MIN, T0 + 11 * MIN)
    const firstTwenty = day.slice(0, 20).map((b) => b.symbols[0]!)
    expect(firstTwenty.slice(0, 5).every((s) => s.startsWith('E'))).toBe(true)
    expect(firstTwenty.filter((s) => s.startsWith('E')).length).toBeLessThanOrEqual(13)
  })

  it('keeps the refresh interval as a floor when the quota would allow more', () => {
    const planner = new QuotaPlanner({ quota: FREE_TIER_QUOTAS.finnhub, minIntervalMs: 30_000 })
    planner.add(['A'])
    const batches = drive(planner, T0, T0 + 5 * MIN)
    const a = batches.filter((b) => b.symbols[0] === 'A').map((b) => b.at)
    expect(a).toHaveLength(10)
    expect(planner.next(a.at(-1)! + 10_000)).toEqual({
      kind: 'wait',
      until: a.at(-1)! + 30_000,
      why: 'every symbol was refreshed within the refresh interval'
    })
  })

  it('never goes past the daily limit and says when it resumes', () => {
    const planner = new QuotaPlanner({ quota: FREE_TIER_QUOTAS.alphavantage, timeZone: 'UTC' })
    planner.add(['IBM'])
    planner.record(T0 + HOUR, 25)
    const d = planner.next(T0 + 2 * HOUR)
    expect(d).toMatchObject({ kind: 'wait', until: T0 + 24 * HOUR })
    expect(d.kind === 'wait' && d.why).toMatch(/daily limit reached \(25\/day\)/)
    const r = planner.refreshNow(T0 + 2 * HOUR)
    expect(r).toEqual({
      kind: 'refused',
      until: T0 + 24 * HOUR,
      message: 'Alpha Vantage: 0 of 25 daily requests left; the next refresh is possible at 00:00 (after the 00:00 UTC reset).'
    })
    expect(planner.next(T0 + 24 * HOUR)).toMatchObject({ kind: 'batch', symbols: ['IBM'] })
  })

  it('lets a user refresh run ahead of the pace once, then refuses in plain words until the next slot', () => {
    const planner = new QuotaPlanner({ quota: FREE_TIER_QUOTAS.alphavantage, timeZone: 'UTC' })
    planner.add(['IBM', 'AAPL'])
    const t = T0 + 14 * HOUR
    expect(planner.next(t)).toMatchObject({ kind: 'batch' })
    expect(planner.refreshNow(t + 5 * MIN, ['AAPL'])).toMatchObject({ kind: 'batch', symbols: ['AAPL'] })
    const refused = planner.refreshNow(t + 6 * MIN)
    expect(refused.kind).toBe('refused')
    expect(refused.kind === 'refused' && refused.message).toMatch(
      /^Alpha Vantage: 23 of 25 daily requests left; the next refresh is possible at 14:\d\d\.$/
    )
    expect(refused.kind === 'refused' && refused.until).toBeGreaterThan(t + 6 * MIN)
  })

  it('refuses a user refresh past the per-minute limit with the time in seconds', () => {
    const planner = new QuotaPlanner({ quota: FREE_TIER_QUOTAS.finnhub, timeZone: 'UTC' })
    planner.add(['AAPL'])
    planner.record(T0 + 10_000, 60)
    const r = planner.refreshNow(T0 + 20_000)
    expect(r.kind === 'refused' && r.message).toBe(
      'Finnhub: its 30 requests per second and 60 requests per minute are in use; the next refresh is possible at 00:01:10.'
    )
  })

  it('restores saved usage so a restart cannot spend a fresh daily budget', () => {
    const first = new QuotaPlanner({ quota: FREE_TIER_QUOTAS.twelvedata })
    first.add(syms(100))
    drive(first, T0, T0 + 12 * HOUR)
    const saved = JSON.parse(JSON.stringify(first.usageSnapshot())) as unknown
    expect(first.remaining(T0 + 12 * HOUR).day).toBeLessThan(800)

    const restarted = new QuotaPlanner({ quota: FREE_TIER_QUOTAS.twelvedata })
    restarted.add(syms(100))
    expect(restarted.restoreUsage(saved, T0 + 12 * HOUR)).toBeNull()
    const rest = drive(restarted, T0 + 12 * HOUR, T0 + 24 * HOUR)
    const before = 800 - (first.remaining(T0 + 12 * HOUR).day ?? 0)
    expect(before + rest.reduce((s, b) => s + b.symbols.length, 0)).toBeLessThanOrEqual(800)

    const fresh = new QuotaPlanner({ quota: FREE_TIER_QUOTAS.twelvedata })
    expect(fresh.restoreUsage({ version: 1, provider: 'finnhub' }, T0)).toMatch(/belongs to finnhub/)
    expect(fresh.restoreUsage('garbage', T0)).toMatch(/not an object/)
    expect(fresh.remaining(T0).day).toBe(800)
  })

  it('a saved usage from an earlier day does not count against today', () => {
    const planner = new QuotaPlanner({ quota: FREE_TIER_QUOTAS.alphavantage })
    expect(planner.restoreUsage({ version: 1, provider: 'alphavantage', day: '2026-03-09', dayUsed: 25, recent: [], lastRequestAt: T0 - HOUR }, T0)).toBeNull()
    expect(planner.remaining(T0).day).toBe(25)
  })

  it('is idle with no symbols and paces unlimited providers only by their spacing', () => {
    const idle = new QuotaPlanner({ quota: FREE_TIER_QUOTAS.finnhub })
    expect(idle.next(T0)).toEqual({ kind: 'idle' })
    const yahoo = new QuotaPlanner({ quota: FREE_TIER_QUOTAS.yahoo })
    yahoo.add(syms(120))
    expect(yahoo.batchSize()).toBe(50)
    expect(drive(yahoo, T0, T0 + 10_000).map((b) => b.at - T0)).toEqual([0, 2_000, 4_000, 6_000, 8_000])
  })
})

describe('QuotaPlanner requests outside the quotes', () => {
  it('charges a chart only when every hard limit has room now, and says how long to wait otherwise', () => {
    const planner = new QuotaPlanner({ quota: FREE_TIER_QUOTAS.twelvedata })
    planner.add(syms(8))
    const now = T0 + 15 * HOUR
    expect(planner.next(now)).toMatchObject({ kind: 'batch', cost: 8 })
    // Only asking never charges.
    expect(planner.spendOutside(now + 1_000, 1, 'a chart', false)).toBe(
      'Twelve Data has no credits to spare for a chart right now (8 credits a minute, all in use by quotes); try again in 60 s.'
    )
    expect(planner.spendOutside(now + 61_000, 1, 'a chart', false)).toBeNull()
    expect(planner.usageSnapshot().dayUsed).toBe(8)
    expect(planner.spendOutside(now + 61_000, 1, 'a chart')).toBeNull()
    expect(planner.usageSnapshot().dayUsed).toBe(9)
    // The credit counts against the quotes' own minute: the next batch of 8 waits for it to leave.
    const after = planner.next(now + 62_000)
    expect(after.kind).toBe('wait')
    expect(planner.remaining(now + 62_000).minute).toBe(7)
  })

  it('refuses a chart in plain words once the day is spent', () => {
    const planner = new QuotaPlanner({ quota: FREE_TIER_QUOTAS.twelvedata })
    planner.record(T0 + HOUR, 800)
    expect(planner.spendOutside(T0 + 3 * HOUR, 1, 'a chart')).toBe(
      "Twelve Data has used all 800 of today's credits; a chart from it is possible again after 00:00 UTC."
    )
    expect(planner.usageSnapshot().dayUsed).toBe(800)
  })
})
