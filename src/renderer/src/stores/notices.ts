import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import type { Notice } from '@shared/ipc/contract'
import { useApiStore } from './api'

export interface ShownNotice extends Notice {
  /** Raised by this page (e.g. a failed rename) rather than by the host. */
  local: boolean
}

const MAX_NOTICES = 6

export const useNoticesStore = defineStore('notices', () => {
  const notices = shallowRef<ShownNotice[]>([])
  let localCount = 0

  function add(notice: Notice, local = false): void {
    const rest = notices.value.filter((n) => n.id !== notice.id)
    notices.value = [...rest, { ...notice, local }].slice(-MAX_NOTICES)
  }

  /** Bootstrap's notices replace the host's; this page's own stay. */
  function replaceHost(list: readonly Notice[]): void {
    notices.value = [...notices.value.filter((n) => n.local), ...list.map((n) => ({ ...n, local: false }))].slice(-MAX_NOTICES)
  }

  function report(level: Notice['level'], message: string, now = Date.now()): void {
    add({ id: `local-${++localCount}`, level, message, at: now }, true)
  }

  async function dismiss(id: string): Promise<void> {
    const notice = notices.value.find((n) => n.id === id)
    notices.value = notices.value.filter((n) => n.id !== id)
    if (!notice || notice.local) return
    try {
      await useApiStore().api().dismissNotice({ id })
    } catch {
      // Already gone from view; the host shows it again on the next start if it still matters.
    }
  }

  return { notices, add, replaceHost, report, dismiss }
})
