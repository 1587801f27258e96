import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { app, BrowserWindow, dialog, powerMonitor, safeStorage, session } from 'electron'
import { EngineManager } from '../host/engine-manager'
import { HostCore } from '../host/host-core'
import { createLogger, fileLogSink, logLevelFromEnv, stderrLogSink, type LogFn } from '../host/logger'
import { openHostStores } from '../host/state'
import { nodeFileOps } from '../host/state/file-ops'
import { installAppMenu } from './app-menu'
import { createMainWindow, focusWindow, resolveAppUrl } from './app-window'
import { startDesktopShell, type DesktopShell } from './desktop-shell'
import { spawnUtilityEngine } from './engine-spawn-utility'
import { broadcast, registerIpc } from './ipc-bridge'
import { NotificationController } from './notification-controller'
import { forwardPowerEvents } from './power'
import { createQuitGuard } from './quit-guard'
import { ElectronSecretStore } from './secret-store-electron'
import { electronStoreBackend } from './store-backend-electron'
import { hardenSession } from './window-security'

/** Must equal appId in electron-builder.yml: Windows binds notifications and pins to it. */
export const APP_ID = 'app.tickerdesk.desktop'

const minLevel = logLevelFromEnv(process.env)
const sinks: LogFn[] = [createLogger({ write: stderrLogSink, minLevel })]
const log: LogFn = (level, message) => sinks.forEach((sink) => sink(level, message))
let core: HostCore | null = null
let mainWindow: BrowserWindow | null = null
let disposeIpc: (() => void) | null = null
/** Also keeps the tray icon referenced for the life of the app. */
let shell: DesktopShell | null = null
let openWindow: ((startHidden: boolean) => BrowserWindow) | null = null
const resourcesDir = join(__dirname, '../../resources')

function openLogFile(): void {
  try {
    const dir = app.getPath('logs')
    mkdirSync(dir, { recursive: true })
    sinks.push(createLogger({ write: fileLogSink(join(dir, 'main.log')), minLevel }))
  } catch (error) {
    log('warn', `Logging to stderr only: ${String(error)}`)
  }
}

function start(): void {
  openLogFile()
  const appUrl = resolveAppUrl({
    isPackaged: app.isPackaged,
    devServerUrl: process.env.ELECTRON_RENDERER_URL,
    rendererDir: join(__dirname, '../renderer')
  })
  hardenSession(session.defaultSession)
  installAppMenu({ platform: process.platform, isPackaged: app.isPackaged })
  const stores = openHostStores(electronStoreBackend(), { now: Date.now, onNotice: (n) => log(n.level === 'info' ? 'info' : 'warn', n.message), log })
  const engine = new EngineManager({ spawn: () => spawnUtilityEngine(join(__dirname, 'engine.js'), { log }), log })
  const iconPath = join(resourcesDir, 'icon.png')
  const notifications = new NotificationController({ showWindow, focusSymbol: (symbol) => core?.focusSymbol(symbol), iconPath, log })
  // Keys are decrypted here in main and go on to the engine only; notices from opening wait for the host.
  const early: [level: 'info' | 'warning' | 'error', message: string][] = []
  const secrets = new ElectronSecretStore({
    safeStorage,
    backend: electronStoreBackend(),
    fileOps: nodeFileOps,
    now: Date.now,
    notify: (level, message) => (core ? core.showNotice(level, message) : early.push([level, message]))
  })
  const host = new HostCore({ engine, stores, emit: broadcast, log, notifier: (n) => notifications.notify(n), refreshDirectory: true, secrets })
  core = host
  for (const [level, message] of early) host.showNotice(level, message)
  disposeIpc = registerIpc({ host, appUrl, log })
  const desktop = startDesktopShell({ host, resourcesDir, showWindow, quit: () => app.quit(), log })
  shell = desktop
  openWindow = (startHidden) => {
    const win = createMainWindow({ appUrl, preloadPath: join(__dirname, '../preload/index.js'), iconPath, startHidden, log })
    desktop.attachWindow(win)
    return win
  }
  mainWindow = openWindow(desktop.startHidden(process.argv))
  // start() never rejects; the window shows saved data while the engine comes up.
  void host.start()
  forwardPowerEvents(powerMonitor, (state) => engine.send({ type: 'power', state }))
  app.on('activate', showWindow)
}

/** Brings the window up from the tray, a notification or the dock, reopening it if it was closed. */
function showWindow(): void {
  if (mainWindow && !mainWindow.isDestroyed()) focusWindow(mainWindow)
  else if (openWindow) mainWindow = openWindow(false)
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.setAppUserModelId(APP_ID)
  app.enableSandbox()
  app.on('second-instance', () => focusWindow(mainWindow))
  app.on('child-process-gone', (_event, details) => {
    const level = details.reason === 'clean-exit' ? 'info' : 'warn'
    log(level, `${details.serviceName ?? details.type} process gone: ${details.reason} (exit code ${details.exitCode})`)
  })
  app.on(
    'before-quit',
    createQuitGuard({
      dispose: async () => {
        shell?.dispose()
        await core?.dispose()
        disposeIpc?.()
      },
      quit: () => app.quit(),
      log
    })
  )
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error)
      log('error', `TickerDesk could not start: ${message}`)
      dialog.showErrorBox('TickerDesk could not start', message)
      app.quit()
    })
}
