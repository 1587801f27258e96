import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { nextTick } from 'vue'
import WatchlistTable from './WatchlistTable.vue'
import { useSessionStore } from '../stores/session'
import { useAlertsStore } from '../stores/alerts'
import { useFocusStore } from '../stores/focus'
import { useWatchlistsStore } from '../stores/watchlists'
import { createFakeConnection, createFakeHost, makeBootstrap, makeQuote, manualFrames, type FakeHost } from '../testing/fake-api'

let pinia: Pinia
let host: FakeHost
let wrapper: VueWrapper

beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  host = createFakeHost(
    makeBootstrap({
      watchlists: {
        lists: [
          { id: 'main', name: 'Main', symbols: ['AAPL', 'MSFT'] },
          { id: 'crypto', name: 'Crypto', symbols: ['BTC-USD', 'ETH-USD', 'SOL-USD'] }
        ],
        activeId: 'main'
      },
      quotes: [makeQuote('AAPL'), makeQuote('MSFT')]
    })
  )
  await useSessionStore().start({ api: host.api, connection: createFakeConnection(), schedule: manualFrames().schedule })
  wrapper = mount(WatchlistTable, { global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
})
afterEach(() => {
  wrapper.unmount()
  useSessionStore().stop()
})

const row = (symbol: string) => wrapper.find(`[role="row"][data-symbol="${symbol}"]`)

describe('WatchlistTable and alerts', () => {
  it('marks a row whose tick was ignored for alerts, and clears the marker', async () => {
    host.emit('tickFlags', [{ symbol: 'AAPL', flag: 'outlier' }])
    await nextTick()
    const marker = row('AAPL').find('.tick-flag')
    expect(marker.attributes('title')).toBe('Ignored for alerts: price jumped more than 25 % (unconfirmed)')
    expect(marker.attributes('aria-label')).toBe(marker.attributes('title'))
    expect(row('MSFT').find('.tick-flag').exists()).toBe(false)
    host.emit('tickFlags', [{ symbol: 'AAPL', flag: null }])
    await nextTick()
    expect(row('AAPL').find('.tick-flag').exists()).toBe(false)
  })

  it('opens the alert editor for a row', async () => {
    await row('MSFT').find('button[aria-label="New alert for MSFT"]').trigger('click')
    expect(useAlertsStore().editor).toEqual({ symbol: 'MSFT' })
  })

  it('focusSymbol switches to the list holding the symbol and focuses its row', async () => {
    host.emit('focusSymbol', { symbol: 'ETH-USD' })
    await vi.waitFor(async () => {
      await flushPromises()
      expect(document.activeElement).toBe(row('ETH-USD').element)
    })
    expect(useWatchlistsStore().activeId).toBe('crypto')
    expect(row('ETH-USD').attributes('tabindex')).toBe('0')
    expect(useFocusStore().request).toBeNull()
  })
})
