import { PROVIDER_LABELS, type ProviderId } from '../../shared/providers'
import { SymbolMatchSchema, type SymbolMatch } from '../../shared/symbol-search'
import type { DirectorySource } from './search-source'

/** Entries per 'directory' event: big listings (tens of thousands of symbols) go in several messages. */
export const DIRECTORY_CHUNK = 5_000

export interface DirectoryChunk {
  source: ProviderId
  entries: SymbolMatch[]
  /** The last chunk of this source's listing; with `error` set it carries no entries. */
  done: boolean
  error: string | null
}

/**
 * Fetches the listings one provider after another (they are large and rarely needed, so they
 * never compete with each other or with quotes for a provider's budget) and hands each over in
 * chunks. A failed listing is reported and the others still run.
 */
export async function refreshDirectory(
  sources: readonly DirectorySource[],
  signal: AbortSignal,
  emit: (chunk: DirectoryChunk) => void
): Promise<void> {
  for (const source of sources) {
    if (signal.aborted) return
    let listing: SymbolMatch[]
    try {
      listing = cleanListing(await source.fetchListing(signal), source.id)
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      const label = PROVIDER_LABELS[source.id]
      emit({ source: source.id, entries: [], done: true, error: message.includes(label) ? message : `${label} symbol list: ${message}` })
      continue
    }
    if (listing.length === 0) emit({ source: source.id, entries: [], done: true, error: null })
    for (let at = 0; at < listing.length; at += DIRECTORY_CHUNK) {
      emit({ source: source.id, entries: listing.slice(at, at + DIRECTORY_CHUNK), done: at + DIRECTORY_CHUNK >= listing.length, error: null })
    }
  }
}

function cleanListing(raw: unknown, id: ProviderId): SymbolMatch[] {
  if (!Array.isArray(raw)) return []
  const entries: SymbolMatch[] = []
  for (const item of raw) {
    const parsed = SymbolMatchSchema.safeParse({ ...(item as object), source: id })
    if (parsed.success) entries.push({ ...parsed.data, symbol: parsed.data.symbol.trim().toUpperCase() })
  }
  return entries
}
