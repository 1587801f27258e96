import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import type { HistoryBar, HistoryRange } from '@shared/history'
import SymbolDetails from './SymbolDetails.vue'
import { useSessionStore } from '../stores/session'
import { useHistoryStore } from '../stores/history'
import { useQuotesStore } from '../stores/quotes'
import { createFakeConnection, createFakeHost, makeBootstrap, makeQuote, type FakeHost } from '../testing/fake-api'
import type { ChartPoint } from '../lib/chart-data'

// happy-dom has no canvas: the chart wrapper is replaced by a recorder.
const chart = vi.hoisted(() => ({
  created: 0,
  disposed: 0,
  setPoints: [] as ChartPoint[][],
  updates: [] as ChartPoint[]
}))
vi.mock('../lib/chart-view', () => ({
  createPriceChart: () => {
    chart.created++
    return {
      setPoints: (points: ChartPoint[]) => chart.setPoints.push([...points]),
      update: (point: ChartPoint) => chart.updates.push(point),
      setColors: () => {},
      dispose: () => chart.disposed++
    }
  },
  themeChartColors: () => ({ background: '#fff', text: '#000', grid: '#ccc', line: '#0a0', fillTop: '#0a0', fillBottom: '#0a0' })
}))

// The chart component loads on demand; loaded once here, later imports of it resolve at once.
await import('./PriceChart.vue')

const NOW = Date.UTC(2025, 1, 19, 15, 0)
const DAY = 86_400_000
const bars = (closes: number[], step = DAY): HistoryBar[] =>
  closes.map((close, i) => ({ time: NOW - (closes.length - 1 - i) * step, open: close, high: close, low: close, close, volume: 100 }))

let pinia: Pinia
let host: FakeHost

beforeEach(async () => {
  chart.created = 0
  chart.disposed = 0
  chart.setPoints = []
  chart.updates = []
  pinia = createPinia()
  setActivePinia(pinia)
  host = createFakeHost(
    makeBootstrap({
      quotes: [
        makeQuote('AAPL', { name: 'Apple Inc.', price: 189.84, change: 2.1, changePercent: 1.12, dayLow: 186.5, dayHigh: 190.2, fiftyTwoWeekLow: 164.08, fiftyTwoWeekHigh: 260.1, volume: 40_896_227, marketCap: 3_674_405_863_424, source: 'yahoo', marketState: 'regular', providerTime: NOW - 5_000, receivedAt: NOW })
      ]
    })
  )
  host.handle('getHistory', ({ symbol, range }) => ({
    symbol,
    range,
    source: 'yahoo',
    bars: range === '1mo' ? bars([180.1, 185, 189.84]) : bars([150, 189.84]),
    error: null
  }))
  await useSessionStore().start({ api: host.api, connection: createFakeConnection(), now: () => NOW })
})
afterEach(() => useSessionStore().stop())

