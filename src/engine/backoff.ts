export interface BackoffOptions {
  /** Delay after the first failure. */
  initialMs: number
  /** Ceiling, so a long outage still retries at a steady pace. */
  maxMs: number
}

/** Exponential backoff: `initialMs * 2^(attempt-1)` capped at `maxMs`; attempt counts from 1. */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30))
  return Math.min(options.maxMs, options.initialMs * 2 ** exponent)
}
