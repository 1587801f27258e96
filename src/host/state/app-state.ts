import { DEFAULT_NOTIFICATION_SETTINGS, DEFAULT_TRAY_SETTINGS, type Settings, type Watchlist, type WatchlistsState } from '../../shared/ipc/contract'
import { DEFAULT_PROVIDER } from '../../shared/providers'

/** Bump when the stored shape changes, and teach `migrate` the old one. */
export const APP_STATE_VERSION = 1

export const APP_STATE_STORE = 'app-state'

export interface AppState extends Record<string, unknown> {
  schemaVersion: number
  watchlists: WatchlistsState
  settings: Settings
}

export const DEFAULT_LIST_ID = 'default'
export const DEFAULT_SYMBOLS = ['AAPL', 'MSFT', 'BTC-USD', '^GSPC'] as const

export function defaultWatchlist(): Watchlist {
  return { id: DEFAULT_LIST_ID, name: 'My watchlist', symbols: [...DEFAULT_SYMBOLS] }
}

export function defaultSettings(): Settings {
  return {
    provider: DEFAULT_PROVIDER,
    cryptoProvider: DEFAULT_PROVIDER,
    fallbackProviders: [],
    symbolProviders: {},
    refreshIntervalSec: 15,
    extendedHours: false,
    theme: 'system',
    notifications: structuredClone(DEFAULT_NOTIFICATION_SETTINGS),
    tray: structuredClone(DEFAULT_TRAY_SETTINGS)
  }
}

export function defaultAppState(): AppState {
  return {
    schemaVersion: APP_STATE_VERSION,
    watchlists: { lists: [defaultWatchlist()], activeId: DEFAULT_LIST_ID },
    settings: defaultSettings()
  }
}
