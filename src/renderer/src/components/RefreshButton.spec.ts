import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import RefreshButton from './RefreshButton.vue'
import { useSessionStore } from '../stores/session'
import { createFakeConnection, createFakeHost, makeBootstrap, type FakeHost } from '../testing/fake-api'
import { HostCallError } from '@shared/ipc/helpers'

let pinia: Pinia
let host: FakeHost
let wrapper: VueWrapper
let clock = 1_000_000

async function setup(desktop: boolean): Promise<void> {
  pinia = createPinia()
  setActivePinia(pinia)
  host = createFakeHost(makeBootstrap())
  await useSessionStore().start({ api: host.api, connection: createFakeConnection(), network: new EventTarget() })
  wrapper = mount(RefreshButton, { props: { desktop, now: () => clock }, global: { plugins: [pinia] }, attachTo: document.body })
}

beforeEach(() => {
  clock = 1_000_000
})

afterEach(() => {
  wrapper.unmount()
  useSessionStore().stop()
  document.body.innerHTML = ''
  vi.useRealTimers()
})

const feedback = () => wrapper.find('[role="status"]')
const key = (init: KeyboardEventInit) => {
  const event = new KeyboardEvent('keydown', { ...init, bubbles: true, cancelable: true })
  window.dispatchEvent(event)
  return event
}

describe('RefreshButton', () => {
  it('asks the host to refresh and shows a refusal notice right next to the button', async () => {
    await setup(false)
    host.handle('refreshNow', () => {
      host.emit('notice', { id: 'refresh-refused:alphavantage', level: 'info', message: 'Alpha Vantage: 25 of 25 requests used today; next refresh at 00:00 UTC.', at: clock })
      return null
    })
    await wrapper.find('button').trigger('click')
    await flushPromises()
    expect(host.callsTo('refreshNow')).toHaveLength(1)
    expect(feedback().text()).toContain('Alpha Vantage: 25 of 25 requests used today')
    expect(wrapper.find('button').attributes('aria-describedby')).toBe(feedback().attributes('id'))
  })

  it('shows the same provider refusing again after a second click (same notice id, new time)', async () => {
    await setup(false)
    let n = 0
    host.handle('refreshNow', () => {
      host.emit('notice', { id: 'refresh-refused:finnhub', level: 'info', message: `Finnhub refused ${++n}`, at: clock + n })
      return null
    })
    await wrapper.find('button').trigger('click')
    await flushPromises()
    await wrapper.find('button[aria-label="Hide refresh message"]').trigger('click')
    expect(feedback().text()).toBe('')
    await wrapper.find('button').trigger('click')
    await flushPromises()
    expect(feedback().text()).toContain('Finnhub refused 2')
  })

  it('says the request went out when nothing is refused, and hides it later', async () => {
    vi.useFakeTimers()
    await setup(false)
    await wrapper.find('button').trigger('click')
    await flushPromises()
    expect(feedback().text()).toContain('Asked for fresh prices.')
    await vi.advanceTimersByTimeAsync(3_100)
    expect(feedback().text()).toBe('')
  })

  it('ignores notices that arrive long after the click', async () => {
    await setup(false)
    await wrapper.find('button').trigger('click')
    await flushPromises()
    await wrapper.find('button[aria-label="Hide refresh message"]').trigger('click')
    clock += 60_000
    host.emit('notice', { id: 'refresh-refused:finnhub', level: 'info', message: 'A later refusal', at: clock })
    await flushPromises()
    expect(feedback().text()).toBe('')
  })

  it('takes only refusal notices as its answer, not other notices arriving right after the click', async () => {
    await setup(false)
    host.handle('refreshNow', () => {
      host.emit('notice', { id: 'notice-7', level: 'warning', message: 'The quote engine stopped unexpectedly and is restarting.', at: clock })
      return null
    })
    await wrapper.find('button').trigger('click')
    await flushPromises()
    expect(feedback().text()).toContain('Asked for fresh prices.')
    expect(feedback().text()).not.toContain('quote engine')
    host.emit('notice', { id: 'refresh-refused:finnhub', level: 'info', message: 'Finnhub: limit reached', at: clock + 1 })
    await flushPromises()
    expect(feedback().text()).toContain('Finnhub: limit reached')
  })

  it("shows the host's error when the call fails", async () => {
    await setup(false)
    host.handle('refreshNow', () => {
      throw new HostCallError('TickerDesk is restarting its engine.', 'unavailable')
    })
    await wrapper.find('button').trigger('click')
    await flushPromises()
    expect(feedback().text()).toContain('TickerDesk is restarting its engine.')
  })

  it('R refreshes in the browser, where F5 and Ctrl+R keep reloading the page', async () => {
    await setup(false)
    expect(key({ key: 'F5' }).defaultPrevented).toBe(false)
    expect(key({ key: 'r', ctrlKey: true }).defaultPrevented).toBe(false)
    await flushPromises()
    expect(host.callsTo('refreshNow')).toHaveLength(0)
    expect(key({ key: 'r' }).defaultPrevented).toBe(true)
    await flushPromises()
    expect(host.callsTo('refreshNow')).toHaveLength(1)
  })

  it('F5 and Ctrl+R refresh prices in the desktop app; typing an r in a field does not', async () => {
    await setup(true)
    expect(key({ key: 'F5' }).defaultPrevented).toBe(true)
    await flushPromises()
    expect(key({ key: 'R', ctrlKey: true }).defaultPrevented).toBe(true)
    await flushPromises()
    expect(host.callsTo('refreshNow')).toHaveLength(2)
    const input = document.createElement('input')
    document.body.appendChild(input)
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'r', bubbles: true, cancelable: true }))
    await flushPromises()
    expect(host.callsTo('refreshNow')).toHaveLength(2)
  })
})
