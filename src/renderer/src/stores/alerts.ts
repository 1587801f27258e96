import { defineStore } from 'pinia'
import { computed, shallowRef, type ShallowRef } from 'vue'
import type { AlertRule, AlertRuleInput, AlertsState, InboxEntry, TickFlag } from '@shared/alerts'
import type { EventPayload } from '@shared/ipc/contract'
import { useApiStore } from './api'

/** How long an in-app toast stays unless the user dismisses it. */
export const TOAST_MS = 8000
/** Older toasts give way so a burst never covers the table. */
const MAX_TOASTS = 4

export interface AlertToast {
  id: string
  entry: InboxEntry
}

/** What the editor dialog is open for: a new rule (for a symbol or a list) or an existing one. */
export type EditorRequest = { ruleId: string } | { symbol: string } | { listId: string }

export interface AlertTimers {
  set: (callback: () => void, ms: number) => unknown
  clear: (handle: unknown) => void
}

const defaultTimers: AlertTimers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>)
}

/**
 * Alert rules and the inbox as the host last reported them, plus this page's own alert UI state:
 * toasts, the editor request and per-symbol tick flags. Tick flags live in per-symbol refs (like
 * quotes) so a flag change re-renders one row, not the table.
 */
export const useAlertsStore = defineStore('alerts', () => {
  const rules = shallowRef<AlertRule[]>([])
  const inbox = shallowRef<InboxEntry[]>([])
  const unread = shallowRef(0)
  const toasts = shallowRef<AlertToast[]>([])
  const editor = shallowRef<EditorRequest | null>(null)
  /** Which side panel is open. */
  const panel = shallowRef<'rules' | 'inbox' | null>(null)
  /** The symbol the user last focused in the table; the rules panel can filter to it. */
  const selectedSymbol = shallowRef<string | null>(null)
  const flags = new Map<string, ShallowRef<TickFlag | null>>()
  const toastTimers = new Map<string, unknown>()
  let timers: AlertTimers = defaultTimers
  let toastCount = 0

  /** Newest first, whatever order the host keeps. */
  const sortedInbox = computed(() => [...inbox.value].sort((a, b) => b.at - a.at))
  const ruleById = computed(() => new Map(rules.value.map((r) => [r.id, r])))

  function configure(options: { timers?: AlertTimers }): void {
    if (options.timers) timers = options.timers
  }

  function apply(state: AlertsState): void {
    rules.value = state.rules
    inbox.value = state.inbox
    unread.value = state.unread
  }

  function flagRef(symbol: string): ShallowRef<TickFlag | null> {
    let ref = flags.get(symbol)
    if (!ref) {
      ref = shallowRef<TickFlag | null>(null)
      flags.set(symbol, ref)
    }
    return ref
  }

  function applyTickFlags(list: EventPayload<'tickFlags'>): void {
    for (const { symbol, flag } of list) {
      if (flag !== null || flags.has(symbol)) flagRef(symbol).value = flag
    }
  }

  function fired(entry: InboxEntry): void {
    const id = `toast-${++toastCount}`
    const kept = toasts.value.slice(-(MAX_TOASTS - 1))
    for (const dropped of toasts.value.slice(0, toasts.value.length - kept.length)) clearToastTimer(dropped.id)
    toasts.value = [...kept, { id, entry }]
    toastTimers.set(id, timers.set(() => dismissToast(id), TOAST_MS))
    // The host follows up with an 'alerts' event; until then the inbox already shows the entry.
    if (!inbox.value.some((e) => e.id === entry.id)) {
      inbox.value = [entry, ...inbox.value]
      if (!entry.read) unread.value++
    }
  }

  function clearToastTimer(id: string): void {
    const handle = toastTimers.get(id)
    if (handle !== undefined) timers.clear(handle)
    toastTimers.delete(id)
  }

  function dismissToast(id: string): void {
    clearToastTimer(id)
    toasts.value = toasts.value.filter((t) => t.id !== id)
  }

  /** Pauses a toast's countdown while the pointer or focus is on it, so it can be read. */
  function holdToast(id: string): void {
    clearToastTimer(id)
  }

  function releaseToast(id: string): void {
    if (toastTimers.has(id) || !toasts.value.some((t) => t.id === id)) return
    toastTimers.set(id, timers.set(() => dismissToast(id), TOAST_MS))
  }

  const api = () => useApiStore().api()
  const run = async (change: Promise<AlertsState>): Promise<void> => apply(await change)

  const create = (input: AlertRuleInput) => run(api().createAlert(input))
  const update = (id: string, changes: Partial<AlertRuleInput>) => run(api().updateAlert({ id, changes }))
  const setEnabled = (id: string, enabled: boolean) => update(id, { enabled })
  const remove = (id: string) => run(api().deleteAlert({ id }))
  /** minutes 0 ends the snooze. */
  const snooze = (id: string, minutes: number) => run(api().snoozeAlert({ id, minutes }))
  const markRead = (ids?: string[]) => run(api().markInboxRead(ids ? { ids } : {}))
  const clearInbox = () => run(api().clearInbox({}))

  function openEditor(request: EditorRequest): void {
    editor.value = request
  }

  function closeEditor(): void {
    editor.value = null
  }

  function reset(): void {
    for (const id of toastTimers.keys()) clearToastTimer(id)
    toasts.value = []
  }

  return {
    rules,
    inbox,
    unread,
    toasts,
    editor,
    panel,
    selectedSymbol,
    sortedInbox,
    ruleById,
    configure,
    apply,
    flagRef,
    applyTickFlags,
    fired,
    dismissToast,
    holdToast,
    releaseToast,
    create,
    update,
    setEnabled,
    remove,
    snooze,
    markRead,
    clearInbox,
    openEditor,
    closeEditor,
    reset
  }
})
