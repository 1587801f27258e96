import { describe, expect, it } from 'vitest'
import type { AlertCondition } from '@shared/alerts'
import { AlertRuleInputSchema } from '@shared/alerts'
import { makeRule } from '../testing/fake-api'
import { alertFormFromRule, buildAlertInput, defaultAlertForm, describeCondition, describeTrigger, fromLocalInput, toLocalInput, type AlertForm } from './alert-form'

const NOW = new Date(2025, 2, 14, 12, 0).getTime()
const form = (changes: Partial<AlertForm>): AlertForm => ({ ...defaultAlertForm({ symbol: 'aapl' }), ...changes })

function conditionOf(changes: Partial<AlertForm>): AlertCondition {
  const result = buildAlertInput(form(changes), NOW)
  if (!result.ok) throw new Error(result.message)
  return result.input.condition
}

describe('buildAlertInput', () => {
  it('builds every condition kind from the form', () => {
    expect(conditionOf({ kind: 'price-above', price: 200 })).toEqual({ kind: 'price-above', price: 200 })
    expect(conditionOf({ kind: 'price-below', price: '150.5' })).toEqual({ kind: 'price-below', price: 150.5 })
    expect(conditionOf({ kind: 'crosses', price: 180, direction: 'down' })).toEqual({ kind: 'crosses', price: 180, direction: 'down' })
    expect(conditionOf({ kind: 'day-change-above', percent: 3 })).toEqual({ kind: 'day-change-above', percent: 3 })
    expect(conditionOf({ kind: 'day-change-below', percent: -2.5 })).toEqual({ kind: 'day-change-below', percent: -2.5 })
    expect(conditionOf({ kind: 'move-within', percent: 3, windowMinutes: 15, direction: 'up' })).toEqual({
      kind: 'move-within',
      percent: 3,
      windowMinutes: 15,
      direction: 'up'
    })
    expect(conditionOf({ kind: 'volume-above', volume: 5_000_000 })).toEqual({ kind: 'volume-above', volume: 5_000_000 })
    expect(conditionOf({ kind: 'new-52w-high' })).toEqual({ kind: 'new-52w-high' })
    expect(conditionOf({ kind: 'new-52w-low' })).toEqual({ kind: 'new-52w-low' })
  })

  it('produces input the contract accepts, with target, trigger, band, expiry and note', () => {
    const result = buildAlertInput(
      form({
        price: 200,
        triggerMode: 'every',
        cooldownMinutes: 45,
        rearmPercent: 1,
        hasExpiry: true,
        expiresAt: '2025-03-20T16:00',
        enabled: false,
        note: '  earnings week  '
      }),
      NOW
    )
    expect(result).toEqual({
      ok: true,
      input: {
        target: { type: 'symbol', symbol: 'AAPL' },
        condition: { kind: 'price-above', price: 200 },
        trigger: { mode: 'every', cooldownMinutes: 45 },
        rearmPercent: 1,
        expiresAt: new Date(2025, 2, 20, 16, 0).getTime(),
        enabled: false,
        note: 'earnings week'
      }
    })
    expect(AlertRuleInputSchema.safeParse(result.ok && result.input).success).toBe(true)
    const daily = buildAlertInput(form({ price: 1, triggerMode: 'daily' }), NOW)
    expect(daily.ok && daily.input.trigger).toEqual({ mode: 'daily' })
  })

  it('targets a whole watchlist', () => {
    const result = buildAlertInput({ ...defaultAlertForm({ listId: 'main' }), price: 10 }, NOW)
    expect(result.ok && result.input.target).toEqual({ type: 'watchlist', listId: 'main' })
  })

  it('names the first problem in plain words', () => {
    const problem = (changes: Partial<AlertForm>) => {
      const result = buildAlertInput(form(changes), NOW)
      return result.ok ? null : [result.field, result.message]
    }
    expect(problem({ symbol: '' })?.[0]).toBe('symbol')
    expect(problem({ price: '' })).toEqual(['price', 'Enter a price above zero.'])
    expect(problem({ price: 0 })).toEqual(['price', 'Enter a price above zero.'])
    expect(problem({ kind: 'day-change-above', percent: '' })).toEqual(['percent', 'Enter a day change in percent, such as 3 or -2.5.'])
    expect(problem({ kind: 'move-within', percent: -1 })).toEqual(['percent', 'Enter a move in percent above zero.'])
    expect(problem({ kind: 'move-within', windowMinutes: 2000 })).toEqual(['windowMinutes', 'The time window must be a whole number from 1 to 1440.'])
    expect(problem({ kind: 'volume-above', volume: '' })).toEqual(['volume', 'Enter a volume above zero.'])
    expect(problem({ price: 5, triggerMode: 'every', cooldownMinutes: 0 })).toEqual(['cooldownMinutes', 'The cooldown must be a whole number from 1 to 10080.'])
    expect(problem({ price: 5, rearmPercent: 80 })).toEqual(['rearmPercent', 'The re-arm band must be between 0 and 50 %.'])
    expect(problem({ price: 5, hasExpiry: true, expiresAt: '' })).toEqual(['expiresAt', 'Enter an expiry date and time.'])
    expect(problem({ price: 5, hasExpiry: true, expiresAt: '2025-03-01T09:00' })).toEqual(['expiresAt', 'The expiry must be in the future.'])
    expect(problem({ ...defaultAlertForm({ listId: '' }), targetType: 'watchlist', price: 5 })).toEqual(['listId', 'Choose a watchlist.'])
  })
})

describe('alertFormFromRule', () => {
  it('round-trips a rule through the form', () => {
    const rule = makeRule({
      condition: { kind: 'move-within', percent: 3, windowMinutes: 15, direction: 'down' },
      trigger: { mode: 'every', cooldownMinutes: 20 },
      rearmPercent: 2,
      expiresAt: new Date(2025, 5, 1, 9, 30).getTime(),
      note: 'watch'
    })
    const result = buildAlertInput(alertFormFromRule(rule), NOW)
    expect(result.ok && result.input).toMatchObject({
      condition: rule.condition,
      trigger: rule.trigger,
      rearmPercent: 2,
      expiresAt: rule.expiresAt,
      note: 'watch'
    })
  })
})

describe('local date-time helpers and descriptions', () => {
  it('converts datetime-local values both ways and rejects impossible dates', () => {
    const at = new Date(2025, 0, 5, 7, 3).getTime()
    expect(toLocalInput(at)).toBe('2025-01-05T07:03')
    expect(fromLocalInput('2025-01-05T07:03')).toBe(at)
    expect(fromLocalInput('2025-02-31T07:03')).toBeNull()
    expect(fromLocalInput('tomorrow')).toBeNull()
  })

  it('describes rules in plain words', () => {
    expect(describeCondition({ kind: 'move-within', percent: 3, windowMinutes: 15, direction: 'either' })).toBe('Moves 3 % within 15 min (either way)')
    expect(describeCondition({ kind: 'day-change-below', percent: -2 })).toBe('Day change below -2 %')
    expect(describeCondition({ kind: 'price-above', price: 200 })).toBe('Price above 200.00')
    expect(describeTrigger({ mode: 'every', cooldownMinutes: 30 })).toBe('Every time, 30 min cooldown')
  })
})
