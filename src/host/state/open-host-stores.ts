import { basename, dirname, join } from 'node:path'
import type { Notice } from '../../shared/ipc/contract'
import { createNotice, describeError } from '../notices'
import { APP_STATE_STORE, defaultAppState, type AppState } from './app-state'
import { AppStateRepository } from './app-state-repository'
import { ALERTS_STORE, ALERTS_VERSION, AlertsFileSchema, AlertsStore, emptyAlerts, readAlerts, type AlertsData, type AlertsFile } from './alerts-store'
import { nodeFileOps, type FileOps } from './file-ops'
import { memoryBackend } from './memory-backend'
import { migrateWithReport } from './migrate'
import {
  QUOTE_CACHE_STORE,
  QUOTE_CACHE_VERSION,
  QuoteCache,
  QuoteCacheFileSchema,
  readCachedQuotes,
  type QuoteCacheFile
} from './quote-cache'
import type { Quote } from '../../shared/quote'
import {
  QUOTA_USAGE_STORE,
  QUOTA_USAGE_VERSION,
  QuotaUsageFileSchema,
  QuotaUsageStore,
  readQuotaUsage,
  type QuotaUsageByProvider,
  type QuotaUsageFile
} from './quota-usage-store'
import { DIRECTORY_STORE, DIRECTORY_VERSION, DirectoryFileSchema, readDirectoryFile, type DirectoryFile, type DirectoryListing } from '../directory/directory-file'
import { SymbolDirectory } from '../directory/symbol-directory'
import type { ProviderId } from '../../shared/providers'
import type { KeyValueStore, StoreBackend } from './store-backend'
import { realTimers, type Timers } from './timers'

export interface HostStores {
  readonly appState: AppStateRepository
  readonly quoteCache: QuoteCache
  /** Alert rules, the alert inbox and when each rule last fired. */
  readonly alerts: AlertsStore
  /** The local symbol directory (built-in seed plus fetched provider listings), for offline search. */
  readonly directory: SymbolDirectory
  /** Each provider's last reported quota usage, restored into every new engine. */
  readonly quotaUsage: QuotaUsageStore
  /** Notices raised while opening (damaged files), for the host to show until dismissed. */
  readonly notices: readonly Notice[]
  /** Notices raised later, such as a save that failed. */
  onNotice(listener: (notice: Notice) => void): () => void
  /** Writes any pending quote-cache and quota-usage changes now. */
  flush(): void
  /** Flushes and stops the write timers. */
  dispose(): void
}

export interface OpenHostStoresOptions {
  now: () => number
  /** Every notice, at open and later; shells log it here (this module does not log notices itself). */
  onNotice: (notice: Notice) => void
  timers?: Timers
  cacheWriteIntervalMs?: number
  quotaUsageWriteIntervalMs?: number
  files?: FileOps
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void
}

type AnyStore = KeyValueStore<Record<string, unknown>>

interface Opened {
  store: AnyStore
  /** What was on disk; undefined when the file did not exist or had to be reset. */
  raw: Record<string, unknown> | undefined
}

const LABELS: Record<string, string> = {
  [APP_STATE_STORE]: 'watchlists file',
  [QUOTE_CACHE_STORE]: 'saved prices file',
  [ALERTS_STORE]: 'alerts file',
  [DIRECTORY_STORE]: 'symbol directory file',
  [QUOTA_USAGE_STORE]: 'provider usage file'
}

/**
 * Opens the host stores. They are separate files so that a damaged price cache never costs
 * the watchlists. A damaged file is set aside next to itself as `<name>.corrupt-<time>.json`,
 * the store starts again from defaults, and a notice says what happened; nothing is thrown.
 */
