import type { EngineState } from '../shared/ipc/contract'
import {
  EngineCommandSchema,
  EngineEventSchema,
  type EngineCommand,
  type EngineConfig,
  type EngineEvent
} from '../shared/ipc/engine-protocol'
import { backoffDelay, type BackoffOptions } from '../engine/backoff'
import { systemTimers, type Timers } from '../engine/timers'
import type { EngineChild, EngineHandle, SpawnEngine } from './engine-handle'

type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface EngineManagerOptions {
  spawn: SpawnEngine
  log?: (level: LogLevel, message: string) => void
  timers?: Timers
  now?: () => number
  /** Delay before restarting a crashed engine, doubling per crash up to maxMs. */
  backoff?: BackoffOptions
  /** A child that ran this long before dying counts as a fresh start: the backoff resets. */
  stableAfterMs?: number
  /** A child that has not said 'ready' by then is killed and replaced. */
  readyTimeoutMs?: number
  /** How long dispose() waits after 'shutdown' before killing the child. */
  shutdownGraceMs?: number
  /** Launches that may fail before the first 'ready' until start() gives up (a broken install). */
  maxStartAttempts?: number
}

export const DEFAULT_ENGINE_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000 }

interface Waiter {
  resolve(): void
  reject(error: Error): void
}

/**
 * Runs the engine as a child process and keeps it running: restarts it with backoff after a
 * crash and replays the last configuration, every consumer's interest and the power state, so
 * the restarted engine picks up exactly where the old one stopped.
 */
export class EngineManager implements EngineHandle {
  private currentState: EngineState = 'starting'
  private child: EngineChild | null = null
  private childAlive = false
  private childReady = false
  private readyAt = 0
  private crashes = 0
  private started = false
  private everReady = false
  private failedStarts = 0
  private disposing: Promise<void> | null = null
  private restartTimer: unknown = null
  private readyTimer: unknown = null
  private startWaiters: Waiter[] = []
  private exitWaiters: (() => void)[] = []

  private lastConfig: EngineConfig | null = null
  /** What the host restored plus every usage report since; null while there is neither. */
  private quotaUsage: Record<string, unknown> | null = null
  private priority: string[] | null = null
  private readonly interests = new Map<string, string[]>()
  private suspended = false

  private readonly eventListeners = new Set<(event: EngineEvent) => void>()
  private readonly stateListeners = new Set<(state: EngineState) => void>()
  private readonly timers: Timers
  private readonly now: () => number
  private readonly backoff: BackoffOptions
  private readonly stableAfterMs: number
  private readonly readyTimeoutMs: number
  private readonly shutdownGraceMs: number
  private readonly maxStartAttempts: number

  constructor(private readonly options: EngineManagerOptions) {
    this.timers = options.timers ?? systemTimers
    this.now = options.now ?? Date.now
    this.backoff = options.backoff ?? DEFAULT_ENGINE_BACKOFF
    this.stableAfterMs = options.stableAfterMs ?? 30_000
    this.readyTimeoutMs = options.readyTimeoutMs ?? 15_000
    this.shutdownGraceMs = options.shutdownGraceMs ?? 2_000
    this.maxStartAttempts = options.maxStartAttempts ?? 3
  }

  get state(): EngineState {
    return this.currentState
  }

  /** Resolves once the first engine process reports 'ready'. */
  start(): Promise<void> {
    if (this.currentState === 'stopped') return Promise.reject(new Error('The quote engine has been shut down.'))
    if (this.childReady) return Promise.resolve()
    const ready = new Promise<void>((resolve, reject) => this.startWaiters.push({ resolve, reject }))
    if (!this.started) {
      this.started = true
      this.launch()
    }
    return ready
  }

  send(command: EngineCommand): void {
    if (this.currentState === 'stopped') return
    const parsed = EngineCommandSchema.safeParse(command)
    if (!parsed.success) {
      this.log('warn', `Dropped an invalid engine command: ${parsed.error.issues[0]?.message ?? 'unreadable'}`)
      return
    }
    const valid = parsed.data
    this.remember(valid)
    // Until the engine is ready the remembered state is replayed in full, so nothing is lost.
    if (this.childReady) this.post(valid)
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.eventListeners.add(listener)
    return () => this.eventListeners.delete(listener)
  }

