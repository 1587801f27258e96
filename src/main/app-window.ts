import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { BrowserWindow, nativeTheme } from 'electron'
import { registerWindowSecurity, type SecurityLog } from './window-security'

export type WindowLog = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void

export interface AppUrlOptions {
  isPackaged: boolean
  /** electron-vite's dev server (ELECTRON_RENDERER_URL); ignored in a packaged app. */
  devServerUrl: string | undefined
  /** The built renderer folder (out/renderer). */
  rendererDir: string
}

/**
 * The single URL the window loads, and the only page the navigation guard and the IPC sender
 * check accept. A packaged app never honours the env variable, so nobody can point it elsewhere.
 */
export function resolveAppUrl({ isPackaged, devServerUrl, rendererDir }: AppUrlOptions): string {
  if (!isPackaged && devServerUrl) {
    let url: URL
    try {
      url = new URL(devServerUrl)
    } catch {
      throw new Error(`ELECTRON_RENDERER_URL is not a valid URL: "${devServerUrl}"`)
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`ELECTRON_RENDERER_URL must be an http(s) URL, not "${devServerUrl}"`)
    }
    return url.href
  }
  return pathToFileURL(join(rendererDir, 'index.html')).href
}

export interface MainWindowOptions {
  appUrl: string
  /** The bundled preload, out/preload/index.js. */
  preloadPath: string
  iconPath?: string
  /** Stay in the tray until the user opens the window (launch at login, "start hidden"). */
  startHidden?: boolean
  log?: WindowLog
}

const DARK_BACKGROUND = '#0f1115'
const LIGHT_BACKGROUND = '#ffffff'

export function createMainWindow({ appUrl, preloadPath, iconPath, startHidden = false, log = () => {} }: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    title: 'TickerDesk',
    // Shown on ready-to-show, and painted in the theme's colour meanwhile, so there is no white flash.
    show: false,
    backgroundColor: nativeTheme.shouldUseDarkColors ? DARK_BACKGROUND : LIGHT_BACKGROUND,
    autoHideMenuBar: true,
    ...(iconPath ? { icon: iconPath } : {}),
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false
    }
  })

  const securityLog: SecurityLog = (level, message) => log(level, message)
  registerWindowSecurity(win, appUrl, securityLog)

  if (!startHidden) win.once('ready-to-show', () => win.show())
  win.webContents.on('render-process-gone', (_event, details) => {
    log('error', `The window's renderer stopped (${details.reason}, exit code ${details.exitCode})`)
  })
  win.webContents.on('preload-error', (_event, path, error) => {
    log('error', `The preload ${path} failed: ${error.message}`)
  })
  win.loadURL(appUrl).catch((error: unknown) => {
    log('error', `Could not load ${appUrl}: ${error instanceof Error ? error.message : String(error)}`)
  })
  return win
}

/** Brings an existing window to the front, e.g. when the user starts the app a second time. */
export function focusWindow(win: BrowserWindow | null): void {
  if (!win || win.isDestroyed()) return
  if (win.isMinimized()) win.restore()
  win.show()
  win.focus()
}