async function openDetails(symbol = 'AAPL') {
  useHistoryStore().open(symbol)
  const wrapper = mount(SymbolDetails, { global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

describe('SymbolDetails', () => {
  it('shows the quote\'s facts and a chart labelled with the range\'s first and last price', async () => {
    const wrapper = await openDetails()
    const text = wrapper.text()
    for (const piece of ['AAPL', 'Apple Inc.', '$189.84', '+2.10', '+1.12%', '186.50 – 190.20', '164.08 – 260.10', '40.9M', '3.67T', 'Yahoo Finance', 'Open']) {
      expect(text).toContain(piece)
    }
    expect(wrapper.get('[role="img"]').attributes('aria-label')).toBe('AAPL, 1 month: from $180.10 to $189.84, +5.4%')
    expect(chart.setPoints.at(-1)).toHaveLength(3)
    expect(host.callsTo('getHistory')).toEqual([{ symbol: 'AAPL', range: '1mo' }])
    wrapper.unmount()
  })

  it('switches range with the buttons, marking the pressed one', async () => {
    const wrapper = await openDetails()
    await wrapper.get('button[aria-label="1 year"]').trigger('click')
    await flushPromises()
    expect(host.callsTo('getHistory').at(-1)).toEqual({ symbol: 'AAPL', range: '1y' as HistoryRange })
    expect(wrapper.get('button[aria-label="1 year"]').attributes('aria-pressed')).toBe('true')
    expect(wrapper.get('button[aria-label="1 month"]').attributes('aria-pressed')).toBe('false')
    expect(wrapper.get('[role="img"]').attributes('aria-label')).toBe('AAPL, 1 year: from $150.00 to $189.84, +26.6%')
    wrapper.unmount()
  })

  it('shows a loading state, then the provider\'s error in plain words', async () => {
    let answer!: (value: unknown) => void
    host.handle('getHistory', () => new Promise((resolve) => (answer = resolve)) as never)
    useHistoryStore().open('AAPL')
    const wrapper = mount(SymbolDetails, { global: { plugins: [pinia] }, attachTo: document.body })
    await flushPromises()
    expect(wrapper.get('[role="status"]').text()).toBe('Loading the price history…')
    answer({ symbol: 'AAPL', range: '1mo', source: 'yahoo', bars: [], error: 'Yahoo Finance is limiting requests; try the chart again in 30 s.' })
    await flushPromises()
    expect(wrapper.get('[role="alert"]').text()).toBe('Yahoo Finance is limiting requests; try the chart again in 30 s.')
    expect(wrapper.find('[role="img"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('retries a failed chart with "Try again", and reopening or re-picking the range retries too', async () => {
    const limited = 'Yahoo Finance is limiting requests; try the chart again in 30 s.'
    let failing = true
    host.handle('getHistory', ({ symbol, range }) => ({
      symbol,
      range,
      source: 'yahoo',
      bars: failing ? [] : bars([180.1, 185, 189.84]),
      error: failing ? limited : null
    }))
    const wrapper = await openDetails()
    expect(wrapper.get('[role="alert"]').text()).toBe(limited)

    const history = useHistoryStore()
    history.open('AAPL')
    await flushPromises()
    expect(host.callsTo('getHistory')).toHaveLength(2)
    history.setRange('1mo')
    await flushPromises()
    expect(host.callsTo('getHistory')).toHaveLength(3)

    failing = false
    const retry = wrapper.findAll('button').find((b) => b.text() === 'Try again')
    expect(retry).toBeDefined()
    await retry!.trigger('click')
    await flushPromises()
    expect(host.callsTo('getHistory')).toHaveLength(4)
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
    expect(wrapper.get('[role="img"]').attributes('aria-label')).toContain('from $180.10 to $189.84')

    // A chart that is shown is not fetched again for the same symbol and range.
    history.open('AAPL')
    history.setRange('1mo')
    await flushPromises()
    expect(host.callsTo('getHistory')).toHaveLength(4)
    wrapper.unmount()
  })

  it('draws streamed prices onto the last bar with update(), never re-setting the data', async () => {
    const wrapper = await openDetails()
    const quotes = useQuotesStore()
    const setCalls = chart.setPoints.length
    quotes.enqueue([{ symbol: 'AAPL', price: 190.5, providerTime: NOW + 60_000 }])
    quotes.flush()
    await flushPromises()
    quotes.enqueue([{ symbol: 'AAPL', price: 191, providerTime: NOW + 120_000 }])
    quotes.flush()
    await flushPromises()
    expect(chart.setPoints).toHaveLength(setCalls)
    expect(chart.updates.map((p) => p.value)).toEqual(expect.arrayContaining([190.5, 191]))
    expect(chart.updates.at(-1)).toEqual({ time: Math.floor(NOW / 1000), value: 191 })
    expect(wrapper.get('[role="img"]').attributes('aria-label')).toContain('to $191.00')
    wrapper.unmount()
    expect(chart.disposed).toBe(1)
  })

  it('closes on Escape', async () => {
    const wrapper = await openDetails()
    await wrapper.get('aside').trigger('keydown', { key: 'Escape' })
    expect(wrapper.emitted('close')).toHaveLength(1)
    wrapper.unmount()
  })
})
