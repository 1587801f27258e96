import { defaultSettings } from './app-state'
import { describe, expect, it } from 'vitest'
import { APP_STATE_VERSION, defaultAppState } from './app-state'
import { migrate, migrateWithReport } from './migrate'

describe('migrate', () => {
  it('gives the defaults for nothing at all, without problems', () => {
    expect(migrateWithReport(undefined)).toEqual({ state: defaultAppState(), problems: [] })
    expect(migrateWithReport(null).problems).toEqual([])
    const state = migrate({})
    expect(state.watchlists.lists[0]).toEqual({ id: 'default', name: 'My watchlist', symbols: ['AAPL', 'MSFT', 'BTC-USD', '^GSPC'] })
    expect(state.settings).toEqual({ ...defaultSettings(), provider: 'yahoo', refreshIntervalSec: 15, theme: 'system' })
    expect(state.schemaVersion).toBe(APP_STATE_VERSION)
  })

  it('gives settings saved before routing existed the routing defaults: Yahoo for crypto, no fallbacks, no pins', () => {
    const old = { schemaVersion: 1, settings: { provider: 'simulated', refreshIntervalSec: 30, theme: 'dark' }, watchlists: { lists: [{ id: 'a', name: 'Tech', symbols: ['NVDA'] }], activeId: 'a' } }
    const result = migrateWithReport(old)
    expect(result.problems).toEqual([])
    expect(result.state.settings).toMatchObject({ provider: 'simulated', cryptoProvider: 'yahoo', fallbackProviders: [], symbolProviders: {} })
    expect(result.state.watchlists.lists[0]).toEqual({ id: 'a', name: 'Tech', symbols: ['NVDA'] })
  })

  it('keeps routing choices and list pins, and resets unreadable ones with a plain-words problem', () => {
    const saved = {
      schemaVersion: 1,
      settings: { ...defaultSettings(), cryptoProvider: 'coinbase', fallbackProviders: ['yahoo'], symbolProviders: { 'ETH-USD': 'binance' } },
      watchlists: { lists: [{ id: 'a', name: 'Coins', symbols: ['BTC-USD'], provider: 'coinbase' }], activeId: 'a' }
    }
    expect(migrateWithReport(saved)).toEqual({ state: saved, problems: [] })

    const broken = migrateWithReport({
      schemaVersion: 1,
      settings: { ...defaultSettings(), cryptoProvider: 'kraken', fallbackProviders: 'yahoo', symbolProviders: { AAPL: 'nasdaq' } },
      watchlists: { lists: [{ id: 'a', name: 'Coins', symbols: ['BTC-USD'], provider: 'kraken' }], activeId: 'a' }
    })
    expect(broken.state.settings).toMatchObject({ cryptoProvider: 'yahoo', fallbackProviders: [], symbolProviders: {} })
    expect(broken.state.watchlists.lists[0]).toEqual({ id: 'a', name: 'Coins', symbols: ['BTC-USD'] })
    expect(broken.problems).toEqual([
      'The provider pinned to "Coins" is not one TickerDesk knows; the pin was removed.',
      'The saved crypto provider was not valid and was reset to the default.',
      'The saved list of fallback providers was not valid and was reset to the default.',
      'The saved choice of provider per symbol was not valid and was reset to the default.'
    ])
  })

  it('reports a non-object as a problem and falls back to defaults', () => {
    const result = migrateWithReport([1, 2, 3])
    expect(result.state).toEqual(defaultAppState())
    expect(result.problems).toHaveLength(1)
  })

  it('keeps a valid v1 state as is', () => {
    const v1 = {
      schemaVersion: 1,
      watchlists: { lists: [{ id: 'a', name: 'Tech', symbols: ['NVDA'] }, { id: 'b', name: 'Coins', symbols: ['ETH-USD'] }], activeId: 'b' },
      settings: { ...defaultSettings(), provider: 'simulated', refreshIntervalSec: 30, theme: 'dark' }
    }
    expect(migrateWithReport(v1)).toEqual({ state: v1, problems: [] })
  })

  it('fills missing parts from defaults without calling them problems', () => {
    const result = migrateWithReport({ schemaVersion: 1, settings: { theme: 'light' } })
    expect(result.problems).toEqual([])
    expect(result.state.settings).toEqual({ ...defaultSettings(), provider: 'yahoo', refreshIntervalSec: 15, theme: 'light' })
    expect(result.state.watchlists).toEqual(defaultAppState().watchlists)
  })

  it('replaces invalid settings field by field', () => {
    const result = migrateWithReport({ schemaVersion: 1, settings: { provider: 'nasdaq-pirate', refreshIntervalSec: 30, theme: 'neon' } })
    expect(result.state.settings).toEqual({ ...defaultSettings(), provider: 'yahoo', refreshIntervalSec: 30, theme: 'system' })
    expect(result.problems).toHaveLength(2)
    expect(result.problems.join(' ')).toMatch(/quote provider/)
    expect(result.problems.join(' ')).toMatch(/theme/)
  })

  it('drops only the bad symbols of a list, normalising the rest', () => {
    const result = migrateWithReport({
      schemaVersion: 1,
      watchlists: { lists: [{ id: 'a', name: 'Mixed', symbols: [' aapl ', 'AAPL', 42, 'not a ticker!', 'brk.b'] }], activeId: 'a' }
    })
    expect(result.state.watchlists.lists[0]!.symbols).toEqual(['AAPL', 'BRK.B'])
    expect(result.problems.join(' ')).toMatch(/Dropped unreadable symbols from "Mixed": 42, not a ticker!/)
  })

  it('repairs lists one by one: bad entries dropped, missing names and ids invented, duplicates resolved', () => {
    const result = migrateWithReport({
      schemaVersion: 1,
      watchlists: {
        lists: ['junk', { id: 'x', name: 'Tech', symbols: ['MSFT'] }, { id: 'x', name: 'tech', symbols: [] }, { name: '', symbols: ['TSLA'] }],
        activeId: 'gone'
      }
    })
    const lists = result.state.watchlists.lists
    expect(lists.map((l) => l.name)).toEqual(['Tech', 'tech (2)', 'Watchlist 4'])
    expect(new Set(lists.map((l) => l.id)).size).toBe(3)
    expect(lists[2]!.symbols).toEqual(['TSLA'])
    expect(result.state.watchlists.activeId).toBe('x')
    expect(result.problems.length).toBeGreaterThanOrEqual(3)
  })

  it('restores the default list when the watchlists cannot be read at all', () => {
    const result = migrateWithReport({ schemaVersion: 1, watchlists: 'oops', settings: { theme: 'dark' } })
    expect(result.state.watchlists).toEqual(defaultAppState().watchlists)
    expect(result.state.settings.theme).toBe('dark')
    expect(result.problems).toHaveLength(1)
  })

  it('migrates the v0 layout (one symbols array, settings at the top level) silently', () => {
    const result = migrateWithReport({ symbols: ['tsla', 'ETH-USD'], provider: 'simulated', refreshIntervalSec: 60 })
    expect(result.problems).toEqual([])
    expect(result.state.watchlists).toEqual({ lists: [{ id: 'default', name: 'My watchlist', symbols: ['TSLA', 'ETH-USD'] }], activeId: 'default' })
    expect(result.state.settings).toEqual({ ...defaultSettings(), provider: 'simulated', refreshIntervalSec: 60, theme: 'system' })
  })

  it('reads what it can from a newer version and says so', () => {
    const result = migrateWithReport({ schemaVersion: 99, watchlists: { lists: [{ id: 'a', name: 'Future', symbols: ['AAPL'] }], activeId: 'a' } })
    expect(result.state.watchlists.lists[0]!.name).toBe('Future')
    expect(result.problems[0]).toMatch(/newer version/)
  })
})
