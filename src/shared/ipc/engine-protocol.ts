/**
 * Messages between the host (Electron main, web shell) and the engine process.
 * Both sides validate what they receive with these schemas.
 */
import { z } from 'zod'
import { AlertFiringSchema, EngineAlertRuleSchema, TickFlagSchema } from '../alerts'
import { ProviderIdSchema } from '../providers'
import { ProviderLimitsSchema } from '../provider-settings'
import { HistoryRangeSchema, HistoryResponseSchema } from '../history'
import { QuotePatchSchema, SymbolErrorSchema } from '../quote'
import { SEARCH_LIMIT_MAX, SEARCH_QUERY_MAX, SymbolMatchSchema } from '../symbol-search'

/** Which provider serves which symbol; without it `provider` serves everything. */
export const RoutingSchema = z.object({
  equity: ProviderIdSchema,
  crypto: ProviderIdSchema,
  /** Tried in order while a symbol's first choice is failing. */
  fallbacks: z.array(ProviderIdSchema).max(8).default([]),
  /** Per-symbol first choice; watchlist pins arrive expanded to their symbols. */
  pins: z.record(z.string().min(1), ProviderIdSchema).default({})
})
export type Routing = z.infer<typeof RoutingSchema>

export const EngineConfigSchema = z.object({
  provider: ProviderIdSchema,
  refreshIntervalSec: z.number().int().min(1).max(3600),
  /** How often coalesced quote batches are flushed to the host (one frame by default). */
  flushIntervalMs: z.number().int().min(1).max(1000).default(16),
  routing: RoutingSchema.optional(),
  /** Paid-plan limits per provider, over the free tier the quota planner assumes. */
  providerLimits: ProviderLimitsSchema.optional(),
  /**
   * Follow the NYSE calendar for US equities: not polled while their market is closed (one
   * settling fetch after the close), pre/post-market only with `extendedHours`. Absent or null: all hours.
   */
  marketHours: z.object({ extendedHours: z.boolean() }).nullable().optional()
})
export type EngineConfig = z.infer<typeof EngineConfigSchema>

export const EngineCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('configure'), config: EngineConfigSchema }),
  /** Replaces the full set of symbols one consumer (window, web client, CLI) shows. */
  z.object({ type: z.literal('set-interest'), consumer: z.string().min(1), symbols: z.array(z.string().min(1)) }),
  z.object({ type: z.literal('drop-consumer'), consumer: z.string().min(1) }),
  /** 'user' (the default): the Refresh action, whose quota refusals are reported; 'wake': network back or resume, refused silently. */
  z.object({ type: z.literal('refresh'), reason: z.enum(['user', 'wake']).optional() }),
  /** Power and network hints forwarded by the host (Electron powerMonitor / net). */
  z.object({ type: z.literal('power'), state: z.enum(['suspend', 'resume']) }),
  /** The user's pause: no fetching at all until resumed (unlike suspend, no catch-up burst). */
  z.object({ type: z.literal('pause'), paused: z.boolean() }),
  /** Replaces every alert rule; watchlist rules arrive already expanded to their symbols. */
  z.object({ type: z.literal('set-alert-rules'), rules: z.array(EngineAlertRuleSchema) }),
  z.object({ type: z.literal('shutdown') }),
  /**
   * API keys saved in the app, replacing the previous set; they win over TICKERDESK_<ID>_KEY.
   * A provider left out falls back to its environment key. Never logged or echoed back.
   */
  z.object({ type: z.literal('set-keys'), keys: z.partialRecord(ProviderIdSchema, z.string().min(1).max(256)) }),
  /** Symbol lookup; answered by one 'search-results' event with the same requestId. */
  z.object({
    type: z.literal('search'),
    requestId: z.string().min(1),
    query: z.string().trim().min(1).max(SEARCH_QUERY_MAX),
    limit: z.number().int().min(1).max(SEARCH_LIMIT_MAX),
    /** Which providers to ask; without it, the configured one. */
    providers: z.array(ProviderIdSchema).optional()
  }),
  /**
   * Symbols someone looks at right now (rows on screen) or that an armed alert watches; they get
   * a larger share of a limited quota. Replaces the previous set.
   */
  z.object({ type: z.literal('set-priority'), symbols: z.array(z.string().min(1)) }),
  /**
   * Quota usage saved by the host ('quota-usage' events), so a restart cannot spend a fresh daily
   * budget. Sent before 'configure'; applied whenever a provider's lane opens.
   */
  z.object({ type: z.literal('restore-quota-usage'), usage: z.partialRecord(ProviderIdSchema, z.unknown()) }),
  /** Price history for one symbol; answered by one 'history' event with the same requestId. */
  z.object({ type: z.literal('history'), requestId: z.string().min(1), symbol: z.string().min(1), range: HistoryRangeSchema }),
  /** Fetches provider symbol listings for the local directory; answered by 'directory' events. */
  z.object({ type: z.literal('refresh-directory'), requestId: z.string().min(1), providers: z.array(ProviderIdSchema).optional() })
])
export type EngineCommand = z.infer<typeof EngineCommandSchema>

