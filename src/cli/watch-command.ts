import type { EngineEvent } from '../shared/ipc/engine-protocol'
import { PROVIDER_LABELS } from '../shared/providers'
import type { QuotePatch } from '../shared/quote'
import type { WatchArgs } from './cli-args'
import type { CliIo } from './cli-io'
import { makeEngine } from './engine-factory'
import { CLI_CONSUMER, describeError } from './fetch-once'
import { QuoteBook } from './quote-book'
import { describeProviderProblem } from './quote-collector'
import { formatWatchLine } from './quote-format'
import { checkSymbols } from './symbol-check'

/** Resolves when the user asks to stop: the given signal, or else Ctrl+C / SIGTERM. */
function stopRequested(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal) {
      if (signal.aborted) return resolve()
      signal.addEventListener('abort', () => resolve(), { once: true })
      return
    }
    const stop = (): void => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}

/** A patch that only restamps the receive time is not a change worth a line. */
function changesSomething(patch: QuotePatch): boolean {
  return Object.keys(patch).some((key) => key !== 'symbol' && key !== 'receivedAt')
}

/** `watch`: streams quote changes until stopped; exit 0 after a clean stop, 1 if nothing could be watched. */
export async function runWatch(args: WatchArgs, io: CliIo): Promise<number> {
  const { valid, invalid } = checkSymbols(args.symbols)
  const label = PROVIDER_LABELS[args.provider]
  const symbolError = (symbol: string, message: string): void => {
    io.stdout.write(args.json ? `${JSON.stringify({ symbol, error: message })}\n` : `${symbol}: ${message}\n`)
  }
  for (const [entry, problem] of invalid) symbolError(entry.trim(), problem)
  if (valid.length === 0) {
    io.stderr.write('Nothing to watch: none of the symbols is valid.\n')
    return 1
  }

  const engine = makeEngine(io, { streams: true })
  const book = new QuoteBook()
  const shownErrors = new Map<string, string>()
  let providerProblem: string | null = null

  const onEvent = (event: EngineEvent): void => {
    if (event.type === 'quotes') {
      for (const patch of event.patches) {
        if (!valid.includes(patch.symbol)) continue
        const quote = book.apply(patch)
        if (!quote || !changesSomething(patch)) continue
        shownErrors.delete(patch.symbol)
        io.stdout.write(args.json ? `${JSON.stringify(quote)}\n` : `${formatWatchLine(quote)}\n`)
      }
    } else if (event.type === 'symbol-errors') {
      for (const { symbol, message } of event.errors) {
        if (!valid.includes(symbol)) continue
        if (message === null) shownErrors.delete(symbol)
        else if (shownErrors.get(symbol) !== message) {
          shownErrors.set(symbol, message)
          symbolError(symbol, message)
        }
      }
    } else if (event.type === 'status') {
      const problem = event.status.lastError === null ? null : describeProviderProblem(event.status)
      if (problem === providerProblem) return
      if (problem !== null) io.stderr.write(`${label}: ${problem}\n`)
      else if (providerProblem !== null) io.stderr.write(`${label} is answering again.\n`)
      providerProblem = problem
    }
  }

  const stopped = stopRequested(io.signal)
  const unsubscribe = engine.onEvent(onEvent)
  try {
    await engine.start()
  } catch (error) {
    unsubscribe()
    io.stderr.write(`The quote engine could not start: ${describeError(error)}\n`)
    await engine.dispose().catch(() => {})
    return 1
  }
  // Someone watching from a terminal asked for these symbols now, so they are polled at all hours.
  engine.send({ type: 'configure', config: { provider: args.provider, refreshIntervalSec: args.intervalSec, flushIntervalMs: 100, marketHours: null } })
  engine.send({ type: 'set-interest', consumer: CLI_CONSUMER, symbols: valid })
  if (!args.json) io.stderr.write(`Watching ${valid.join(', ')} on ${label} every ${args.intervalSec} s; press Ctrl+C to stop.\n`)

  await stopped
  unsubscribe()
  await engine.dispose().catch((error: unknown) => io.stderr.write(`Stopping the quote engine failed: ${describeError(error)}\n`))
  return 0
}
