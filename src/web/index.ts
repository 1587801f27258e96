import { existsSync } from 'node:fs'
import path from 'node:path'
import { resolveDataDir } from '../host/data-dir'
import type { Log, LogLevel } from './bridge-server'
import { isLoopbackHost } from './request-guard'
import { WEB_USAGE, parseWebArgs } from './web-args'
import { startWebShell, type WebShell } from './web-shell'

const SHUTDOWN_DEADLINE_MS = 10_000
const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error']

function stderrLog(minimum: LogLevel): Log {
  const threshold = LEVELS.indexOf(minimum)
  return (level, message) => {
    if (LEVELS.indexOf(level) >= threshold) process.stderr.write(`[${level}] ${message}\n`)
  }
}

async function main(): Promise<void> {
  const parsed = parseWebArgs(process.argv.slice(2))
  if (parsed.kind === 'help') {
    process.stdout.write(`${WEB_USAGE}\n`)
    return
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`${parsed.message}\n\n${WEB_USAGE}\n`)
    process.exitCode = 2
    return
  }
  const { port, host, provider, refreshIntervalSec, allHours } = parsed.args
  const log = stderrLog(process.env.TICKERDESK_DEBUG ? 'debug' : 'warn')
  if (!isLoopbackHost(host)) {
    process.stderr.write(
      `Warning: listening on ${host} makes TickerDesk reachable from the network. Anyone who gets the address with its token can use it.\n`
    )
  }

  const rendererDir = path.join(__dirname, '../renderer')
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    process.stderr.write(`Warning: the web app is not built (no ${path.join(rendererDir, 'index.html')}); run \`npm run build\` first.\n`)
  }

  let shell: WebShell
  try {
    shell = await startWebShell({
      port,
      host,
      ...(provider ? { provider } : {}),
      ...(refreshIntervalSec ? { refreshIntervalSec } : {}),
      allHours,
      dataDir: resolveDataDir(process.env),
      rendererDir,
      enginePath: path.join(__dirname, 'engine.js'),
      env: process.env,
      log
    })
  } catch (error) {
    process.stderr.write(`TickerDesk web shell could not start: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
    return
  }
  process.stdout.write(`TickerDesk web shell running at ${shell.url}\n`)

  let stopping = false
  const stop = (signal: NodeJS.Signals): void => {
    // conf's atomic-write helper re-raises the signal it saw on this process, so repeats are
    // expected here and ignored; a deadline bounds a shutdown that hangs instead.
    if (stopping) return
    stopping = true
    process.stderr.write(`Received ${signal}; shutting down.\n`)
    setTimeout(() => {
      process.stderr.write('Shutdown took too long; stopping now.\n')
      process.exit(1)
    }, SHUTDOWN_DEADLINE_MS).unref()
    shell.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Shutdown did not finish cleanly: ${error instanceof Error ? error.message : String(error)}\n`)
        process.exit(1)
      }
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

void main()
