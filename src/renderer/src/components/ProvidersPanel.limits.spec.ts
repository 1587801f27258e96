import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { HostCallError } from '@shared/ipc/helpers'
import ProvidersPanel from './ProvidersPanel.vue'
import { useSessionStore } from '../stores/session'
import { useSettingsStore } from '../stores/settings'
import { createFakeConnection, createFakeHost, makeBootstrap, type FakeHost } from '../testing/fake-api'

let pinia: Pinia
let host: FakeHost
let wrapper: VueWrapper

const base = makeBootstrap()

beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  host = createFakeHost(makeBootstrap({ settings: { ...base.settings, providerLimits: { twelvedata: { perMinute: 55, perDay: 5000 } } } }))
  await useSessionStore().start({ api: host.api, connection: createFakeConnection() })
  wrapper = mount(ProvidersPanel, { global: { plugins: [pinia] }, attachTo: document.body })
})

afterEach(() => {
  wrapper.unmount()
  useSessionStore().stop()
  document.body.innerHTML = ''
})

const card = (id: string) => wrapper.find(`[data-provider="${id}"]`)
const field = (id: string, name: string) => card(id).find(`.plan-limits input[name="${name}"]`)

describe('ProvidersPanel plan limits', () => {
  it('has a Plan limits disclosure per provider with labelled fields, free tier when empty', () => {
    const av = card('alphavantage')
    expect(av.find('details.plan-limits summary').text()).toBe('Plan limits (free tier)')
    const labels = av.findAll('.plan-field label').map((l) => l.text())
    expect(labels).toEqual(['Requests per second', 'Requests per minute', 'Requests per day', 'Symbols per request'])
    for (const l of av.findAll('.plan-field label')) expect(document.getElementById(l.attributes('for')!)?.tagName).toBe('INPUT')
    expect(field('alphavantage', 'perDay').attributes('placeholder')).toBe('free tier')
    expect(av.text()).toContain('Premium key (bulk quotes)')
    // The premium switch is Alpha Vantage's alone.
    expect(card('finnhub').find('input[name="premium"]').exists()).toBe(false)
    expect(card('twelvedata').find('summary').text()).toBe('Plan limits (your plan)')
    expect((field('twelvedata', 'perMinute').element as HTMLInputElement).value).toBe('55')
  })

  it('saves a paid plan through updateSettings, keeping the other providers', async () => {
    await field('alphavantage', 'perMinute').setValue('75')
    await field('alphavantage', 'perDay').setValue('100,000')
    await card('alphavantage').find('input[name="premium"]').setValue(true)
    await card('alphavantage').find('button[aria-label="Save Alpha Vantage plan limits"]').trigger('submit')
    await flushPromises()
    expect(host.callsTo('updateSettings')).toEqual([
      { providerLimits: { twelvedata: { perMinute: 55, perDay: 5000 }, alphavantage: { perMinute: 75, perDay: 100_000, premium: true } } }
    ])
    expect(card('alphavantage').find('[role="status"]').text()).toBe('Alpha Vantage plan limits saved.')
    expect(card('alphavantage').find('summary').text()).toBe('Plan limits (your plan)')
  })

  it('goes back to the free tier', async () => {
    await card('twelvedata').find('button[aria-label="Use the Twelve Data free tier"]').trigger('click')
    await flushPromises()
    expect(host.callsTo('updateSettings')).toEqual([{ providerLimits: {} }])
    expect(useSettingsStore().settings?.providerLimits).toEqual({})
    expect((field('twelvedata', 'perMinute').element as HTMLInputElement).value).toBe('')
  })

  it("says a non-number is not one, and shows the host's message for a refused value", async () => {
    await field('finnhub', 'perMinute').setValue('lots')
    await card('finnhub').find('form.plan-form').trigger('submit')
    expect(card('finnhub').find('[role="alert"]').text()).toBe('Requests per minute must be a number, or empty for the free tier.')
    expect(host.callsTo('updateSettings')).toHaveLength(0)

    host.handle('updateSettings', () => {
      throw new HostCallError('Finnhub: Requests per minute must be at least 1.', 'invalid-request')
    })
    await field('finnhub', 'perMinute').setValue('0')
    await card('finnhub').find('form.plan-form').trigger('submit')
    await flushPromises()
    expect(host.callsTo('updateSettings')).toEqual([{ providerLimits: { twelvedata: { perMinute: 55, perDay: 5000 }, finnhub: { perMinute: 0 } } }])
    expect(card('finnhub').find('[role="alert"]').text()).toBe('Finnhub: Requests per minute must be at least 1.')
    // Nothing typed is lost.
    expect((field('finnhub', 'perMinute').element as HTMLInputElement).value).toBe('0')
  })
})
