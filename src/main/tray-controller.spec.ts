import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nativeImage } from 'electron'
import type { FakeTray } from '../../tests/setup/electron-mock'
import { FakeTray as Tray } from '../../tests/setup/electron-mock'
import { FakeTrayHost as FakeHost, testQuote as quote } from './testing/fake-tray-host'
import { createTrayController, TRAY_CLIENT_ID, TrayController } from './tray-controller'

let host: FakeHost
const showWindow = vi.fn()
const quit = vi.fn()

function start(platform: NodeJS.Platform = 'linux') {
  const controller = new TrayController({ host, iconDir: '/res/tray', showWindow, quit, platform })
  return { controller, tray: controller.tray as unknown as FakeTray }
}

type Template = { label?: string; click?: () => void }[]
function lastMenu(tray: FakeTray): Template {
  const menu = tray.setContextMenu.mock.lastCall?.[0] as { items: Template } | undefined
  if (!menu) throw new Error('no menu set')
  return menu.items
}
function click(tray: FakeTray, label: string) {
  const item = lastMenu(tray).find((i) => i.label === label)
  if (!item?.click) throw new Error(`no item ${label}`)
  item.click()
}

describe('TrayController', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 })
    host = new FakeHost()
  })
  afterEach(() => vi.useRealTimers())

  it('creates one tray, keeps it referenced, and renders icon, tooltip and menu at once', () => {
    const { controller, tray } = start()
    expect(Tray.instances).toEqual([tray])
    expect(controller.tray).toBe(tray)
    expect(tray.image).toMatchObject({ path: '/res/tray/up.png' })
    expect(tray.setToolTip).toHaveBeenCalledWith('TickerDesk\nAAPL 187.42 +1.20%\nMSFT 410.00 +0.30%')
    expect(tray.setContextMenu).toHaveBeenCalledTimes(1)
    expect(lastMenu(tray).map((i) => i.label)).toContain('AAPL   187.42   +1.20%')
    expect(tray.setTitle).not.toHaveBeenCalled()
  })

  it('re-sets the menu only when its text changes', () => {
    const { tray } = start()
    host.setPrice('AAPL', 187.42)
    vi.advanceTimersByTime(5_000)
    host.emit('status', host.current)
    vi.advanceTimersByTime(5_000)
    expect(tray.setContextMenu).toHaveBeenCalledTimes(1)

    host.setPrice('AAPL', 190.5)
    vi.advanceTimersByTime(1_000)
    expect(tray.setContextMenu).toHaveBeenCalledTimes(2)
    expect(lastMenu(tray)[0]?.label).toBe('AAPL   190.50   +1.20%')
  })

  it('renders at most once a second, with the latest prices', () => {
    const { tray } = start()
    for (let i = 1; i <= 20; i++) {
      host.setPrice('AAPL', 190 + i)
      vi.advanceTimersByTime(40)
    }
    expect(tray.setContextMenu).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(1_000)
    expect(tray.setContextMenu).toHaveBeenCalledTimes(2)
    expect(lastMenu(tray)[0]?.label).toBe('AAPL   210.00   +1.20%')
  })

  it('ignores quotes for symbols that are not pinned', () => {
    const { tray } = start()
    host.quotes.set('AAPL', quote('AAPL', 999, 1))
    host.emit('quotes', [{ symbol: 'TSLA', price: 250 }])
    vi.advanceTimersByTime(2_000)
    expect(tray.setContextMenu).toHaveBeenCalledTimes(1)
  })

  it('swaps the icon only when its state changes', () => {
    const { tray } = start()
    host.current = { ...host.current, online: false }
    host.emit('status', host.current)
    vi.advanceTimersByTime(1_000)
    host.emit('status', host.current)
    vi.advanceTimersByTime(1_000)
    expect(tray.setImage.mock.calls.map(([img]) => (img as { path: string }).path)).toEqual(['/res/tray/up.png', '/res/tray/offline.png'])

    host.alerts = { ...host.alerts, unread: 1 }
    host.emit('alerts', host.alerts)
    vi.advanceTimersByTime(1_000)
    expect(tray.setImage).toHaveBeenLastCalledWith(expect.objectContaining({ path: '/res/tray/unread.png' }))
    expect(tray.setToolTip).toHaveBeenLastCalledWith(expect.stringMatching(/^TickerDesk · 1 unread alert · offline\n/))
  })

  it('follows pin changes from the settings event', () => {
    const { tray } = start()
    host.settings = { ...host.settings, tray: { ...host.settings.tray, pinnedSymbols: ['MSFT'] } }
    host.emit('settings', host.settings)
    vi.advanceTimersByTime(1_000)
    expect(lastMenu(tray)[0]?.label).toBe('MSFT   410.00   +0.30%')
    expect(lastMenu(tray)[1]?.label).toBeUndefined()
  })

  it('menu items open a symbol, refresh, pause, resume, open the window and quit', async () => {
    const { tray } = start()
    click(tray, 'MSFT   410.00   +0.30%')
    expect(showWindow).toHaveBeenCalledTimes(1)
    expect(host.focusSymbol).toHaveBeenCalledWith('MSFT')

    click(tray, 'Refresh now')
    click(tray, 'Pause updates')
    await vi.waitFor(() => expect(host.impl.setUpdatesPaused).toHaveBeenCalledWith({ paused: true }, { clientId: TRAY_CLIENT_ID }))
    expect(host.impl.refreshNow).toHaveBeenCalledWith({}, { clientId: TRAY_CLIENT_ID })

    host.current = { ...host.current, paused: true }
    host.emit('status', host.current)
    vi.advanceTimersByTime(1_000)
    click(tray, 'Resume updates')
    await vi.waitFor(() => expect(host.impl.setUpdatesPaused).toHaveBeenLastCalledWith({ paused: false }, { clientId: TRAY_CLIENT_ID }))

    click(tray, 'Open TickerDesk')
    expect(showWindow).toHaveBeenCalledTimes(2)
    click(tray, 'Quit')
    expect(quit).toHaveBeenCalledTimes(1)
  })

  it('logs a failed tray action instead of throwing', async () => {
    const log = vi.fn()
    host.impl.refreshNow.mockImplementation(() => {
      throw new Error('engine gone')
    })
    const controller = new TrayController({ host, iconDir: '/res/tray', showWindow, quit, platform: 'linux', log })
    click(controller.tray as unknown as FakeTray, 'Refresh now')
    await vi.waitFor(() => expect(log).toHaveBeenCalledWith('warn', 'Refresh from the tray failed: engine gone'))
  })

  it('shows the window on a tray click', () => {
    const { tray } = start()
    tray.emit('click')
    expect(showWindow).toHaveBeenCalledTimes(1)
  })

  it('on macOS uses Template images and rotates the pinned symbols in the title', () => {
    const { tray } = start('darwin')
    expect(tray.image).toMatchObject({ path: '/res/tray/upTemplate.png' })
    expect(tray.setTitle).toHaveBeenLastCalledWith('AAPL 187.42 +1.20%')
    vi.advanceTimersByTime(5_000)
    expect(tray.setTitle).toHaveBeenLastCalledWith('MSFT 410.00 +0.30%')
    vi.advanceTimersByTime(5_000)
    expect(tray.setTitle).toHaveBeenLastCalledWith('AAPL 187.42 +1.20%')
    // Rotating the title is not a menu change.
    expect(tray.setContextMenu).toHaveBeenCalledTimes(1)
  })

  it('stops listening and removes the icon on dispose', () => {
    const { controller, tray } = start('darwin')
    controller.dispose()
    expect(tray.destroy).toHaveBeenCalledTimes(1)
    expect(host.listeners.size).toBe(0)
    tray.setTitle.mockClear()
    vi.advanceTimersByTime(20_000)
    expect(tray.setTitle).not.toHaveBeenCalled()
    controller.dispose()
    expect(tray.destroy).toHaveBeenCalledTimes(1)
  })

  it('returns null and logs when the desktop offers no tray', () => {
    const log = vi.fn()
    vi.mocked(nativeImage.createFromPath).mockImplementationOnce(() => {
      throw new Error('no StatusNotifier host')
    })
    expect(createTrayController({ host, iconDir: '/res/tray', showWindow, quit, platform: 'linux', log })).toBeNull()
    expect(log).toHaveBeenCalledWith('warn', 'No tray icon: no StatusNotifier host')
  })
})
