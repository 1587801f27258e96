import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import AlertsPanel from './AlertsPanel.vue'
import { useSessionStore } from '../stores/session'
import { useAlertsStore } from '../stores/alerts'
import { useClockStore } from '../stores/clock'
import { createFakeConnection, createFakeHost, makeBootstrap, makeRule, type FakeHost } from '../testing/fake-api'

const NOW = new Date(2025, 2, 14, 12, 0).getTime()
let pinia: Pinia
let host: FakeHost

beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  host = createFakeHost(
    makeBootstrap({
      alerts: {
        rules: [
          makeRule({ id: 'r1', createdAt: 3, lastFiredAt: new Date(2025, 2, 14, 11, 5).getTime(), note: 'breakout' }),
          makeRule({ id: 'r2', createdAt: 2, target: { type: 'symbol', symbol: 'TSLA' }, suspendedReason: 'TSLA was removed from every watchlist.' }),
          makeRule({ id: 'r3', createdAt: 1, target: { type: 'symbol', symbol: 'MSFT' }, expiresAt: NOW - 1000, snoozedUntil: NOW + 3_600_000 })
        ],
        inbox: [],
        unread: 0
      }
    })
  )
  await useSessionStore().start({ api: host.api, connection: createFakeConnection(), now: () => NOW })
  useClockStore().now = NOW
})
afterEach(() => useSessionStore().stop())

const mountPanel = () => mount(AlertsPanel, { global: { plugins: [pinia] }, attachTo: document.body })
const ruleEl = (wrapper: ReturnType<typeof mountPanel>, id: string) => wrapper.find(`[data-rule-id="${id}"]`)

describe('AlertsPanel', () => {
  it('lists rules with their state: last fired, suspended, expired, snoozed, note', () => {
    const wrapper = mountPanel()
    expect(ruleEl(wrapper, 'r1').text()).toContain('Price above 200.00')
    expect(ruleEl(wrapper, 'r1').text()).toContain('Last fired 11:05')
    expect(ruleEl(wrapper, 'r1').text()).toContain('breakout')
    expect(ruleEl(wrapper, 'r2').text()).toContain('Suspended: TSLA was removed from every watchlist.')
    expect(ruleEl(wrapper, 'r3').text()).toContain('Expired')
    expect(ruleEl(wrapper, 'r3').text()).toContain('Snoozed until 13:00')
    wrapper.unmount()
  })

  it('filters to the focused symbol, including list-wide rules', async () => {
    useAlertsStore().apply({
      ...useAlertsStore().$state,
      rules: [...useAlertsStore().rules, makeRule({ id: 'r4', target: { type: 'watchlist', listId: 'main' } })],
      inbox: [],
      unread: 0
    })
    useAlertsStore().selectedSymbol = 'MSFT'
    const wrapper = mountPanel()
    expect(wrapper.findAll('[data-rule-id]').map((r) => r.attributes('data-rule-id'))).toEqual(['r3', 'r4'])
    await wrapper.find('.sp-filter input').setValue(false)
    expect(wrapper.findAll('[data-rule-id]')).toHaveLength(4)
    wrapper.unmount()
  })

  it('enables, snoozes, ends a snooze, edits and deletes through the host', async () => {
    const wrapper = mountPanel()
    await ruleEl(wrapper, 'r1').find('input[role="switch"]').trigger('change')
    await flushPromises()
    expect(host.callsTo('updateAlert')).toEqual([{ id: 'r1', changes: { enabled: false } }])
    expect(ruleEl(wrapper, 'r1').text()).toContain('Disabled')

    await ruleEl(wrapper, 'r1').find('select.snooze').setValue('0')
    await flushPromises()
    await ruleEl(wrapper, 'r1').find('select.snooze').setValue('1')
    await flushPromises()
    await ruleEl(wrapper, 'r3').find('select.snooze').setValue('end')
    await flushPromises()
    expect(host.callsTo('snoozeAlert')).toEqual([
      { id: 'r1', minutes: 15 },
      { id: 'r1', minutes: 60 },
      { id: 'r3', minutes: 0 }
    ])

    await ruleEl(wrapper, 'r1').find('button[aria-label^="Edit"]').trigger('click')
    expect(useAlertsStore().editor).toEqual({ ruleId: 'r1' })

    await ruleEl(wrapper, 'r2').find('button[aria-label^="Delete"]').trigger('click')
    expect(host.callsTo('deleteAlert')).toHaveLength(0)
    await wrapper.find('[role="alertdialog"] .btn-danger').trigger('click')
    await flushPromises()
    expect(host.callsTo('deleteAlert')).toEqual([{ id: 'r2' }])
    expect(ruleEl(wrapper, 'r2').exists()).toBe(false)
    wrapper.unmount()
  })

  it('snoozes until tomorrow in whole minutes to local midnight', async () => {
    const wrapper = mountPanel()
    await ruleEl(wrapper, 'r1').find('select.snooze').setValue('2')
    await flushPromises()
    expect(host.callsTo('snoozeAlert')).toEqual([{ id: 'r1', minutes: 12 * 60 }])
    wrapper.unmount()
  })

  it('pins the focused symbol to the tray', async () => {
    useAlertsStore().selectedSymbol = 'AAPL'
    const wrapper = mountPanel()
    await wrapper.find('button[aria-label="Pin AAPL to the tray"]').trigger('click')
    await flushPromises()
    expect(host.callsTo('updateSettings')).toEqual([{ tray: expect.objectContaining({ pinnedSymbols: ['AAPL'] }) }])
    expect(wrapper.find('button[aria-label="Unpin AAPL from the tray"]').attributes('aria-pressed')).toBe('true')
    wrapper.unmount()
  })
})
