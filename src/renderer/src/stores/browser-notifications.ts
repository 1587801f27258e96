import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import type { AppNotification } from '@shared/ipc/contract'
import { showBrowserNotification, type NotificationApi } from '../lib/browser-notify'
import { useFocusStore } from './focus'

function pageNotifications(): NotificationApi | undefined {
  return typeof Notification === 'function' ? (Notification as unknown as NotificationApi) : undefined
}

const inDesktopShell = (): boolean => typeof window !== 'undefined' && !!window.tickerdesk

/** Browser notifications for the web shell; the desktop app's main process shows its own. */
export const useBrowserNotificationsStore = defineStore('browserNotifications', () => {
  const permission = shallowRef<NotificationPermission | 'unsupported'>(pageNotifications()?.permission ?? 'unsupported')
  const problem = shallowRef<string | null>(null)

  /** Whether to offer the "Enable desktop notifications" button. */
  const canAsk = computed(() => !inDesktopShell() && permission.value === 'default')

  function refresh(): void {
    permission.value = pageNotifications()?.permission ?? 'unsupported'
  }

  /** Must run from a user gesture: browsers ignore permission prompts that are not. */
  async function requestPermission(): Promise<void> {
    const api = pageNotifications()
    if (!api) return
    problem.value = null
    try {
      permission.value = await api.requestPermission()
      if (permission.value === 'denied') problem.value = 'Notifications are blocked for this page; allow them in the browser’s site settings.'
    } catch {
      problem.value = 'The browser did not allow asking for notification permission.'
    }
  }

  function show(n: AppNotification): boolean {
    refresh()
    return showBrowserNotification(n, {
      notifications: pageNotifications(),
      desktopShell: inDesktopShell(),
      onOpen: (symbol) => {
        window.focus()
        if (symbol) void useFocusStore().focusSymbol(symbol)
      }
    })
  }

  return { permission, problem, canAsk, refresh, requestPermission, show }
})
