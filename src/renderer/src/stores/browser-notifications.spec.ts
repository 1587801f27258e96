import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { AppNotification, RendererApi } from '@shared/ipc/contract'
import { useSessionStore } from './session'
import { useBrowserNotificationsStore } from './browser-notifications'
import { useFocusStore } from './focus'
import { createFakeConnection, createFakeHost, makeBootstrap, type FakeHost } from '../testing/fake-api'

class FakeNotification {
  static permission: NotificationPermission = 'granted'
  static shown: FakeNotification[] = []
  static requestPermission = vi.fn(async () => {
    FakeNotification.permission = 'granted'
    return 'granted' as NotificationPermission
  })
  onclick: ((event: Event) => void) | null = null
  closed = false
  constructor(
    readonly title: string,
    readonly options: NotificationOptions
  ) {
    FakeNotification.shown.push(this)
  }
  close(): void {
    this.closed = true
  }
}

const alert: AppNotification = { title: 'BTC-USD alert', body: 'BTC-USD rose above 70,000', symbol: 'BTC-USD', sound: false }
let host: FakeHost

beforeEach(async () => {
  setActivePinia(createPinia())
  FakeNotification.permission = 'granted'
  FakeNotification.shown = []
  vi.stubGlobal('Notification', FakeNotification)
  host = createFakeHost(
    makeBootstrap({
      watchlists: { lists: [{ id: 'main', name: 'Main', symbols: ['AAPL'] }, { id: 'c', name: 'Crypto', symbols: ['BTC-USD'] }], activeId: 'main' }
    })
  )
  await useSessionStore().start({ api: host.api, connection: createFakeConnection() })
})

afterEach(() => {
  useSessionStore().stop()
  vi.unstubAllGlobals()
  delete window.tickerdesk
})

describe('browser notifications', () => {
  it('shows the host notification when permitted in the web shell, and a click opens the symbol', async () => {
    const focusWindow = vi.spyOn(window, 'focus').mockImplementation(() => {})
    host.emit('notification', alert)
    expect(FakeNotification.shown).toHaveLength(1)
    const [shown] = FakeNotification.shown
    expect(shown!.title).toBe('BTC-USD alert')
    expect(shown!.options).toEqual({ body: 'BTC-USD rose above 70,000', tag: 'tickerdesk-BTC-USD', silent: true })
    shown!.onclick?.(new Event('click'))
    expect(focusWindow).toHaveBeenCalled()
    expect(shown!.closed).toBe(true)
    await vi.waitFor(() => expect(useFocusStore().request?.symbol).toBe('BTC-USD'))
    expect(host.callsTo('selectWatchlist')).toEqual([{ listId: 'c' }])
  })

  it('plays sound only when the host says so', () => {
    host.emit('notification', { ...alert, sound: true })
    expect(FakeNotification.shown[0]!.options.silent).toBe(false)
  })

  it('shows nothing without permission', () => {
    FakeNotification.permission = 'default'
    host.emit('notification', alert)
    FakeNotification.permission = 'denied'
    host.emit('notification', alert)
    expect(FakeNotification.shown).toHaveLength(0)
  })

  it('shows nothing in the desktop app, whose main process notifies natively', () => {
    window.tickerdesk = {} as RendererApi
    host.emit('notification', alert)
    expect(FakeNotification.shown).toHaveLength(0)
    expect(useBrowserNotificationsStore().canAsk).toBe(false)
  })

  it('asks for permission on request and offers the button only while undecided', async () => {
    FakeNotification.permission = 'default'
    const store = useBrowserNotificationsStore()
    store.refresh()
    expect(store.canAsk).toBe(true)
    await store.requestPermission()
    expect(FakeNotification.requestPermission).toHaveBeenCalledTimes(1)
    expect(store.permission).toBe('granted')
    expect(store.canAsk).toBe(false)
  })
})
