import type { AlertRule, EngineAlertRule } from '../../shared/alerts'
import type { WatchlistsState } from '../../shared/ipc/contract'
import type { LastFired } from '../state/alerts-store'

/**
 * Pure mapping from the user's rules and watchlists to what the engine evaluates. Rules only ever
 * watch symbols that are in a watchlist, so removing a symbol or a list can never leave an alert
 * firing for something the user no longer sees.
 */

export function symbolInNoListReason(symbol: string): string {
  return `${symbol} is no longer in any watchlist`
}

export function deletedListReason(name: string | undefined): string {
  return name === undefined ? 'Its watchlist was deleted' : `The watchlist "${name}" was deleted`
}

/**
 * Why the rule cannot be evaluated under these watchlists, or null when it can. `previous` (the
 * lists before an edit) names a list that was just deleted; an existing reason is kept otherwise.
 */
export function suspensionReason(rule: AlertRule, lists: WatchlistsState, previous?: WatchlistsState): string | null {
  const { target } = rule
  if (target.type === 'symbol') {
    const listed = lists.lists.some((l) => l.symbols.includes(target.symbol))
    return listed ? null : symbolInNoListReason(target.symbol)
  }
  if (lists.lists.some((l) => l.id === target.listId)) return null
  const name = previous?.lists.find((l) => l.id === target.listId)?.name
  if (name === undefined && rule.suspendedReason !== null) return rule.suspendedReason
  return deletedListReason(name)
}

/** The symbols a rule applies to right now (a watchlist rule follows its list's current symbols). */
export function ruleSymbols(rule: AlertRule, lists: WatchlistsState): string[] {
  const { target } = rule
  if (target.type === 'symbol') return [target.symbol]
  return [...(lists.lists.find((l) => l.id === target.listId)?.symbols ?? [])]
}

/** Enabled, not suspended and not expired: worth sending to the engine and fetching prices for. */
export function isLive(rule: AlertRule, now: number): boolean {
  return rule.enabled && rule.suspendedReason === null && (rule.expiresAt === null || rule.expiresAt > now)
}

export function toEngineRules(rules: readonly AlertRule[], lists: WatchlistsState, lastFired: LastFired, now: number): EngineAlertRule[] {
  const result: EngineAlertRule[] = []
  for (const rule of rules) {
    if (!isLive(rule, now)) continue
    const symbols = ruleSymbols(rule, lists)
    if (symbols.length === 0) continue
    const fired = lastFired[rule.id] ?? {}
    const relevant: Record<string, number> = {}
    for (const symbol of symbols) if (fired[symbol] !== undefined) relevant[symbol] = fired[symbol]
    result.push({
      id: rule.id,
      symbols,
      condition: rule.condition,
      trigger: rule.trigger,
      rearmPercent: rule.rearmPercent,
      expiresAt: rule.expiresAt,
      snoozedUntil: rule.snoozedUntil,
      lastFired: relevant
    })
  }
  return result
}

/** Every symbol some live rule watches, sorted so that equal sets compare equal. */
export function alertSymbols(rules: readonly AlertRule[], lists: WatchlistsState, now: number): string[] {
  const symbols = new Set<string>()
  for (const rule of rules) if (isLive(rule, now)) for (const symbol of ruleSymbols(rule, lists)) symbols.add(symbol)
  return [...symbols].sort()
}

/** Live and not snoozed: a rule that could fire now, so its prices deserve a larger share of the quota. */
export function isArmed(rule: AlertRule, now: number): boolean {
  return isLive(rule, now) && (rule.snoozedUntil === null || rule.snoozedUntil <= now)
}

/** Every symbol some armed rule watches, sorted. */
export function armedAlertSymbols(rules: readonly AlertRule[], lists: WatchlistsState, now: number): string[] {
  const symbols = new Set<string>()
  for (const rule of rules) if (isArmed(rule, now)) for (const symbol of ruleSymbols(rule, lists)) symbols.add(symbol)
  return [...symbols].sort()
}
