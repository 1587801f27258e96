import { describe, expect, it } from 'vitest'
import type { AlertFiring, AlertRuleInput } from '../../shared/alerts'
import type { WatchlistsState } from '../../shared/ipc/contract'
import { UserError } from '../../shared/ipc/result'
import { AlertsStore, emptyAlerts, type AlertsFile } from '../state/alerts-store'
import { memoryBackend } from '../state/memory-backend'
import { makeQuote } from '../testing/quote-fixture'
import { ALERT_NOT_FOUND, AlertRules } from './alert-rules'
import { alertSymbols, toEngineRules } from './rule-targets'

const NOW = 1_700_000_000_000

const lists = (tech: string[], coins: string[] = ['BTC-USD']): WatchlistsState => ({
  lists: [
    { id: 'tech', name: 'Tech', symbols: tech },
    { id: 'coins', name: 'Coins', symbols: coins }
  ],
  activeId: 'tech'
})

function setup() {
  let clock = NOW
  let ids = 0
  const backend = memoryBackend()
  const store = new AlertsStore(backend.open<AlertsFile>('alerts', { schemaVersion: 1, rules: [], inbox: [], lastFired: {} }), emptyAlerts(), () => {})
  const rules = new AlertRules({ store, now: () => clock, newId: () => `r${++ids}` })
  const saved = () => JSON.parse(backend.files.get('alerts')!) as AlertsFile
  return { rules, store, saved, advance: (ms: number) => (clock += ms) }
}

const above = (symbol: string, price: number, extra: Partial<AlertRuleInput> = {}): AlertRuleInput => ({
  target: { type: 'symbol', symbol },
  condition: { kind: 'price-above', price },
  trigger: { mode: 'every', cooldownMinutes: 5 },
  ...extra
})

const onList = (listId: string, extra: Partial<AlertRuleInput> = {}): AlertRuleInput => ({
  target: { type: 'watchlist', listId },
  condition: { kind: 'day-change-above', percent: 5 },
  trigger: { mode: 'every', cooldownMinutes: 60 },
  ...extra
})

const firing = (ruleId: string, symbol: string, at = NOW): AlertFiring => ({
  ruleId,
  symbol,
  at,
  occurredAt: null,
  catchUp: false,
  message: `${symbol} rose above 200.00 (now 201.35)`,
  quote: makeQuote(symbol, { price: 201.35 })
})

function userError(action: () => unknown): UserError {
  try {
    action()
  } catch (error) {
    if (error instanceof UserError) return error
    throw error
  }
  throw new Error('expected a UserError')
}

describe('AlertRules create / update / delete / snooze', () => {
  it('creates a rule with defaults, an id and createdAt, and persists it', () => {
    const { rules, saved } = setup()
    const rule = rules.create(above('aapl', 200), lists(['AAPL']))
    expect(rule).toEqual({
      id: 'r1',
      createdAt: NOW,
      target: { type: 'symbol', symbol: 'AAPL' },
      condition: { kind: 'price-above', price: 200 },
      trigger: { mode: 'every', cooldownMinutes: 5 },
      rearmPercent: 0.5,
      expiresAt: null,
      enabled: true,
      note: '',
      snoozedUntil: null,
      lastFiredAt: null,
      suspendedReason: null
    })
    expect(saved().rules).toEqual([rule])
  })

  it('refuses bad input in plain words and saves nothing', () => {
    const { rules, saved } = setup()
    const state = lists(['AAPL'])
    expect(userError(() => rules.create(above('no way!', 1), state)).message).toMatch(/"no way!" is not a valid ticker symbol/)
    expect(userError(() => rules.create(above('TSLA', 1), state)).message).toBe('TSLA is not in any watchlist; add it to one before setting an alert on it.')
    expect(userError(() => rules.create(onList('gone'), state)).message).toMatch(/That watchlist no longer exists/)
    expect(userError(() => rules.create(above('AAPL', 1, { expiresAt: NOW - 1 }), state)).message).toMatch(/expiry time has already passed/)
    expect(userError(() => rules.create({ ...above('AAPL', 1), condition: { kind: 'price-above', price: 0 } }, state)).message).toMatch(
      /^This alert cannot be saved: condition\.price/
    )
    expect(rules.rules).toEqual([])
    expect(saved().rules).toEqual([])
  })

  it('updates only the fields given, and keeps the rest', () => {
    const { rules } = setup()
    const state = lists(['AAPL', 'MSFT'])
    const rule = rules.create(above('AAPL', 200, { enabled: false, rearmPercent: 2, note: 'old' }), state)
    const next = rules.update(rule.id, { note: 'earnings' }, state)
    expect(next).toEqual({ ...rule, note: 'earnings' })
    const moved = rules.update(rule.id, { target: { type: 'symbol', symbol: 'MSFT' } }, state)
    expect(moved.target).toEqual({ type: 'symbol', symbol: 'MSFT' })
    expect(userError(() => rules.update(rule.id, { target: { type: 'symbol', symbol: 'NVDA' } }, state)).message).toMatch(/NVDA is not in any watchlist/)
    expect(rules.find(rule.id)!.target).toEqual({ type: 'symbol', symbol: 'MSFT' })
  })

  it('deletes and snoozes, and says so when the rule is gone', () => {
    const { rules, advance } = setup()
    const state = lists(['AAPL'])
    const rule = rules.create(above('AAPL', 200), state)
    expect(rules.snooze(rule.id, 30).snoozedUntil).toBe(NOW + 30 * 60_000)
    advance(1000)
    expect(rules.snooze(rule.id, 0).snoozedUntil).toBeNull()
    rules.delete(rule.id)
    expect(rules.rules).toEqual([])
    const gone = userError(() => rules.delete(rule.id))
    expect(gone.message).toBe(ALERT_NOT_FOUND)
    expect(gone.code).toBe('not-found')
    expect(userError(() => rules.update(rule.id, { note: 'x' }, state)).message).toBe(ALERT_NOT_FOUND)
    expect(userError(() => rules.snooze(rule.id, 5)).message).toBe(ALERT_NOT_FOUND)
  })
})

