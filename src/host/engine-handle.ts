import type { EngineState } from '../shared/ipc/contract'
import type { EngineCommand, EngineEvent } from '../shared/ipc/engine-protocol'

/**
 * A running engine process as the manager sees it: Electron's utilityProcess and Node's
 * child_process.fork both fit behind this.
 */
export interface EngineChild {
  readonly pid: number | undefined
  postMessage(message: unknown): void
  onMessage(listener: (message: unknown) => void): void
  /** Fires once when the process is up (utilityProcess 'spawn'). */
  onSpawn(listener: () => void): void
  onExit(listener: (code: number | null) => void): void
  kill(): void
}

export type SpawnEngine = () => EngineChild

/** What the host core needs from "an engine", wherever it runs. */
export interface EngineHandle {
  readonly state: EngineState
  start(): Promise<void>
  send(command: EngineCommand): void
  onEvent(listener: (event: EngineEvent) => void): () => void
  onState(listener: (state: EngineState) => void): () => void
  dispose(): Promise<void>
}
