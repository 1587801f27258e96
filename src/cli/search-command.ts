import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { resolveDataDir } from '../host/data-dir'
import { DIRECTORY_STORE, DirectoryFileSchema, readDirectoryFile } from '../host/directory/directory-file'
import { SymbolDirectory } from '../host/directory/symbol-directory'
import type { EngineEvent } from '../shared/ipc/engine-protocol'
import { PROVIDER_LABELS } from '../shared/providers'
import { mergeAndRank } from '../shared/symbol-rank'
import type { SymbolMatch } from '../shared/symbol-search'
import type { CliIo } from './cli-io'
import { makeEngine } from './engine-factory'
import { describeError } from './fetch-once'
import type { SearchArgs } from './search-args'

/** Longer than the engine's own per-provider timeout, so a slow provider is reported by name. */
export const CLI_SEARCH_TIMEOUT_MS = 8_000

type SearchReply = Extract<EngineEvent, { type: 'search-results' }>

/**
 * The app's symbol directory, read only (the CLI never writes the app's files); the built-in
 * list alone when there is none or it cannot be read.
 */
function loadDirectory(env: CliIo['env']): SymbolDirectory {
  try {
    const text = readFileSync(join(resolveDataDir(env), `${DIRECTORY_STORE}.json`), 'utf8')
    const parsed = DirectoryFileSchema.safeParse(JSON.parse(text))
    if (parsed.success) return new SymbolDirectory(null, readDirectoryFile(parsed.data).listings)
  } catch {
    // No directory file yet, or a damaged one: the app repairs it; the seed still answers.
  }
  return SymbolDirectory.seedOnly()
}

async function askEngine(args: SearchArgs, io: CliIo): Promise<{ reply: SearchReply | null; problem: string | null }> {
  const engine = makeEngine(io)
  const requestId = randomUUID()
  const label = PROVIDER_LABELS[args.provider]
  try {
    await engine.start()
    return await new Promise((resolve) => {
      const timer = setTimeout(() => finish(null, `${label} did not answer the search within ${CLI_SEARCH_TIMEOUT_MS / 1000} s.`), CLI_SEARCH_TIMEOUT_MS)
      const off = engine.onEvent((event) => {
        if (event.type === 'search-results' && event.requestId === requestId) finish(event, null)
      })
      function finish(reply: SearchReply | null, problem: string | null): void {
        clearTimeout(timer)
        off()
        resolve({ reply, problem })
      }
      engine.send({ type: 'search', requestId, query: args.query, limit: args.limit, providers: [args.provider] })
    })
  } catch (error) {
    return { reply: null, problem: `The quote engine could not start: ${describeError(error)}` }
  } finally {
    await engine.dispose().catch((error: unknown) => io.stderr.write(`Stopping the quote engine failed: ${describeError(error)}\n`))
  }
}

function table(matches: readonly SymbolMatch[]): string {
  const rows = [['SYMBOL', 'NAME', 'EXCHANGE', 'TYPE'], ...matches.map((m) => [m.symbol, m.name ?? '', m.exchange ?? '', m.type ?? ''])]
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => (row[column] ?? '').length)))
  return rows.map((row) => row.map((cell, column) => (column < 3 ? cell.padEnd(widths[column] ?? 0) : cell)).join('  ').trimEnd()).join('\n')
}

/**
 * `search`: the provider's matches merged with the local directory. Exit 0 when the provider
 * answered (even with nothing found), 1 when it failed; directory matches are printed either way.
 */
export async function runSearch(args: SearchArgs, io: CliIo): Promise<number> {
  const local = loadDirectory(io.env).search(args.query, args.limit)
  const { reply, problem } = await askEngine(args, io)
  const matches = mergeAndRank(args.query, [reply?.results ?? [], local], args.limit)
  const problems = [...(problem !== null ? [problem] : []), ...(reply?.errors ?? [])]
  if (args.json) {
    const rows = matches.map(({ symbol, name, exchange, type }) => ({ symbol, name, exchange, type }))
    io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`)
  } else {
    io.stdout.write(matches.length > 0 ? `${table(matches)}\n` : `No symbols match "${args.query}".\n`)
  }
  for (const line of problems) io.stderr.write(`${line}\n`)
  if (problems.length > 0 && matches.length > 0) io.stderr.write('The matches shown come from the local symbol directory.\n')
  return problems.length > 0 ? 1 : 0
}
