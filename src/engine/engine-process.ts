import { EngineCommandSchema, type EngineEvent } from '../shared/ipc/engine-protocol'
import { Engine, type EngineDeps, type LogLevel } from './engine'
import type { EnginePort } from './port-adapter'
import { productionEngineDeps } from './engine-deps'
import type { ProviderEnv } from './providers'

/** Longest wait for the last messages to reach the host on shutdown. */
const DRAIN_TIMEOUT_MS = 1_000

export interface EngineProcessOptions {
  port: EnginePort
  env: ProviderEnv
  pid: number
  exit(code: number): void
  now?: () => number
  /** Local diagnostics (stderr); the host hears about problems through 'log' events. */
  log?: (level: LogLevel, message: string) => void
  /** Test seams passed on to the Engine. */
  engineDeps?: Partial<Pick<EngineDeps, 'createHeartbeat' | 'timers' | 'createLimiter'>>
}

export interface EngineProcess {
  readonly engine: Engine
  shutdown(): Promise<void>
}

/** Wires an Engine to its host port: ready on start, commands in, events out, clean shutdown. */
export function runEngineProcess(options: EngineProcessOptions): EngineProcess {
  const { port } = options
  const now = options.now ?? Date.now
  const post = (event: EngineEvent): void => {
    try {
      port.post(event)
    } catch {
      // The host is gone; the disconnect handler ends this process.
    }
  }
  const engine = new Engine({
    now,
    emit: post,
    log: options.log ?? (() => undefined),
    ...productionEngineDeps({ env: options.env, now, streams: true, log: (level, message) => post({ type: 'log', level, message }) }),
    ...options.engineDeps
  })

  let stopping: Promise<void> | null = null
  const shutdown = (): Promise<void> => {
    stopping ??= engine
      .dispose()
      .catch((error: unknown) => post({ type: 'log', level: 'error', message: `Engine shutdown failed: ${String(error)}` }))
      // The final quota usage must reach the host before the process ends, but a stuck pipe must not keep it alive.
      .then(() => drain(port, DRAIN_TIMEOUT_MS))
      .finally(() => options.exit(0))
    return stopping
  }

  port.onMessage((data) => {
    const parsed = EngineCommandSchema.safeParse(data)
    if (parsed.success && parsed.data.type === 'shutdown') void shutdown()
    else engine.handle(data)
  })
  port.onDisconnect(() => void shutdown())
  post({ type: 'ready', pid: options.pid })
  return { engine, shutdown }
}

function drain(port: EnginePort, timeoutMs: number): Promise<void> {
  if (port.drain === undefined) return Promise.resolve()
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))
  return Promise.race([port.drain().catch(() => undefined), timeout]).finally(() => clearTimeout(timer))
}
