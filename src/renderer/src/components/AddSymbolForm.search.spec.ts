import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import AddSymbolForm from './AddSymbolForm.vue'
import { SUGGEST_DEBOUNCE_MS } from '../lib/symbol-suggest'
import { useSessionStore } from '../stores/session'
import { createFakeConnection, createFakeHost, type FakeHost } from '../testing/fake-api'

let pinia: Pinia
let wrapper: VueWrapper
let host: FakeHost

beforeEach(async () => {
  vi.useFakeTimers()
  pinia = createPinia()
  setActivePinia(pinia)
  host = createFakeHost()
  await useSessionStore().start({ api: host.api, connection: createFakeConnection() })
  wrapper = mount(AddSymbolForm, { global: { plugins: [pinia] }, attachTo: document.body })
})

afterEach(() => {
  wrapper.unmount()
  useSessionStore().stop()
  vi.useRealTimers()
})

const input = () => wrapper.find('input')
const options = () => wrapper.findAll('[role="option"]')

async function typeText(text: string): Promise<void> {
  await input().setValue(text)
  await vi.advanceTimersByTimeAsync(SUGGEST_DEBOUNCE_MS)
  await flushPromises()
}

async function key(name: string): Promise<void> {
  await input().trigger('keydown', { key: name })
  await flushPromises()
}

describe('AddSymbolForm suggestions', () => {
  // It stays a plain textbox (role and name are a fixed interface for outside checks); the
  // suggestions are wired to it with aria-autocomplete, aria-controls and aria-activedescendant.
  it('is a textbox named for "symbol" that controls a listbox of suggestions', () => {
    const box = input()
    expect(box.attributes('role')).toBeUndefined()
    expect(box.attributes('aria-autocomplete')).toBe('list')
    expect(box.attributes('aria-label')).toMatch(/symbol/i)
    expect(box.attributes('aria-expanded')).toBe('false')
    expect(wrapper.find(`#${box.attributes('aria-controls')}`).attributes('role')).toBe('listbox')
  })

  it('asks the host once per pause in typing (debounced)', async () => {
    await input().setValue('a')
    await vi.advanceTimersByTimeAsync(100)
    await input().setValue('am')
    await vi.advanceTimersByTimeAsync(SUGGEST_DEBOUNCE_MS - 1)
    expect(host.callsTo('searchSymbols')).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    await flushPromises()
    expect(host.callsTo('searchSymbols')).toEqual([{ query: 'am', limit: 8 }])
    expect(input().attributes('aria-expanded')).toBe('true')
    expect(options().map((o) => o.text())).toEqual([expect.stringContaining('AMZN')])
  })

  it('shows symbol, name, exchange and type in each option', async () => {
    await typeText('a')
    const first = options()[0]!
    expect(first.text()).toContain('AAPL')
    expect(first.text()).toContain('Apple Inc.')
    expect(first.text()).toContain('NASDAQ')
    expect(first.text()).toContain('EQUITY')
  })

  it('moves with ArrowDown/ArrowUp and adds the highlighted match with Enter', async () => {
    await typeText('a')
    expect(options()).toHaveLength(2)
    await key('ArrowDown')
    expect(options()[0]!.attributes('aria-selected')).toBe('true')
    await key('ArrowDown')
    await key('ArrowDown')
    expect(options()[0]!.attributes('aria-selected')).toBe('true')
    await key('ArrowUp')
    expect(options()[1]!.attributes('aria-selected')).toBe('true')
    expect(input().attributes('aria-activedescendant')).toBe(options()[1]!.attributes('id'))
    await key('Enter')
    expect(host.callsTo('addSymbol')).toEqual([{ listId: 'main', symbol: 'AMZN' }])
    expect(input().attributes('aria-expanded')).toBe('false')
  })

  it('picks a match with the mouse', async () => {
    host.state.watchlists.lists[0]!.symbols = []
    await useSessionStore().stop()
    await useSessionStore().start({ api: host.api, connection: createFakeConnection() })
    await typeText('bitcoin')
    await options()[0]!.trigger('click')
    await flushPromises()
    expect(host.callsTo('addSymbol')).toEqual([{ listId: 'main', symbol: 'BTC-USD' }])
  })

  it('closes with Escape and keeps the text; a second Escape clears it', async () => {
    await typeText('am')
    await key('Escape')
    expect(input().attributes('aria-expanded')).toBe('false')
    expect((input().element as HTMLInputElement).value).toBe('am')
    await key('Escape')
    expect((input().element as HTMLInputElement).value).toBe('')
  })

  it('adds exactly what was typed when Enter is pressed without choosing', async () => {
    await typeText('am')
    expect(input().attributes('aria-expanded')).toBe('true')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(host.callsTo('addSymbol')).toEqual([{ listId: 'main', symbol: 'AM' }])
    expect(input().attributes('aria-expanded')).toBe('false')
  })

  it('drops a late answer for text the user has since changed', async () => {
    let release: (value: unknown) => void = () => {}
    host.handle('searchSymbols', () => new Promise((resolve) => (release = resolve)))
    await typeText('ap')
    await input().setValue('')
    release({ matches: [{ symbol: 'AAPL', name: 'Apple Inc.', exchange: null, type: null, source: 'yahoo' }], offline: false, errors: [] })
    await flushPromises()
    expect(options()).toHaveLength(0)
    expect(input().attributes('aria-expanded')).toBe('false')
  })

  it('says when the results come from the local directory only', async () => {
    host.handle('searchSymbols', () => ({
      matches: [{ symbol: 'NVDA', name: 'NVIDIA Corporation', exchange: 'NASDAQ', type: 'EQUITY', source: 'yahoo' }],
      offline: true,
      errors: []
    }))
    await typeText('nv')
    expect(wrapper.find('[role="status"]').text()).toBe('Offline — results from the local directory')
  })
})
