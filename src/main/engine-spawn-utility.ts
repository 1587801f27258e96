import { utilityProcess } from 'electron'
import { ENGINE_EXEC_ARGV } from '../host/engine-exec-argv'
import type { EngineChild } from '../host/engine-handle'

export type EngineLog = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void

export interface SpawnUtilityOptions {
  log?: EngineLog
  env?: NodeJS.ProcessEnv
}

/** Name shown in app.getAppMetrics() and in 'child-process-gone' details. */
export const ENGINE_SERVICE_NAME = 'TickerDesk Engine'

/**
 * Runs the engine bundle in an Electron utility process behind the host's EngineChild seam.
 * Messages posted before 'spawn' are queued; messages after 'exit' are dropped, because
 * postMessage on an exited utility process crashed the main process (fixed in electron#53293).
 */
export function spawnUtilityEngine(enginePath: string, options: SpawnUtilityOptions = {}): EngineChild {
  const log: EngineLog = options.log ?? (() => {})
  const child = utilityProcess.fork(enginePath, [], {
    serviceName: ENGINE_SERVICE_NAME,
    stdio: 'pipe',
    execArgv: [...ENGINE_EXEC_ARGV],
    ...(options.env ? { env: options.env } : {})
  })
  let spawned = false
  let exited = false
  const pending: unknown[] = []

  pipeLines(child.stdout, (line) => log('info', `[engine] ${line}`))
  pipeLines(child.stderr, (line) => log('warn', `[engine] ${line}`))

  child.once('spawn', () => {
    spawned = true
    for (const message of pending.splice(0)) send(message)
  })
  child.once('exit', () => {
    exited = true
    if (pending.length > 0) log('warn', `Dropped ${pending.length} message(s) for the engine, which exited before starting`)
    pending.length = 0
  })
  child.on('error', (type, location) => log('error', `Engine process ${type} at ${location}`))

  function send(message: unknown): void {
    if (exited || child.pid === undefined) {
      log('warn', 'Dropped a message for the engine because its process has exited')
      return
    }
    child.postMessage(message)
  }

  return {
    get pid() {
      return child.pid
    },
    postMessage(message) {
      if (!spawned && !exited) pending.push(message)
      else send(message)
    },
    onMessage(listener) {
      child.on('message', listener)
    },
    onSpawn(listener) {
      child.once('spawn', listener)
    },
    onExit(listener) {
      child.once('exit', (code) => listener(code))
    },
    kill() {
      // Killing before 'spawn' is allowed so a quit during start-up leaves no orphan.
      if (!exited) child.kill()
    }
  }
}

/** Forwards a child's output line by line, so one log entry never holds half a line. */
function pipeLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return
  let buffered = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk: string) => {
    const lines = (buffered + chunk).split(/\r?\n/)
    buffered = lines.pop() ?? ''
    for (const line of lines) if (line.trim() !== '') onLine(line)
  })
  stream.on('end', () => {
    if (buffered.trim() !== '') onLine(buffered)
    buffered = ''
  })
}
