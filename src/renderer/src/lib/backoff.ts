/** Reconnect delays: 0.5 s, 1 s, 2 s, … capped, so a restarting host is found quickly without hammering it. */
export interface BackoffOptions {
  initialMs: number
  maxMs: number
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 10_000 }

export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const exponent = Math.min(Math.max(0, attempt), 30)
  return Math.min(options.maxMs, options.initialMs * 2 ** exponent)
}
