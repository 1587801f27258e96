import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import AlertEditorDialog from './AlertEditorDialog.vue'
import { useSessionStore } from '../stores/session'
import { useAlertsStore, type EditorRequest } from '../stores/alerts'
import { HostCallError } from '@shared/ipc/helpers'
import { createFakeConnection, createFakeHost, makeBootstrap, makeQuote, makeRule, type FakeHost } from '../testing/fake-api'

let pinia: Pinia
let host: FakeHost

beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  host = createFakeHost(makeBootstrap({ quotes: [makeQuote('AAPL', { price: 187.42 })], alerts: { rules: [makeRule({ id: 'r1', note: 'old' })], inbox: [], unread: 0 } }))
  await useSessionStore().start({ api: host.api, connection: createFakeConnection() })
})
afterEach(() => useSessionStore().stop())

const open = (request: EditorRequest = { symbol: 'AAPL' }) =>
  mount(AlertEditorDialog, { props: { request, now: () => new Date(2025, 2, 14, 12).getTime() }, global: { plugins: [pinia] }, attachTo: document.body })

async function submit(wrapper: ReturnType<typeof open>): Promise<void> {
  await wrapper.find('form').trigger('submit')
  await flushPromises()
}

describe('AlertEditorDialog', () => {
  it('creates a price rule for the symbol, prefilled with its last price', async () => {
    const wrapper = open()
    expect((wrapper.find('input[name="price"]').element as HTMLInputElement).value).toBe('187.42')
    await wrapper.find('input[name="price"]').setValue('200')
    await submit(wrapper)
    expect(host.callsTo('createAlert')).toEqual([
      {
        target: { type: 'symbol', symbol: 'AAPL' },
        condition: { kind: 'price-above', price: 200 },
        trigger: { mode: 'once' },
        rearmPercent: 0.5,
        expiresAt: null,
        enabled: true,
        note: ''
      }
    ])
    expect(useAlertsStore().rules).toHaveLength(2)
    expect(wrapper.emitted('close')).toHaveLength(1)
    wrapper.unmount()
  })

  it('shows only the fields each kind needs and builds that kind', async () => {
    const wrapper = open()
    await wrapper.find('select[name="kind"]').setValue('move-within')
    expect(wrapper.find('input[name="price"]').exists()).toBe(false)
    await wrapper.find('input[name="percent"]').setValue('3')
    await wrapper.find('input[name="windowMinutes"]').setValue('15')
    await wrapper.find('select[name="direction"]').setValue('down')
    await wrapper.find('select[name="triggerMode"]').setValue('every')
    await wrapper.find('input[name="cooldownMinutes"]').setValue('10')
    await wrapper.find('textarea[name="note"]').setValue('Sell-off watch')
    await submit(wrapper)
    expect(host.callsTo('createAlert')[0]).toMatchObject({
      condition: { kind: 'move-within', percent: 3, windowMinutes: 15, direction: 'down' },
      trigger: { mode: 'every', cooldownMinutes: 10 },
      note: 'Sell-off watch'
    })
    wrapper.unmount()
  })

  it('creates a rule for the whole watchlist', async () => {
    const wrapper = open({ listId: 'main' })
    await wrapper.find('select[name="kind"]').setValue('new-52w-high')
    await submit(wrapper)
    expect(host.callsTo('createAlert')[0]).toMatchObject({ target: { type: 'watchlist', listId: 'main' }, condition: { kind: 'new-52w-high' } })
    wrapper.unmount()
  })

  it('says what is wrong before calling the host', async () => {
    const wrapper = open()
    await wrapper.find('input[name="price"]').setValue('')
    await submit(wrapper)
    expect(wrapper.find('[role="alert"]').text()).toBe('Enter a price above zero.')
    expect(wrapper.find('input[name="price"]').attributes('aria-invalid')).toBe('true')
    expect(document.activeElement).toBe(wrapper.find('input[name="price"]').element)
    expect(host.callsTo('createAlert')).toHaveLength(0)
    wrapper.unmount()
  })

  it('shows the host’s refusal inline and stays open', async () => {
    host.handle('createAlert', () => {
      throw new HostCallError('AAPL is not in any watchlist.', 'invalid-request')
    })
    const wrapper = open()
    await submit(wrapper)
    expect(wrapper.find('[role="alert"]').text()).toBe('AAPL is not in any watchlist.')
    expect(wrapper.emitted('close')).toBeUndefined()
    wrapper.unmount()
  })

  it('edits an existing rule through updateAlert', async () => {
    const wrapper = open({ ruleId: 'r1' })
    expect(wrapper.find('h2').text()).toBe('Edit alert')
    expect((wrapper.find('textarea[name="note"]').element as HTMLTextAreaElement).value).toBe('old')
    await wrapper.find('input[name="price"]').setValue('250')
    await submit(wrapper)
    expect(host.callsTo('updateAlert')).toEqual([{ id: 'r1', changes: expect.objectContaining({ condition: { kind: 'price-above', price: 250 } }) }])
    expect(useAlertsStore().rules[0]!.condition).toEqual({ kind: 'price-above', price: 250 })
    wrapper.unmount()
  })

  it('closes on Escape and keeps Tab inside', async () => {
    const wrapper = open()
    const buttons = wrapper.findAll('button')
    const last = buttons[buttons.length - 1]!.element as HTMLElement
    last.focus()
    await wrapper.find('form').trigger('keydown', { key: 'Tab' })
    expect(document.activeElement).not.toBe(last)
    expect(wrapper.find('form').element.contains(document.activeElement)).toBe(true)
    await wrapper.find('form').trigger('keydown', { key: 'Escape' })
    expect(wrapper.emitted('close')).toHaveLength(1)
    wrapper.unmount()
  })
})
