import { describe, expect, it, vi } from 'vitest'
import { nativeTheme, shell, type BrowserWindow } from 'electron'
import { FakeBrowserWindow } from '../../tests/setup/electron-mock'
import { createMainWindow, focusWindow, resolveAppUrl } from './app-window'

const APP_URL = 'file:///opt/TickerDesk/out/renderer/index.html'

function open(overrides: Partial<Parameters<typeof createMainWindow>[0]> = {}) {
  const log = vi.fn()
  const win = createMainWindow({ appUrl: APP_URL, preloadPath: '/opt/TickerDesk/out/preload/index.js', log, ...overrides })
  return { win: win as unknown as FakeBrowserWindow, log }
}

describe('resolveAppUrl', () => {
  it('uses the dev server in development', () => {
    expect(resolveAppUrl({ isPackaged: false, devServerUrl: 'http://localhost:5173', rendererDir: '/x' })).toBe(
      'http://localhost:5173/'
    )
  })

  it('uses the built index.html as a file URL when there is no dev server', () => {
    expect(resolveAppUrl({ isPackaged: false, devServerUrl: undefined, rendererDir: '/opt/Ticker Desk/out/renderer' })).toBe(
      'file:///opt/Ticker%20Desk/out/renderer/index.html'
    )
  })

  it('ignores the dev server variable in a packaged app', () => {
    expect(resolveAppUrl({ isPackaged: true, devServerUrl: 'https://evil.example/', rendererDir: '/app/out/renderer' })).toBe(
      'file:///app/out/renderer/index.html'
    )
  })

  it('refuses a dev server URL that is not http(s) or not a URL, in plain words', () => {
    expect(() => resolveAppUrl({ isPackaged: false, devServerUrl: 'file:///etc/passwd', rendererDir: '/x' })).toThrow(
      'must be an http(s) URL'
    )
    expect(() => resolveAppUrl({ isPackaged: false, devServerUrl: 'localhost', rendererDir: '/x' })).toThrow('not a valid URL')
  })
})

describe('createMainWindow', () => {
  it('locks down webPreferences: isolated, sandboxed, no Node, web security on', () => {
    const { win } = open()
    const prefs = win.options.webPreferences as Record<string, unknown>
    expect(prefs).toMatchObject({
      preload: '/opt/TickerDesk/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false
    })
    expect(prefs).not.toHaveProperty('enableBlinkFeatures')
  })

  it('stays hidden until ready-to-show, then shows', () => {
    const { win } = open()
    expect(win.options.show).toBe(false)
    expect(win.show).not.toHaveBeenCalled()
    win.emit('ready-to-show')
    expect(win.show).toHaveBeenCalledTimes(1)
  })

  it('stays in the tray after ready-to-show when started hidden', () => {
    const { win } = open({ startHidden: true })
    win.emit('ready-to-show')
    expect(win.show).not.toHaveBeenCalled()
  })

  it('paints the background in the system theme', () => {
    expect(open().win.options.backgroundColor).toBe('#ffffff')
    ;(nativeTheme as { shouldUseDarkColors: boolean }).shouldUseDarkColors = true
    expect(open().win.options.backgroundColor).toBe('#0f1115')
  })

  it('loads the app URL', () => {
    const { win } = open()
    expect(win.loadURL).toHaveBeenCalledWith(APP_URL)
  })

  it('logs a failed load instead of crashing', async () => {
    FakeBrowserWindow.onLoadURL.mockRejectedValueOnce(new Error('ERR_CONNECTION_REFUSED'))
    const { log } = open({ appUrl: 'http://localhost:5173/' })
    await vi.waitFor(() => expect(log).toHaveBeenCalledWith('error', expect.stringContaining('ERR_CONNECTION_REFUSED')))
  })

  it('registers the window security guards', () => {
    const { win } = open()
    const handler = win.webContents.setWindowOpenHandler.mock.calls[0]?.[0] as (d: { url: string }) => unknown
    expect(handler({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' })
    expect(shell.openExternal).not.toHaveBeenCalled()
    const event = { preventDefault: vi.fn() }
    ;(win.webContents.listener('will-navigate') as (e: unknown, url: string) => void)(event, 'https://evil.example/')
    expect(event.preventDefault).toHaveBeenCalled()
  })

  it('logs a crashed renderer', () => {
    const { win, log } = open()
    win.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 })
    expect(log).toHaveBeenCalledWith('error', expect.stringContaining('crashed'))
  })
})

describe('focusWindow', () => {
  it('restores a minimised window and focuses it', () => {
    const { win } = open()
    win.isMinimized.mockReturnValue(true)
    focusWindow(win as unknown as BrowserWindow)
    expect(win.restore).toHaveBeenCalled()
    expect(win.focus).toHaveBeenCalled()
  })

  it('ignores a missing or destroyed window', () => {
    expect(() => focusWindow(null)).not.toThrow()
    const { win } = open()
    win.close()
    focusWindow(win as unknown as BrowserWindow)
    expect(win.focus).not.toHaveBeenCalled()
  })
})
