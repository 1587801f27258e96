import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import OfflineBanner from './OfflineBanner.vue'
import StatusBar from './StatusBar.vue'
import { useSessionStore } from '../stores/session'
import { createFakeConnection, createFakeHost, makeBootstrap, type FakeConnection, type FakeHost } from '../testing/fake-api'
import { formatStamp } from '../lib/time'

let pinia: Pinia
let host: FakeHost
let connection: FakeConnection
let wrapper: VueWrapper

beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  host = createFakeHost()
  connection = createFakeConnection()
  await useSessionStore().start({ api: host.api, connection })
  wrapper = mount(OfflineBanner, { global: { plugins: [pinia] } })
})

afterEach(() => {
  wrapper.unmount()
  useSessionStore().stop()
})

const status = makeBootstrap().status

describe('OfflineBanner', () => {
  it('is absent while online and connected', () => {
    expect(wrapper.find('[role="status"]').exists()).toBe(false)
  })

  it('appears when the host reports the provider offline, and goes when it recovers', async () => {
    const since = Date.now() - 60_000
    host.emit('status', { ...status, online: false, offlineSince: since })
    await flushPromises()
    const banner = wrapper.find('[role="status"]')
    expect(banner.exists()).toBe(true)
    expect(banner.text()).toContain(`Offline since ${formatStamp(since, Date.now())} — showing last-known prices`)
    host.emit('status', { ...status, online: true })
    await flushPromises()
    expect(wrapper.find('[role="status"]').exists()).toBe(false)
  })

  it('appears when the web bridge drops, saying it is reconnecting', async () => {
    connection.set('disconnected')
    await flushPromises()
    const text = wrapper.find('[role="status"]').text()
    expect(text).toMatch(/Offline since \d\d:\d\d — showing last-known prices/)
    expect(text).toContain('Reconnecting to TickerDesk…')
    connection.set('connected')
    await flushPromises()
    expect(wrapper.find('[role="status"]').exists()).toBe(false)
  })
})

describe('StatusBar', () => {
  it('shows engine state, provider, connectivity, rate limit and the last error in plain words', async () => {
    const bar = mount(StatusBar, { global: { plugins: [pinia] } })
    host.emit('status', {
      ...status,
      engine: 'reconnecting',
      provider: 'yahoo',
      online: false,
      lastError: 'Cannot reach Yahoo Finance: connection refused',
      rateLimitedUntil: Date.now() + 60_000,
      lastUpdate: Date.now() - 5_000
    })
    await flushPromises()
    const text = bar.text()
    expect(text).toContain('Reconnecting…')
    expect(text).toContain('Yahoo Finance')
    expect(text).toContain('Offline')
    expect(text).toContain('Cannot reach Yahoo Finance')
    expect(text).toMatch(/Rate-limited until \d\d:\d\d/)
    expect(text).toMatch(/Updated \d\d:\d\d:\d\d/)
    bar.unmount()
  })
})
