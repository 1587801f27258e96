import type { FileOps } from './file-ops'
import type { KeyValueStore, StoreBackend } from './store-backend'

/**
 * A StoreBackend that keeps each store as JSON text in memory. It behaves like a file-backed one
 * (values are copied on the way in and out, damaged text throws on open), which makes it a
 * stand-in for tests and the fallback when the data folder cannot be written at all.
 */
export interface MemoryBackend extends StoreBackend {
  /** Raw JSON text per store name, as a file would hold it. */
  readonly files: Map<string, string>
  /** How many times each store was written. */
  readonly writes: Map<string, number>
  /** File operations over `files`, for openHostStores' backups. */
  readonly fileOps: FileOps
}

export function memoryBackend(initial: Record<string, string> = {}, dir = '/memory'): MemoryBackend {
  const files = new Map(Object.entries(initial))
  const writes = new Map<string, number>()
  const filePath = (name: string): string => `${dir}/${name}.json`

  const nameOf = (path: string): string | undefined => {
    const match = path.startsWith(`${dir}/`) && path.endsWith('.json') ? path.slice(dir.length + 1, -'.json'.length) : undefined
    return match
  }
  const fileOps: FileOps = {
    exists: (path) => {
      const name = nameOf(path)
      return name !== undefined && files.has(name)
    },
    copy: (from, to) => {
      const source = nameOf(from)
      const target = nameOf(to)
      const text = source === undefined ? undefined : files.get(source)
      if (text === undefined || target === undefined) throw new Error(`ENOENT: no such file, copy '${from}'`)
      files.set(target, text)
    },
    rename: (from, to) => {
      fileOps.copy(from, to)
      files.delete(nameOf(from)!)
    }
  }

  return {
    files,
    writes,
    fileOps,
    filePath,
    open<T extends Record<string, unknown>>(name: string, defaults: T): KeyValueStore<T> {
      const read = (): T => {
        const text = files.get(name)
        const parsed: unknown = text === undefined ? {} : JSON.parse(text)
        const data = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {}
        return { ...structuredClone(defaults), ...data } as T
      }
      const write = (value: T): void => {
        files.set(name, JSON.stringify(value, null, '\t'))
        writes.set(name, (writes.get(name) ?? 0) + 1)
      }
      // Like conf: the file is only written on open when defaults add keys it lacks.
      const text = files.get(name)
      const onDisk: unknown = text === undefined ? {} : JSON.parse(text)
      const opened = read()
      const lacksDefaults = Object.keys(defaults).some((key) => !(typeof onDisk === 'object' && onDisk !== null && key in onDisk))
      if (lacksDefaults) write(opened)
      return {
        get store() {
          return read()
        },
        get: (key) => read()[key],
        set: (key, value) => {
          const next = read()
          next[key] = structuredClone(value)
          write(next)
        },
        path: filePath(name)
      }
    }
  }
}
