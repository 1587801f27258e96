import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { HostCallError } from '@shared/ipc/helpers'
import SettingsDialog from './SettingsDialog.vue'
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
  host = createFakeHost(
    makeBootstrap({
      settings: { ...base.settings, provider: 'yahoo', cryptoProvider: 'coinbase', fallbackProviders: ['finnhub', 'simulated'], symbolProviders: { TSLA: 'twelvedata' } },
      providerKeys: { ...base.providerKeys, finnhub: { hasKey: true, source: 'settings' } } as never
    })
  )
  await useSessionStore().start({ api: host.api, connection: createFakeConnection() })
  wrapper = mount(SettingsDialog, { global: { plugins: [pinia] }, attachTo: document.body })
})

afterEach(() => {
  wrapper.unmount()
  useSessionStore().stop()
  document.body.innerHTML = ''
})

const button = (name: string) => wrapper.find(`button[aria-label="${name}"]`)
const buttonText = (text: string) => wrapper.findAll('button').find((b) => b.text() === text)!
const fallbacks = () => wrapper.findAll('[data-fallback]').map((li) => li.attributes('data-fallback'))
async function save(): Promise<Record<string, unknown>> {
  await wrapper.find('form').trigger('submit')
  await flushPromises()
  return host.callsTo('updateSettings').at(-1) as Record<string, unknown>
}

describe('Settings → Data sources', () => {
  it('offers only crypto-capable providers for crypto, with a key hint on keyed ones that have none', () => {
    expect(wrapper.find('[aria-labelledby="data-sources-title"] h3').text()).toBe('Data sources')
    const crypto = wrapper.find('select[name="cryptoProvider"]')
    expect(crypto.findAll('option').map((o) => o.text())).toEqual(['Yahoo Finance', 'Coinbase Exchange', 'Binance', 'CoinGecko', 'Simulated market'])
    expect((crypto.element as HTMLSelectElement).value).toBe('coinbase')
    const add = wrapper.find('select[name="fallbackCandidate"]').findAll('option').map((o) => o.text())
    expect(add).toContain('Alpha Vantage (needs an API key)')
    // Finnhub has a key: no hint next to it in the fallback list.
    expect(wrapper.find('[data-fallback="finnhub"] .ds-name').text()).toBe('1. Finnhub')
  })

  it('reorders, removes and adds fallbacks with named buttons and saves them in order', async () => {
    expect(fallbacks()).toEqual(['finnhub', 'simulated'])
    expect(button('Move Finnhub up').attributes('disabled')).toBeDefined()
    await button('Move Finnhub down').trigger('click')
    expect(fallbacks()).toEqual(['simulated', 'finnhub'])
    await flushPromises()
    // Focus follows the moved provider.
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Move Finnhub up')
    await wrapper.find('select[name="fallbackCandidate"]').setValue('binance')
    await buttonText('Add fallback').trigger('click')
    await button('Move Binance up').trigger('click')
    expect(fallbacks()).toEqual(['simulated', 'binance', 'finnhub'])
    await button('Remove fallback Simulated market').trigger('click')
    expect(fallbacks()).toEqual(['binance', 'finnhub'])
    const saved = await save()
    expect(saved.fallbackProviders).toEqual(['binance', 'finnhub'])
    // Untouched choices are not sent again.
    expect(saved).not.toHaveProperty('provider')
    expect(saved).not.toHaveProperty('symbolProviders')
  })

  it('adds and removes symbol pins and saves symbolProviders', async () => {
    await wrapper.find('input[name="pinSymbol"]').setValue(' nvda ')
    await wrapper.find('select[name="pinProvider"]').setValue('finnhub')
    await buttonText('Add pin').trigger('click')
    expect(wrapper.find('[data-pin="NVDA"]').text()).toContain('NVDA → Finnhub')
    expect(wrapper.find('[role="status"]').text()).toBe('NVDA will use Finnhub.')
    await button('Remove pin for TSLA').trigger('click')
    expect(wrapper.find('[data-pin="TSLA"]').exists()).toBe(false)
    const saved = await save()
    expect(saved.symbolProviders).toEqual({ NVDA: 'finnhub' })
    expect(useSettingsStore().settings?.symbolProviders).toEqual({ NVDA: 'finnhub' })
  })

  it('explains a bad pin in plain words and keeps what was typed', async () => {
    await buttonText('Add pin').trigger('click')
    expect(wrapper.find('[role="alert"]').text()).toBe('Type the symbol to pin, for example AAPL or BTC-USD.')
    const input = wrapper.find('input[name="pinSymbol"]')
    await input.setValue('AA PL!')
    await wrapper.find('select[name="pinProvider"]').setValue('yahoo')
    await input.trigger('keydown', { key: 'Enter' })
    expect(wrapper.find('[role="alert"]').text()).toMatch(/is not a valid ticker symbol/)
    expect((input.element as HTMLInputElement).value).toBe('AA PL!')
    await input.setValue('MSFT')
    await wrapper.find('select[name="pinProvider"]').setValue('')
    await buttonText('Add pin').trigger('click')
    expect(wrapper.find('[role="alert"]').text()).toBe('Choose the provider this symbol should use.')
    expect(host.callsTo('updateSettings')).toHaveLength(0)
  })

  it('saves stock and crypto providers and the extended-hours switch', async () => {
    const box = wrapper.find('input[name="extendedHours"]')
    expect(box.element.closest('label')?.textContent).toContain('Include pre-market and after-hours (US stocks)')
    await box.setValue(true)
    await wrapper.find('select[name="provider"]').setValue('simulated')
    await wrapper.find('select[name="cryptoProvider"]').setValue('binance')
    const saved = await save()
    expect(saved).toMatchObject({ provider: 'simulated', cryptoProvider: 'binance', extendedHours: true })
  })

  it('describes the hours US stocks are fetched, following the extended-hours box', async () => {
    const hint = () => wrapper.find('[data-hours-hint]').text()
    expect(hint()).toBe('US stocks are fetched on trading days from 09:30 to 16:00 New York time, plus one final quote after the close, which saves the daily quota.')
    await wrapper.find('input[name="extendedHours"]').setValue(true)
    expect(hint()).toBe('US stocks are fetched on trading days from 04:00 to 20:00 New York time, plus one final quote after the close.')
  })

  it("shows the host's refusal and stays open", async () => {
    host.handle('updateSettings', () => {
      throw new HostCallError('Coinbase Exchange has no crypto prices; choose Yahoo Finance.', 'invalid-request')
    })
    await wrapper.find('select[name="cryptoProvider"]').setValue('binance')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[role="alert"]').text()).toBe('Coinbase Exchange has no crypto prices; choose Yahoo Finance.')
    expect(wrapper.emitted('close')).toBeUndefined()
  })
})
