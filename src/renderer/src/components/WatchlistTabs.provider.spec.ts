import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { HostCallError } from '@shared/ipc/helpers'
import WatchlistTabs from './WatchlistTabs.vue'
import { useSessionStore } from '../stores/session'
import { useNoticesStore } from '../stores/notices'
import { createFakeConnection, createFakeHost, makeBootstrap, type FakeHost } from '../testing/fake-api'

let pinia: Pinia
let wrapper: VueWrapper
let host: FakeHost

beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  host = createFakeHost(
    makeBootstrap({
      watchlists: {
        lists: [
          { id: 'a', name: 'Stocks', symbols: ['AAPL'] },
          { id: 'b', name: 'Crypto', symbols: ['BTC-USD'], provider: 'coinbase' }
        ],
        activeId: 'a'
      }
    })
  )
  await useSessionStore().start({ api: host.api, connection: createFakeConnection() })
  wrapper = mount(WatchlistTabs, { global: { plugins: [pinia] }, attachTo: document.body })
})

afterEach(() => {
  wrapper.unmount()
  useSessionStore().stop()
  document.body.innerHTML = ''
})

const select = () => wrapper.find('select[aria-label="Data source for this list"]')
const tab = (name: string) => wrapper.findAll('[role="tab"]').find((t) => t.find('.tab-name').text() === name)!

describe('WatchlistTabs data source', () => {
  it('marks a pinned tab, in words for screen readers too', () => {
    expect(tab('Crypto').find('[data-testid="tab-provider-pin"]').text()).toBe('(data from Coinbase Exchange)')
    expect(tab('Stocks').find('[data-testid="tab-provider-pin"]').exists()).toBe(false)
  })

  it('offers Automatic and every provider, showing the active list choice', async () => {
    const options = select().findAll('option').map((o) => o.text())
    expect(options[0]).toBe('Automatic')
    expect(options).toContain('Alpha Vantage (needs an API key)')
    expect((select().element as HTMLSelectElement).value).toBe('')
    await tab('Crypto').trigger('click')
    await flushPromises()
    expect((select().element as HTMLSelectElement).value).toBe('coinbase')
  })

  it('pins the active list to a provider and back to Automatic through the host', async () => {
    await select().setValue('yahoo')
    await flushPromises()
    expect(host.callsTo('setWatchlistProvider')).toEqual([{ listId: 'a', provider: 'yahoo' }])
    expect(tab('Stocks').find('[data-testid="tab-provider-pin"]').text()).toContain('Yahoo Finance')
    expect(useNoticesStore().notices.at(-1)?.message).toBe('“Stocks” now gets its prices from Yahoo Finance first.')
    await select().setValue('')
    await flushPromises()
    expect(host.callsTo('setWatchlistProvider').at(-1)).toEqual({ listId: 'a', provider: null })
    expect(tab('Stocks').find('[data-testid="tab-provider-pin"]').exists()).toBe(false)
  })

  it("shows the host's refusal and keeps the list's real choice", async () => {
    host.handle('setWatchlistProvider', () => {
      throw new HostCallError('Finnhub is not available yet.', 'invalid-request')
    })
    await select().setValue('finnhub')
    await flushPromises()
    expect(useNoticesStore().notices.at(-1)).toMatchObject({ level: 'error', message: 'Finnhub is not available yet.' })
    expect((select().element as HTMLSelectElement).value).toBe('')
  })
})
