import { PROVIDER_IDS, type ProviderId } from '../../shared/providers'

/** What a provider has been charged: enough to rebuild every window after a restart. */
export interface QuotaUsageSnapshot {
  version: 1
  provider: ProviderId
  /** UTC calendar day (YYYY-MM-DD) that `dayUsed` belongs to. */
  day: string
  dayUsed: number
  /** [epoch ms, cost] of the requests still inside the longest sliding window. */
  recent: [number, number][]
  lastRequestAt: number | null
}

export const DAY_MS = 86_400_000

export function utcDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10)
}

/** The next 00:00 UTC after `time`, when daily budgets reset. */
export function nextUtcMidnight(time: number): number {
  return (Math.floor(time / DAY_MS) + 1) * DAY_MS
}

/** Checks a snapshot read back from disk; a plain-words problem, or null when usable. */
export function usageSnapshotProblem(value: unknown, provider: ProviderId): string | null {
  const s = value as Partial<QuotaUsageSnapshot> | null
  if (typeof s !== 'object' || s === null) return 'the saved quota usage is not an object'
  if (s.version !== 1) return 'the saved quota usage has an unknown version'
  if (!(PROVIDER_IDS as readonly string[]).includes(s.provider as string)) return 'the saved quota usage names no known provider'
  if (s.provider !== provider) return `the saved quota usage belongs to ${String(s.provider)}, not ${provider}`
  if (typeof s.day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s.day)) return 'the saved quota usage has no valid day'
  if (typeof s.dayUsed !== 'number' || !Number.isFinite(s.dayUsed) || s.dayUsed < 0) {
    return 'the saved daily usage is not a number of at least 0'
  }
  if (!Array.isArray(s.recent)) return 'the saved recent requests are not a list'
  for (const entry of s.recent) {
    if (!Array.isArray(entry) || entry.length !== 2 || !entry.every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0)) {
      return 'a saved recent request is not a [time, cost] pair'
    }
  }
  if (s.lastRequestAt !== null && (typeof s.lastRequestAt !== 'number' || !Number.isFinite(s.lastRequestAt))) {
    return 'the saved last request time is not a number'
  }
  return null
}
