import { AlertFiringSchema, type AlertRuleChanges, type AlertRuleInput, type AlertsState } from '../../shared/alerts'
import type { AppNotification, EventPayload, HostEventName, NotificationSettings, WatchlistsState } from '../../shared/ipc/contract'
import type { EngineCommand } from '../../shared/ipc/engine-protocol'
import type { AlertsStore } from '../state/alerts-store'
import type { Timers } from '../state/timers'
import { AlertInbox } from './alert-inbox'
import { AlertRules } from './alert-rules'
import { alertTitle } from './alert-title'
import { NotificationPolicy } from './notification-policy'
import { alertSymbols, armedAlertSymbols, toEngineRules } from './rule-targets'

/** The engine consumer that keeps every symbol with a live alert rule fetched. */
export const ALERTS_CONSUMER = 'host:alerts'

type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface AlertCenterDeps {
  store: AlertsStore
  now: () => number
  timers: Timers
  watchlists: () => WatchlistsState
  notificationSettings: () => NotificationSettings
  /** False while the engine cannot take commands; a forced sync follows once it can. */
  engineReady: () => boolean
  send: (command: EngineCommand) => void
  emit: <K extends HostEventName>(event: K, payload: EventPayload<K>) => void
  /** A notification the policy let through. */
  deliver: (notification: AppNotification) => void
  log: (level: LogLevel, message: string) => void
  localMinutes?: (at: number) => number
  summaryDelayMs?: number
  newRuleId?: () => string
  newEntryId?: () => string
  /** After every sync: the armed rules (see armedSymbols) may have changed. */
  armedMayHaveChanged?: () => void
}

/**
 * Alerts in the host: the rules and inbox, what the engine is told about them, and what the user
 * is told when one fires. Every call returns the new state; events go out through `emit`.
 */
export class AlertCenter {
  readonly rules: AlertRules
  readonly inbox: AlertInbox
  private readonly policy: NotificationPolicy
  private sentRulesKey: string | null = null
  private sentSymbolsKey: string | null = null
  private expiryTimer: unknown = null

  constructor(private readonly deps: AlertCenterDeps) {
    this.rules = new AlertRules({ store: deps.store, now: deps.now, newId: deps.newRuleId })
    this.inbox = new AlertInbox({ store: deps.store, newId: deps.newEntryId })
    this.policy = new NotificationPolicy({
      now: deps.now,
      timers: deps.timers,
      settings: deps.notificationSettings,
      deliver: deps.deliver,
      localMinutes: deps.localMinutes,
      summaryDelayMs: deps.summaryDelayMs
    })
    // Watchlists may have changed while the app was closed (or the file was repaired).
    this.rules.reconcile(deps.watchlists())
  }

  get state(): AlertsState {
    return { rules: [...this.rules.rules], inbox: [...this.inbox.entries], unread: this.inbox.unread }
  }

  /** Symbols of rules that could fire now (enabled, not suspended, expired or snoozed). */
  armedSymbols(): string[] {
    return armedAlertSymbols(this.rules.rules, this.deps.watchlists(), this.deps.now())
  }

  create(input: AlertRuleInput): AlertsState {
    this.rules.create(input, this.deps.watchlists())
    return this.changed(true)
  }

  update(id: string, changes: AlertRuleChanges): AlertsState {
    this.rules.update(id, changes, this.deps.watchlists())
    return this.changed(true)
  }

  delete(id: string): AlertsState {
    this.rules.delete(id)
    return this.changed(true)
  }

  snooze(id: string, minutes: number): AlertsState {
    this.rules.snooze(id, minutes)
    return this.changed(true)
  }

  markRead(ids?: readonly string[]): AlertsState {
    return this.inbox.markRead(ids) ? this.changed(false) : this.state
  }

  clearInbox(): AlertsState {
    return this.inbox.clear() ? this.changed(false) : this.state
  }

