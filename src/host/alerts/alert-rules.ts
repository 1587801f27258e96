import { randomUUID } from 'node:crypto'
import { AlertRuleInputSchema, type AlertFiring, type AlertRule, type AlertRuleChanges, type AlertRuleInput, type AlertTarget } from '../../shared/alerts'
import type { WatchlistsState } from '../../shared/ipc/contract'
import { UserError } from '../../shared/ipc/result'
import { symbolProblem } from '../../shared/symbols'
import type { AlertsStore, LastFired } from '../state/alerts-store'
import { ruleSymbols, suspensionReason } from './rule-targets'

export const ALERT_NOT_FOUND = 'That alert no longer exists; it may have been deleted in another window.'
export const MAX_ALERT_RULES = 1000

export interface AlertRulesOptions {
  store: AlertsStore
  now: () => number
  newId?: () => string
}

export interface RecordedFiring {
  rule: AlertRule
  /** A once-rule switched itself off: the engine's rule set changed. */
  disabled: boolean
}

/**
 * The user's alert rules: validated edits, suspension when their symbol or watchlist goes away,
 * and the per-symbol memory of when each rule fired (so cooldowns survive restarts).
 *
 * A once-rule on a symbol is switched off after it fires. A once-rule on a watchlist fires once
 * per symbol of the list (remembered in lastFired) and stays on for the others.
 * Deleting a watchlist suspends its rules rather than deleting them, so the user can point them
 * at another list or delete them; a suspended rule never reaches the engine.
 */
export class AlertRules {
  private readonly now: () => number
  private readonly newId: () => string

  constructor(private readonly options: AlertRulesOptions) {
    this.now = options.now
    this.newId = options.newId ?? (() => `alert-${randomUUID()}`)
  }

  get rules(): readonly AlertRule[] {
    return this.options.store.data.rules
  }

  get lastFired(): LastFired {
    return this.options.store.data.lastFired
  }

  find(id: string): AlertRule | undefined {
    return this.rules.find((r) => r.id === id)
  }

  create(input: AlertRuleInput, lists: WatchlistsState): AlertRule {
    if (this.rules.length >= MAX_ALERT_RULES) throw new UserError(`You can keep up to ${MAX_ALERT_RULES} alerts; delete some first.`, 'conflict')
    const draft = parseInput(input)
    assertTargetExists(draft.target, lists)
    this.assertExpiryAhead(draft.expiresAt)
    const rule: AlertRule = { ...draft, id: this.newId(), createdAt: this.now(), snoozedUntil: null, lastFiredAt: null, suspendedReason: null }
    this.options.store.save({ rules: [...this.rules, rule] })
    return rule
  }

  update(id: string, changes: AlertRuleChanges, lists: WatchlistsState): AlertRule {
    const rule = this.require(id)
    const given = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as AlertRuleChanges
    const draft = parseInput({ ...inputOf(rule), ...given })
    if (given.target !== undefined) assertTargetExists(draft.target, lists)
    if (given.expiresAt !== undefined) this.assertExpiryAhead(draft.expiresAt)
    const next: AlertRule = { ...rule, ...draft }
    next.suspendedReason = suspensionReason(next, lists)

    // A different rule, or a fired once-rule switched back on, starts without fire history.
    const redefined = ['target', 'condition', 'trigger'].some(
      (key) => key in given && JSON.stringify(rule[key as keyof AlertRule]) !== JSON.stringify(next[key as keyof AlertRule])
    )
    const rearmed = next.trigger.mode === 'once' && !rule.enabled && next.enabled
    const lastFired = redefined || rearmed ? withoutRule(this.lastFired, id) : undefined
    this.options.store.save({ rules: this.rules.map((r) => (r.id === id ? next : r)), ...(lastFired ? { lastFired } : {}) })
    return next
  }

