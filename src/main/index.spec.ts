import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { existsSync } from 'node:fs'
import type { FakeApp, FakeBrowserWindow, FakeElectron, FakeIpcMain, FakeNotification, FakeTray } from '../../tests/setup/electron-mock'
import { HOST_CALL_NAMES } from '../shared/ipc/contract'

vi.mock('../host/host-core', async () => {
  const { DEFAULT_NOTIFICATION_SETTINGS, DEFAULT_TRAY_SETTINGS } = await import('../shared/ipc/contract')
  return {
    HostCore: vi.fn(function (this: Record<string, unknown>, deps: unknown) {
      this.deps = deps
      this.impl = { refreshNow: vi.fn(), setUpdatesPaused: vi.fn() }
      this.start = vi.fn(async () => {})
      this.dispose = vi.fn(async () => {})
      this.dropClient = vi.fn()
      this.settings = {
        provider: 'simulated',
        refreshIntervalSec: 5,
        theme: 'system',
        notifications: DEFAULT_NOTIFICATION_SETTINGS,
        tray: { ...DEFAULT_TRAY_SETTINGS, pinnedSymbols: ['AAPL'] }
      }
      this.alerts = { rules: [], inbox: [], unread: 0 }
      this.status = () => ({ engine: 'running', provider: 'simulated', online: true, offlineSince: null, lastUpdate: null, lastError: null, rateLimitedUntil: null, paused: false })
      this.getQuote = () => undefined
      this.focusSymbol = vi.fn()
      this.onHostEvent = vi.fn(() => () => {})
    })
  }
})
vi.mock('../host/engine-manager', () => ({
  EngineManager: vi.fn(function (this: Record<string, unknown>, options: unknown) {
    this.options = options
    this.send = vi.fn()
  })
}))
vi.mock('../host/state', () => ({ openHostStores: vi.fn(() => ({ notices: [] })) }))

interface FakeCore {
  deps: { emit: unknown; engine: unknown; notifier?: (n: { title: string; body: string; symbol: string | null; sound: boolean }) => void }
  settings: { tray: { startHidden: boolean } }
  start: ReturnType<typeof vi.fn>
  dispose: ReturnType<typeof vi.fn<() => Promise<void>>>
  focusSymbol: ReturnType<typeof vi.fn>
}
interface FakeEngine {
  options: { spawn: () => unknown }
  send: ReturnType<typeof vi.fn>
}

let dataDir: string

/** Loads the composition root afresh and lets app.whenReady() settle. */
async function boot() {
  vi.resetModules()
  const electron = (await import('electron')) as unknown as FakeElectron
  const app = electron.app as FakeApp
  app.getPath.mockImplementation((name: string) => join(dataDir, name))
  const { HostCore } = await import('../host/host-core')
  const { EngineManager } = await import('../host/engine-manager')
  const { broadcast } = await import('./ipc-bridge')
  await import('./index')
  await new Promise((r) => setImmediate(r))
  const core = vi.mocked(HostCore).mock.instances[0] as unknown as FakeCore | undefined
  const engine = vi.mocked(EngineManager).mock.instances[0] as unknown as FakeEngine | undefined
  return { electron, app, core, engine, broadcast }
}

const quitEvent = () => ({ preventDefault: vi.fn() })

