import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import WatchlistTabs from './WatchlistTabs.vue'
import { useSessionStore } from '../stores/session'
import { useWatchlistsStore } from '../stores/watchlists'
import { useNoticesStore } from '../stores/notices'
import { createFakeConnection, createFakeHost, makeBootstrap, type FakeHost } from '../testing/fake-api'

let pinia: Pinia
let wrapper: VueWrapper
let host: FakeHost

const twoLists = makeBootstrap({
  watchlists: {
    lists: [
      { id: 'a', name: 'Stocks', symbols: ['AAPL'] },
      { id: 'b', name: 'Crypto', symbols: ['BTC-USD', 'ETH-USD'] }
    ],
    activeId: 'a'
  }
})

beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  host = createFakeHost(twoLists)
  await useSessionStore().start({ api: host.api, connection: createFakeConnection() })
  wrapper = mount(WatchlistTabs, { global: { plugins: [pinia] }, attachTo: document.body })
})

afterEach(() => {
  wrapper.unmount()
  useSessionStore().stop()
  document.body.innerHTML = ''
})

const tabs = () => wrapper.findAll('[role="tab"]')

describe('WatchlistTabs', () => {
  it('shows one tab per list with the active one selected and focusable', () => {
    expect(tabs().map((t) => t.text())).toEqual(['Stocks1', 'Crypto2'])
    expect(tabs()[0]!.attributes('aria-selected')).toBe('true')
    expect(tabs()[0]!.attributes('tabindex')).toBe('0')
    expect(tabs()[1]!.attributes('tabindex')).toBe('-1')
  })

  it('switches lists by click and by keyboard (arrow then Enter)', async () => {
    await tabs()[1]!.trigger('click')
    await flushPromises()
    expect(host.callsTo('selectWatchlist')).toEqual([{ listId: 'b' }])
    expect(useWatchlistsStore().active?.name).toBe('Crypto')

    ;(tabs()[1]!.element as HTMLElement).focus()
    await tabs()[1]!.trigger('keydown', { key: 'ArrowRight' })
    await flushPromises()
    expect(document.activeElement?.textContent).toContain('Stocks')
    await tabs()[0]!.trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(useWatchlistsStore().active?.name).toBe('Stocks')
  })

  it('creates a list from the + button', async () => {
    await wrapper.find('button[aria-label="New watchlist"]').trigger('click')
    await flushPromises()
    const input = wrapper.find('input[aria-label="New watchlist name"]')
    await input.setValue('Tech')
    await input.trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(host.callsTo('createWatchlist')).toEqual([{ name: 'Tech' }])
    expect(tabs().map((t) => t.find('.tab-name').text())).toEqual(['Stocks', 'Crypto', 'Tech'])
  })

  it('refuses an empty name with a plain message and sends nothing', async () => {
    await wrapper.find('button[aria-label="New watchlist"]').trigger('click')
    await flushPromises()
    const input = wrapper.find('input[aria-label="New watchlist name"]')
    await input.setValue('   ')
    await input.trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(wrapper.find('[role="alert"]').text()).toBe('A watchlist needs a name.')
    expect(host.callsTo('createWatchlist')).toHaveLength(0)
  })

  it('renames with F2, Escape cancels', async () => {
    await tabs()[0]!.trigger('keydown', { key: 'F2' })
    await flushPromises()
    let input = wrapper.find('input[aria-label="Rename watchlist Stocks"]')
    await input.setValue('Nope')
    await input.trigger('keydown', { key: 'Escape' })
    await flushPromises()
    expect(host.callsTo('renameWatchlist')).toHaveLength(0)

    await tabs()[0]!.trigger('keydown', { key: 'F2' })
    await flushPromises()
    input = wrapper.find('input[aria-label="Rename watchlist Stocks"]')
    await input.setValue('Equities')
    await input.trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(host.callsTo('renameWatchlist')).toEqual([{ listId: 'a', name: 'Equities' }])
    expect(tabs()[0]!.text()).toContain('Equities')
  })

  it('deletes only after confirmation', async () => {
    await tabs()[1]!.trigger('keydown', { key: 'Delete' })
    await flushPromises()
    const dialog = wrapper.find('[role="alertdialog"]')
    expect(dialog.text()).toContain('“Crypto” and its 2 symbols will be removed')
    expect(document.activeElement?.textContent).toBe('Cancel')
    await dialog.find('button.btn-danger').trigger('click')
    await flushPromises()
    expect(host.callsTo('deleteWatchlist')).toEqual([{ listId: 'b' }])
    expect(tabs()).toHaveLength(1)
  })

  it('cancelling the confirmation deletes nothing; the last list cannot be deleted', async () => {
    await tabs()[1]!.trigger('keydown', { key: 'Delete' })
    await flushPromises()
    await wrapper.find('[role="alertdialog"]').trigger('keydown', { key: 'Escape' })
    await flushPromises()
    expect(wrapper.find('[role="alertdialog"]').exists()).toBe(false)
    expect(host.callsTo('deleteWatchlist')).toHaveLength(0)

    await useWatchlistsStore().remove('b')
    await flushPromises()
    await tabs()[0]!.trigger('keydown', { key: 'Delete' })
    await flushPromises()
    expect(wrapper.find('[role="alertdialog"]').exists()).toBe(false)
    expect(useNoticesStore().notices.at(-1)?.message).toMatch(/at least one watchlist/)
  })
})
