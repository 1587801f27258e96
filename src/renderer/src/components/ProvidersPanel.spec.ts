import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import type { Status } from '@shared/ipc/contract'
import type { ProviderStatus } from '@shared/ipc/engine-protocol'
import ProvidersPanel from './ProvidersPanel.vue'
import StatusBar from './StatusBar.vue'
import { useSessionStore } from '../stores/session'
import { createFakeConnection, createFakeHost, makeBootstrap, type FakeHost } from '../testing/fake-api'

const NOW = new Date(2025, 2, 14, 12, 0).getTime()
let pinia: Pinia
let host: FakeHost

const alphaVantage: ProviderStatus = {
  provider: 'alphavantage',
  online: true,
  offlineSince: null,
  lastSuccess: NOW - 60_000,
  lastError: 'Alpha Vantage daily limit reached (25/day); resumes 00:00 UTC',
  rateLimitedUntil: NOW + 3_600_000,
  state: 'rate-limited',
  circuitOpenUntil: null,
  usage: { unit: 'requests', minute: { used: 1, limit: 5 }, day: { used: 25, limit: 25 } },
  nextRefreshAt: new Date(2025, 2, 14, 13, 0, 5).getTime(),
  rateLimitHits: 3
}
const yahoo: ProviderStatus = {
  provider: 'yahoo',
  online: true,
  offlineSince: null,
  lastSuccess: NOW,
  lastError: null,
  rateLimitedUntil: null,
  state: 'ok',
  circuitOpenUntil: null,
  usage: { unit: 'requests', minute: null, day: null },
  nextRefreshAt: null,
  rateLimitHits: 0
}

function statusWith(providers: ProviderStatus[]): Status {
  return { ...makeBootstrap().status, provider: 'alphavantage', providers }
}

beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  host = createFakeHost(
    makeBootstrap({
      status: statusWith([alphaVantage, yahoo]),
      providerKeys: {
        ...makeBootstrap().providerKeys,
        alphavantage: { hasKey: true, source: 'environment' },
        finnhub: { hasKey: true, source: 'settings' }
      } as never
    })
  )
  await useSessionStore().start({ api: host.api, connection: createFakeConnection(), now: () => NOW })
})
afterEach(() => useSessionStore().stop())

const mountPanel = () => mount(ProvidersPanel, { global: { plugins: [pinia] }, attachTo: document.body })
const card = (wrapper: ReturnType<typeof mountPanel>, id: string) => wrapper.find(`[data-provider="${id}"]`)

describe('ProvidersPanel', () => {
  it('is a region named Providers with a card headed by each provider label, offered ones included', () => {
    const wrapper = mountPanel()
    const region = wrapper.find('section')
    expect(document.getElementById(region.attributes('aria-labelledby')!)?.textContent).toBe('Providers')
    const headings = wrapper.findAll('h3').map((h) => h.text())
    expect(headings.slice(0, 2)).toEqual(['Alpha Vantage', 'Yahoo Finance'])
    expect(headings).toEqual(expect.arrayContaining(['Finnhub', 'Coinbase Exchange', 'CoinGecko']))
    expect(new Set(headings).size).toBe(headings.length)
    expect(card(wrapper, 'finnhub').text()).toContain('Not in use')
    wrapper.unmount()
  })

  it('explains the state, last error, usage, next refresh and 429 count in plain words', () => {
    const wrapper = mountPanel()
    const av = card(wrapper, 'alphavantage').text()
    expect(av).toContain('Daily limit reached')
    expect(av).toContain('Alpha Vantage daily limit reached (25/day)')
    expect(av).toContain('25 / 25 today · 1 / 5 this minute')
    expect(av).toContain('13:00:05')
    expect(av).toMatch(/429\)\s*3/)
    const y = card(wrapper, 'yahoo').text()
    expect(y).toContain('Working')
    expect(y).toContain('no limit')
    wrapper.unmount()
  })

  it('shows where each key comes from and saves a key without ever showing it', async () => {
    const wrapper = mountPanel()
    expect(card(wrapper, 'alphavantage').text()).toContain('Key: from environment')
    expect(card(wrapper, 'finnhub').text()).toContain('Key: saved')
    expect(card(wrapper, 'twelvedata').text()).toContain('Key: not set')
    expect(card(wrapper, 'yahoo').find('input[type="password"]').exists()).toBe(false)
    const input = card(wrapper, 'twelvedata').find('input[aria-label="Twelve Data API key"]')
    expect(input.attributes('type')).toBe('password')
    await input.setValue('secret-123')
    await card(wrapper, 'twelvedata').find('button[aria-label="Save Twelve Data key"]').trigger('submit')
    await flushPromises()
    expect(host.callsTo('setProviderKey')).toEqual([{ provider: 'twelvedata', key: 'secret-123' }])
    expect((input.element as HTMLInputElement).value).toBe('')
    expect(card(wrapper, 'twelvedata').text()).toContain('Key: saved')
    expect(wrapper.text()).not.toContain('secret-123')
    wrapper.unmount()
  })

  it('removes a saved key', async () => {
    const wrapper = mountPanel()
    expect(card(wrapper, 'alphavantage').find('button[aria-label="Remove Alpha Vantage key"]').exists()).toBe(false)
    await card(wrapper, 'finnhub').find('button[aria-label="Remove Finnhub key"]').trigger('click')
    await flushPromises()
    expect(host.callsTo('setProviderKey')).toEqual([{ provider: 'finnhub', key: null }])
    expect(card(wrapper, 'finnhub').text()).toContain('Key: not set')
    wrapper.unmount()
  })

  it('follows status and key events from the host', async () => {
    const wrapper = mountPanel()
    host.emit('status', statusWith([{ ...alphaVantage, state: 'ok', lastError: null, rateLimitedUntil: null, usage: { unit: 'requests', minute: null, day: { used: 3, limit: 25 } } }]))
    host.emit('providerKeys', { ...makeBootstrap().providerKeys, coingecko: { hasKey: true, source: 'settings' } } as never)
    await flushPromises()
    expect(card(wrapper, 'alphavantage').text()).toContain('Working')
    expect(card(wrapper, 'alphavantage').text()).toContain('3 / 25 today')
    expect(card(wrapper, 'coingecko').text()).toContain('Key: saved')
    wrapper.unmount()
  })
})

describe('StatusBar provider summary', () => {
  it('names the provider with a problem in one line, and nothing when all work', async () => {
    const wrapper = mount(StatusBar, { global: { plugins: [pinia] } })
    expect(wrapper.find('[data-testid="provider-problem"]').text()).toBe('Alpha Vantage: daily limit reached')
    host.emit('status', statusWith([yahoo]))
    await flushPromises()
    expect(wrapper.find('[data-testid="provider-problem"]').exists()).toBe(false)
    host.emit('status', statusWith([{ ...yahoo, provider: 'finnhub', state: 'bad-key', lastError: 'Finnhub rejected the key: invalid API key' }]))
    await flushPromises()
    expect(wrapper.find('[data-testid="provider-problem"]').text()).toBe('Finnhub: invalid API key')
    wrapper.unmount()
  })
})
