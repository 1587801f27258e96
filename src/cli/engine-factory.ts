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

/** `streams`: a live `watch` takes websocket ticks where the provider streams; one-shot lookups poll once. */
export function makeEngine(io: CliIo, { streams = false }: { streams?: boolean } = {}): EngineHandle {
  const options = { env: io.env, log: engineLogFor(io), streams }
  return io.createEngine ? io.createEngine(options) : createInProcessEngine(options)
}
