import type { AppNotification } from '@shared/ipc/contract'

/** The slice of the browser's Notification API this app uses; injected so specs can fake it. */
export interface NotificationApi {
  readonly permission: NotificationPermission
  requestPermission(): Promise<NotificationPermission>
  new (title: string, options?: NotificationOptions): { onclick: ((event: Event) => void) | null; close(): void }
}

export interface BrowserNotifyDeps {
  /** The page's Notification constructor, or undefined where the browser has none. */
  notifications: NotificationApi | undefined
  /** True inside the Electron shell, whose main process shows native notifications itself. */
  desktopShell: boolean
  onOpen: (symbol: string | null) => void
}

/**
 * Shows a host notification through the browser, only in the web shell and only when the user
 * has granted permission. Returns whether one was shown.
 */
export function showBrowserNotification(n: AppNotification, deps: BrowserNotifyDeps): boolean {
  const api = deps.notifications
  if (deps.desktopShell || !api || api.permission !== 'granted') return false
  const shown = new api(n.title, { body: n.body, tag: n.symbol ? `tickerdesk-${n.symbol}` : 'tickerdesk-summary', silent: !n.sound })
  shown.onclick = () => {
    deps.onOpen(n.symbol)
    shown.close()
  }
  return true
}
