import { parseArgs } from 'node:util'
import { DEFAULT_PROVIDER, type ProviderId } from '../shared/providers'
import { DEFAULT_SEARCH_LIMIT, SEARCH_LIMIT_MAX, SEARCH_QUERY_MAX } from '../shared/symbol-search'
import { parseProviderChoice } from '../web/provider-choice'

export interface SearchArgs {
  command: 'search'
  query: string
  json: boolean
  provider: ProviderId
  limit: number
}

export type SearchArgsResult = SearchArgs | { command: 'help'; topic: 'search' } | { command: 'usage-error'; message: string }

/** `search TEXT... [--json] [--provider <id>] [--limit N]`; the words of TEXT are joined by spaces. */
export function parseSearchArgs(args: readonly string[]): SearchArgsResult {
  let values: { json?: boolean; provider?: string; limit?: string; help?: boolean }
  let positionals: string[]
  try {
    const parsed = parseArgs({
      args: [...args],
      options: { json: { type: 'boolean' }, provider: { type: 'string' }, limit: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true
    })
    values = parsed.values
    positionals = parsed.positionals
  } catch (error) {
    return { command: 'usage-error', message: error instanceof Error ? error.message : String(error) }
  }
  if (values.help) return { command: 'help', topic: 'search' }
  const query = positionals.join(' ').trim()
  if (query === '') return { command: 'usage-error', message: 'search needs some text, for example: search apple' }
  if (query.length > SEARCH_QUERY_MAX) return { command: 'usage-error', message: `Keep the search text under ${SEARCH_QUERY_MAX + 1} characters.` }

  let provider = DEFAULT_PROVIDER
  if (values.provider !== undefined) {
    const choice = parseProviderChoice(values.provider)
    if (!choice.ok) return { command: 'usage-error', message: choice.message }
    provider = choice.provider
  }
  let limit = DEFAULT_SEARCH_LIMIT
  if (values.limit !== undefined) {
    const text = values.limit.trim()
    limit = /^\d+$/.test(text) ? Number(text) : NaN
    if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_LIMIT_MAX) {
      return { command: 'usage-error', message: `--limit must be a whole number from 1 to ${SEARCH_LIMIT_MAX}, not "${values.limit}".` }
    }
  }
  return { command: 'search', query, json: values.json === true, provider, limit }
}
