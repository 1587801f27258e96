/** A small persisted key/value file. Implemented over conf here and electron-store in the desktop shell. */
export interface KeyValueStore<T extends Record<string, unknown>> {
  /** The whole snapshot. */
  readonly store: T
  get<K extends keyof T>(key: K): T[K]
  set<K extends keyof T>(key: K, value: T[K]): void
  readonly path: string
}

export interface StoreBackend {
  /** Opens (creating if needed) the named store; THROWS if the file exists but is corrupt. */
  open<T extends Record<string, unknown>>(name: string, defaults: T): KeyValueStore<T>
  filePath(name: string): string
}
