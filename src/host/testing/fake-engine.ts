import type { EngineState } from '../../shared/ipc/contract'
import type { EngineCommand, EngineEvent } from '../../shared/ipc/engine-protocol'
import type { EngineHandle } from '../engine-handle'

/** An EngineHandle for tests: records what it is sent and lets the test play the engine's part. */
export class FakeEngine implements EngineHandle {
  readonly sent: EngineCommand[] = []
  state: EngineState = 'starting'
  startCalls = 0
  disposed = false
  /** When set, start() rejects with this error. */
  failStart: Error | null = null
  private readonly events = new Set<(event: EngineEvent) => void>()
  private readonly states = new Set<(state: EngineState) => void>()

  async start(): Promise<void> {
    this.startCalls++
    if (this.failStart) {
      this.setState('stopped')
      throw this.failStart
    }
    this.setState('running')
  }

  send(command: EngineCommand): void {
    this.sent.push(command)
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.events.add(listener)
    return () => this.events.delete(listener)
  }

  onState(listener: (state: EngineState) => void): () => void {
    this.states.add(listener)
    return () => this.states.delete(listener)
  }

  async dispose(): Promise<void> {
    this.disposed = true
    this.setState('stopped')
  }

  /** Delivers an event as the engine would; the payload is not validated, on purpose. */
  push(event: EngineEvent | Record<string, unknown>): void {
    for (const listener of [...this.events]) listener(event as EngineEvent)
  }

  setState(state: EngineState): void {
    this.state = state
    for (const listener of [...this.states]) listener(state)
  }

  sentOfType<T extends EngineCommand['type']>(type: T): Extract<EngineCommand, { type: T }>[] {
    return this.sent.filter((c): c is Extract<EngineCommand, { type: T }> => c.type === type)
  }

  clearSent(): void {
    this.sent.length = 0
  }
}