  onState(listener: (state: EngineState) => void): () => void {
    this.stateListeners.add(listener)
    return () => this.stateListeners.delete(listener)
  }

  dispose(): Promise<void> {
    this.disposing ??= this.shutdown()
    return this.disposing
  }

  private remember(command: EngineCommand): void {
    switch (command.type) {
      case 'configure':
        this.lastConfig = command.config
        break
      case 'set-interest':
        this.interests.set(command.consumer, command.symbols)
        break
      case 'drop-consumer':
        this.interests.delete(command.consumer)
        break
      case 'power':
        this.suspended = command.state === 'suspend'
        break
      case 'restore-quota-usage':
        this.quotaUsage = { ...this.quotaUsage, ...command.usage }
        break
      case 'set-priority':
        this.priority = command.symbols
        break
      default:
        break
    }
  }

  private launch(): void {
    this.restartTimer = null
    if (this.currentState === 'stopped') return
    let child: EngineChild
    try {
      child = this.options.spawn()
    } catch (error) {
      this.launchFailed(`Could not start the quote engine: ${describe(error)}`)
      return
    }
    this.child = child
    this.childAlive = true
    this.childReady = false
    child.onMessage((message) => {
      if (this.child === child) this.receive(child, message)
    })
    child.onSpawn(() => {
      if (this.child === child) this.log('debug', `Quote engine process ${child.pid ?? '?'} started.`)
    })
    child.onExit((code) => this.exited(child, code))
    this.readyTimer = this.timers.setTimeout(() => {
      this.readyTimer = null
      if (this.child !== child || this.childReady) return
      this.log('error', `The quote engine did not start within ${Math.round(this.readyTimeoutMs / 1000)} s; restarting it.`)
      this.kill(child)
    }, this.readyTimeoutMs)
  }

