/**
 * The one contract between the renderer and its host (Electron main or the web shell).
 * Preload, IPC handlers, the web-shell bridge and the renderer client are all derived from it:
 * no channel string is written anywhere else.
 */
import { z } from 'zod'
import { AlertRuleChangesSchema, AlertRuleInputSchema, AlertsStateSchema, InboxEntrySchema, TickFlagSchema } from '../alerts'
import { HistoryRequestSchema, HistoryResponseSchema } from '../history'
import { ProviderIdSchema } from '../providers'
import { ProviderKeysStateSchema, ProviderLimitsSchema } from '../provider-settings'
import { QuotePatchSchema, QuoteSchema, SymbolErrorSchema } from '../quote'
import { SymbolSchema } from '../symbols'
import { SEARCH_LIMIT_MAX, SearchQuerySchema, SearchSymbolsResponseSchema } from '../symbol-search'
import { ProviderStatusSchema } from './engine-protocol'

export const WatchlistNameSchema = z.string().trim().min(1, 'A watchlist needs a name.').max(60, 'Keep watchlist names under 60 characters.')

export const WatchlistSchema = z.object({
  id: z.string().min(1),
  name: WatchlistNameSchema,
  symbols: z.array(z.string().min(1)),
  /** Every symbol of this list goes to this provider first (a per-symbol pin still wins). */
  provider: ProviderIdSchema.optional()
})
export type Watchlist = z.infer<typeof WatchlistSchema>

export const WatchlistsStateSchema = z.object({
  lists: z.array(WatchlistSchema).min(1),
  activeId: z.string().min(1)
})
export type WatchlistsState = z.infer<typeof WatchlistsStateSchema>

export const ThemeSchema = z.enum(['system', 'light', 'dark'])

const ClockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a 24-hour time such as 22:00.')

export const NotificationSettingsSchema = z.object({
  enabled: z.boolean(),
  sound: z.boolean(),
  /** Alerts still reach the inbox during quiet hours; only desktop notifications are held back. */
  quietHours: z.object({ enabled: z.boolean(), start: ClockTimeSchema, end: ClockTimeSchema })
})
export type NotificationSettings = z.infer<typeof NotificationSettingsSchema>

export const TraySettingsSchema = z.object({
  closeToTray: z.boolean(),
  minimizeToTray: z.boolean(),
  startAtLogin: z.boolean(),
  startHidden: z.boolean(),
  /** Shown in the tray tooltip and menu, in this order. */
  pinnedSymbols: z.array(z.string().min(1)).max(10)
})
export type TraySettings = z.infer<typeof TraySettingsSchema>

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  enabled: true,
  sound: false,
  quietHours: { enabled: false, start: '22:00', end: '07:00' }
}
export const DEFAULT_TRAY_SETTINGS: TraySettings = {
  closeToTray: false,
  minimizeToTray: false,
  startAtLogin: false,
  startHidden: false,
  pinnedSymbols: []
}

export const SettingsSchema = z.object({
  /** The equity provider: stocks, funds, indices, FX and everything that is not a crypto pair. */
  provider: ProviderIdSchema,
  /** First choice for crypto pairs (BTC-USD, ETH/EUR, …). */
  cryptoProvider: ProviderIdSchema,
  /** Tried in order while a symbol's first choice is failing. */
  fallbackProviders: z.array(ProviderIdSchema).max(8),
  /** Per-symbol first choice, overriding the asset class's provider and watchlist pins. */
  symbolProviders: z.record(z.string().min(1), ProviderIdSchema),
  refreshIntervalSec: z.number().int().min(1).max(3600),
  /** Also poll US equities in pre-market (04:00–09:30 ET) and after hours (16:00–20:00 ET). */
  extendedHours: z.boolean(),
  theme: ThemeSchema,
  notifications: NotificationSettingsSchema,
  tray: TraySettingsSchema,
  /** Paid-plan limits per provider over the free tier; absent means free tiers everywhere. */
  providerLimits: ProviderLimitsSchema.optional()
})
export type Settings = z.infer<typeof SettingsSchema>

export const EngineStateSchema = z.enum(['starting', 'running', 'reconnecting', 'stopped'])
export type EngineState = z.infer<typeof EngineStateSchema>

