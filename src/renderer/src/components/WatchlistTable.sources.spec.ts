import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import WatchlistTable from './WatchlistTable.vue'
import { useSessionStore } from '../stores/session'
import { useQuotesStore } from '../stores/quotes'
import { createFakeConnection, createFakeHost, makeBootstrap, makeQuote, manualFrames, type FakeHost } from '../testing/fake-api'

let pinia: Pinia
let frames: ReturnType<typeof manualFrames>
let wrapper: VueWrapper | null = null

async function setup(bootstrap = makeBootstrap()): Promise<FakeHost> {
  const host = createFakeHost(bootstrap)
  await useSessionStore().start({ api: host.api, connection: createFakeConnection(), schedule: frames.schedule })
  wrapper = mount(WatchlistTable, { global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
  return host
}

const rowFor = (symbol: string) => wrapper!.find(`[role="row"][data-symbol="${symbol}"]`)

beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
  frames = manualFrames()
})

afterEach(() => {
  wrapper?.unmount()
  wrapper = null
  useSessionStore().stop()
  document.body.innerHTML = ''
})

describe('WatchlistTable sources and sessions', () => {
  it('shows where every quote comes from, with the full name in its tooltip, and follows a change of source', async () => {
    await setup(makeBootstrap({ quotes: [makeQuote('AAPL', { source: 'yahoo' }), makeQuote('MSFT', { source: 'alphavantage', delayed: true })] }))
    expect(wrapper!.findAll('[role="columnheader"]').map((h) => h.text())).toContain('Source')
    expect(rowFor('AAPL').find('.c-source').text()).toBe('Yahoo')
    expect(rowFor('AAPL').find('.source').attributes('title')).toBe('Price from Yahoo Finance')
    expect(rowFor('MSFT').find('.source').attributes('title')).toBe('Price from Alpha Vantage, delayed by the provider')
    useQuotesStore().enqueue([{ symbol: 'AAPL', source: 'finnhub' }])
    frames.run()
    await flushPromises()
    expect(rowFor('AAPL').find('.c-source').text()).toBe('Finnhub')
  })

  it('marks pre-market and after-hours quotes with their extended price in the tooltip', async () => {
    await setup(
      makeBootstrap({
        quotes: [makeQuote('AAPL', { marketState: 'pre', preMarketPrice: 189.5 }), makeQuote('MSFT', { marketState: 'post', postMarketPrice: 411.25 })]
      })
    )
    const pre = rowFor('AAPL').findAll('.badge').find((b) => b.text() === 'Pre')!
    expect(pre.attributes('title')).toBe('Pre-market 189.50')
    const post = rowFor('MSFT').findAll('.badge').find((b) => b.text() === 'Post')!
    expect(post.attributes('title')).toBe('After hours 411.25')
  })

  it('tells the host which rows are on screen, and the new ones after a scroll', async () => {
    const symbols = Array.from({ length: 1000 }, (_, i) => `S${i}`)
    const host = await setup(makeBootstrap({ watchlists: { lists: [{ id: 'm', name: 'Big', symbols }], activeId: 'm' } }))
    const first = host.callsTo('setInterest').at(-1) as { symbols: string[]; visible?: string[] }
    expect(first.symbols).toHaveLength(1000)
    expect(first.visible?.[0]).toBe('S0')
    // Only what fits the viewport, not the whole list nor the overscan.
    expect(first.visible!.length).toBeGreaterThan(10)
    expect(first.visible!.length).toBeLessThan(40)

    const scroller = wrapper!.find('[role="table"]').element as HTMLElement
    scroller.scrollTop = 15_000
    await wrapper!.find('[role="table"]').trigger('scroll')
    await new Promise((resolve) => setTimeout(resolve, 300))
    await flushPromises()
    const after = host.callsTo('setInterest').at(-1) as { visible?: string[] }
    expect(after.visible?.[0]).toBe('S500')
    expect(after.visible).not.toContain('S0')
  })
})
