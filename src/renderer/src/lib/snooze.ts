/** The longest snooze the host accepts (one week). */
export const MAX_SNOOZE_MINUTES = 10_080

export interface SnoozeChoice {
  label: string
  /** Minutes from now; 0 ends a snooze. */
  minutes: (now: number) => number
}

/** Whole minutes from `now` to the next local midnight, at least 1. */
export function minutesUntilTomorrow(now: number): number {
  const midnight = new Date(now)
  midnight.setHours(24, 0, 0, 0)
  return Math.max(1, Math.min(MAX_SNOOZE_MINUTES, Math.ceil((midnight.getTime() - now) / 60_000)))
}

export const SNOOZE_CHOICES: readonly SnoozeChoice[] = [
  { label: '15 minutes', minutes: () => 15 },
  { label: '1 hour', minutes: () => 60 },
  { label: 'Until tomorrow', minutes: minutesUntilTomorrow }
]
