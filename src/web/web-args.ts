import { parseArgs } from 'node:util'
import { AVAILABLE_PROVIDERS, type ProviderId } from '../shared/providers'
import { parseProviderChoice } from './provider-choice'

/**
 * A fixed default port keeps the page's origin (and so anything the browser stores for it)
 * the same from one start to the next; `--port 0` asks the OS for any free port instead.
 */
export const DEFAULT_WEB_PORT = 5217
export const DEFAULT_WEB_HOST = '127.0.0.1'

export const WEB_USAGE = `Usage: node out/main/web.js [options]   (or: npm run serve -- [options])

Serves the TickerDesk app to a web browser on this machine.

Options:
  --port <n>        TCP port to listen on (default ${DEFAULT_WEB_PORT}; 0 picks a free port)
  --host <address>  address to listen on (default ${DEFAULT_WEB_HOST}); any other address makes
                    TickerDesk reachable from the network
  --provider <id>   quote provider for this run only, not saved (${AVAILABLE_PROVIDERS.join(', ')})
  --refresh-interval <s>
                    seconds between refreshes for this run only, not saved (1 to 3600)
  --all-hours       poll US stocks at every hour for this run, not only while their market
                    (or, with the extended-hours setting, pre- and after-market) is open;
                    for wall displays of replays and for tests
  --help            show this help

The data folder is TICKERDESK_DATA_DIR when set, otherwise the usual per-user folder.
Open the printed address: it carries a per-start access token.`

export interface WebArgs {
  port: number
  host: string
  provider: ProviderId | undefined
  refreshIntervalSec: number | undefined
  allHours: boolean
}

export type WebArgsResult = { kind: 'run'; args: WebArgs } | { kind: 'help' } | { kind: 'error'; message: string }

export function parseWebArgs(argv: readonly string[]): WebArgsResult {
  let values: { port?: string; host?: string; provider?: string; 'refresh-interval'?: string; 'all-hours'?: boolean; help?: boolean }
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        provider: { type: 'string' },
        'refresh-interval': { type: 'string' },
        'all-hours': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      },
      strict: true,
      allowPositionals: false
    }))
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) }
  }
  if (values.help) return { kind: 'help' }

  let port = DEFAULT_WEB_PORT
  if (values.port !== undefined) {
    const text = values.port.trim()
    port = /^\d+$/.test(text) ? Number(text) : NaN
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      return { kind: 'error', message: `--port must be a whole number from 0 to 65535, not "${values.port}".` }
    }
  }

  const host = values.host?.trim() ?? DEFAULT_WEB_HOST
  if (host.length === 0) return { kind: 'error', message: '--host needs an address, for example 127.0.0.1.' }
  if (!/^[A-Za-z0-9.:-]+$/.test(host)) {
    return { kind: 'error', message: `--host must be an IP address or host name, not "${values.host}".` }
  }

  let provider: ProviderId | undefined
  if (values.provider !== undefined) {
    const choice = parseProviderChoice(values.provider)
    if (!choice.ok) return { kind: 'error', message: choice.message }
    provider = choice.provider
  }
  let refreshIntervalSec: number | undefined
  const interval = values['refresh-interval']
  if (interval !== undefined) {
    refreshIntervalSec = /^\d+$/.test(interval.trim()) ? Number(interval.trim()) : NaN
    if (!Number.isInteger(refreshIntervalSec) || refreshIntervalSec < 1 || refreshIntervalSec > 3600) {
      return { kind: 'error', message: `--refresh-interval must be a whole number of seconds from 1 to 3600, not "${interval}".` }
    }
  }
  return { kind: 'run', args: { port, host, provider, refreshIntervalSec, allHours: values['all-hours'] === true } }
}
