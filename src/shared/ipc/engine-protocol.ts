/**
 * Messages between the host (Electron main, web shell) and the engine process.
 * Both sides validate what they receive with these schemas.
 */
import { z } from 'zod'
import { AlertFiringSchema, EngineAlertRuleSchema, TickFlagSchema } from '../alerts'
import { ProviderIdSchema } from '../providers'
import { QuotePatchSchema, SymbolErrorSchema } from '../quote'

export const EngineConfigSchema = z.object({
  provider: ProviderIdSchema,
  refreshIntervalSec: z.number().int().min(1).max(3600),
  /** How often coalesced quote batches are flushed to the host (one frame by default). */
  flushIntervalMs: z.number().int().min(1).max(1000).default(16)
})
export type EngineConfig = z.infer<typeof EngineConfigSchema>

export const EngineCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('configure'), config: EngineConfigSchema }),
  /** Replaces the full set of symbols one consumer (window, web client, CLI) shows. */
  z.object({ type: z.literal('set-interest'), consumer: z.string().min(1), symbols: z.array(z.string().min(1)) }),
  z.object({ type: z.literal('drop-consumer'), consumer: z.string().min(1) }),
  z.object({ type: z.literal('refresh') }),
  /** Power and network hints forwarded by the host (Electron powerMonitor / net). */
  z.object({ type: z.literal('power'), state: z.enum(['suspend', 'resume']) }),
  /** The user's pause: no fetching at all until resumed (unlike suspend, no catch-up burst). */
  z.object({ type: z.literal('pause'), paused: z.boolean() }),
  /** Replaces every alert rule; watchlist rules arrive already expanded to their symbols. */
  z.object({ type: z.literal('set-alert-rules'), rules: z.array(EngineAlertRuleSchema) }),
  z.object({ type: z.literal('shutdown') })
])
export type EngineCommand = z.infer<typeof EngineCommandSchema>

export const ProviderStatusSchema = z.object({
  provider: ProviderIdSchema,
  online: z.boolean(),
  offlineSince: z.number().nullable(),
  lastSuccess: z.number().nullable(),
  lastError: z.string().nullable(),
  rateLimitedUntil: z.number().nullable()
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
  z.object({ type: z.literal('log'), level: z.enum(['debug', 'info', 'warn', 'error']), message: z.string() })
])
export type EngineEvent = z.infer<typeof EngineEventSchema>
