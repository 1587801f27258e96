import { describe, expect, it } from 'vitest'
import type { Notice } from '../../shared/ipc/contract'
import type { SymbolMatch } from '../../shared/symbol-search'
import { memoryBackend } from '../state/memory-backend'
import { openHostStores } from '../state/open-host-stores'
import { DIRECTORY_STORE } from './directory-file'
import { DirectoryIndex } from './directory-index'
import { DIRECTORY_SEED } from './directory-seed'
import { SymbolDirectory } from './symbol-directory'

const NOW = Date.parse('2026-05-01T12:00:00Z')
const coin = (symbol: string, name: string): SymbolMatch => ({ symbol, name, exchange: 'Coinbase', type: 'CRYPTOCURRENCY', source: 'coinbase' })

function open(files: Record<string, string> = {}) {
  const backend = memoryBackend(files)
  const notices: Notice[] = []
  const stores = openHostStores(backend, { now: () => NOW, onNotice: (n) => notices.push(n), files: backend.fileOps })
  return { backend, stores, notices }
}

describe('DirectoryIndex', () => {
  const index = new DirectoryIndex([
    ...DIRECTORY_SEED,
    { symbol: 'AAPL.MX', name: 'Apple Inc.', exchange: 'Mexico', type: 'EQUITY', source: 'yahoo' },
    { symbol: 'XYZ', name: 'Pineapple Holdings', exchange: 'NYSE', type: 'EQUITY', source: 'yahoo' }
  ])

  it('ranks the exact symbol first, then prefixes, then name words, then substrings', () => {
    expect(index.search('aapl', 5).map((m) => m.symbol)).toEqual(['AAPL', 'AAPL.MX'])
    expect(index.search('apple', 5).map((m) => m.symbol)).toEqual(['AAPL', 'AAPL.MX', 'XYZ'])
    expect(index.search('micro', 5).map((m) => m.symbol)).toEqual(expect.arrayContaining(['MSFT', 'AMD', 'MU']))
  })

  it('finds pairs typed without separators and honours the limit', () => {
    expect(index.search('btcusd', 3)[0]?.symbol).toBe('BTC-USD')
    expect(index.search('eurusd', 3)[0]?.symbol).toBe('EURUSD=X')
    expect(index.search('a', 4)).toHaveLength(4)
    expect(index.search('   ', 4)).toEqual([])
    expect(index.search('qqqqqq', 4)).toEqual([])
  })

  it('answers over 100,000 entries with exact and substring matches', () => {
    const many: SymbolMatch[] = Array.from({ length: 100_000 }, (_, i) => ({
      symbol: `S${i.toString(36).toUpperCase()}`,
      name: `Company number ${i}`,
      exchange: null,
      type: 'EQUITY',
      source: 'finnhub'
    }))
    const big = new DirectoryIndex(many)
    const target = `S${(12_345).toString(36).toUpperCase()}`
    expect(big.search(target.toLowerCase(), 3)[0]?.symbol).toBe(target)
    expect(big.search('number 99999', 3).map((m) => m.name)).toEqual(['Company number 99999'])
  })
})

describe('SymbolDirectory store', () => {
  it('searches the built-in seed with no file at all', () => {
    const { stores, backend } = open()
    expect(stores.directory.search('tesla', 3)[0]).toMatchObject({ symbol: 'TSLA', name: 'Tesla, Inc.', type: 'EQUITY' })
    expect(backend.files.has(DIRECTORY_STORE)).toBe(false)
  })

  it('saves a fetched listing and reads it back after a restart', () => {
    const first = open()
    first.stores.directory.replaceListing('coinbase', [coin('PEPE-USD', 'Pepe'), coin('BTC-USD', 'Bitcoin')], NOW)
    const again = open(Object.fromEntries(first.backend.files))
    expect(again.notices).toEqual([])
    expect(again.stores.directory.search('pepe', 3)).toEqual([coin('PEPE-USD', 'Pepe')])
    expect(again.stores.directory.fetchedAt('coinbase')).toBe(NOW)
    expect(again.stores.directory.search('BTC-USD', 1)[0]?.source).toBe('coinbase')
  })

  it('replaces a provider listing on refresh rather than adding to it', () => {
    const directory = SymbolDirectory.seedOnly()
    directory.replaceListing('coinbase', [coin('OLD-USD', 'Old coin')], NOW)
    directory.replaceListing('coinbase', [coin('NEW-USD', 'New coin')], NOW + 1)
    expect(directory.search('old-usd', 3)).toEqual([])
    expect(directory.search('new-usd', 3)).toHaveLength(1)
  })

  it('sets a damaged file aside, says so, and still searches the seed', () => {
    const { stores, notices, backend } = open({ [DIRECTORY_STORE]: '{"schemaVersion":1,"sources":' })
    expect(notices.map((n) => n.message)).toEqual([expect.stringMatching(/symbol directory file was damaged and has been reset/)])
    expect([...backend.files.keys()].some((name) => name.startsWith(`${DIRECTORY_STORE}.corrupt-`))).toBe(true)
    expect(stores.directory.search('nvda', 1)[0]?.symbol).toBe('NVDA')
  })

  it('resets a file of the wrong shape with a backup, and drops single bad rows quietly', () => {
    const wrong = open({ [DIRECTORY_STORE]: JSON.stringify({ schemaVersion: 1, sources: 'nope' }) })
    expect(wrong.notices).toHaveLength(1)
    expect([...wrong.backend.files.keys()].some((name) => name.startsWith(`${DIRECTORY_STORE}.corrupt-`))).toBe(true)

    const rows = { schemaVersion: 1, sources: { binance: { fetchedAt: NOW, rows: [['SOLUSDT', 'SOL/USDT', 'Binance', 'CRYPTOCURRENCY'], 42, ['']] } } }
    const partial = open({ [DIRECTORY_STORE]: JSON.stringify(rows) })
    expect(partial.notices).toEqual([])
    expect(partial.stores.directory.search('solusdt', 1)[0]).toMatchObject({ symbol: 'SOLUSDT', source: 'binance' })
  })
})
