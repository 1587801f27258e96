import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import AddSymbolForm from './AddSymbolForm.vue'
import { useSessionStore } from '../stores/session'
import { useWatchlistsStore } from '../stores/watchlists'
import { HostCallError } from '@shared/ipc/helpers'
import { createFakeConnection, createFakeHost, type FakeHost } from '../testing/fake-api'

let pinia: Pinia
let wrapper: VueWrapper
let host: FakeHost

beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  host = createFakeHost()
  await useSessionStore().start({ api: host.api, connection: createFakeConnection() })
  wrapper = mount(AddSymbolForm, { global: { plugins: [pinia] }, attachTo: document.body })
})

afterEach(() => {
  wrapper.unmount()
  useSessionStore().stop()
})

async function type(text: string): Promise<void> {
  await wrapper.find('input').setValue(text)
  await wrapper.find('form').trigger('submit')
  await flushPromises()
}

describe('AddSymbolForm', () => {
  it('has an accessible name mentioning "symbol"', () => {
    expect(wrapper.find('input').attributes('aria-label')).toMatch(/symbol/i)
  })

  it('catches invalid syntax before asking the host', async () => {
    await type('$$$')
    const alert = wrapper.find('[role="alert"]')
    expect(alert.text()).toContain('not a valid ticker symbol')
    expect(wrapper.find('input').attributes('aria-invalid')).toBe('true')
    expect(host.callsTo('addSymbol')).toHaveLength(0)
  })

  it('asks for a symbol when the box is empty', async () => {
    await type('   ')
    expect(wrapper.find('[role="alert"]').text()).toContain('Type a ticker symbol')
  })

  it('adds a valid symbol (normalised) and clears the box', async () => {
    await type(' nvda ')
    expect(host.callsTo('addSymbol')).toEqual([{ listId: 'main', symbol: 'NVDA' }])
    expect(useWatchlistsStore().activeSymbols).toContain('NVDA')
    expect((wrapper.find('input').element as HTMLInputElement).value).toBe('')
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
  })

  it('says so when the symbol is already in the list', async () => {
    await type('aapl')
    expect(wrapper.find('[role="alert"]').text()).toBe('AAPL is already in this watchlist.')
  })

  it('shows the host’s rejection inline and keeps the text', async () => {
    host.handle('addSymbol', () => {
      throw new HostCallError('This watchlist is full (2,000 symbols).', 'conflict')
    })
    await type('TSLA')
    expect(wrapper.find('[role="alert"]').text()).toBe('This watchlist is full (2,000 symbols).')
    expect((wrapper.find('input').element as HTMLInputElement).value).toBe('TSLA')
  })

  it('keeps a symbol typed while the previous add is still in flight', async () => {
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    host.handle('addSymbol', async ({ listId, symbol }) => {
      await gate
      host.state.watchlists.lists.find((l) => l.id === listId)?.symbols.push(symbol)
      return structuredClone(host.state.watchlists)
    })
    const input = wrapper.find('input')
    await input.setValue('NVDA')
    await wrapper.find('form').trigger('submit')
    await input.setValue('TSLA')
    await wrapper.find('form').trigger('submit')
    await input.setValue('ETH')
    release()
    await flushPromises()
    expect(host.callsTo('addSymbol')).toEqual([
      { listId: 'main', symbol: 'NVDA' },
      { listId: 'main', symbol: 'TSLA' }
    ])
    expect((input.element as HTMLInputElement).value).toBe('ETH')
  })

  it('clears the message as soon as the user types again', async () => {
    await type('$$$')
    await wrapper.find('input').setValue('AAP')
    await wrapper.find('input').trigger('input')
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
  })
})