  private receive(child: EngineChild, message: unknown): void {
    const parsed = EngineEventSchema.safeParse(message)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''
      this.log('warn', `Dropped a malformed message from the quote engine${where}: ${issue?.message ?? 'unreadable'}`)
      return
    }
    const event = parsed.data
    if (event.type === 'ready') {
      this.ready(child)
      return
    }
    // Kept for the next engine: the one that crashed cannot report its final usage.
    if (event.type === 'quota-usage') (this.quotaUsage ??= {})[event.provider] = event.snapshot
    for (const listener of [...this.eventListeners]) {
      try {
        listener(event)
      } catch (error) {
        this.log('error', `An engine event listener failed: ${describe(error)}`)
      }
    }
  }

  private ready(child: EngineChild): void {
    if (this.childReady) return
    this.clearReadyTimer()
    this.childReady = true
    this.everReady = true
    this.readyAt = this.now()
    this.replay(child)
    this.setState('running')
    const waiters = this.startWaiters
    this.startWaiters = []
    for (const waiter of waiters) waiter.resolve()
  }

  /**
   * A fresh engine knows nothing: give it the quota already spent and the priorities (before
   * configure, so no provider starts with a fresh budget and the first plan favours the right
   * rows), the configuration, every interest and the power state.
   */
  private replay(child: EngineChild): void {
    if (this.quotaUsage !== null) this.postTo(child, { type: 'restore-quota-usage', usage: { ...this.quotaUsage } })
    if (this.priority !== null) this.postTo(child, { type: 'set-priority', symbols: this.priority })
    if (this.lastConfig !== null) this.postTo(child, { type: 'configure', config: this.lastConfig })
    for (const [consumer, symbols] of this.interests) this.postTo(child, { type: 'set-interest', consumer, symbols })
    if (this.suspended) this.postTo(child, { type: 'power', state: 'suspend' })
  }

  private exited(child: EngineChild, code: number | null): void {
    if (this.child !== child || !this.childAlive) return
    this.childAlive = false
    this.clearReadyTimer()
    const wasReady = this.childReady
    this.childReady = false
    const waiters = this.exitWaiters
    this.exitWaiters = []
    for (const resolve of waiters) resolve()
    if (this.disposing !== null || this.currentState === 'stopped') return

    if (!this.everReady) {
      this.launchFailed(`The quote engine exited while starting (exit code ${code ?? 'none'}).`)
      return
    }
    if (wasReady && this.now() - this.readyAt >= this.stableAfterMs) this.crashes = 0
    this.log('error', `The quote engine stopped unexpectedly (exit code ${code ?? 'none'}); restarting it.`)
    this.setState('reconnecting')
    this.scheduleRestart()
  }

  /** Before the first 'ready' a few retries cover a slow machine; a crash loop means a broken install. */
  private launchFailed(message: string): void {
    this.log('error', message)
    if (this.everReady) {
      this.setState('reconnecting')
      this.scheduleRestart()
      return
    }
    this.failedStarts++
    if (this.failedStarts < this.maxStartAttempts) {
      this.scheduleRestart()
      return
    }
    const waiters = this.startWaiters
    this.startWaiters = []
    this.disposing ??= Promise.resolve()
    this.setState('stopped')
    const error = new Error(`${message} Gave up after ${this.maxStartAttempts} attempts.`)
    for (const waiter of waiters) waiter.reject(error)
  }

  private scheduleRestart(): void {
    if (this.restartTimer !== null || this.currentState === 'stopped') return
    this.crashes++
    const delay = backoffDelay(this.crashes, this.backoff)
    this.restartTimer = this.timers.setTimeout(() => this.launch(), delay)
  }

  private post(command: EngineCommand): void {
    if (this.child !== null) this.postTo(this.child, command)
  }

  /** Posting to a dead child has crashed Electron's main process before: guard on both flags. */
  private postTo(child: EngineChild, command: EngineCommand): void {
    if (child !== this.child || !this.childAlive || child.pid === undefined) return
    try {
      child.postMessage(command)
    } catch (error) {
      this.log('warn', `Could not reach the quote engine: ${describe(error)}`)
    }
  }

  private async shutdown(): Promise<void> {
    const child = this.child
    const alive = this.childAlive
    this.setState('stopped')
    if (this.restartTimer !== null) this.timers.clearTimeout(this.restartTimer)
    this.restartTimer = null
    this.clearReadyTimer()
    const waiters = this.startWaiters
    this.startWaiters = []
    for (const waiter of waiters) waiter.reject(new Error('The quote engine was shut down before it started.'))
    if (child === null || !alive) return

    const exited = new Promise<void>((resolve) => this.exitWaiters.push(resolve))
    this.postTo(child, { type: 'shutdown' })
    let graceTimer: unknown = null
    const graceOver = new Promise<'timeout'>((resolve) => {
      graceTimer = this.timers.setTimeout(() => resolve('timeout'), this.shutdownGraceMs)
    })
    const outcome = await Promise.race([exited.then(() => 'exited' as const), graceOver])
    this.timers.clearTimeout(graceTimer)
    if (outcome === 'timeout') {
      this.log('warn', 'The quote engine did not stop in time; killing it.')
      this.kill(child)
    }
  }

  private kill(child: EngineChild): void {
    try {
      child.kill()
    } catch (error) {
      this.log('warn', `Could not stop the quote engine process: ${describe(error)}`)
    }
  }

  private clearReadyTimer(): void {
    if (this.readyTimer !== null) this.timers.clearTimeout(this.readyTimer)
    this.readyTimer = null
  }

  private setState(state: EngineState): void {
    if (this.currentState === state) return
    this.currentState = state
    for (const listener of [...this.stateListeners]) {
      try {
        listener(state)
      } catch (error) {
        this.log('error', `An engine state listener failed: ${describe(error)}`)
      }
    }
  }

  private log(level: LogLevel, message: string): void {
    try {
      this.options.log?.(level, message)
    } catch {
      // Logging must never break engine supervision.
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
