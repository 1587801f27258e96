import type { EngineState } from '../shared/ipc/contract'
import { EngineCommandSchema, EngineEventSchema, type EngineCommand, type EngineEvent } from '../shared/ipc/engine-protocol'
import { Engine, type EngineDeps, type LogLevel } from '../engine/engine'
import { productionEngineDeps } from '../engine/engine-deps'
import type { ProviderEnv } from '../engine/providers'
import type { EngineHandle } from './engine-handle'

export interface InProcessEngineOptions {
  env: ProviderEnv
  log?: (level: LogLevel, message: string) => void
  now?: () => number
  /** Open websocket feeds where a provider has them (a live `watch`); off for one-shot lookups. */
  streams?: boolean
  /** Test seams passed on to the Engine (heartbeat, timers, limiter, provider factory). */
  engineDeps?: Partial<Omit<EngineDeps, 'emit' | 'log' | 'now'>>
}

/**
 * The same Engine, run inside this process (the CLI, tests). Events still pass through
 * EngineEventSchema so consumers see exactly what a forked engine would send.
 */
export function createInProcessEngine(options: InProcessEngineOptions): EngineHandle {
  const log = (level: LogLevel, message: string): void => {
    try {
      options.log?.(level, message)
    } catch {
      // A broken log sink must not break the engine.
    }
  }
  const now = options.now ?? Date.now
  const eventListeners = new Set<(event: EngineEvent) => void>()
  const stateListeners = new Set<(state: EngineState) => void>()
  let state: EngineState = 'starting'
  let disposing: Promise<void> | null = null

  const setState = (next: EngineState): void => {
    if (state === next) return
    state = next
    for (const listener of [...stateListeners]) listener(next)
  }

  const deliver = (raw: EngineEvent): void => {
    const parsed = EngineEventSchema.safeParse(raw)
    if (!parsed.success) {
      log('warn', `Dropped a malformed engine event: ${parsed.error.issues[0]?.message ?? 'unreadable'}`)
      return
    }
    for (const listener of [...eventListeners]) {
      try {
        listener(parsed.data)
      } catch (error) {
        log('error', `An engine event listener failed: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
  }

  const engine = new Engine({
    now,
    emit: deliver,
    log,
    ...productionEngineDeps({
      env: options.env,
      now,
      streams: options.streams ?? false,
      log: (level, message) => deliver({ type: 'log', level, message })
    }),
    ...options.engineDeps
  })

  const dispose = (): Promise<void> => {
    disposing ??= (async () => {
      setState('stopped')
      await engine.dispose()
    })()
    return disposing
  }

  return {
    get state() {
      return state
    },
    start() {
      if (state === 'stopped') return Promise.reject(new Error('The quote engine has been shut down.'))
      setState('running')
      return Promise.resolve()
    },
    send(command: EngineCommand) {
      if (state === 'stopped') return
      const parsed = EngineCommandSchema.safeParse(command)
      if (!parsed.success) {
        log('warn', `Dropped an invalid engine command: ${parsed.error.issues[0]?.message ?? 'unreadable'}`)
        return
      }
      if (parsed.data.type === 'shutdown') void dispose()
      else engine.handle(parsed.data)
    },
    onEvent(listener) {
      eventListeners.add(listener)
      return () => eventListeners.delete(listener)
    },
    onState(listener) {
      stateListeners.add(listener)
      return () => stateListeners.delete(listener)
    },
    dispose
  }
}
