import type { AlertCondition, AlertKind, AlertRule, AlertRuleInput, AlertTrigger, CrossDirection } from '@shared/alerts'
import { normaliseSymbol, symbolProblem } from '@shared/symbols'
import { formatCompact, formatPlain } from './format'

/** Number inputs hand back a number, or '' when the box is empty, so fields accept both. */
type NumberText = number | string

/** What the alert editor binds to; turned into an AlertRuleInput only after validation. */
export interface AlertForm {
  targetType: 'symbol' | 'watchlist'
  symbol: string
  listId: string
  kind: AlertKind
  price: NumberText
  direction: CrossDirection
  percent: NumberText
  windowMinutes: NumberText
  volume: NumberText
  triggerMode: AlertTrigger['mode']
  cooldownMinutes: NumberText
  rearmPercent: NumberText
  hasExpiry: boolean
  /** `datetime-local` value: "2025-03-14T16:00", local time. */
  expiresAt: string
  enabled: boolean
  note: string
}

export type AlertFormField = keyof AlertForm

export type AlertFormResult =
  | { ok: true; input: AlertRuleInput }
  | { ok: false; field: AlertFormField; message: string }

export const ALERT_KIND_LABELS: Record<AlertKind, string> = {
  'price-above': 'Price above',
  'price-below': 'Price below',
  crosses: 'Price crosses',
  'day-change-above': 'Day change % above',
  'day-change-below': 'Day change % below',
  'move-within': 'Moves X % within N minutes',
  'volume-above': 'Volume above',
  'new-52w-high': 'New 52-week high',
  'new-52w-low': 'New 52-week low'
}

export const ALERT_KINDS = Object.keys(ALERT_KIND_LABELS) as AlertKind[]

const pad = (n: number): string => String(n).padStart(2, '0')

/** Epoch ms → the local "YYYY-MM-DDTHH:MM" a datetime-local input shows. */
export function toLocalInput(epochMs: number): string {
  const d = new Date(epochMs)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** The local "YYYY-MM-DDTHH:MM" → epoch ms, or null when it is not a real date-time. */
export function fromLocalInput(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(text.trim())
  if (!match) return null
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number]
  const date = new Date(y, mo - 1, d, h, mi)
  // Reject rollovers such as 31 February.
  if (date.getMonth() !== mo - 1 || date.getDate() !== d || date.getHours() !== h) return null
  return date.getTime()
}

export function defaultAlertForm(target: { symbol?: string; listId?: string }, price?: number | null): AlertForm {
  return {
    targetType: target.symbol || !target.listId ? 'symbol' : 'watchlist',
    symbol: target.symbol ?? '',
    listId: target.listId ?? '',
    kind: 'price-above',
    price: price && price > 0 ? Number(price.toPrecision(6)) : '',
    direction: 'either',
    percent: 3,
    windowMinutes: 15,
    volume: '',
    triggerMode: 'once',
    cooldownMinutes: 30,
    rearmPercent: 0.5,
    hasExpiry: false,
    expiresAt: '',
    enabled: true,
    note: ''
  }
}

export function alertFormFromRule(rule: AlertRule): AlertForm {
  const form = defaultAlertForm(rule.target.type === 'symbol' ? { symbol: rule.target.symbol } : { listId: rule.target.listId })
  const c = rule.condition
  form.kind = c.kind
  if ('price' in c) form.price = c.price
  if ('direction' in c) form.direction = c.direction
  if ('percent' in c) form.percent = c.percent
  if (c.kind === 'move-within') form.windowMinutes = c.windowMinutes
  if (c.kind === 'volume-above') form.volume = c.volume
  form.triggerMode = rule.trigger.mode
  if (rule.trigger.mode === 'every') form.cooldownMinutes = rule.trigger.cooldownMinutes
  form.rearmPercent = rule.rearmPercent ?? 0.5
  form.hasExpiry = rule.expiresAt != null
  form.expiresAt = rule.expiresAt != null ? toLocalInput(rule.expiresAt) : ''
  form.enabled = rule.enabled ?? true
  form.note = rule.note ?? ''
  return form
}

function parseNumber(raw: NumberText): number | null {
  const text = String(raw).trim()
  if (text === '') return null
  const value = Number(text)
  return Number.isFinite(value) ? value : null
}

class FormProblem extends Error {
  constructor(
    readonly field: AlertFormField,
    message: string
  ) {
    super(message)
  }
}

function positive(raw: NumberText, field: AlertFormField, what: string): number {
  const value = parseNumber(raw)
  if (value === null || value <= 0) throw new FormProblem(field, `Enter ${what} above zero.`)
  return value
}

function wholeInRange(raw: NumberText, field: AlertFormField, what: string, min: number, max: number): number {
  const value = parseNumber(raw)
  if (value === null || !Number.isInteger(value) || value < min || value > max) {
    throw new FormProblem(field, `${what} must be a whole number from ${min} to ${max}.`)
  }
  return value
}

