import { fork, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { ENGINE_EXEC_ARGV } from './engine-exec-argv'
import type { EngineChild } from './engine-handle'

export interface SpawnNodeEngineOptions {
  env?: NodeJS.ProcessEnv
  /** Added after ENGINE_EXEC_ARGV, so a caller's flag overrides the default one. */
  execArgv?: string[]
  /** When given, the engine's stdout/stderr lines go here; otherwise they are inherited. */
  log?: (level: 'info' | 'warn', message: string) => void
}

/**
 * Starts the built engine (out/main/engine.js) with child_process.fork, for hosts without
 * Electron (web shell, tests). Mirrors utilityProcess semantics: pid is undefined once exited.
 */
export function spawnNodeEngine(enginePath: string, options: SpawnNodeEngineOptions = {}): EngineChild {
  const log = options.log
  const child = fork(enginePath, [], {
    env: options.env ?? process.env,
    execArgv: [...ENGINE_EXEC_ARGV, ...(options.execArgv ?? [])],
    stdio: log ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'json'
  })
  if (log) {
    pipeLines(child.stdout, (line) => log('info', `engine: ${line}`))
    pipeLines(child.stderr, (line) => log('warn', `engine: ${line}`))
  }

  let exited = false
  const exitListeners: ((code: number | null) => void)[] = []
  const markExited = (code: number | null): void => {
    if (exited) return
    exited = true
    for (const listener of exitListeners) listener(code)
  }
  child.once('exit', (code) => markExited(code))
  // A failed spawn emits 'error' and may never emit 'exit'.
  child.on('error', () => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) markExited(child.exitCode)
  })

  return {
    get pid() {
      return exited ? undefined : child.pid
    },
    postMessage(message) {
      if (exited || !child.connected) return
      child.send(message as Parameters<ChildProcess['send']>[0], (error) => {
        // EPIPE and friends while the child dies: the 'exit' handler reports the real story.
        void error
      })
    },
    onMessage(listener) {
      child.on('message', (message) => listener(message))
    },
    onSpawn(listener) {
      child.once('spawn', listener)
    },
    onExit(listener) {
      exitListeners.push(listener)
    },
    kill() {
      if (!exited) child.kill('SIGTERM')
    }
  }
}

function pipeLines(stream: Readable | null, onLine: (line: string) => void): void {
  if (stream === null) return
  createInterface({ input: stream }).on('line', (line) => {
    if (line.trim() !== '') onLine(line)
  })
}
