import { Notification, type NotificationConstructorOptions } from 'electron'
import type { AppNotification } from '../shared/ipc/contract'

type Log = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void

/** What a notification needs from Electron; a spec replaces the whole seam. */
export interface ElectronNotificationLike {
  on(event: 'click' | 'close', listener: () => void): unknown
  on(event: 'failed', listener: (event: unknown, error: string) => void): unknown
  show(): void
}

export interface NotificationControllerOptions {
  /** Brings the app window up (creating it if needed). */
  showWindow: () => void
  /** Opens the symbol in the app (HostCore.focusSymbol). */
  focusSymbol: (symbol: string) => void
  iconPath?: string
  log?: Log
}

/** More live notifications than this are not worth holding: the oldest lose their click. */
export const MAX_LIVE_NOTIFICATIONS = 50

/**
 * Shows the host's notifications natively. Each one is held until it closes: a notification
 * that is garbage-collected no longer reports its click.
 */
export class NotificationController {
  private readonly live = new Set<ElectronNotificationLike>()
  private readonly log: Log
  private warnedUnsupported = false
  private warnedFailed = false

  constructor(private readonly options: NotificationControllerOptions) {
    this.log = options.log ?? (() => {})
  }

  /** The host's notifier. Never throws: a notification that cannot be shown is only logged. */
  notify(notification: AppNotification): void {
    try {
      this.show(notification)
    } catch (error) {
      this.log('warn', `Could not show a notification: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  get liveCount(): number {
    return this.live.size
  }

  /** The one place an Electron notification is built. */
  protected createElectronNotification(options: NotificationConstructorOptions): ElectronNotificationLike | null {
    if (!Notification.isSupported()) return null
    return new Notification(options)
  }

  private show({ title, body, symbol, sound }: AppNotification): void {
    const notification = this.createElectronNotification({
      title,
      body,
      silent: !sound,
      ...(this.options.iconPath ? { icon: this.options.iconPath } : {})
    })
    if (!notification) {
      if (!this.warnedUnsupported) this.log('info', 'This desktop does not support notifications; alerts still reach the inbox.')
      this.warnedUnsupported = true
      return
    }
    const release = () => {
      this.live.delete(notification)
    }
    notification.on('click', () => {
      this.options.showWindow()
      if (symbol !== null) this.options.focusSymbol(symbol)
    })
    notification.on('close', release)
    // macOS refuses notifications from unsigned builds; say so once, not per alert.
    notification.on('failed', (_event, error) => {
      release()
      if (!this.warnedFailed) this.log('warn', `A notification could not be shown: ${error}`)
      this.warnedFailed = true
    })
    this.live.add(notification)
    if (this.live.size > MAX_LIVE_NOTIFICATIONS) {
      const oldest = this.live.values().next().value
      if (oldest) this.live.delete(oldest)
    }
    notification.show()
  }
}
