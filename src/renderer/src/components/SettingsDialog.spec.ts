import { AVAILABLE_PROVIDERS, PROVIDER_LABELS } from '@shared/providers'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import SettingsDialog from './SettingsDialog.vue'
import NoticeList from './NoticeList.vue'
import { useSessionStore } from '../stores/session'
import { useSettingsStore } from '../stores/settings'
import { createFakeConnection, createFakeHost, makeBootstrap, type FakeHost } from '../testing/fake-api'

let pinia: Pinia
let host: FakeHost

beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  host = createFakeHost(
    makeBootstrap({ notices: [{ id: 'n1', level: 'warning', message: 'Yahoo Finance is rate limiting; slowing down.', at: 0 }] })
  )
  await useSessionStore().start({ api: host.api, connection: createFakeConnection() })
})

afterEach(() => useSessionStore().stop())

describe('SettingsDialog', () => {
  it('offers the available providers and saves provider, interval and theme', async () => {
    const wrapper = mount(SettingsDialog, { global: { plugins: [pinia] } })
    const providerSelect = wrapper.find('select[name="provider"]')
    // Stock providers only; keyed ones without a key say so.
    expect(providerSelect.findAll('option').map((o) => o.text())).toEqual([
      'Yahoo Finance',
      'Alpha Vantage (needs an API key)',
      'Twelve Data (needs an API key)',
      'Finnhub (needs an API key)',
      'Simulated market'
    ])
    expect(AVAILABLE_PROVIDERS.map((id) => PROVIDER_LABELS[id])).toEqual(expect.arrayContaining(['Yahoo Finance', 'Simulated market']))
    await providerSelect.setValue('yahoo')
    await wrapper.find('input[type="number"]').setValue('30')
    await wrapper.find('select[name="theme"]').setValue('dark')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(host.callsTo('updateSettings')).toEqual([expect.objectContaining({ provider: 'yahoo', refreshIntervalSec: 30, theme: 'dark' })])
    expect(useSettingsStore().resolvedTheme).toBe('dark')
    expect(wrapper.emitted('close')).toHaveLength(1)
  })

  it('rejects an out-of-range interval in plain words', async () => {
    const wrapper = mount(SettingsDialog, { global: { plugins: [pinia] } })
    await wrapper.find('input[type="number"]').setValue('0')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[role="alert"]').text()).toBe('Refresh interval must be between 1 and 3600 seconds.')
    expect(host.callsTo('updateSettings')).toHaveLength(0)
  })

  it('saves notification and tray settings, including pinned symbols', async () => {
    const wrapper = mount(SettingsDialog, { global: { plugins: [pinia] } })
    await wrapper.find('input[name="notificationsSound"]').setValue(true)
    await wrapper.find('input[name="quietHours"]').setValue(true)
    await wrapper.find('input[name="quietStart"]').setValue('21:30')
    await wrapper.find('input[name="quietEnd"]').setValue('06:45')
    await wrapper.find('input[name="closeToTray"]').setValue(true)
    await wrapper.find('input[name="startHidden"]').setValue(true)
    await wrapper.find('select[name="pinCandidate"]').setValue('MSFT')
    await wrapper.findAll('button').find((b) => b.text() === 'Pin')!.trigger('click')
    expect(wrapper.find('.pinned-list').text()).toContain('MSFT')
    expect(wrapper.text()).toContain('These apply to the desktop app')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    const [saved] = host.callsTo('updateSettings') as Array<Record<string, unknown>>
    expect(saved!.notifications).toEqual({ enabled: true, sound: true, quietHours: { enabled: true, start: '21:30', end: '06:45' } })
    expect(saved!.tray).toEqual({ closeToTray: true, minimizeToTray: false, startAtLogin: false, startHidden: true, pinnedSymbols: ['MSFT'] })
  })

  it('asks for quiet-hours times in plain words', async () => {
    const wrapper = mount(SettingsDialog, { global: { plugins: [pinia] } })
    await wrapper.find('input[name="quietHours"]').setValue(true)
    await wrapper.find('input[name="quietStart"]').setValue('')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[role="alert"]').text()).toBe('Quiet hours need a start and end time, such as 22:00 and 07:00.')
    expect(host.callsTo('updateSettings')).toHaveLength(0)
  })

  it('closes on Escape without saving', async () => {
    const wrapper = mount(SettingsDialog, { global: { plugins: [pinia] } })
    await wrapper.find('form').trigger('keydown', { key: 'Escape' })
    expect(wrapper.emitted('close')).toHaveLength(1)
    expect(host.callsTo('updateSettings')).toHaveLength(0)
  })
})

describe('theme', () => {
  it('"system" follows prefers-color-scheme live', () => {
    const settings = useSettingsStore()
    let listener: ((e: { matches: boolean }) => void) | null = null
    const media = {
      matches: false,
      addEventListener: (_: string, l: (e: { matches: boolean }) => void) => (listener = l),
      removeEventListener: () => {}
    }
    settings.watchSystemTheme(media as unknown as MediaQueryList)
    expect(settings.theme).toBe('system')
    expect(settings.resolvedTheme).toBe('light')
    listener!({ matches: true })
    expect(settings.resolvedTheme).toBe('dark')
  })
})

describe('NoticeList', () => {
  it('shows host notices and dismisses them through the host', async () => {
    const wrapper = mount(NoticeList, { global: { plugins: [pinia] } })
    expect(wrapper.text()).toContain('Yahoo Finance is rate limiting')
    host.emit('notice', { id: 'n2', level: 'error', message: 'Could not save the offline cache.', at: 0 })
    await flushPromises()
    expect(wrapper.find('[role="alert"]').text()).toContain('Could not save the offline cache.')
    await wrapper.findAll('button[aria-label="Dismiss notice"]')[0]!.trigger('click')
    await flushPromises()
    expect(host.callsTo('dismissNotice')).toEqual([{ id: 'n1' }])
    expect(wrapper.text()).not.toContain('rate limiting')
  })
})
