import { join } from 'node:path'
import { app, type BrowserWindow } from 'electron'
import type { EventPayload, Settings } from '../shared/ipc/contract'
import { setStartAtLogin } from './autostart'
import { createTrayController, type TrayController, type TrayHost } from './tray-controller'
import { applyWindowBehaviour, shouldStartHidden, trackQuitting } from './window-behaviour'

type Log = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void

export interface DesktopShellOptions {
  host: TrayHost
  /** The app's resources folder (icon.png, tray/). */
  resourcesDir: string
  showWindow: () => void
  quit: () => void
  log: Log
  platform?: NodeJS.Platform
  /** Replaced in specs; defaults to the real per-OS login item. */
  setStartAtLogin?: typeof setStartAtLogin
}

/** The desktop integration around the window: tray, unread badge, close/minimise to tray, start at login. */
export interface DesktopShell {
  readonly tray: TrayController | null
  /** Whether the first window should stay in the tray (launch at login, "start hidden"). */
  startHidden(argv: readonly string[]): boolean
  /** Applies close/minimise-to-tray to a window. */
  attachWindow(win: BrowserWindow): void
  dispose(): void
}

type LoginSettings = Pick<Settings['tray'], 'startAtLogin' | 'startHidden'>

export function startDesktopShell(options: DesktopShellOptions): DesktopShell {
  const { host, log } = options
  const applyLogin = options.setStartAtLogin ?? setStartAtLogin
  const isQuitting = trackQuitting(app)
  const tray = createTrayController({
    host,
    iconDir: join(options.resourcesDir, 'tray'),
    showWindow: options.showWindow,
    quit: options.quit,
    platform: options.platform,
    log
  })

  let applied: LoginSettings | null = null
  const syncLogin = ({ startAtLogin, startHidden }: LoginSettings) => {
    const unchanged = applied !== null && applied.startAtLogin === startAtLogin && (!startAtLogin || applied.startHidden === startHidden)
    applied = { startAtLogin, startHidden }
    if (unchanged) return
    try {
      applyLogin(startAtLogin, { startHidden })
    } catch (error) {
      log('warn', error instanceof Error ? error.message : String(error))
    }
  }
  // Re-registered on every start while on, so an app that moved (update, new AppImage) still launches.
  if (host.settings.tray.startAtLogin) syncLogin(host.settings.tray)
  else applied = { startAtLogin: false, startHidden: host.settings.tray.startHidden }
  // The dock (macOS) and Unity launchers (Linux) show the unread count; elsewhere this is a no-op.
  let badge = -1
  const syncBadge = (unread: number) => {
    if (unread === badge) return
    badge = unread
    app.setBadgeCount(unread)
  }
  syncBadge(host.alerts.unread)
  const unsubscribe = host.onHostEvent((event, payload) => {
    if (event === 'settings') syncLogin((payload as Settings).tray)
    else if (event === 'alerts') syncBadge((payload as EventPayload<'alerts'>).unread)
  })

  return {
    tray,
    startHidden: (argv) => shouldStartHidden({ argv, startHidden: host.settings.tray.startHidden, trayAvailable: tray !== null }),
    attachWindow: (win) => {
      applyWindowBehaviour(win, { traySettings: () => host.settings.tray, canHideToTray: () => tray !== null, isQuitting })
    },
    dispose: () => {
      unsubscribe()
      tray?.dispose()
    }
  }
}
