import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import AlertInbox from './AlertInbox.vue'
import InboxButton from './InboxButton.vue'
import { useSessionStore } from '../stores/session'
import { useAlertsStore } from '../stores/alerts'
import { useFocusStore } from '../stores/focus'
import { createFakeConnection, createFakeHost, makeBootstrap, makeInboxEntry, type FakeHost } from '../testing/fake-api'

const at = (h: number, m: number) => new Date(2025, 2, 14, h, m).getTime()
let pinia: Pinia
let host: FakeHost

beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  host = createFakeHost(
    makeBootstrap({
      alerts: {
        rules: [],
        inbox: [
          makeInboxEntry({ id: 'old', symbol: 'MSFT', at: at(9, 0), message: 'MSFT fell below 400.00 (now 399.10)', read: true }),
          makeInboxEntry({
            id: 'away',
            symbol: 'AAPL',
            at: at(10, 0),
            occurredAt: at(7, 42),
            catchUp: true,
            message: 'While you were away: AAPL rose above 200.00',
            note: 'take profit'
          }),
          makeInboxEntry({ id: 'new', symbol: 'AAPL', at: at(11, 30), message: 'AAPL crossed 205.00 upward' })
        ],
        unread: 2
      }
    })
  )
  await useSessionStore().start({ api: host.api, connection: createFakeConnection(), now: () => at(12, 0) })
})
afterEach(() => useSessionStore().stop())

const mountInbox = () => mount(AlertInbox, { global: { plugins: [pinia] }, attachTo: document.body })

describe('AlertInbox', () => {
  it('lists entries newest first with time, catch-up label and note', () => {
    const wrapper = mountInbox()
    const entries = wrapper.findAll('[data-entry-id]')
    expect(entries.map((e) => e.attributes('data-entry-id'))).toEqual(['new', 'away', 'old'])
    expect(entries[0]!.text()).toContain('AAPL crossed 205.00 upward')
    expect(entries[0]!.text()).toContain('11:30')
    expect(entries[1]!.text()).toContain('While you were away')
    expect(entries[1]!.text()).toContain('happened 07:42')
    expect(entries[1]!.text()).toContain('take profit')
    expect(entries[2]!.classes()).not.toContain('unread')
    wrapper.unmount()
  })

  it('marks one entry read, then all, then clears after confirming', async () => {
    const wrapper = mountInbox()
    await wrapper.find('[data-entry-id="new"] .ie-read').trigger('click')
    await flushPromises()
    expect(host.callsTo('markInboxRead')).toEqual([{ ids: ['new'] }])
    expect(useAlertsStore().unread).toBe(1)
    await wrapper.findAll('button').find((b) => b.text() === 'Mark all read')!.trigger('click')
    await flushPromises()
    expect(host.callsTo('markInboxRead')).toEqual([{ ids: ['new'] }, {}])
    expect(useAlertsStore().unread).toBe(0)
    await wrapper.findAll('button').find((b) => b.text() === 'Clear')!.trigger('click')
    await wrapper.find('[role="alertdialog"] .btn-danger').trigger('click')
    await flushPromises()
    expect(host.callsTo('clearInbox')).toEqual([{}])
    expect(wrapper.findAll('[data-entry-id]')).toHaveLength(0)
    wrapper.unmount()
  })

  it('opens the symbol from an entry', async () => {
    const wrapper = mountInbox()
    await wrapper.find('[data-entry-id="old"] .ie-symbol').trigger('click')
    await flushPromises()
    expect(useFocusStore().request?.symbol).toBe('MSFT')
    wrapper.unmount()
  })
})

describe('InboxButton', () => {
  it('shows the unread count as a badge and in its accessible name, live', async () => {
    const wrapper = mount(InboxButton, { global: { plugins: [pinia] } })
    expect(wrapper.attributes('aria-label')).toBe('Alerts inbox, 2 unread')
    expect(wrapper.find('.count-badge').text()).toBe('2')
    host.fireAlert({ ruleId: 'r1', symbol: 'AAPL' })
    await flushPromises()
    expect(wrapper.attributes('aria-label')).toBe('Alerts inbox, 3 unread')
    await useAlertsStore().markRead()
    await flushPromises()
    expect(wrapper.attributes('aria-label')).toBe('Alerts inbox, 0 unread')
    expect(wrapper.find('.count-badge').exists()).toBe(false)
    await wrapper.trigger('click')
    expect(useAlertsStore().panel).toBe('inbox')
  })
})
