import { resolveDataDir } from '../host/data-dir'
import { createInProcessEngine } from '../host/engine-in-process'
import type { EngineHandle } from '../host/engine-handle'
import { describeError } from '../host/notices'
import type { CliIo, EngineLog } from './cli-io'
import { CliQuotaUsage, withSavedQuotaUsage } from './cli-quota-usage'

/** Engine chatter stays quiet unless TICKERDESK_DEBUG is set; errors always reach stderr. */
export function engineLogFor(io: CliIo): EngineLog {
  const verbose = Boolean(io.env.TICKERDESK_DEBUG)
  return (level, message) => {
    if (verbose || level === 'error') io.stderr.write(`[engine ${level}] ${message}\n`)
  }
}

/** A problem with the usage file is worth a line on stderr, never a failed command. */
function openQuotaUsage(io: CliIo): CliQuotaUsage | null {
  if (io.dataDir === null) return null
  const note = (message: string): void => void io.stderr.write(`${message}\n`)
  try {
    return CliQuotaUsage.open(io.dataDir ?? resolveDataDir(io.env), { note })
  } catch (error) {
    note(`Could not open the provider usage file: ${describeError(error)}`)
    return null
  }
}

/**
 * `streams`: a live `watch` takes websocket ticks where the provider streams; one-shot lookups poll once.
 * The engine restores and saves quota usage in the app's data directory, so runs share one daily budget.
 */
export function makeEngine(io: CliIo, { streams = false }: { streams?: boolean } = {}): EngineHandle {
  const options = { env: io.env, log: engineLogFor(io), streams }
  const engine = io.createEngine ? io.createEngine(options) : createInProcessEngine(options)
  return withSavedQuotaUsage(engine, openQuotaUsage(io))
}