export const StatusSchema = z.object({
  engine: EngineStateSchema,
  provider: ProviderIdSchema,
  online: z.boolean(),
  offlineSince: z.number().nullable(),
  lastUpdate: z.number().nullable(),
  /** Plain-words description of the provider's latest problem, null when healthy. */
  lastError: z.string().nullable(),
  rateLimitedUntil: z.number().nullable(),
  /** The user paused updates (tray or UI); nothing is fetched until resumed. */
  paused: z.boolean(),
  /** Every provider in use (equity, crypto, fallbacks, pins); the fields above describe the equity one. */
  providers: z.array(ProviderStatusSchema)
})
export type Status = z.infer<typeof StatusSchema>

export const NoticeSchema = z.object({
  id: z.string(),
  level: z.enum(['info', 'warning', 'error']),
  message: z.string(),
  at: z.number()
})
export type Notice = z.infer<typeof NoticeSchema>

/** Id of the notice a provider's refusal of "refresh now" replaces (one per provider); the Refresh button answers with it. */
export const refreshRefusedNoticeId = (provider: string): string => `refresh-refused:${provider}`
export const isRefreshRefusedNotice = (id: string): boolean => id.startsWith('refresh-refused:')

export const BootstrapSchema = z.object({
  watchlists: WatchlistsStateSchema,
  settings: SettingsSchema,
  status: StatusSchema,
  /** Last-known quotes (live or from the offline cache) for every watched symbol. */
  quotes: z.array(QuoteSchema),
  symbolErrors: z.array(SymbolErrorSchema),
  notices: z.array(NoticeSchema),
  alerts: AlertsStateSchema,
  /** Whether each provider has an API key and where it comes from; never the key itself. */
  providerKeys: ProviderKeysStateSchema.optional()
})
export type Bootstrap = z.infer<typeof BootstrapSchema>

const Empty = z.object({}).strict()
const ListRef = z.object({ listId: z.string().min(1) })

function call<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) {
  return { request, response }
}

/** Request/response calls from the renderer to its host. */
export const hostCalls = {
  bootstrap: call(Empty, BootstrapSchema),
  createWatchlist: call(z.object({ name: WatchlistNameSchema }), WatchlistsStateSchema),
  renameWatchlist: call(ListRef.extend({ name: WatchlistNameSchema }), WatchlistsStateSchema),
  deleteWatchlist: call(ListRef, WatchlistsStateSchema),
  selectWatchlist: call(ListRef, WatchlistsStateSchema),
  /** The symbol is validated again in the host; a bad one rejects with a readable message. */
  addSymbol: call(ListRef.extend({ symbol: z.string().max(64) }), WatchlistsStateSchema),
  removeSymbol: call(ListRef.extend({ symbol: SymbolSchema }), WatchlistsStateSchema),
  moveSymbol: call(ListRef.extend({ symbol: SymbolSchema, toIndex: z.number().int().min(0) }), WatchlistsStateSchema),
  /** Pins the whole list to a provider; null removes the pin. */
  setWatchlistProvider: call(ListRef.extend({ provider: ProviderIdSchema.nullable() }), WatchlistsStateSchema),
  updateSettings: call(SettingsSchema.partial(), SettingsSchema),
  /** Saves (or with null removes) a provider's API key; answers only whether keys exist. */
  setProviderKey: call(z.object({ provider: ProviderIdSchema, key: z.string().max(1024).nullable() }), ProviderKeysStateSchema),
  /** The symbols this client currently shows; the engine fetches the union over all clients. */
  setInterest: call(
    z.object({
      symbols: z.array(SymbolSchema).max(10_000),
      /** The rows actually on screen; with armed alerts they get a larger share of a limited quota. */
      visible: z.array(SymbolSchema).max(10_000).optional()
    }),
    z.null()
  ),
  /**
   * Within quota: a provider that cannot refresh now says why in a notice. `automatic` marks a
   * refresh the page asked for by itself (the network came back): its refusals stay silent.
   */
  refreshNow: call(z.object({ automatic: z.boolean().optional() }).strict(), z.null()),
  /** Bars for the details chart, from the provider that serves the symbol (or one that can). */
  getHistory: call(HistoryRequestSchema, HistoryResponseSchema),
  dismissNotice: call(z.object({ id: z.string() }), z.null()),
  setUpdatesPaused: call(z.object({ paused: z.boolean() }), z.null()),
  createAlert: call(AlertRuleInputSchema, AlertsStateSchema),
  updateAlert: call(z.object({ id: z.string().min(1), changes: AlertRuleChangesSchema }), AlertsStateSchema),
  deleteAlert: call(z.object({ id: z.string().min(1) }), AlertsStateSchema),
  /** minutes 0 ends a snooze. */
  snoozeAlert: call(z.object({ id: z.string().min(1), minutes: z.number().int().min(0).max(10_080) }), AlertsStateSchema),
  /** Without ids, marks the whole inbox read. */
  markInboxRead: call(z.object({ ids: z.array(z.string()).max(10_000).optional() }), AlertsStateSchema),
  clearInbox: call(Empty, AlertsStateSchema),
  /** Providers' search merged with the local directory; `offline` when only the directory answered. */
  searchSymbols: call(
    z.object({ query: SearchQuerySchema, limit: z.number().int().min(1).max(SEARCH_LIMIT_MAX).optional() }),
    SearchSymbolsResponseSchema
  )
} as const

