import { z } from 'zod'
import { ProviderIdSchema, type ProviderId } from '../../shared/providers'
import { SymbolMatchSchema, type SymbolMatch } from '../../shared/symbol-search'

export const DIRECTORY_STORE = 'symbol-directory'
export const DIRECTORY_VERSION = 1

/** One row per symbol, as a tuple: a 100,000-symbol listing stays a few MB on disk. */
export type DirectoryRow = [symbol: string, name: string | null, exchange: string | null, type: string | null]

export interface DirectorySourceFile {
  fetchedAt: number
  rows: DirectoryRow[]
}

export interface DirectoryFile extends Record<string, unknown> {
  schemaVersion: number
  sources: Partial<Record<ProviderId, DirectorySourceFile>>
}

/** The container must be right; single rows that fail are dropped on their own. */
export const DirectoryFileSchema = z.object({
  schemaVersion: z.number().int().min(0),
  sources: z.record(z.string(), z.object({ fetchedAt: z.number(), rows: z.array(z.unknown()) }))
})

export interface DirectoryListing {
  fetchedAt: number
  entries: SymbolMatch[]
}

export function toRows(entries: readonly SymbolMatch[]): DirectoryRow[] {
  return entries.map((e) => [e.symbol, e.name, e.exchange, e.type])
}

/** Reads a parsed file: unknown providers and unreadable rows are dropped and counted. */
export function readDirectoryFile(file: z.infer<typeof DirectoryFileSchema>): { listings: Map<ProviderId, DirectoryListing>; dropped: number } {
  const listings = new Map<ProviderId, DirectoryListing>()
  let dropped = 0
  for (const [key, value] of Object.entries(file.sources)) {
    const id = ProviderIdSchema.safeParse(key)
    if (!id.success) {
      dropped += value.rows.length
      continue
    }
    const entries: SymbolMatch[] = []
    for (const row of value.rows) {
      const parsed = Array.isArray(row)
        ? SymbolMatchSchema.safeParse({ symbol: row[0], name: row[1] ?? null, exchange: row[2] ?? null, type: row[3] ?? null, source: id.data })
        : undefined
      if (parsed?.success) entries.push(parsed.data)
      else dropped++
    }
    listings.set(id.data, { fetchedAt: value.fetchedAt, entries })
  }
  return { listings, dropped }
}