function conditionOf(form: AlertForm): AlertCondition {
  switch (form.kind) {
    case 'price-above':
    case 'price-below':
      return { kind: form.kind, price: positive(form.price, 'price', 'a price') }
    case 'crosses':
      return { kind: 'crosses', price: positive(form.price, 'price', 'a price'), direction: form.direction }
    case 'day-change-above':
    case 'day-change-below': {
      const percent = parseNumber(form.percent)
      if (percent === null || Math.abs(percent) > 1000) {
        throw new FormProblem('percent', 'Enter a day change in percent, such as 3 or -2.5.')
      }
      return { kind: form.kind, percent }
    }
    case 'move-within': {
      const percent = positive(form.percent, 'percent', 'a move in percent')
      if (percent > 1000) throw new FormProblem('percent', 'A move can be at most 1000 %.')
      const windowMinutes = wholeInRange(form.windowMinutes, 'windowMinutes', 'The time window', 1, 1440)
      return { kind: 'move-within', percent, windowMinutes, direction: form.direction }
    }
    case 'volume-above':
      return { kind: 'volume-above', volume: positive(form.volume, 'volume', 'a volume') }
    case 'new-52w-high':
    case 'new-52w-low':
      return { kind: form.kind }
  }
}

function triggerOf(form: AlertForm): AlertTrigger {
  if (form.triggerMode !== 'every') return { mode: form.triggerMode }
  return { mode: 'every', cooldownMinutes: wholeInRange(form.cooldownMinutes, 'cooldownMinutes', 'The cooldown', 1, 10_080) }
}

/** Validates the editor's fields and builds the rule the host expects, or names the first problem. */
export function buildAlertInput(form: AlertForm, now: number): AlertFormResult {
  try {
    let target: AlertRuleInput['target']
    if (form.targetType === 'symbol') {
      const problem = symbolProblem(form.symbol)
      if (problem) throw new FormProblem('symbol', problem)
      target = { type: 'symbol', symbol: normaliseSymbol(form.symbol) }
    } else {
      if (!form.listId) throw new FormProblem('listId', 'Choose a watchlist.')
      target = { type: 'watchlist', listId: form.listId }
    }
    const condition = conditionOf(form)
    const trigger = triggerOf(form)
    const rearmPercent = parseNumber(form.rearmPercent)
    if (rearmPercent === null || rearmPercent < 0 || rearmPercent > 50) {
      throw new FormProblem('rearmPercent', 'The re-arm band must be between 0 and 50 %.')
    }
    let expiresAt: number | null = null
    if (form.hasExpiry) {
      expiresAt = fromLocalInput(form.expiresAt)
      if (expiresAt === null) throw new FormProblem('expiresAt', 'Enter an expiry date and time.')
      if (expiresAt <= now) throw new FormProblem('expiresAt', 'The expiry must be in the future.')
    }
    if (form.note.length > 500) throw new FormProblem('note', 'Keep the note under 500 characters.')
    return { ok: true, input: { target, condition, trigger, rearmPercent, expiresAt, enabled: form.enabled, note: form.note.trim() } }
  } catch (error) {
    if (error instanceof FormProblem) return { ok: false, field: error.field, message: error.message }
    throw error
  }
}

/** Percent as typed: 3 → "3", 2.5 → "2.5". */
const pct = (n: number): string => String(Number(n.toFixed(2)))
const signed = (n: number): string => `${n > 0 ? '+' : ''}${pct(n)} %`
const DIRECTION_WORDS: Record<CrossDirection, string> = { up: 'upward', down: 'downward', either: 'either way' }

/** Short plain words for a rule's condition, e.g. "Moves 3 % within 15 min (either way)". */
export function describeCondition(c: AlertCondition): string {
  switch (c.kind) {
    case 'price-above':
      return `Price above ${formatPlain(c.price)}`
    case 'price-below':
      return `Price below ${formatPlain(c.price)}`
    case 'crosses':
      return `Crosses ${formatPlain(c.price)} (${c.direction === 'either' ? 'either way' : c.direction})`
    case 'day-change-above':
      return `Day change above ${signed(c.percent)}`
    case 'day-change-below':
      return `Day change below ${signed(c.percent)}`
    case 'move-within':
      return `Moves ${pct(c.percent)} % within ${c.windowMinutes} min (${DIRECTION_WORDS[c.direction]})`
    case 'volume-above':
      return `Volume above ${formatCompact(c.volume)}`
    case 'new-52w-high':
      return 'New 52-week high'
    case 'new-52w-low':
      return 'New 52-week low'
  }
}

export function describeTrigger(t: AlertTrigger): string {
  if (t.mode === 'once') return 'Once'
  if (t.mode === 'daily') return 'Once per day'
  return `Every time, ${t.cooldownMinutes} min cooldown`
}
