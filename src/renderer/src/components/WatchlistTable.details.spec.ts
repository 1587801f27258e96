import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import WatchlistTable from './WatchlistTable.vue'
import { useSessionStore } from '../stores/session'
import { useHistoryStore } from '../stores/history'
import { createFakeConnection, createFakeHost, makeBootstrap, manualFrames, type FakeHost } from '../testing/fake-api'

let pinia: Pinia
let wrapper: VueWrapper | null = null
let host: FakeHost

beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  host = createFakeHost(makeBootstrap())
  await useSessionStore().start({ api: host.api, connection: createFakeConnection(), schedule: manualFrames().schedule })
  wrapper = mount(WatchlistTable, { global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
})
afterEach(() => {
  wrapper?.unmount()
  wrapper = null
  useSessionStore().stop()
})

const row = (symbol: string) => wrapper!.get(`[role="row"][data-symbol="${symbol}"]`)

describe('WatchlistTable details', () => {
  it('opens a symbol\'s details with Enter on its row', async () => {
    await row('MSFT').trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(useHistoryStore().symbol).toBe('MSFT')
    expect(host.callsTo('getHistory')).toEqual([{ symbol: 'MSFT', range: '1mo' }])
  })

  it('opens them with a click on the row, but not from the row\'s buttons', async () => {
    await row('AAPL').get('button[aria-label="New alert for AAPL"]').trigger('click')
    expect(useHistoryStore().symbol).toBeNull()
    await row('AAPL').get('.sym').trigger('click')
    expect(useHistoryStore().symbol).toBe('AAPL')
  })
})
