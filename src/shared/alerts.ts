/**
 * Price alerts: rule shapes shared by the engine (evaluation), the host (persistence, inbox,
 * notifications) and the renderer (editor, inbox). Times are epoch milliseconds.
 */
import { z } from 'zod'
import { QuoteSchema } from './quote'
import { SymbolSchema } from './symbols'

const positive = z.number().finite().positive()
const percent = z.number().finite().min(-1000).max(1000)

export const CrossDirectionSchema = z.enum(['up', 'down', 'either'])
export type CrossDirection = z.infer<typeof CrossDirectionSchema>

export const AlertConditionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('price-above'), price: positive }),
  z.object({ kind: z.literal('price-below'), price: positive }),
  z.object({ kind: z.literal('crosses'), price: positive, direction: CrossDirectionSchema }),
  z.object({ kind: z.literal('day-change-above'), percent }),
  z.object({ kind: z.literal('day-change-below'), percent }),
  /** A move of at least `percent` (absolute) within the last `windowMinutes`, e.g. 3 % in 15 min. */
  z.object({
    kind: z.literal('move-within'),
    percent: positive.max(1000),
    windowMinutes: z.number().int().min(1).max(1440),
    direction: CrossDirectionSchema
  }),
  z.object({ kind: z.literal('volume-above'), volume: positive }),
  z.object({ kind: z.literal('new-52w-high') }),
  z.object({ kind: z.literal('new-52w-low') })
])
export type AlertCondition = z.infer<typeof AlertConditionSchema>
export type AlertKind = AlertCondition['kind']

export const AlertTriggerSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('once') }),
  z.object({ mode: z.literal('daily') }),
  z.object({ mode: z.literal('every'), cooldownMinutes: z.number().int().min(1).max(10_080) })
])
export type AlertTrigger = z.infer<typeof AlertTriggerSchema>

export const AlertTargetSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('symbol'), symbol: SymbolSchema }),
  z.object({ type: z.literal('watchlist'), listId: z.string().min(1) })
])
export type AlertTarget = z.infer<typeof AlertTargetSchema>

/** What the user edits. */
export const AlertRuleInputSchema = z.object({
  target: AlertTargetSchema,
  condition: AlertConditionSchema,
  trigger: AlertTriggerSchema,
  /** Re-arm band (hysteresis) in percent of the threshold: a rule that fired re-arms only once
   * the value has moved back past the line by this much. */
  rearmPercent: z.number().finite().min(0).max(50).default(0.5),
  expiresAt: z.number().nullable().default(null),
  enabled: z.boolean().default(true),
  note: z.string().max(500).default('')
})
export type AlertRuleInput = z.input<typeof AlertRuleInputSchema>

/**
 * An edit to a rule: only the fields given change. Built without the input's defaults, because
 * `.partial()` would still fill them in and an edit of the note would silently re-enable the rule.
 */
export const AlertRuleChangesSchema = z
  .object({
    target: AlertTargetSchema,
    condition: AlertConditionSchema,
    trigger: AlertTriggerSchema,
    rearmPercent: z.number().finite().min(0).max(50),
    expiresAt: z.number().nullable(),
    enabled: z.boolean(),
    note: z.string().max(500)
  })
  .partial()
export type AlertRuleChanges = z.infer<typeof AlertRuleChangesSchema>

export const AlertRuleSchema = AlertRuleInputSchema.extend({
  id: z.string().min(1),
  createdAt: z.number(),
  snoozedUntil: z.number().nullable(),
  /** Last time the rule fired for any symbol (once-rules stop after the first). */
  lastFiredAt: z.number().nullable(),
  /** Why the rule is not being evaluated, in plain words (its symbol or watchlist was removed). */
  suspendedReason: z.string().nullable()
})
export type AlertRule = z.infer<typeof AlertRuleSchema>

/** A rule as the engine evaluates it: the host resolves watchlist targets to symbols. */
export const EngineAlertRuleSchema = z.object({
  id: z.string().min(1),
  symbols: z.array(z.string().min(1)),
  condition: AlertConditionSchema,
  trigger: AlertTriggerSchema,
  rearmPercent: z.number().min(0).max(50),
  expiresAt: z.number().nullable(),
  snoozedUntil: z.number().nullable(),
  /** Per symbol, when this rule last fired (cooldown, once-per-day and once survive restarts). */
  lastFired: z.record(z.string(), z.number())
})
export type EngineAlertRule = z.infer<typeof EngineAlertRuleSchema>

export const AlertFiringSchema = z.object({
  ruleId: z.string().min(1),
  symbol: z.string().min(1),
  /** When the engine noticed it. */
  at: z.number(),
  /** When the crossing happened, if known (catch-up after sleep or offline). */
  occurredAt: z.number().nullable(),
  /** "while you were away": found by catch-up from day ranges or bars, not a live tick. */
  catchUp: z.boolean(),
  /** Plain words, e.g. "AAPL rose above 200.00 (now 201.35)". */
  message: z.string(),
  quote: QuoteSchema
})
export type AlertFiring = z.infer<typeof AlertFiringSchema>

export const InboxEntrySchema = AlertFiringSchema.extend({
  id: z.string().min(1),
  read: z.boolean(),
  note: z.string()
})
export type InboxEntry = z.infer<typeof InboxEntrySchema>

export const AlertsStateSchema = z.object({
  rules: z.array(AlertRuleSchema),
  inbox: z.array(InboxEntrySchema),
  unread: z.number().int().nonnegative()
})
export type AlertsState = z.infer<typeof AlertsStateSchema>

/** Why a tick was not used for alerts; shown beside the price in the UI. */
export const TickFlagSchema = z.enum(['stale', 'zero', 'negative', 'outlier'])
export type TickFlag = z.infer<typeof TickFlagSchema>
