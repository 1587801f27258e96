import { z } from 'zod'
import { ProviderIdSchema } from './providers'

/** One search hit or directory entry: what a symbol is called and where it trades. */
export const SymbolMatchSchema = z.object({
  symbol: z.string().min(1).max(64),
  name: z.string().max(200).nullable(),
  exchange: z.string().max(80).nullable(),
  /** The provider's instrument type in upper case, e.g. EQUITY, ETF, INDEX, CURRENCY, CRYPTOCURRENCY. */
  type: z.string().max(40).nullable(),
  source: ProviderIdSchema
})
export type SymbolMatch = z.infer<typeof SymbolMatchSchema>

export const SEARCH_QUERY_MAX = 64
export const SEARCH_LIMIT_MAX = 50
export const DEFAULT_SEARCH_LIMIT = 10

export const SearchQuerySchema = z.string().trim().min(1, 'Type part of a symbol or a name to search.').max(SEARCH_QUERY_MAX)

export const SearchSymbolsResponseSchema = z.object({
  matches: z.array(SymbolMatchSchema),
  /** True when no provider could be asked (offline, engine down); the matches come from the local directory only. */
  offline: z.boolean(),
  /** Plain-words problems of providers that failed; the other providers' matches are still there. */
  errors: z.array(z.string())
})
export type SearchSymbolsResponse = z.infer<typeof SearchSymbolsResponseSchema>