describe('AlertRules firings', () => {
  it('switches a once-rule on a symbol off after it fires, with lastFiredAt', () => {
    const { rules, saved } = setup()
    const state = lists(['AAPL'])
    const rule = rules.create(above('AAPL', 200, { trigger: { mode: 'once' } }), state)
    const recorded = rules.recordFiring(firing(rule.id, 'AAPL', NOW + 5), state)
    expect(recorded).toEqual({ rule: expect.objectContaining({ enabled: false, lastFiredAt: NOW + 5 }), disabled: true })
    expect(saved().rules[0]).toMatchObject({ enabled: false, lastFiredAt: NOW + 5 })
    expect(saved().lastFired).toEqual({ [rule.id]: { AAPL: NOW + 5 } })
    // A duplicate that raced the engine's update is dropped.
    expect(rules.recordFiring(firing(rule.id, 'AAPL', NOW + 6), state)).toBeNull()
    expect(toEngineRules(rules.rules, state, rules.lastFired, NOW)).toEqual([])
  })

  it('re-enabling a fired once-rule or redefining a rule forgets its fire history', () => {
    const { rules } = setup()
    const state = lists(['AAPL'])
    const once = rules.create(above('AAPL', 200, { trigger: { mode: 'once' } }), state)
    rules.recordFiring(firing(once.id, 'AAPL'), state)
    rules.update(once.id, { enabled: true }, state)
    expect(rules.lastFired[once.id]).toBeUndefined()

    const every = rules.create(above('AAPL', 200), state)
    rules.recordFiring(firing(every.id, 'AAPL'), state)
    rules.update(every.id, { note: 'same rule' }, state)
    expect(rules.lastFired[every.id]).toEqual({ AAPL: NOW })
    rules.update(every.id, { condition: { kind: 'price-above', price: 250 } }, state)
    expect(rules.lastFired[every.id]).toBeUndefined()
  })

  it('keeps a once-rule on a watchlist on, remembering each symbol it fired for', () => {
    const { rules } = setup()
    const state = lists(['AAPL', 'MSFT'])
    const rule = rules.create(onList('tech', { trigger: { mode: 'once' } }), state)
    expect(rules.recordFiring(firing(rule.id, 'AAPL'), state)!.disabled).toBe(false)
    expect(toEngineRules(rules.rules, state, rules.lastFired, NOW)[0]!.lastFired).toEqual({ AAPL: NOW })
  })

  it('drops firings of deleted, disabled, snoozed or expired rules and for symbols that left the list', () => {
    const { rules } = setup()
    const state = lists(['AAPL', 'MSFT'])
    const deleted = rules.create(above('AAPL', 1), state)
    rules.delete(deleted.id)
    expect(rules.recordFiring(firing(deleted.id, 'AAPL'), state)).toBeNull()
    const off = rules.create(above('AAPL', 1, { enabled: false }), state)
    expect(rules.recordFiring(firing(off.id, 'AAPL'), state)).toBeNull()
    const snoozed = rules.create(above('AAPL', 1), state)
    rules.snooze(snoozed.id, 10)
    expect(rules.recordFiring(firing(snoozed.id, 'AAPL', NOW + 60_000), state)).toBeNull()
    const expiring = rules.create(above('AAPL', 1, { expiresAt: NOW + 1000 }), state)
    expect(rules.recordFiring(firing(expiring.id, 'AAPL', NOW + 2000), state)).toBeNull()
    const list = rules.create(onList('tech'), state)
    expect(rules.recordFiring(firing(list.id, 'NVDA'), state)).toBeNull()
    expect(rules.recordFiring(firing(list.id, 'MSFT'), state)).not.toBeNull()
  })
})

