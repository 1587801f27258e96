import { randomUUID } from 'node:crypto'
import type { AlertFiring, InboxEntry } from '../../shared/alerts'
import { INBOX_LIMIT, type AlertsStore } from '../state/alerts-store'

export interface AlertInboxOptions {
  store: AlertsStore
  limit?: number
  newId?: () => string
}

/** Every alert that reached the user, newest first, persisted and capped to the newest `limit`. */
export class AlertInbox {
  private readonly limit: number
  private readonly newId: () => string

  constructor(private readonly options: AlertInboxOptions) {
    this.limit = options.limit ?? INBOX_LIMIT
    this.newId = options.newId ?? (() => `inbox-${randomUUID()}`)
  }

  get entries(): readonly InboxEntry[] {
    return this.options.store.data.inbox
  }

  get unread(): number {
    let count = 0
    for (const entry of this.entries) if (!entry.read) count++
    return count
  }

  add(firing: AlertFiring, note: string): InboxEntry {
    const entry: InboxEntry = { ...firing, id: this.newId(), read: false, note }
    const inbox = [entry, ...this.entries]
    if (inbox.length > this.limit) inbox.length = this.limit
    this.options.store.save({ inbox })
    return entry
  }

  /** Without ids, marks everything read. Unknown ids are ignored (another window may have cleared them). */
  markRead(ids?: readonly string[]): boolean {
    const wanted = ids === undefined ? null : new Set(ids)
    let changed = false
    const inbox = this.entries.map((entry) => {
      if (entry.read || (wanted !== null && !wanted.has(entry.id))) return entry
      changed = true
      return { ...entry, read: true }
    })
    if (changed) this.options.store.save({ inbox })
    return changed
  }

  clear(): boolean {
    if (this.entries.length === 0) return false
    this.options.store.save({ inbox: [] })
    return true
  }
}
