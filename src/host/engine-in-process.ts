import type { EngineState } from '../shared/ipc/contract'
import { EngineCommandSchema, EngineEventSchema, type EngineCommand, type EngineEvent } from '../shared/ipc/engine-protocol'
import { Engine, type EngineDeps, type LogLevel } from '../engine/engine'
import { createProvider, type ProviderEnv } from '../engine/providers'
import { createDirectorySource, createSearchSource, searchEngineDeps } from '../engine/search/search-sources'
import type { EngineHandle } from './engine-handle'
import { effectiveQuota } from '../engine/quota/provider-quotas'
import { quotaOverridesFrom } from '../engine/provider-settings-env'

export interface InProcessEngineOptions {
  env: ProviderEnv
  log?: (level: LogLevel, message: string) => void
  now?: () => number
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
    // Settings (saved API keys, plan) are spread over the environment: a key saved in the app wins.
    createProvider: (id, settings) =>
      createProvider(id, { now, log: (level, message) => deliver({ type: 'log', level, message }) }, { ...options.env, ...settings }),
    ...searchEngineDeps({ now, log: (level, message) => deliver({ type: 'log', level, message }) }, options.env),
    createSearchSource: (id, settings) =>
      createSearchSource(id, { now, log: (level, message) => deliver({ type: 'log', level, message }) }, { ...options.env, ...settings }),
    createDirectorySource: (id, settings) =>
      createDirectorySource(id, { now, log: (level, message) => deliver({ type: 'log', level, message }) }, { ...options.env, ...settings }),
    // Every provider's free-tier budget, with the user's plan settings over it.
    quotaFor: (id, providerLimits) => effectiveQuota(id, quotaOverridesFrom(providerLimits)),
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
