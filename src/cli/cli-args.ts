import { parseArgs } from 'node:util'
import { DEFAULT_PROVIDER, type ProviderId } from '../shared/providers'
import { parseProviderChoice } from '../web/provider-choice'
import { parseSearchArgs, type SearchArgs } from './search-args'

export const DEFAULT_TIMEOUT_SEC = 20
export const DEFAULT_WATCH_INTERVAL_SEC = 10

export interface QuoteArgs {
  command: 'quote'
  symbols: string[]
  json: boolean
  provider: ProviderId
  timeoutSec: number
}

export interface WatchArgs {
  command: 'watch'
  symbols: string[]
  json: boolean
  provider: ProviderId
  intervalSec: number
}

export type CliArgs =
  | QuoteArgs
  | WatchArgs
  | SearchArgs
  | { command: 'help'; topic?: 'quote' | 'watch' | 'search' }
  | { command: 'usage-error'; message: string }

type Values = { json?: boolean; provider?: string; timeout?: string; interval?: string; help?: boolean }

function usageError(message: string): CliArgs {
  return { command: 'usage-error', message }
}

function parseCommandArgs(command: 'quote' | 'watch', args: string[]): { values: Values; symbols: string[] } | string {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: {
        json: { type: 'boolean' },
        provider: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        ...(command === 'quote' ? { timeout: { type: 'string' } } : { interval: { type: 'string' } })
      },
      strict: true,
      allowPositionals: true
    })
    return { values: values as Values, symbols: positionals }
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

function parseSeconds(flag: string, text: string, min: number, max: number, integer: boolean): number | string {
  const value = /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : NaN
  const kind = integer ? 'a whole number of seconds' : 'a number of seconds'
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    return `${flag} must be ${kind} from ${min} to ${max}, not "${text}".`
  }
  return value
}

export function parseCliArgs(argv: readonly string[]): CliArgs {
  const [command, ...rest] = argv
  if (command === undefined) return usageError('Tell TickerDesk what to do: quote or watch, or search for a symbol.')
  if (command === 'help' || command === '--help' || command === '-h') {
    const topic = rest[0]
    return topic === 'quote' || topic === 'watch' || topic === 'search' ? { command: 'help', topic } : { command: 'help' }
  }
  if (command === 'search') return parseSearchArgs(rest)
  if (command !== 'quote' && command !== 'watch') return usageError(`Unknown command "${command}".`)

  const parsed = parseCommandArgs(command, rest)
  if (typeof parsed === 'string') return usageError(parsed)
  const { values, symbols } = parsed
  if (values.help) return { command: 'help', topic: command }
  if (symbols.length === 0) return usageError(`${command} needs at least one symbol, for example: ${command} AAPL BTC-USD`)

  let provider = DEFAULT_PROVIDER
  if (values.provider !== undefined) {
    const choice = parseProviderChoice(values.provider)
    if (!choice.ok) return usageError(choice.message)
    provider = choice.provider
  }
  const json = values.json === true

  if (command === 'quote') {
    let timeoutSec = DEFAULT_TIMEOUT_SEC
    if (values.timeout !== undefined) {
      const parsedTimeout = parseSeconds('--timeout', values.timeout, 0.1, 600, false)
      if (typeof parsedTimeout === 'string') return usageError(parsedTimeout)
      timeoutSec = parsedTimeout
    }
    return { command, symbols, json, provider, timeoutSec }
  }
  let intervalSec = DEFAULT_WATCH_INTERVAL_SEC
  if (values.interval !== undefined) {
    const parsedInterval = parseSeconds('--interval', values.interval, 1, 3600, true)
    if (typeof parsedInterval === 'string') return usageError(parsedInterval)
    intervalSec = parsedInterval
  }
  return { command, symbols, json, provider, intervalSec }
}