  delete(id: string): void {
    this.require(id)
    this.options.store.save({ rules: this.rules.filter((r) => r.id !== id), lastFired: withoutRule(this.lastFired, id) })
  }

  /** minutes 0 ends the snooze. */
  snooze(id: string, minutes: number): AlertRule {
    const rule = this.require(id)
    const next = { ...rule, snoozedUntil: minutes === 0 ? null : this.now() + minutes * 60_000 }
    this.options.store.save({ rules: this.rules.map((r) => (r.id === id ? next : r)) })
    return next
  }

  /** Suspends rules whose symbol or list is gone and revives those that are back. True if any changed. */
  reconcile(lists: WatchlistsState, previous?: WatchlistsState): boolean {
    let changed = false
    const rules = this.rules.map((rule) => {
      const reason = suspensionReason(rule, lists, previous)
      if (reason === rule.suspendedReason) return rule
      changed = true
      return { ...rule, suspendedReason: reason }
    })
    if (changed) this.options.store.save({ rules })
    return changed
  }

  /**
   * Remembers a firing. Returns null for a firing that must not reach the user: its rule was
   * deleted, switched off, suspended, snoozed or expired, or the symbol left the rule's list,
   * in the moment before the engine heard about it.
   */
  recordFiring(firing: AlertFiring, lists: WatchlistsState): RecordedFiring | null {
    const rule = this.find(firing.ruleId)
    if (!rule || !rule.enabled || rule.suspendedReason !== null) return null
    if (rule.expiresAt !== null && firing.at > rule.expiresAt) return null
    if (rule.snoozedUntil !== null && firing.at < rule.snoozedUntil) return null
    if (!ruleSymbols(rule, lists).includes(firing.symbol)) return null

    const disabled = rule.trigger.mode === 'once' && rule.target.type === 'symbol'
    const next: AlertRule = { ...rule, lastFiredAt: firing.at, enabled: disabled ? false : rule.enabled }
    const lastFired = { ...this.lastFired, [rule.id]: { ...this.lastFired[rule.id], [firing.symbol]: firing.at } }
    this.options.store.save({ rules: this.rules.map((r) => (r.id === rule.id ? next : r)), lastFired })
    return { rule: next, disabled }
  }

  private require(id: string): AlertRule {
    const rule = this.find(id)
    if (!rule) throw new UserError(ALERT_NOT_FOUND, 'not-found')
    return rule
  }

  private assertExpiryAhead(expiresAt: number | null): void {
    if (expiresAt !== null && expiresAt <= this.now()) throw new UserError('That expiry time has already passed; choose a later one.')
  }
}

function inputOf(rule: AlertRule): AlertRuleInput {
  const { target, condition, trigger, rearmPercent, expiresAt, enabled, note } = rule
  return { target, condition, trigger, rearmPercent, expiresAt, enabled, note }
}

function parseInput(input: AlertRuleInput) {
  if (input.target?.type === 'symbol' && typeof input.target.symbol === 'string') {
    const problem = symbolProblem(input.target.symbol)
    if (problem !== null) throw new UserError(problem)
  }
  const parsed = AlertRuleInputSchema.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''
    throw new UserError(`This alert cannot be saved: ${where}${issue?.message ?? 'it is incomplete'}.`)
  }
  return parsed.data
}

function assertTargetExists(target: AlertTarget, lists: WatchlistsState): void {
  if (target.type === 'watchlist') {
    if (!lists.lists.some((l) => l.id === target.listId)) {
      throw new UserError('That watchlist no longer exists; it may have been deleted in another window.', 'not-found')
    }
    return
  }
  if (!lists.lists.some((l) => l.symbols.includes(target.symbol))) {
    throw new UserError(`${target.symbol} is not in any watchlist; add it to one before setting an alert on it.`, 'not-found')
  }
}

function withoutRule(lastFired: LastFired, id: string): LastFired {
  const { [id]: _dropped, ...rest } = lastFired
  return rest
}
