import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { effect } from 'vue'
import { useQuotesStore } from './quotes'
import { makeQuote, manualFrames } from '../testing/fake-api'

let frames: ReturnType<typeof manualFrames>

beforeEach(() => {
  setActivePinia(createPinia())
  frames = manualFrames()
  useQuotesStore().configure({ schedule: frames.schedule, now: () => 1_000 })
})

describe('useQuotesStore', () => {
  it('queues patches and applies them once per frame', () => {
    const store = useQuotesStore()
    store.load([makeQuote('AAPL', { price: 100 })])
    store.enqueue([{ symbol: 'AAPL', price: 101 }])
    store.enqueue([{ symbol: 'AAPL', price: 102 }])
    expect(store.quoteRef('AAPL').value?.price).toBe(100)
    expect(frames.pending).toBe(1)
    frames.run()
    expect(store.quoteRef('AAPL').value?.price).toBe(102)
    expect(store.frames).toBe(1)
  })

  it('a patch for one symbol touches no other symbol', () => {
    const store = useQuotesStore()
    store.load([makeQuote('AAPL'), makeQuote('MSFT', { price: 410 })])
    const msftBefore = store.quoteRef('MSFT').value
    let aaplRuns = 0
    let msftRuns = 0
    effect(() => {
      void store.quoteRef('AAPL').value
      aaplRuns++
    })
    effect(() => {
      void store.quoteRef('MSFT').value
      msftRuns++
    })
    store.enqueue([{ symbol: 'AAPL', price: 190.01, change: 2.84 }])
    frames.run()
    expect(aaplRuns).toBe(2)
    expect(msftRuns).toBe(1)
    expect(store.quoteRef('MSFT').value).toBe(msftBefore)
    expect(store.quoteRef('AAPL').value).toMatchObject({ price: 190.01, change: 2.84, name: 'AAPL Inc.' })
  })

  it('creates a quote from a complete first patch and ignores a priceless one', () => {
    const store = useQuotesStore()
    store.enqueue([{ symbol: 'ETH-USD', price: 3456.78, currency: 'USD' }, { symbol: 'NOPE', name: 'No price' }])
    frames.run()
    expect(store.quoteRef('ETH-USD').value).toMatchObject({ price: 3456.78, receivedAt: 1_000 })
    expect(store.quoteRef('NOPE').value).toBeNull()
  })

  it('tracks per-symbol errors; bootstrap replaces the whole set', () => {
    const store = useQuotesStore()
    store.setErrors([{ symbol: 'XYZ', message: 'Unknown symbol XYZ' }])
    expect(store.errorRef('XYZ').value).toBe('Unknown symbol XYZ')
    expect(store.errorRef('AAPL').value).toBeNull()
    store.setErrors([{ symbol: 'XYZ', message: null }])
    expect(store.errorRef('XYZ').value).toBeNull()
    store.setErrors([{ symbol: 'XYZ', message: 'Unknown symbol XYZ' }])
    store.replaceErrors([{ symbol: 'QQQQ', message: 'Unknown symbol QQQQ' }])
    expect(store.errorRef('XYZ').value).toBeNull()
    expect(store.errorRef('QQQQ').value).toBe('Unknown symbol QQQQ')
  })
})