  /** After any watchlist edit: suspend or revive rules and re-expand watchlist rules. */
  watchlistsChanged(previous: WatchlistsState): void {
    if (this.rules.reconcile(this.deps.watchlists(), previous)) this.deps.emit('alerts', this.state)
    this.syncEngine(false)
  }

  /**
   * Tells the engine the rules and the symbols they need, when either changed since last told;
   * `force` after the engine (re)started, since a fresh engine knows no rules.
   */
  syncEngine(force: boolean): void {
    this.scheduleExpiry()
    this.deps.armedMayHaveChanged?.()
    if (!this.deps.engineReady()) return
    const now = this.deps.now()
    const lists = this.deps.watchlists()
    const rules = toEngineRules(this.rules.rules, lists, this.rules.lastFired, now)
    const symbols = alertSymbols(this.rules.rules, lists, now)
    const rulesKey = JSON.stringify(rules)
    const symbolsKey = symbols.join('\n')
    if (force || symbolsKey !== this.sentSymbolsKey) {
      this.sentSymbolsKey = symbolsKey
      this.deps.send({ type: 'set-interest', consumer: ALERTS_CONSUMER, symbols })
    }
    if (force || rulesKey !== this.sentRulesKey) {
      this.sentRulesKey = rulesKey
      this.deps.send({ type: 'set-alert-rules', rules })
    }
  }

  /** An 'alert-fired' event from the engine: inbox, events, then the notification policy. */
  handleFiring(raw: unknown): void {
    const parsed = AlertFiringSchema.safeParse(raw)
    if (!parsed.success) throw new Error('malformed alert-fired event')
    const firing = parsed.data
    const recorded = this.rules.recordFiring(firing, this.deps.watchlists())
    if (recorded === null) {
      this.deps.log('debug', `Ignored a firing of alert ${firing.ruleId} for ${firing.symbol}: the rule no longer applies.`)
      return
    }
    const { rule } = recorded
    const entry = this.inbox.add(firing, rule.note)
    this.deps.emit('alertFired', entry)
    this.deps.emit('alerts', this.state)
    const title = (firing.catchUp ? 'While you were away: ' : '') + alertTitle(firing.symbol, rule.condition)
    this.policy.notify({ symbol: firing.symbol, title, body: rule.note === '' ? firing.message : `${firing.message}\n${rule.note}` })
    // The engine keeps its own fire memory; it only needs telling when a rule switched itself off.
    if (recorded.disabled) this.syncEngine(false)
  }

  dispose(): void {
    this.policy.dispose()
    if (this.expiryTimer !== null) this.deps.timers.clearTimeout(this.expiryTimer)
    this.expiryTimer = null
  }

  private changed(rulesChanged: boolean): AlertsState {
    const state = this.state
    this.deps.emit('alerts', state)
    if (rulesChanged) this.syncEngine(false)
    return state
  }

  /** Re-syncs when the next rule expires or wakes from a snooze, so fetching and priorities follow. */
  private scheduleExpiry(): void {
    if (this.expiryTimer !== null) this.deps.timers.clearTimeout(this.expiryTimer)
    this.expiryTimer = null
    const now = this.deps.now()
    let next = Number.POSITIVE_INFINITY
    for (const rule of this.rules.rules) {
      if (!rule.enabled || rule.suspendedReason !== null) continue
      if (rule.expiresAt !== null && rule.expiresAt > now) next = Math.min(next, rule.expiresAt)
      if (rule.snoozedUntil !== null && rule.snoozedUntil > now) next = Math.min(next, rule.snoozedUntil)
    }
    if (next === Number.POSITIVE_INFINITY) return
    // Capped so a far-off expiry never overflows the timer; the next sync re-arms it.
    this.expiryTimer = this.deps.timers.setTimeout(() => {
      this.expiryTimer = null
      this.syncEngine(false)
    }, Math.min(next - now + 1, 2 ** 31 - 1))
  }
}
