import { describe, expect, it, vi } from 'vitest'
import { FakeNotification } from '../../tests/setup/electron-mock'
import { MAX_LIVE_NOTIFICATIONS, NotificationController } from './notification-controller'

function setup() {
  const showWindow = vi.fn()
  const focusSymbol = vi.fn()
  const log = vi.fn()
  const controller = new NotificationController({ showWindow, focusSymbol, log, iconPath: '/res/icon.png' })
  return { controller, showWindow, focusSymbol, log }
}

const alert = { title: 'AAPL crossed 200.00', body: 'AAPL is at 200.12 (+1.2%)', symbol: 'AAPL', sound: false }

describe('NotificationController', () => {
  it('shows a native notification with the title, body and icon, silent when sound is off', () => {
    const { controller } = setup()
    controller.notify(alert)
    const [n] = FakeNotification.instances
    expect(n?.options).toEqual({ title: alert.title, body: alert.body, silent: true, icon: '/res/icon.png' })
    expect(n?.show).toHaveBeenCalledTimes(1)
  })

  it('plays the sound when the notification asks for it', () => {
    const { controller } = setup()
    controller.notify({ ...alert, sound: true })
    expect(FakeNotification.instances[0]?.options.silent).toBe(false)
  })

  it('on click brings the window up and opens the symbol', () => {
    const { controller, showWindow, focusSymbol } = setup()
    controller.notify(alert)
    FakeNotification.instances[0]?.emit('click')
    expect(showWindow).toHaveBeenCalledTimes(1)
    expect(focusSymbol).toHaveBeenCalledWith('AAPL')
  })

  it('a summary (no symbol) only brings the window up', () => {
    const { controller, showWindow, focusSymbol } = setup()
    controller.notify({ ...alert, title: '5 alerts', symbol: null })
    FakeNotification.instances[0]?.emit('click')
    expect(showWindow).toHaveBeenCalledTimes(1)
    expect(focusSymbol).not.toHaveBeenCalled()
  })

  it('holds each notification until it closes, so its click still arrives', () => {
    const { controller } = setup()
    controller.notify(alert)
    controller.notify({ ...alert, symbol: 'MSFT' })
    expect(controller.liveCount).toBe(2)
    FakeNotification.instances[0]?.emit('close')
    expect(controller.liveCount).toBe(1)
    FakeNotification.instances[1]?.emit('failed', {}, 'not signed')
    expect(controller.liveCount).toBe(0)
  })

  it('does not hold more than a bounded number of notifications', () => {
    const { controller } = setup()
    for (let i = 0; i < MAX_LIVE_NOTIFICATIONS + 5; i++) controller.notify(alert)
    expect(controller.liveCount).toBe(MAX_LIVE_NOTIFICATIONS)
  })

  it('shows nothing and logs once where notifications are unsupported', () => {
    FakeNotification.isSupported.mockReturnValue(false)
    const { controller, log } = setup()
    controller.notify(alert)
    controller.notify(alert)
    expect(FakeNotification.instances).toHaveLength(0)
    expect(log).toHaveBeenCalledTimes(1)
    expect(log).toHaveBeenCalledWith('info', expect.stringContaining('does not support notifications'))
  })

  it('logs a delivery failure once instead of once per alert', () => {
    const { controller, log } = setup()
    controller.notify(alert)
    controller.notify(alert)
    for (const n of FakeNotification.instances) n.emit('failed', {}, 'the app is not code-signed')
    expect(log.mock.calls).toEqual([['warn', 'A notification could not be shown: the app is not code-signed']])
  })

  it('never throws into the host when showing fails', () => {
    const { controller, log } = setup()
    class Broken extends NotificationController {
      protected override createElectronNotification(): never {
        throw new Error('libnotify is gone')
      }
    }
    const broken = new Broken({ showWindow: vi.fn(), focusSymbol: vi.fn(), log })
    expect(() => broken.notify(alert)).not.toThrow()
    expect(log).toHaveBeenCalledWith('warn', 'Could not show a notification: libnotify is gone')
    expect(controller.liveCount).toBe(0)
  })

  it('is testable through its one Electron seam', () => {
    const made: unknown[] = []
    const fake = { on: vi.fn(), show: vi.fn() }
    class Seamed extends NotificationController {
      protected override createElectronNotification(options: unknown) {
        made.push(options)
        return fake
      }
    }
    new Seamed({ showWindow: vi.fn(), focusSymbol: vi.fn() }).notify(alert)
    expect(made).toEqual([{ title: alert.title, body: alert.body, silent: true }])
    expect(fake.show).toHaveBeenCalled()
    expect(FakeNotification.instances).toHaveLength(0)
  })
})
