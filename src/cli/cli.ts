import { normaliseSymbol } from '../shared/symbols'
import { parseCliArgs, type QuoteArgs } from './cli-args'
import type { CliIo } from './cli-io'
import { makeEngine } from './engine-factory'
import { describeError, fetchOnce } from './fetch-once'
import type { SymbolOutcome } from './quote-collector'
import { formatTable, outcomeJson } from './quote-format'
import { CLI_USAGE, QUOTE_USAGE, SEARCH_USAGE, WATCH_USAGE } from './usage'
import { checkSymbols } from './symbol-check'
import { runWatch } from './watch-command'
import { runSearch } from './search-command'

export type { CliIo } from './cli-io'

export const EXIT_OK = 0
export const EXIT_SOME_FAILED = 1
export const EXIT_USAGE = 2

const TOPIC_USAGE = { quote: QUOTE_USAGE, watch: WATCH_USAGE, search: SEARCH_USAGE } as const

async function runQuote(args: QuoteArgs, io: CliIo): Promise<number> {
  const { valid, invalid } = checkSymbols(args.symbols)
  let fetched: SymbolOutcome[] = []
  if (valid.length > 0) {
    const engine = makeEngine(io)
    try {
      fetched = await fetchOnce(engine, { symbols: valid, provider: args.provider, timeoutMs: args.timeoutSec * 1000 })
    } finally {
      await engine.dispose().catch((error: unknown) => io.stderr.write(`Stopping the quote engine failed: ${describeError(error)}\n`))
    }
  }
  const outcomes = args.symbols.map((entry): SymbolOutcome => {
    const problem = invalid.get(entry)
    if (problem !== undefined) return { symbol: entry.trim(), error: problem }
    const symbol = normaliseSymbol(entry)
    return fetched.find((outcome) => outcome.symbol === symbol) ?? { symbol, error: 'no answer' }
  })
  io.stdout.write(args.json ? `${JSON.stringify(outcomes.map(outcomeJson), null, 2)}\n` : `${formatTable(outcomes)}\n`)
  return outcomes.every((outcome) => 'quote' in outcome) ? EXIT_OK : EXIT_SOME_FAILED
}

/**
 * The CLI, free of process globals so specs can run it: returns the exit status
 * (0 all priced, 1 some symbol failed, 2 bad command line).
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCliArgs(argv)
  switch (args.command) {
    case 'help':
      io.stdout.write(`${args.topic ? TOPIC_USAGE[args.topic] : CLI_USAGE}\n`)
      return EXIT_OK
    case 'usage-error':
      io.stderr.write(`${args.message}\n\n${CLI_USAGE}\n`)
      return EXIT_USAGE
    case 'quote':
      return runQuote(args, io)
    case 'watch':
      return runWatch(args, io)
    case 'search':
      return runSearch(args, io)
  }
}
