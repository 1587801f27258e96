import { describe, expect, it, vi } from 'vitest'
import { app, BrowserWindow } from 'electron'
import type { FakeApp, FakeBrowserWindow } from '../../tests/setup/electron-mock'
import { applyWindowBehaviour, shouldStartHidden, trackQuitting } from './window-behaviour'

function setup(settings = { closeToTray: true, minimizeToTray: true }, trayAvailable = true) {
  const win = new BrowserWindow() as unknown as FakeBrowserWindow
  const current = { ...settings }
  const isQuitting = trackQuitting(app)
  const detach = applyWindowBehaviour(win as unknown as BrowserWindow, {
    traySettings: () => current,
    canHideToTray: () => trayAvailable,
    isQuitting
  })
  const close = () => {
    const event = { preventDefault: vi.fn() }
    win.emit('close', event)
    return event
  }
  return { win, current, close, detach }
}

describe('close and minimise to tray', () => {
  it('hides the window instead of closing it when close-to-tray is on', () => {
    const { win, close } = setup()
    expect(close().preventDefault).toHaveBeenCalled()
    expect(win.hide).toHaveBeenCalledTimes(1)
  })

  it('closes normally when close-to-tray is off, and follows a settings change at once', () => {
    const { win, close, current } = setup({ closeToTray: false, minimizeToTray: false })
    expect(close().preventDefault).not.toHaveBeenCalled()
    current.closeToTray = true
    expect(close().preventDefault).toHaveBeenCalled()
    expect(win.hide).toHaveBeenCalledTimes(1)
  })

  it('lets the window close once the app is quitting', () => {
    const { win, close } = setup()
    ;(app as unknown as FakeApp).emit('before-quit', { preventDefault: vi.fn() })
    expect(close().preventDefault).not.toHaveBeenCalled()
    expect(win.hide).not.toHaveBeenCalled()
  })

  it('lets the window close when Windows ends the session', () => {
    const { win, close } = setup()
    win.emit('session-end', {})
    expect(close().preventDefault).not.toHaveBeenCalled()
  })

  it('never hides to a tray that does not exist', () => {
    const { win, close } = setup({ closeToTray: true, minimizeToTray: true }, false)
    expect(close().preventDefault).not.toHaveBeenCalled()
    win.emit('minimize')
    expect(win.hide).not.toHaveBeenCalled()
  })

  it('hides on minimise when minimise-to-tray is on, and only then', () => {
    const { win, current } = setup({ closeToTray: false, minimizeToTray: true })
    win.emit('minimize')
    expect(win.hide).toHaveBeenCalledTimes(1)
    current.minimizeToTray = false
    win.emit('minimize')
    expect(win.hide).toHaveBeenCalledTimes(1)
  })

  it('detaches its listeners', () => {
    const { win, close, detach } = setup()
    detach()
    expect(close().preventDefault).not.toHaveBeenCalled()
    win.emit('minimize')
    expect(win.hide).not.toHaveBeenCalled()
  })
})

describe('shouldStartHidden', () => {
  it('starts hidden for a launch at login (--hidden) or with the setting on', () => {
    expect(shouldStartHidden({ argv: ['/opt/tickerdesk', '--hidden'], startHidden: false, trayAvailable: true })).toBe(true)
    expect(shouldStartHidden({ argv: ['/opt/tickerdesk'], startHidden: true, trayAvailable: true })).toBe(true)
    expect(shouldStartHidden({ argv: ['/opt/tickerdesk'], startHidden: false, trayAvailable: true })).toBe(false)
  })

  it('always shows the window when there is no tray to bring it back', () => {
    expect(shouldStartHidden({ argv: ['/opt/tickerdesk', '--hidden'], startHidden: true, trayAvailable: false })).toBe(false)
  })
})
