import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { app, BrowserWindow, dialog, powerMonitor, session } from 'electron'
import { EngineManager } from '../host/engine-manager'
import { HostCore } from '../host/host-core'
import { createLogger, fileLogSink, logLevelFromEnv, stderrLogSink, type LogFn } from '../host/logger'
import { openHostStores } from '../host/state'
import { createMainWindow, focusWindow, resolveAppUrl } from './app-window'
import { spawnUtilityEngine } from './engine-spawn-utility'
import { broadcast, registerIpc } from './ipc-bridge'
import { createQuitGuard } from './quit-guard'
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
  const stores = openHostStores(electronStoreBackend(), { now: Date.now, onNotice: (n) => log(n.level === 'info' ? 'info' : 'warn', n.message), log })
  const engine = new EngineManager({ spawn: () => spawnUtilityEngine(join(__dirname, 'engine.js'), { log }), log })
  core = new HostCore({ engine, stores, emit: broadcast, log })
  disposeIpc = registerIpc({ host: core, appUrl, log })
  const openWindow = (): BrowserWindow =>
    createMainWindow({
      appUrl,
      preloadPath: join(__dirname, '../preload/index.js'),
      iconPath: join(__dirname, '../../resources/icon.png'),
      log
    })
  mainWindow = openWindow()
  // start() never rejects; the window shows saved data while the engine comes up.
  void core.start()
  // Timers drift and fires are missed during sleep: the engine catches up on resume.
  powerMonitor.on('suspend', () => engine.send({ type: 'power', state: 'suspend' }))
  powerMonitor.on('resume', () => engine.send({ type: 'power', state: 'resume' }))
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = openWindow()
  })
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