/** One line for the providers panel: what is wrong first (a bad key explains an outage). */
export const ProviderStateSchema = z.enum(['ok', 'bad-key', 'circuit-open', 'rate-limited', 'offline', 'stream-down', 'unavailable'])
export type ProviderState = z.infer<typeof ProviderStateSchema>

/** Cost units spent in a window against its limit (requests, credits or weight). */
export const QuotaWindowUsageSchema = z.object({ used: z.number().min(0), limit: z.number().min(0) })

export const ProviderStatusSchema = z.object({
  provider: ProviderIdSchema,
  online: z.boolean(),
  offlineSince: z.number().nullable(),
  lastSuccess: z.number().nullable(),
  lastError: z.string().nullable(),
  rateLimitedUntil: z.number().nullable(),
  // Health details for the providers panel; absent from older engines and plain schedulers.
  state: ProviderStateSchema.optional(),
  /** Until when the circuit breaker keeps this provider's symbols elsewhere. */
  circuitOpenUntil: z.number().nullable().optional(),
  /** Spent in the current sliding minute / UTC day; null when the provider has no such limit. */
  usage: z
    .object({ unit: z.string(), minute: QuotaWindowUsageSchema.nullable(), day: QuotaWindowUsageSchema.nullable() })
    .optional(),
  /** When the next request is planned, if known. */
  nextRefreshAt: z.number().nullable().optional(),
  /** Rate-limit answers (HTTP 429 and the like) since the engine started. */
  rateLimitHits: z.number().int().min(0).optional()
})
export type ProviderStatus = z.infer<typeof ProviderStatusSchema>

export const EngineEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), pid: z.number().int() }),
  z.object({ type: z.literal('quotes'), patches: z.array(QuotePatchSchema) }),
  z.object({ type: z.literal('symbol-errors'), errors: z.array(SymbolErrorSchema) }),
  z.object({ type: z.literal('status'), status: ProviderStatusSchema }),
  z.object({ type: z.literal('alert-fired'), firing: AlertFiringSchema }),
  z.object({
    type: z.literal('tick-flags'),
    flags: z.array(z.object({ symbol: z.string().min(1), flag: TickFlagSchema.nullable() }))
  }),
  z.object({ type: z.literal('log'), level: z.enum(['debug', 'info', 'warn', 'error']), message: z.string() }),
  z.object({
    type: z.literal('search-results'),
    requestId: z.string().min(1),
    results: z.array(SymbolMatchSchema),
    errors: z.array(z.string()),
    /** Every provider asked failed for want of a network. */
    unreachable: z.boolean().optional()
  }),
  /** A provider's quota usage changed (throttled, and once more on shutdown); the host persists it. */
  z.object({ type: z.literal('quota-usage'), provider: ProviderIdSchema, snapshot: z.unknown() }),
  /** A "refresh now" the quota could not allow, in plain words (e.g. daily limit reached, resumes at 00:00 UTC). */
  z.object({ type: z.literal('refresh-refused'), provider: ProviderIdSchema, message: z.string() }),
  z.object({ type: z.literal('history'), requestId: z.string().min(1), response: HistoryResponseSchema }),
  /** One chunk of a provider's listing; `done` marks its last chunk (the host then replaces that provider's entries). */
  z.object({
    type: z.literal('directory'),
    requestId: z.string().min(1),
    source: ProviderIdSchema,
    entries: z.array(SymbolMatchSchema),
    done: z.boolean(),
    error: z.string().nullable()
  })
])
export type EngineEvent = z.infer<typeof EngineEventSchema>
