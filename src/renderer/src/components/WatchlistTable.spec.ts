import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import WatchlistTable from './WatchlistTable.vue'
import { useSessionStore } from '../stores/session'
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

const rows = () => wrapper!.findAll('.body [role="row"]')
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
})

describe('WatchlistTable', () => {
  it('renders a header and one row per symbol with its price', async () => {
    await setup(
      makeBootstrap({
        watchlists: { lists: [{ id: 'm', name: 'Main', symbols: ['AAPL', 'MSFT', 'BTC-USD'] }], activeId: 'm' },
        quotes: [makeQuote('AAPL'), makeQuote('MSFT', { price: 410.5 }), makeQuote('BTC-USD', { price: 64123.456, marketCap: null })]
      })
    )
    const table = wrapper!.find('[role="table"]')
    expect(table.attributes('aria-rowcount')).toBe('4')
    expect(wrapper!.findAll('[role="columnheader"]').length).toBeGreaterThan(5)
    expect(rows()).toHaveLength(3)
    expect(rowFor('AAPL').text()).toContain('187.42')
    expect(rowFor('AAPL').text()).toContain('AAPL Inc.')
    expect(rowFor('AAPL').text()).toContain('3.67T')
    expect(rowFor('AAPL').text()).toContain('40.9M')
    expect(rowFor('AAPL').text()).toContain('+0.67%')
    expect(rowFor('MSFT').text()).toContain('410.50')
    expect(rowFor('BTC-USD').text()).toContain('64,123.46')
  })

  it('updates only the row whose quote changed, once the frame runs', async () => {
    await setup(makeBootstrap({ quotes: [makeQuote('AAPL'), makeQuote('MSFT', { price: 410.5 })] }))
    const { useQuotesStore } = await import('../stores/quotes')
    useQuotesStore().enqueue([{ symbol: 'AAPL', price: 190.01, change: -1 }])
    await flushPromises()
    expect(rowFor('AAPL').text()).toContain('187.42')
    frames.run()
    await flushPromises()
    expect(rowFor('AAPL').text()).toContain('190.01')
    expect(rowFor('AAPL').find('.price').classes().some((c) => c === 'flash-up')).toBe(true)
    expect(rowFor('AAPL').classes()).toContain('trend-down')
    expect(rowFor('MSFT').text()).toContain('410.50')
  })

  it('shows a symbol error in that row only', async () => {
    await setup(
      makeBootstrap({
        quotes: [makeQuote('AAPL')],
        symbolErrors: [{ symbol: 'MSFT', message: 'Unknown symbol MSFT' }]
      })
    )
    expect(rowFor('MSFT').text()).toContain('Unknown symbol MSFT')
    expect(rowFor('AAPL').text()).toContain('187.42')
    expect(rowFor('AAPL').text()).not.toContain('Unknown')
  })

  it('shows market state and delay markers with the quote age', async () => {
    const now = Date.now()
    await setup(
      makeBootstrap({
        quotes: [
          makeQuote('AAPL', { marketState: 'closed', providerTime: now - 2 * 3_600_000, receivedAt: now }),
          makeQuote('MSFT', { delayed: true, marketState: 'pre', providerTime: now - 5_000, receivedAt: now })
        ]
      })
    )
    expect(rowFor('AAPL').text()).toContain('Closed')
    expect(rowFor('AAPL').text()).toMatch(/as of \d\d:\d\d · 2 h ago/)
    expect(rowFor('MSFT').text()).toContain('Delayed')
    expect(rowFor('MSFT').text()).toContain('Pre')
    expect(rowFor('MSFT').text()).toMatch(/\d+ s ago/)
  })

  it('virtualises long lists: 1,000 symbols put only a window of rows in the DOM', async () => {
    const symbols = Array.from({ length: 1000 }, (_, i) => `S${i}`)
    await setup(makeBootstrap({ watchlists: { lists: [{ id: 'm', name: 'Big', symbols }], activeId: 'm' } }))
    expect(wrapper!.find('[role="table"]').attributes('aria-rowcount')).toBe('1001')
    const count = rows().length
    expect(count).toBeGreaterThan(10)
    expect(count).toBeLessThan(80)
    expect(rows()[0]!.attributes('data-symbol')).toBe('S0')

    const scroller = wrapper!.find('[role="table"]').element as HTMLElement
    scroller.scrollTop = 15_000
    await wrapper!.find('[role="table"]').trigger('scroll')
    await flushPromises()
    const shown = rows().map((r) => r.attributes('data-symbol'))
    expect(shown).toContain('S500')
    expect(shown).not.toContain('S0')
    expect(rowFor('S500').attributes('aria-rowindex')).toBe('502')
  })

  it('moves focus with the arrow keys, reorders with Alt+arrows and removes with Delete', async () => {
    const host = await setup(
      makeBootstrap({ watchlists: { lists: [{ id: 'm', name: 'Main', symbols: ['AAPL', 'MSFT', 'NVDA'] }], activeId: 'm' } })
    )
    const first = rowFor('AAPL')
    expect(first.attributes('tabindex')).toBe('0')
    expect(rowFor('MSFT').attributes('tabindex')).toBe('-1')
    ;(first.element as HTMLElement).focus()
    await first.trigger('keydown', { key: 'ArrowDown' })
    await flushPromises()
    expect(document.activeElement?.getAttribute('data-symbol')).toBe('MSFT')

    await rowFor('MSFT').trigger('keydown', { key: 'ArrowUp', altKey: true })
    await flushPromises()
    expect(host.callsTo('moveSymbol')).toEqual([{ listId: 'm', symbol: 'MSFT', toIndex: 0 }])
    expect(rows().map((r) => r.attributes('data-symbol'))).toEqual(['MSFT', 'AAPL', 'NVDA'])
    expect(document.activeElement?.getAttribute('data-symbol')).toBe('MSFT')

    await rowFor('NVDA').trigger('keydown', { key: 'Delete' })
    await flushPromises()
    expect(host.callsTo('removeSymbol')).toEqual([{ listId: 'm', symbol: 'NVDA' }])
    expect(rows().map((r) => r.attributes('data-symbol'))).toEqual(['MSFT', 'AAPL'])
  })

  it('removes a row with its button and rolls back if the host refuses', async () => {
    const host = await setup()
    const { HostCallError } = await import('@shared/ipc/helpers')
    host.handle('removeSymbol', () => {
      throw new HostCallError('That watchlist no longer exists.', 'not-found')
    })
    await rowFor('MSFT').find('button[aria-label="Remove MSFT"]').trigger('click')
    await flushPromises()
    expect(rows().map((r) => r.attributes('data-symbol'))).toEqual(['AAPL', 'MSFT'])
    const { useNoticesStore } = await import('../stores/notices')
    expect(useNoticesStore().notices.at(-1)?.message).toBe('That watchlist no longer exists.')
  })

  it('tells the user how to start when the list is empty', async () => {
    await setup(makeBootstrap({ watchlists: { lists: [{ id: 'm', name: 'Main', symbols: [] }], activeId: 'm' } }))
    expect(rows()).toHaveLength(0)
    expect(wrapper!.text()).toContain('This watchlist is empty')
  })
})