export function openHostStores(backend: StoreBackend, options: OpenHostStoresOptions): HostStores {
  const files = options.files ?? nodeFileOps
  const log = options.log ?? (() => {})
  const openingNotices: Notice[] = []
  const listeners = new Set<(notice: Notice) => void>()
  let opening = true

  const raise = (level: Notice['level'], message: string): void => {
    // Not logged here: onNotice is where shells log notices.
    const notice = createNotice(level, message, options.now())
    if (opening) openingNotices.push(notice)
    try {
      options.onNotice(notice)
    } catch (error) {
      log('error', `Notice handler failed: ${describeError(error)}`)
    }
    if (!opening) for (const listener of listeners) listener(notice)
  }

  const backupName = (name: string): string => {
    const path = backend.filePath(name)
    const stamp = new Date(options.now()).toISOString().replace(/[:.]/g, '-')
    let candidate = join(dirname(path), `${name}.corrupt-${stamp}.json`)
    for (let n = 2; files.exists(candidate); n++) candidate = join(dirname(path), `${name}.corrupt-${stamp}-${n}.json`)
    return candidate
  }

  /** Copies (or moves) the file aside; returns the backup's path, or null when that failed. */
  const backUp = (name: string, move: boolean): string | null => {
    const path = backend.filePath(name)
    const target = backupName(name)
    try {
      if (move) files.rename(path, target)
      else files.copy(path, target)
      return target
    } catch (error) {
      log('error', `Could not back up ${path}: ${describeError(error)}`)
      return null
    }
  }

  const memoryFallback = (name: string): AnyStore => memoryBackend().open(name, {})

  const open = (name: string): Opened => {
    const label = LABELS[name] ?? `${name} file`
    const path = backend.filePath(name)
    const existed = files.exists(path)
    try {
      const store = backend.open<Record<string, unknown>>(name, {})
      return { store, raw: existed ? store.store : undefined }
    } catch (error) {
      log('warn', `Could not open ${path}: ${describeError(error)}`)
    }
    const backup = existed ? backUp(name, true) : null
    if (backup !== null) {
      try {
        const store = backend.open<Record<string, unknown>>(name, {})
        raise('warning', `Your ${label} was damaged and has been reset; a backup was saved as ${basename(backup)} (in ${dirname(backup)}).`)
        return { store, raw: undefined }
      } catch (error) {
        log('error', `Could not recreate ${path}: ${describeError(error)}`)
      }
    }
    raise(
      'error',
      `TickerDesk could not open its ${label} (${path}), so changes made now will not be saved.` +
        (backup !== null ? ` The damaged file was saved as ${basename(backup)}.` : '')
    )
    return { store: memoryFallback(name), raw: undefined }
  }

  const writeAll = (store: AnyStore, entries: Record<string, unknown>, what: string): void => {
    try {
      for (const [key, value] of Object.entries(entries)) store.set(key, value)
    } catch (error) {
      raise('error', `TickerDesk could not save its ${what}: ${describeError(error)}`)
    }
  }

  const appState = openAppState()
  const quoteCache = openQuoteCache()
  const alerts = openAlerts()
  const directory = openDirectory()
  const quotaUsage = openQuotaUsage()
  opening = false

  return {
    appState,
    quoteCache,
    alerts,
    directory,
    quotaUsage,
    notices: openingNotices,
    onNotice(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    flush: () => {
      quoteCache.flush()
      quotaUsage.flush()
    },
    dispose: () => {
      quoteCache.dispose()
      quotaUsage.dispose()
    }
  }

  function openAppState(): AppStateRepository {
    const { store, raw } = open(APP_STATE_STORE)
    let state: AppState
    if (raw === undefined || Object.keys(raw).length === 0) {
      state = defaultAppState()
    } else {
      const result = migrateWithReport(raw)
      state = result.state
      if (result.problems.length > 0) {
        // Copy before the repaired state overwrites it, so nothing the user had is lost.
        const backup = backUp(APP_STATE_STORE, false)
        const where = backup !== null ? ` A backup of the original was saved as ${basename(backup)} (in ${dirname(backup)}).` : ''
        raise('warning', `Parts of your watchlists file were damaged and have been repaired: ${result.problems.join(' ')}${where}`)
      }
    }
    // schemaVersion last: if writing stops half-way, the next start still migrates.
    const stored = raw ?? {}
    const changed: Record<string, unknown> = {}
    if (JSON.stringify(stored.watchlists) !== JSON.stringify(state.watchlists)) changed.watchlists = state.watchlists
    if (JSON.stringify(stored.settings) !== JSON.stringify(state.settings)) changed.settings = state.settings
    if (stored.schemaVersion !== state.schemaVersion) changed.schemaVersion = state.schemaVersion
    if (Object.keys(changed).length > 0) writeAll(store, changed, 'watchlists')

    return new AppStateRepository(store as KeyValueStore<AppState>, state, (error) =>
      raise('error', `TickerDesk could not save your watchlists and settings: ${describeError(error)}. Changes are kept until you quit.`)
    )
  }

  function openAlerts(): AlertsStore {
    const { store, raw } = open(ALERTS_STORE)
    let data: AlertsData = emptyAlerts()
    let needsWrite = true
    if (raw !== undefined && Object.keys(raw).length > 0) {
      const parsed = AlertsFileSchema.safeParse(raw)
      if (!parsed.success) {
        const backup = backUp(ALERTS_STORE, false)
        raise(
          'warning',
          'Your alerts file was damaged and has been reset, so your alert rules and alert inbox start empty.' +
            (backup !== null ? ` A backup was saved as ${basename(backup)} (in ${dirname(backup)}).` : '')
        )
      } else {
        const result = readAlerts(parsed.data, options.now())
        data = result.data
        if (result.droppedEntries > 0) log('warn', `Dropped ${result.droppedEntries} unreadable entries from the alert inbox.`)
        if (result.droppedRules > 0) {
          // Copy before the repaired rules overwrite the file, so the user can recover them.
          const backup = backUp(ALERTS_STORE, false)
          const count = result.droppedRules === 1 ? 'One alert rule' : `${result.droppedRules} alert rules`
          raise(
            'warning',
            `${count} in your alerts file could not be read and ${result.droppedRules === 1 ? 'was' : 'were'} dropped; your other alerts are kept.` +
              (backup !== null ? ` A backup of the original was saved as ${basename(backup)} (in ${dirname(backup)}).` : '')
          )
        }
        // Rewritten only when reading changed something (defaults filled, entries dropped, old version).
        const stored = { rules: raw.rules, inbox: raw.inbox, lastFired: raw.lastFired }
        needsWrite = parsed.data.schemaVersion !== ALERTS_VERSION || JSON.stringify(stored) !== JSON.stringify(data)
      }
    }
    if (needsWrite) {
      try {
        // schemaVersion last: if writing stops half-way, the next start reads it again.
        store.set('rules', data.rules)
        store.set('inbox', data.inbox)
        store.set('lastFired', data.lastFired)
        store.set('schemaVersion', ALERTS_VERSION)
      } catch (error) {
        raise('error', `TickerDesk could not save its alerts: ${describeError(error)}`)
      }
    }
    return new AlertsStore(store as KeyValueStore<AlertsFile>, data, (error) =>
      raise('error', `TickerDesk could not save your alerts: ${describeError(error)}. Changes are kept until you quit.`)
    )
  }

  /** Only fetched listings live in the file; it is written when the first listing arrives. */
  function openDirectory(): SymbolDirectory {
    const { store, raw } = open(DIRECTORY_STORE)
    let listings = new Map<ProviderId, DirectoryListing>()
    if (raw !== undefined && Object.keys(raw).length > 0) {
      const parsed = DirectoryFileSchema.safeParse(raw)
      if (parsed.success) {
        const result = readDirectoryFile(parsed.data)
        listings = result.listings
        if (result.dropped > 0) log('warn', `Dropped ${result.dropped} unreadable entries from the symbol directory file.`)
      } else {
        const backup = backUp(DIRECTORY_STORE, false)
        raise(
          'info',
          'Your symbol directory file was damaged and has been reset; symbol search uses the built-in list until the next refresh.' +
            (backup !== null ? ` A backup was saved as ${basename(backup)} (in ${dirname(backup)}).` : '')
        )
        try {
          store.set('sources', {})
          store.set('schemaVersion', DIRECTORY_VERSION)
        } catch (error) {
          log('warn', `Could not reset the symbol directory file: ${describeError(error)}`)
        }
      }
    }
    let reported = false
    return new SymbolDirectory(store as KeyValueStore<DirectoryFile>, listings, (error) => {
      log('warn', `Could not write the symbol directory file: ${describeError(error)}`)
      if (!reported) raise('info', `TickerDesk could not save the symbol directory for offline search: ${describeError(error)}`)
      reported = true
    })
  }

  function openQuotaUsage(): QuotaUsageStore {
    const { store, raw } = open(QUOTA_USAGE_STORE)
    let initial: QuotaUsageByProvider = {}
    let needsWrite = true
    if (raw !== undefined && Object.keys(raw).length > 0) {
      const parsed = QuotaUsageFileSchema.safeParse(raw)
      if (parsed.success) {
        const result = readQuotaUsage(parsed.data.byProvider)
        initial = result.usage
        if (result.dropped > 0) log('warn', `Dropped ${result.dropped} unreadable entries from the provider usage file.`)
        needsWrite = result.dropped > 0 || parsed.data.schemaVersion !== QUOTA_USAGE_VERSION
      } else {
        const backup = backUp(QUOTA_USAGE_STORE, false)
        raise(
          'warning',
          "Your provider usage file was damaged and has been reset, so today's request counts start from zero; a provider may refuse requests sooner than shown." +
            (backup !== null ? ` A backup was saved as ${basename(backup)} (in ${dirname(backup)}).` : '')
        )
      }
    }
    if (needsWrite) {
      try {
        store.set('byProvider', initial)
        store.set('schemaVersion', QUOTA_USAGE_VERSION)
      } catch (error) {
        log('warn', `Could not write the provider usage file: ${describeError(error)}`)
      }
    }
    let reported = false
    return new QuotaUsageStore(store as KeyValueStore<QuotaUsageFile>, initial, {
      timers: options.timers ?? realTimers,
      intervalMs: options.quotaUsageWriteIntervalMs,
      onWriteError: (error) => {
        log('warn', `Could not write the provider usage file: ${describeError(error)}`)
        if (!reported) raise('info', `TickerDesk could not save how much of each provider's quota was used: ${describeError(error)}`)
        reported = true
      }
    })
  }

  function openQuoteCache(): QuoteCache {
    const { store, raw } = open(QUOTE_CACHE_STORE)
    let initial = new Map<string, Quote>()
    let needsWrite: boolean
    if (raw !== undefined && Object.keys(raw).length > 0) {
      const parsed = QuoteCacheFileSchema.safeParse(raw)
      if (parsed.success) {
        const { quotes, dropped } = readCachedQuotes(parsed.data.quotes)
        initial = quotes
        if (dropped > 0) log('warn', `Dropped ${dropped} unreadable entries from the saved prices file.`)
        needsWrite = dropped > 0 || parsed.data.schemaVersion !== QUOTE_CACHE_VERSION
      } else {
        needsWrite = true
        const backup = backUp(QUOTE_CACHE_STORE, false)
        raise(
          'warning',
          `Your saved prices file was damaged and has been reset; prices reload with the next update.` +
            (backup !== null ? ` A backup was saved as ${basename(backup)} (in ${dirname(backup)}).` : '')
        )
      }
    } else {
      needsWrite = true
    }
    if (needsWrite) {
      try {
        store.set('quotes', Object.fromEntries(initial))
        store.set('schemaVersion', QUOTE_CACHE_VERSION)
      } catch (error) {
        log('warn', `Could not write the saved prices file: ${describeError(error)}`)
      }
    }
    let reported = false
    return new QuoteCache(store as KeyValueStore<QuoteCacheFile>, initial, {
      timers: options.timers ?? realTimers,
      intervalMs: options.cacheWriteIntervalMs,
      onWriteError: (error) => {
        log('warn', `Could not write the saved prices file: ${describeError(error)}`)
        // Only prices are at stake, and they come back with the next update: say it once.
        if (!reported) raise('info', `TickerDesk could not save the latest prices for offline use: ${describeError(error)}`)
        reported = true
      }
    })
  }
}
