import { SettingsSchema, WatchlistNameSchema, type Settings, type Watchlist, type WatchlistsState } from '../../shared/ipc/contract'
import { ProviderIdSchema } from '../../shared/providers'
import { normaliseSymbol, symbolProblem } from '../../shared/symbols'
import { APP_STATE_VERSION, defaultAppState, defaultSettings, type AppState } from './app-state'

export interface MigrationResult {
  state: AppState
  /**
   * Values that were present but unusable and had to be dropped or replaced, in plain words.
   * Missing values and old layouts are not problems: they migrate silently.
   */
  problems: string[]
}

type Obj = Record<string, unknown>

function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

export const MAX_SYMBOLS_PER_LIST = 1000
export const MAX_LISTS = 100

/**
 * Turns whatever was on disk into a valid AppState without throwing. Each field falls back on
 * its own, so one bad value never costs the rest.
 *
 * Layouts understood:
 * - v1: `{ schemaVersion: 1, watchlists: { lists, activeId }, settings }`
 * - v0 (no schemaVersion): a single list as `symbols: string[]` and settings at the top level
 *   (`provider`, `refreshIntervalSec`, `theme`); any v1 fields present are honoured too.
 */
export function migrateWithReport(raw: unknown): MigrationResult {
  const problems: string[] = []
  const defaults = defaultAppState()
  if (raw === undefined || raw === null) return { state: defaults, problems }
  if (!isObject(raw)) {
    return { state: defaults, problems: ['The saved data was not in a format TickerDesk understands.'] }
  }

  const version = raw.schemaVersion
  if (version !== undefined && (typeof version !== 'number' || !Number.isInteger(version) || version < 0)) {
    problems.push('The saved data had an unreadable version number.')
  } else if (typeof version === 'number' && version > APP_STATE_VERSION) {
    problems.push('The saved data was written by a newer version of TickerDesk; some of it may not have been understood.')
  }

  const isLegacy = version === undefined
  const watchlists = migrateWatchlists(raw, isLegacy, problems)
  const settingsSource = isLegacy && !isObject(raw.settings) ? raw : raw.settings
  const settings = migrateSettings(settingsSource, problems)
  return { state: { schemaVersion: APP_STATE_VERSION, watchlists, settings }, problems }
}

export function migrate(raw: unknown): AppState {
  return migrateWithReport(raw).state
}

function migrateWatchlists(raw: Obj, isLegacy: boolean, problems: string[]): WatchlistsState {
  const defaults = defaultAppState().watchlists
  let source: unknown = raw.watchlists
  if (source === undefined && isLegacy && raw.symbols !== undefined) {
    source = { lists: [{ id: defaults.activeId, name: defaults.lists[0]?.name, symbols: raw.symbols }] }
  }
  if (source === undefined) return defaults
  if (!isObject(source) || !Array.isArray(source.lists)) {
    problems.push('Your watchlists could not be read and were replaced with the default list.')
    return defaults
  }

  const lists: Watchlist[] = []
  const ids = new Set<string>()
  const names = new Set<string>()
  source.lists.forEach((entry, index) => {
    if (lists.length >= MAX_LISTS) {
      problems.push(`Only the first ${MAX_LISTS} watchlists were kept.`)
      return
    }
    const list = migrateList(entry, index, ids, names, problems)
    if (list) lists.push(list)
  })
  if (lists.length === 0) {
    if (source.lists.length > 0) problems.push('None of your watchlists could be read; the default list was restored.')
    return defaults
  }

  const activeId = typeof source.activeId === 'string' && ids.has(source.activeId) ? source.activeId : lists[0]!.id
  if (source.activeId !== undefined && activeId !== source.activeId) {
    problems.push('The selected watchlist no longer existed; the first one was selected.')
  }
  return { lists, activeId }
}

function migrateList(entry: unknown, index: number, ids: Set<string>, names: Set<string>, problems: string[]): Watchlist | null {
  if (!isObject(entry)) {
    problems.push(`Watchlist ${index + 1} could not be read and was dropped.`)
    return null
  }
  let id = typeof entry.id === 'string' && entry.id.trim() !== '' ? entry.id : `list-${index + 1}`
  while (ids.has(id)) id = `${id}-${index + 1}`
  ids.add(id)

  const parsedName = WatchlistNameSchema.safeParse(entry.name)
  let name = parsedName.success ? parsedName.data : `Watchlist ${index + 1}`
  if (!parsedName.success) problems.push(`Watchlist ${index + 1} had no usable name and was called "${name}".`)
  const base = name
  for (let n = 2; names.has(name.toLowerCase()); n++) name = `${base} (${n})`
  names.add(name.toLowerCase())

  const symbols: string[] = []
  const seen = new Set<string>()
  const rawSymbols: unknown[] = Array.isArray(entry.symbols) ? entry.symbols : []
  if (entry.symbols !== undefined && !Array.isArray(entry.symbols)) {
    problems.push(`The symbols of "${name}" could not be read.`)
  }
  const dropped: string[] = []
  for (const value of rawSymbols) {
    if (typeof value !== 'string' || symbolProblem(value) !== null) {
      dropped.push(typeof value === 'string' ? value : JSON.stringify(value) ?? String(value))
      continue
    }
    const symbol = normaliseSymbol(value)
    if (seen.has(symbol) || symbols.length >= MAX_SYMBOLS_PER_LIST) continue
    seen.add(symbol)
    symbols.push(symbol)
  }
  if (dropped.length > 0) problems.push(`Dropped unreadable symbols from "${name}": ${dropped.slice(0, 5).join(', ')}${dropped.length > 5 ? ', …' : ''}.`)
  if (entry.provider === undefined) return { id, name, symbols }
  const provider = ProviderIdSchema.safeParse(entry.provider)
  if (!provider.success) {
    problems.push(`The provider pinned to "${name}" is not one TickerDesk knows; the pin was removed.`)
    return { id, name, symbols }
  }
  return { id, name, symbols, provider: provider.data }
}

function migrateSettings(source: unknown, problems: string[]): Settings {
  const settings = defaultSettings()
  if (source === undefined) return settings
  if (!isObject(source)) {
    problems.push('Your settings could not be read and were reset.')
    return settings
  }
  const shape = SettingsSchema.shape
  const pick = <K extends keyof Settings>(key: K, label: string): void => {
    if (source[key] === undefined) return
    const parsed = shape[key].safeParse(source[key])
    if (parsed.success) settings[key] = parsed.data as Settings[K]
    else problems.push(`The saved ${label} was not valid and was reset to the default.`)
  }
  pick('provider', 'quote provider')
  pick('cryptoProvider', 'crypto provider')
  pick('fallbackProviders', 'list of fallback providers')
  pick('symbolProviders', 'choice of provider per symbol')
  pick('refreshIntervalSec', 'refresh interval')
  pick('extendedHours', 'extended-hours choice')
  pick('theme', 'theme')
  pick('notifications', 'notification settings')
  pick('tray', 'tray settings')
  pick('providerLimits', 'provider limits')
  return settings
}
