import type { App, BrowserWindow } from 'electron'
import type { TraySettings } from '../shared/ipc/contract'
import { HIDDEN_ARG } from './autostart'

export interface WindowBehaviourOptions {
  /** Read when the event happens, so a settings change applies at once. */
  traySettings: () => Pick<TraySettings, 'closeToTray' | 'minimizeToTray'>
  /** Hiding is only safe while a tray icon can bring the window back. */
  canHideToTray: () => boolean
  isQuitting: () => boolean
}

/**
 * Close and minimise to the tray. A real quit (menu, tray, Cmd+Q, logging off) always closes.
 * Returns a function that detaches the listeners.
 */
export function applyWindowBehaviour(win: BrowserWindow, options: WindowBehaviourOptions): () => void {
  let sessionEnding = false
  const hideInstead = (setting: 'closeToTray' | 'minimizeToTray'): boolean =>
    !sessionEnding && !options.isQuitting() && options.canHideToTray() && options.traySettings()[setting]

  const onClose = (event: { preventDefault(): void }) => {
    if (!hideInstead('closeToTray')) return
    event.preventDefault()
    win.hide()
  }
  const onMinimize = () => {
    if (hideInstead('minimizeToTray')) win.hide()
  }
  // Windows sends no before-quit when the user logs off; a window that refuses to close would block it.
  const onSessionEnd = () => {
    sessionEnding = true
  }
  win.on('close', onClose)
  win.on('minimize', onMinimize)
  win.on('session-end', onSessionEnd)
  return () => {
    win.removeListener('close', onClose)
    win.removeListener('minimize', onMinimize)
    win.removeListener('session-end', onSessionEnd)
  }
}

/** Remembers that the app is quitting, so close-to-tray lets the windows go. */
export function trackQuitting(app: Pick<App, 'on'>): () => boolean {
  let quitting = false
  app.on('before-quit', () => {
    quitting = true
  })
  return () => quitting
}

export interface StartHiddenInputs {
  argv: readonly string[]
  startHidden: boolean
  /** Without a tray icon a hidden window could only be reached by launching the app again. */
  trayAvailable: boolean
}

/** A launch at login passes --hidden; the "start hidden" setting applies to every launch. */
export function shouldStartHidden({ argv, startHidden, trayAvailable }: StartHiddenInputs): boolean {
  if (!trayAvailable) return false
  return startHidden || argv.includes(HIDDEN_ARG)
}