describe('AlertRules expansion and suspension', () => {
  it('expands watchlist rules to the list’s current symbols with their fire times', () => {
    const { rules } = setup()
    let state = lists(['AAPL', 'MSFT'])
    const rule = rules.create(onList('tech'), state)
    rules.recordFiring(firing(rule.id, 'MSFT', NOW + 1), state)
    expect(toEngineRules(rules.rules, state, rules.lastFired, NOW)).toEqual([
      {
        id: rule.id,
        symbols: ['AAPL', 'MSFT'],
        condition: rule.condition,
        trigger: rule.trigger,
        rearmPercent: 0.5,
        expiresAt: null,
        snoozedUntil: null,
        lastFired: { MSFT: NOW + 1 }
      }
    ])
    state = lists(['AAPL', 'NVDA'])
    expect(toEngineRules(rules.rules, state, rules.lastFired, NOW)[0]).toMatchObject({ symbols: ['AAPL', 'NVDA'], lastFired: {} })
    expect(alertSymbols(rules.rules, state, NOW)).toEqual(['AAPL', 'NVDA'])
  })

  it('leaves out disabled, expired and empty-list rules but keeps snoozed ones', () => {
    const { rules } = setup()
    const state = lists(['AAPL'], [])
    rules.create(above('AAPL', 1, { enabled: false }), state)
    rules.create(above('AAPL', 2, { expiresAt: NOW + 10 }), state)
    rules.create(onList('coins'), state)
    const snoozed = rules.create(above('AAPL', 3), state)
    rules.snooze(snoozed.id, 5)
    const sent = toEngineRules(rules.rules, state, rules.lastFired, NOW + 20)
    expect(sent.map((r) => r.id)).toEqual([snoozed.id])
    expect(sent[0]!.snoozedUntil).toBe(NOW + 5 * 60_000)
    expect(alertSymbols(rules.rules, state, NOW + 20)).toEqual(['AAPL'])
  })

  it('suspends symbol rules when the symbol leaves every list and revives them when it is back', () => {
    const { rules, saved } = setup()
    const both = lists(['AAPL'], ['AAPL', 'BTC-USD'])
    const rule = rules.create(above('AAPL', 200), both)
    expect(rules.reconcile(lists(['AAPL'], ['BTC-USD']), both)).toBe(false)
    expect(rules.reconcile(lists([], ['BTC-USD']))).toBe(true)
    expect(rules.find(rule.id)!.suspendedReason).toBe('AAPL is no longer in any watchlist')
    expect(saved().rules[0]!.suspendedReason).toBe('AAPL is no longer in any watchlist')
    expect(toEngineRules(rules.rules, lists([], ['BTC-USD']), rules.lastFired, NOW)).toEqual([])
    expect(alertSymbols(rules.rules, lists([], ['BTC-USD']), NOW)).toEqual([])

    expect(rules.reconcile(lists([], ['BTC-USD', 'AAPL']))).toBe(true)
    expect(rules.find(rule.id)!.suspendedReason).toBeNull()
    expect(toEngineRules(rules.rules, lists([], ['BTC-USD', 'AAPL']), rules.lastFired, NOW).map((r) => r.symbols)).toEqual([['AAPL']])
  })

  it('suspends a deleted watchlist’s rules, naming the list, until they are pointed elsewhere', () => {
    const { rules } = setup()
    const before = lists(['AAPL'])
    const rule = rules.create(onList('coins'), before)
    const after: WatchlistsState = { lists: [before.lists[0]!], activeId: 'tech' }
    expect(rules.reconcile(after, before)).toBe(true)
    expect(rules.find(rule.id)!.suspendedReason).toBe('The watchlist "Coins" was deleted')
    // Later reconciles (the old name no longer known) keep the reason.
    expect(rules.reconcile(after)).toBe(false)
    expect(toEngineRules(rules.rules, after, rules.lastFired, NOW)).toEqual([])
    const moved = rules.update(rule.id, { target: { type: 'watchlist', listId: 'tech' } }, after)
    expect(moved.suspendedReason).toBeNull()
    expect(toEngineRules(rules.rules, after, rules.lastFired, NOW).map((r) => r.symbols)).toEqual([['AAPL']])
  })
})
