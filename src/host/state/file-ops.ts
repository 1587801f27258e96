import { copyFileSync, existsSync, renameSync } from 'node:fs'

/** The few file operations needed to set a damaged store aside; injectable for tests. */
export interface FileOps {
  exists(path: string): boolean
  copy(from: string, to: string): void
  rename(from: string, to: string): void
}

export const nodeFileOps: FileOps = {
  exists: (path) => existsSync(path),
  copy: (from, to) => copyFileSync(from, to),
  rename: (from, to) => renameSync(from, to)
}
