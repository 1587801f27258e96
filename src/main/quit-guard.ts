export type QuitLog = (level: 'info' | 'warn' | 'error', message: string) => void

export interface QuitGuardOptions {
  /** Flushes state and stops the engine; run once per app run. */
  dispose: () => Promise<void>
  /** Called again once dispose settles; the guard then lets the quit through. */
  quit: () => void
  log?: QuitLog
  /** A hung dispose must never keep the app from closing. */
  timeoutMs?: number
}

export const DEFAULT_QUIT_TIMEOUT_MS = 5_000

/**
 * The 'before-quit' handler: the first quit is held back until dispose() has flushed the
 * quote cache and stopped the engine (or timed out), then the app quits for real. Further quit
 * requests while that runs are held too, so dispose runs exactly once.
 */
export function createQuitGuard({
  dispose,
  quit,
  log = () => {},
  timeoutMs = DEFAULT_QUIT_TIMEOUT_MS
}: QuitGuardOptions): (event: { preventDefault(): void }) => void {
  let phase: 'running' | 'disposing' | 'done' = 'running'
  return (event) => {
    if (phase === 'done') return
    event.preventDefault()
    if (phase === 'disposing') return
    phase = 'disposing'
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        log('warn', `Shutdown took longer than ${timeoutMs} ms; quitting anyway`)
        resolve()
      }, timeoutMs)
    })
    const disposed = Promise.resolve()
      .then(dispose)
      .catch((error: unknown) => log('error', `Shutdown failed: ${error instanceof Error ? error.message : String(error)}`))
    void Promise.race([disposed, timeout]).then(() => {
      clearTimeout(timer)
      phase = 'done'
      quit()
    })
  }
}
