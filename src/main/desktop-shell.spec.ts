import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { app, BrowserWindow, nativeImage } from 'electron'
import { FakeTray, type FakeBrowserWindow } from '../../tests/setup/electron-mock'
import { startDesktopShell } from './desktop-shell'
import { FakeTrayHost } from './testing/fake-tray-host'

let host: FakeTrayHost
const setStartAtLogin = vi.fn()
const log = vi.fn()
const showWindow = vi.fn()
const quit = vi.fn()

function start() {
  return startDesktopShell({ host, resourcesDir: '/app/resources', showWindow, quit, log, platform: 'linux', setStartAtLogin })
}

function changeTray(patch: Partial<FakeTrayHost['settings']['tray']>) {
  host.settings = { ...host.settings, tray: { ...host.settings.tray, ...patch } }
  host.emit('settings', host.settings)
}

describe('startDesktopShell', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    host = new FakeTrayHost()
  })
  afterEach(() => vi.useRealTimers())

  it('creates the tray from the resources folder and keeps it', () => {
    const shell = start()
    expect(FakeTray.instances).toHaveLength(1)
    expect(shell.tray?.tray).toBe(FakeTray.instances[0])
    expect(FakeTray.instances[0]?.image).toMatchObject({ path: '/app/resources/tray/up.png' })
  })

  it('quits from the tray through the quit it was given', () => {
    start()
    const menu = FakeTray.instances[0]?.setContextMenu.mock.lastCall?.[0] as { items: { label?: string; click?: () => void }[] }
    menu.items.find((i) => i.label === 'Quit')?.click?.()
    expect(quit).toHaveBeenCalledTimes(1)
  })

  it('re-registers start at login on startup while it is on', () => {
    host.settings.tray = { ...host.settings.tray, startAtLogin: true, startHidden: true }
    start()
    expect(setStartAtLogin.mock.calls).toEqual([[true, { startHidden: true }]])
  })

  it('touches nothing on startup while start at login is off', () => {
    start()
    changeTray({ startHidden: true })
    expect(setStartAtLogin).not.toHaveBeenCalled()
  })

  it('applies start at login when the settings event changes it, once per change', () => {
    start()
    changeTray({ startAtLogin: true })
    changeTray({ pinnedSymbols: ['MSFT'] })
    changeTray({ startHidden: true })
    changeTray({ startAtLogin: false })
    expect(setStartAtLogin.mock.calls).toEqual([
      [true, { startHidden: false }],
      [true, { startHidden: true }],
      [false, { startHidden: true }]
    ])
  })

  it('logs a start-at-login failure and keeps running', () => {
    setStartAtLogin.mockImplementation(() => {
      throw new Error('Could not turn on start at login: EACCES')
    })
    start()
    expect(() => changeTray({ startAtLogin: true })).not.toThrow()
    expect(log).toHaveBeenCalledWith('warn', 'Could not turn on start at login: EACCES')
  })

  it('starts hidden from the setting or --hidden, but never without a tray', () => {
    expect(start().startHidden(['/opt/tickerdesk', '--hidden'])).toBe(true)
    expect(start().startHidden(['/opt/tickerdesk'])).toBe(false)
    host.settings.tray = { ...host.settings.tray, startHidden: true }
    expect(start().startHidden(['/opt/tickerdesk'])).toBe(true)

    vi.mocked(nativeImage.createFromPath).mockImplementationOnce(() => {
      throw new Error('no tray here')
    })
    const trayless = start()
    expect(trayless.tray).toBeNull()
    expect(trayless.startHidden(['/opt/tickerdesk', '--hidden'])).toBe(false)
  })

  it('closes to the tray following the current settings', () => {
    const shell = start()
    const win = new BrowserWindow() as unknown as FakeBrowserWindow
    shell.attachWindow(win as unknown as BrowserWindow)
    const close = () => {
      const event = { preventDefault: vi.fn() }
      win.emit('close', event)
      return event.preventDefault
    }
    expect(close()).not.toHaveBeenCalled()
    changeTray({ closeToTray: true })
    expect(close()).toHaveBeenCalled()
    expect(win.hide).toHaveBeenCalledTimes(1)
  })

  it('shows the unread alert count as the app badge, updating only when it changes', () => {
    host.alerts = { ...host.alerts, unread: 2 }
    start()
    host.emit('alerts', { ...host.alerts, unread: 2 })
    host.emit('alerts', { ...host.alerts, unread: 0 })
    expect(vi.mocked(app.setBadgeCount).mock.calls).toEqual([[2], [0]])
  })

  it('removes the tray and stops listening on dispose', () => {
    const shell = start()
    shell.dispose()
    expect(FakeTray.instances[0]?.destroy).toHaveBeenCalled()
    expect(host.listeners.size).toBe(0)
  })
})