/** A desktop/browser notification the host decided to show (after burst grouping and quiet hours). */
export const NotificationSchema = z.object({
  title: z.string(),
  body: z.string(),
  /** The symbol a click should open; null for a summary of several alerts. */
  symbol: z.string().nullable(),
  sound: z.boolean()
})
export type AppNotification = z.infer<typeof NotificationSchema>

/** Events pushed from the host to every renderer. */
export const hostEvents = {
  quotes: z.array(QuotePatchSchema),
  status: StatusSchema,
  watchlists: WatchlistsStateSchema,
  settings: SettingsSchema,
  symbolErrors: z.array(SymbolErrorSchema),
  notice: NoticeSchema,
  alerts: AlertsStateSchema,
  /** Every fired alert, for in-app toasts (shown always, even in quiet hours). */
  alertFired: InboxEntrySchema,
  /** Only what the notification policy lets through. */
  notification: NotificationSchema,
  /** Ticks the engine refused to use for alerts (stale, zero, negative, outlier); null clears. */
  tickFlags: z.array(z.object({ symbol: z.string().min(1), flag: TickFlagSchema.nullable() })),
  /** Which providers have an API key (never the key). */
  providerKeys: ProviderKeysStateSchema,
  /** Open this symbol (tray menu or notification click). */
  focusSymbol: z.object({ symbol: z.string().min(1) })
} as const

export type HostCalls = typeof hostCalls
export type HostCallName = keyof HostCalls
export type HostEvents = typeof hostEvents
export type HostEventName = keyof HostEvents

export type CallRequest<K extends HostCallName> = z.input<HostCalls[K]['request']>
export type CallResponse<K extends HostCallName> = z.output<HostCalls[K]['response']>
export type EventPayload<K extends HostEventName> = z.output<HostEvents[K]>

/** What the renderer sees: one async function per call plus `on` for events. */
export type HostApi = { [K in HostCallName]: (request: CallRequest<K>) => Promise<CallResponse<K>> }
export type HostListen = <K extends HostEventName>(event: K, listener: (payload: EventPayload<K>) => void) => () => void
export type RendererApi = HostApi & { on: HostListen }

/** What a host implements: validated requests plus the id of the calling client. */
export interface CallContext {
  clientId: string
}
export type HostImpl = {
  [K in HostCallName]: (
    request: z.output<HostCalls[K]['request']>,
    context: CallContext
  ) => Promise<CallResponse<K>> | CallResponse<K>
}

const CHANNEL_PREFIX = 'tickerdesk:'
export const callChannel = (name: HostCallName): string => `${CHANNEL_PREFIX}call:${name}`
export const eventChannel = (name: HostEventName): string => `${CHANNEL_PREFIX}event:${name}`
export const HOST_CALL_NAMES = Object.keys(hostCalls) as HostCallName[]
export const HOST_EVENT_NAMES = Object.keys(hostEvents) as HostEventName[]
