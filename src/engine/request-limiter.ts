import Bottleneck from 'bottleneck'
import type { ProviderLimits } from './providers/provider'

/** Lower runs first; new symbols jump ahead of routine refreshes. */
export const PRIORITY_URGENT = 3
export const PRIORITY_ROUTINE = 5

/** Spaces and caps one provider's requests. */
export interface RequestLimiter {
  schedule<T>(priority: number, job: () => Promise<T>): Promise<T>
  /** Drops queued jobs (they never run) and lets running ones finish. */
  stop(): Promise<void>
}

export type CreateLimiter = (limits: ProviderLimits) => RequestLimiter

export const createBottleneckLimiter: CreateLimiter = (limits) => {
  const limiter = new Bottleneck({
    minTime: Math.max(0, limits.minTimeMs),
    maxConcurrent: Math.max(1, limits.maxConcurrent)
  })
  let stopped = false
  return {
    schedule(priority, job) {
      return limiter.schedule({ priority }, job)
    },
    async stop() {
      if (stopped) return
      stopped = true
      await limiter.stop({ dropWaitingJobs: true, dropErrorMessage: 'The request was cancelled.' })
    }
  }
}
