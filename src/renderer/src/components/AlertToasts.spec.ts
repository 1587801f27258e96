import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { nextTick } from 'vue'
import AlertToasts from './AlertToasts.vue'
import { useSessionStore } from '../stores/session'
import { useFocusStore } from '../stores/focus'
import { useWatchlistsStore } from '../stores/watchlists'
import { createFakeConnection, createFakeHost, makeBootstrap, type FakeHost } from '../testing/fake-api'

let pinia: Pinia
let host: FakeHost

beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  host = createFakeHost(
    makeBootstrap({
      watchlists: { lists: [{ id: 'main', name: 'Main', symbols: ['AAPL'] }, { id: 'c', name: 'Crypto', symbols: ['ETH-USD'] }], activeId: 'main' }
    })
  )
  await useSessionStore().start({ api: host.api, connection: createFakeConnection() })
})
afterEach(() => {
  useSessionStore().stop()
  vi.useRealTimers()
})

const mountToasts = () => mount(AlertToasts, { global: { plugins: [pinia] }, attachTo: document.body })

describe('AlertToasts', () => {
  it('shows a toast for every fired alert, even without any notification, and hides it after ~8 s', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const wrapper = mountToasts()
    host.fireAlert({ ruleId: 'r1', symbol: 'AAPL', message: 'AAPL rose above 200.00 (now 201.35)', note: 'trim position' })
    host.fireAlert({ ruleId: 'r2', symbol: 'ETH-USD', message: 'While you were away: ETH-USD fell below 3,000', catchUp: true })
    await nextTick()
    const toasts = wrapper.findAll('[role="status"]')
    expect(toasts).toHaveLength(2)
    expect(toasts[0]!.text()).toContain('AAPL rose above 200.00 (now 201.35)')
    expect(toasts[0]!.text()).toContain('trim position')
    expect(toasts[1]!.text()).toContain('While you were away')
    vi.advanceTimersByTime(7_900)
    await nextTick()
    expect(wrapper.findAll('[role="status"]')).toHaveLength(2)
    vi.advanceTimersByTime(200)
    await nextTick()
    expect(wrapper.findAll('[role="status"]')).toHaveLength(0)
    wrapper.unmount()
  })

  it('keeps a toast while the pointer is on it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const wrapper = mountToasts()
    host.fireAlert({ ruleId: 'r1', symbol: 'AAPL' })
    await nextTick()
    await wrapper.find('[role="status"]').trigger('mouseenter')
    vi.advanceTimersByTime(20_000)
    await nextTick()
    expect(wrapper.findAll('[role="status"]')).toHaveLength(1)
    await wrapper.find('[role="status"]').trigger('mouseleave')
    vi.advanceTimersByTime(8_100)
    await nextTick()
    expect(wrapper.findAll('[role="status"]')).toHaveLength(0)
    wrapper.unmount()
  })

  it('dismisses with its button', async () => {
    const wrapper = mountToasts()
    host.fireAlert({ ruleId: 'r1', symbol: 'AAPL' })
    await nextTick()
    await wrapper.find('button[aria-label="Dismiss alert"]').trigger('click')
    expect(wrapper.findAll('[role="status"]')).toHaveLength(0)
    wrapper.unmount()
  })

  it('a click opens the symbol, switching to the list that holds it', async () => {
    const wrapper = mountToasts()
    host.fireAlert({ ruleId: 'r1', symbol: 'ETH-USD' })
    await nextTick()
    await wrapper.find('.at-body').trigger('click')
    await flushPromises()
    expect(useWatchlistsStore().activeId).toBe('c')
    expect(useFocusStore().request?.symbol).toBe('ETH-USD')
    expect(wrapper.findAll('[role="status"]')).toHaveLength(0)
    wrapper.unmount()
  })
})
