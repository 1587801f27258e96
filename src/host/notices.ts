import { randomUUID } from 'node:crypto'
import type { Notice } from '../shared/ipc/contract'

export function createNotice(level: Notice['level'], message: string, at: number): Notice {
  return { id: randomUUID(), level, message, at }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}
