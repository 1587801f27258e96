/**
 * Entry of the engine process (built to out/main/engine.js). Runs as an Electron utility
 * process or under child_process.fork; it never imports electron.
 */
import type { EngineEvent } from '../shared/ipc/engine-protocol'
import { runEngineProcess } from './engine-process'
import { createEnginePort, type ProcessLike } from './port-adapter'

const port = createEnginePort(process as unknown as ProcessLike)
if (port === null) {
  process.stderr.write('The TickerDesk quote engine must be started by the TickerDesk app, web shell or CLI.\n')
  process.exit(1)
} else {
  const report = (message: string): void => {
    const event: EngineEvent = { type: 'log', level: 'error', message }
    try {
      port.post(event)
    } catch {
      process.stderr.write(`${message}\n`)
    }
  }
  // Keep serving quotes after a stray bug: the host sees it in its log instead of a crash loop.
  process.on('uncaughtException', (error) => report(`Unexpected engine error: ${error.stack ?? error.message}`))
  process.on('unhandledRejection', (reason) => report(`Unhandled engine promise rejection: ${String(reason)}`))

  const debug = Boolean(process.env.TICKERDESK_ENGINE_DEBUG)
  runEngineProcess({
    port,
    env: process.env,
    pid: process.pid,
    exit: (code) => process.exit(code),
    log: (level, message) => {
      if (debug) process.stderr.write(`[engine ${level}] ${message}\n`)
    }
  })
}
