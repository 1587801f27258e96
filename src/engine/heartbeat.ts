import { createTask, type ScheduledTask } from 'node-cron'

/** A steady tick that drives polling; injected so tests can tick by hand. */
export interface Heartbeat {
  start(onTick: () => void): void
  stop(): void
}

/** Every second, seconds-first six-field cron expression. */
export const HEARTBEAT_EXPRESSION = '* * * * * *'

/**
 * node-cron heartbeat. Missed fires (machine asleep) are not replayed by cron; the host forwards
 * power 'resume' so the scheduler catches up instead.
 */
export function createCronHeartbeat(options: { unref?: boolean } = {}): Heartbeat {
  let task: ScheduledTask | null = null
  return {
    start(onTick) {
      if (task !== null) return
      task = createTask(HEARTBEAT_EXPRESSION, () => onTick(), {
        name: 'tickerdesk-heartbeat',
        noOverlap: true,
        suppressMissedWarning: true,
        unref: options.unref ?? false
      })
      void task.start()
    },
    stop() {
      if (task === null) return
      const stopping = task
      task = null
      void Promise.resolve(stopping.destroy()).catch(() => undefined)
    }
  }
}
