import { createInProcessEngine } from '../host/engine-in-process'
import type { EngineHandle } from '../host/engine-handle'
import type { CliIo, EngineLog } from './cli-io'

/** Engine chatter stays quiet unless TICKERDESK_DEBUG is set; errors always reach stderr. */
export function engineLogFor(io: CliIo): EngineLog {
  const verbose = Boolean(io.env.TICKERDESK_DEBUG)
  return (level, message) => {
    if (verbose || level === 'error') io.stderr.write(`[engine ${level}] ${message}\n`)
  }
}

export function makeEngine(io: CliIo): EngineHandle {
  const log = engineLogFor(io)
  return io.createEngine ? io.createEngine({ env: io.env, log }) : createInProcessEngine({ env: io.env, log })
}