describe('main process composition root', () => {
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tickerdesk-main-'))
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    vi.stubEnv('ELECTRON_RENDERER_URL', undefined)
  })
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true })
    vi.unstubAllEnvs()
    vi.mocked(process.stderr.write).mockRestore()
  })

  it('quits at once and starts nothing when another instance holds the lock', async () => {
    const electron = (await import('electron')) as unknown as FakeElectron
    electron.app.requestSingleInstanceLock.mockReturnValue(false)
    const { app, core } = await boot()
    expect(app.quit).toHaveBeenCalledTimes(1)
    expect(app.whenReady).not.toHaveBeenCalled()
    expect(core).toBeUndefined()
    expect(electron.BrowserWindow.instances).toHaveLength(0)
  })

  it('uses the packaging appId as the AppUserModelId', async () => {
    const { app } = await boot()
    const builderConfig = readFileSync(resolve(__dirname, '../../electron-builder.yml'), 'utf8')
    const appId = /^appId:\s*(\S+)\s*$/m.exec(builderConfig)?.[1]
    expect(appId).toBe('app.tickerdesk.desktop')
    expect(app.setAppUserModelId).toHaveBeenCalledWith(appId)
  })

  it('on ready hardens the session, wires host, IPC and engine, and opens one window', async () => {
    const { electron, core, engine, broadcast } = await boot()
    const session = electron.session.defaultSession
    expect(session.setPermissionRequestHandler).toHaveBeenCalled()
    expect(session.webRequest.onHeadersReceived).toHaveBeenCalled()
    expect(core?.deps.emit).toBe(broadcast)
    expect(core?.deps.engine).toBe(engine)
    expect(core?.start).toHaveBeenCalledTimes(1)
    expect((electron.ipcMain as FakeIpcMain).handlers.size).toBe(HOST_CALL_NAMES.length)

    expect(electron.BrowserWindow.instances).toHaveLength(1)
    const win = electron.BrowserWindow.instances[0] as FakeBrowserWindow
    const prefs = win.options.webPreferences as Record<string, unknown>
    expect(prefs.preload).toBe(resolve(__dirname, '../preload/index.js'))
    expect(win.loadURL).toHaveBeenCalledWith(expect.stringMatching(/^file:\/\/.*\/renderer\/index\.html$/))
  })

  it('loads the dev server when electron-vite provides one', async () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173')
    const { electron } = await boot()
    expect(electron.BrowserWindow.instances[0]?.loadURL).toHaveBeenCalledWith('http://localhost:5173/')
  })

  it('spawns the engine bundle next to the main bundle in a utility process', async () => {
    const { electron, engine } = await boot()
    engine?.options.spawn()
    const fork = electron.utilityProcess.fork.mock.calls[0]
    expect(fork?.[0]).toBe(resolve(__dirname, 'engine.js'))
    expect(fork?.[2]).toMatchObject({ serviceName: 'TickerDesk Engine' })
  })

  it('disposes the host exactly once on quit, then quits for real', async () => {
    const { app, core } = await boot()
    let finish!: () => void
    core?.dispose.mockImplementation(() => new Promise<void>((r) => (finish = r)))
    const first = quitEvent()
    const second = quitEvent()
    app.emit('before-quit', first)
    app.emit('before-quit', second)
    await new Promise((r) => setImmediate(r))
    expect(first.preventDefault).toHaveBeenCalled()
    expect(second.preventDefault).toHaveBeenCalled()
    expect(core?.dispose).toHaveBeenCalledTimes(1)
    expect(app.quit).not.toHaveBeenCalled()

    finish()
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledTimes(1))
    const last = quitEvent()
    app.emit('before-quit', last)
    expect(last.preventDefault).not.toHaveBeenCalled()
    expect(core?.dispose).toHaveBeenCalledTimes(1)
  })

  it('forwards suspend and resume to the engine', async () => {
    const { electron, engine } = await boot()
    electron.powerMonitor.emit('suspend')
    electron.powerMonitor.emit('resume')
    expect(engine?.send.mock.calls).toEqual([[{ type: 'power', state: 'suspend' }], [{ type: 'power', state: 'resume' }]])
  })

  it('focuses the existing window when a second instance starts', async () => {
    const { app, electron } = await boot()
    const win = electron.BrowserWindow.instances[0] as FakeBrowserWindow
    win.isMinimized.mockReturnValue(true)
    app.emit('second-instance', {}, [], '/')
    expect(win.restore).toHaveBeenCalled()
    expect(win.focus).toHaveBeenCalled()
  })

  it('quits when the last window closes (outside macOS)', async () => {
    const { app } = await boot()
    app.emit('window-all-closed')
    expect(app.quit).toHaveBeenCalledTimes(process.platform === 'darwin' ? 0 : 1)
  })

  it('logs a crashed utility process and keeps running', async () => {
    const { app } = await boot()
    app.emit('child-process-gone', {}, { type: 'Utility', serviceName: 'TickerDesk Engine', reason: 'crashed', exitCode: 11 })
    expect(process.stderr.write).toHaveBeenCalledWith(expect.stringContaining('TickerDesk Engine process gone: crashed'))
    expect(app.quit).not.toHaveBeenCalled()
  })

  it('shows a tray icon from the packaged resources, and every tray icon file exists', async () => {
    const { electron } = await boot()
    const trays = (electron.Tray as unknown as typeof FakeTray).instances
    expect(trays).toHaveLength(1)
    const iconDir = resolve(__dirname, '../../resources/tray')
    expect((trays[0]?.image as { path: string }).path.startsWith(iconDir)).toBe(true)
    for (const state of ['up', 'down', 'offline', 'unread']) {
      for (const variant of ['', 'Template']) {
        for (const scale of ['', '@2x']) expect(existsSync(join(iconDir, `${state}${variant}${scale}.png`))).toBe(true)
      }
    }
  })

  it('gives the host a notifier whose click brings the window up on that symbol', async () => {
    const { electron, core } = await boot()
    const win = electron.BrowserWindow.instances[0] as FakeBrowserWindow
    core?.deps.notifier?.({ title: 'AAPL crossed 200.00', body: 'AAPL is at 200.12', symbol: 'AAPL', sound: true })
    const notification = (electron.Notification as unknown as typeof FakeNotification).instances[0]
    expect(notification?.show).toHaveBeenCalled()
    notification?.emit('click')
    expect(win.show).toHaveBeenCalled()
    expect(win.focus).toHaveBeenCalled()
    expect(core?.focusSymbol).toHaveBeenCalledWith('AAPL')
  })

  it('quits from the tray through the quit guard, removing the tray first', async () => {
    const { electron, app, core } = await boot()
    const tray = (electron.Tray as unknown as typeof FakeTray).instances[0] as FakeTray
    const menu = tray.setContextMenu.mock.lastCall?.[0] as { items: { label?: string; click?: () => void }[] }
    app.quit.mockImplementation(() => app.emit('before-quit', quitEvent()))
    menu.items.find((i) => i.label === 'Quit')?.click?.()
    await vi.waitFor(() => expect(core?.dispose).toHaveBeenCalledTimes(1))
    expect(tray.destroy).toHaveBeenCalled()
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledTimes(2))
  })

  it('starts in the tray when launched with --hidden, and the dock or tray brings it up', async () => {
    process.argv.push('--hidden')
    try {
      const { electron, app } = await boot()
      const win = electron.BrowserWindow.instances[0] as FakeBrowserWindow
      win.emit('ready-to-show')
      expect(win.show).not.toHaveBeenCalled()
      app.emit('activate')
      expect(win.show).toHaveBeenCalledTimes(1)
      ;(electron.Tray as unknown as typeof FakeTray).instances[0]?.emit('click')
      expect(win.show).toHaveBeenCalledTimes(2)
    } finally {
      process.argv.pop()
    }
  })

  it('reopens the window from the tray after it was closed', async () => {
    const { electron } = await boot()
    const first = electron.BrowserWindow.instances[0] as FakeBrowserWindow
    first.close()
    ;(electron.Tray as unknown as typeof FakeTray).instances[0]?.emit('click')
    expect(electron.BrowserWindow.instances).toHaveLength(2)
  })

  it('explains a startup failure in plain words and quits instead of hanging', async () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', 'file:///etc/passwd')
    const { electron, app } = await boot()
    expect(electron.dialog.showErrorBox).toHaveBeenCalledWith('TickerDesk could not start', expect.stringContaining('http(s)'))
    expect(app.quit).toHaveBeenCalled()
    expect(electron.BrowserWindow.instances).toHaveLength(0)
  })
})
