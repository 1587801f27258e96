import type { EngineEvent } from '../shared/ipc/engine-protocol'

/** The link to the host, whichever way this process was started. */
export interface EnginePort {
  readonly kind: 'utility' | 'fork'
  onMessage(listener: (data: unknown) => void): void
  post(message: EngineEvent): void
  /** The host went away; not reported for utility processes, which Electron ends with their parent. */
  onDisconnect(listener: () => void): void
  /** Resolves once every posted message has been handed to the host (the last words before exit). */
  drain?(): Promise<void>
}

interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown
  postMessage(message: unknown): void
}

/** The parts of `process` this module uses, so tests can pass a stand-in. */
export interface ProcessLike {
  parentPort?: ParentPortLike
  connected?: boolean
  send?: (message: unknown, callback?: (error: Error | null) => void) => boolean
  on(event: 'message', listener: (message: unknown) => void): unknown
  on(event: 'disconnect', listener: () => void): unknown
}

/**
 * Prefers Electron's `process.parentPort` (utilityProcess) and falls back to the IPC channel
 * of `child_process.fork`, so one built bundle runs under both. Null when neither exists.
 */
export function createEnginePort(proc: ProcessLike): EnginePort | null {
  // Typed as always present under Electron's typings; at run time only a utility process has it.
  const parentPort = proc.parentPort
  if (parentPort && typeof parentPort.postMessage === 'function') {
    return {
      kind: 'utility',
      onMessage(listener) {
        parentPort.on('message', (event) => listener(event?.data))
      },
      post(message) {
        parentPort.postMessage(message)
      },
      onDisconnect() {}
    }
  }
  const send = proc.send
  if (typeof send !== 'function') return null
  // process.send writes asynchronously: exiting at once could drop the final usage report.
  let pending = 0
  const drained: (() => void)[] = []
  const settled = (): void => {
    pending--
    if (pending > 0) return
    for (const resolve of drained.splice(0)) resolve()
  }
  return {
    kind: 'fork',
    onMessage(listener) {
      proc.on('message', (message) => listener(message))
    },
    post(message) {
      if (proc.connected === false) return
      pending++
      // The callback swallows EPIPE when the host vanished mid-send; the disconnect handler cleans up.
      try {
        send.call(proc, message, settled)
      } catch (error) {
        settled()
        throw error
      }
    },
    drain() {
      if (pending === 0 || proc.connected === false) return Promise.resolve()
      return new Promise((resolve) => drained.push(resolve))
    },
    onDisconnect(listener) {
      proc.on('disconnect', listener)
    }
  }
}
