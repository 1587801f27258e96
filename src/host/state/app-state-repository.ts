import type { Settings, WatchlistsState } from '../../shared/ipc/contract'
import type { AppState } from './app-state'
import type { KeyValueStore } from './store-backend'

/**
 * Watchlists and settings, held in memory and written through on every change. A failed write
 * keeps the change in memory (the app goes on working) and is reported once until a write
 * succeeds again.
 */
export class AppStateRepository {
  private state: AppState
  private failing = false

  constructor(
    private readonly store: KeyValueStore<AppState>,
    initial: AppState,
    private readonly onWriteError: (error: unknown) => void
  ) {
    this.state = initial
  }

  get watchlists(): WatchlistsState {
    return this.state.watchlists
  }

  get settings(): Settings {
    return this.state.settings
  }

  saveWatchlists(watchlists: WatchlistsState): void {
    this.state = { ...this.state, watchlists }
    this.write('watchlists', watchlists)
  }

  saveSettings(settings: Settings): void {
    this.state = { ...this.state, settings }
    this.write('settings', settings)
  }

  private write<K extends 'watchlists' | 'settings'>(key: K, value: AppState[K]): void {
    try {
      this.store.set(key, value)
      if (this.failing) {
        // The earlier failure may have skipped the other key: write it as well.
        this.store.set(key === 'watchlists' ? 'settings' : 'watchlists', key === 'watchlists' ? this.state.settings : this.state.watchlists)
        this.store.set('schemaVersion', this.state.schemaVersion)
      }
      this.failing = false
    } catch (error) {
      if (!this.failing) this.onWriteError(error)
      this.failing = true
    }
  }
}
