import { join } from 'node:path'
import { app } from 'electron'
import Store from 'electron-store'
import type { KeyValueStore, StoreBackend } from '../host/state/store-backend'

/**
 * The host's persistence seam over electron-store, so the Electron build keeps its files in the
 * platform's userData folder. clearInvalidConfig stays false on purpose: a corrupt file must
 * throw so the host can back it up and tell the user, rather than electron-store silently
 * wiping it.
 */
export function electronStoreBackend(): StoreBackend {
  return {
    open<T extends Record<string, unknown>>(name: string, defaults: T): KeyValueStore<T> {
      const store = new Store<T>({ name, defaults, clearInvalidConfig: false })
      return {
        get store() {
          return store.store
        },
        get: (key) => store.get(key),
        set: (key, value) => store.set(key, value),
        get path() {
          return store.path
        }
      }
    },
    // electron-store writes `<userData>/<name>.json` when no cwd or extension is given.
    filePath: (name) => join(app.getPath('userData'), `${name}.json`)
  }
}
