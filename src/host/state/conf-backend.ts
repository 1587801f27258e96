import Conf from 'conf'
import { join } from 'node:path'
import type { KeyValueStore, StoreBackend } from './store-backend'

/** Stores as JSON files in `dataDir`, one per name; conf writes them atomically. */
export function confBackend(dataDir: string): StoreBackend {
  return {
    filePath: (name) => join(dataDir, `${name}.json`),
    open<T extends Record<string, unknown>>(name: string, defaults: T): KeyValueStore<T> {
      const conf = new Conf<T>({
        cwd: dataDir,
        configName: name,
        defaults,
        clearInvalidConfig: false,
        // Keys are plain top-level names; quote symbols such as BRK.B must never become paths.
        accessPropertiesByDotNotation: false
      })
      return {
        get store() {
          return conf.store
        },
        get: (key) => conf.get(key),
        set: (key, value) => conf.set(key, value),
        path: conf.path
      }
    }
  }
}
