import { defaultSettings } from './app-state'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Notice } from '../../shared/ipc/contract'
import { makeQuote } from '../testing/quote-fixture'
import { confBackend } from './conf-backend'
import { memoryBackend } from './memory-backend'
import { openHostStores } from './open-host-stores'

const NOW = Date.UTC(2024, 4, 1, 12, 0, 0)

describe('openHostStores over conf files', () => {
  let dir = ''
  let notices: Notice[] = []
  const open = (extra: Partial<Parameters<typeof openHostStores>[1]> = {}) =>
    openHostStores(confBackend(dir), { now: () => NOW, onNotice: (n) => notices.push(n), ...extra })
  const read = (name: string) => JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Record<string, unknown>

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'td-stores-'))
    notices = []
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('starts from defaults and writes both files', () => {
    const stores = open()
    expect(stores.appState.watchlists.lists[0]!.symbols).toEqual(['AAPL', 'MSFT', 'BTC-USD', '^GSPC'])
    expect(stores.appState.settings).toEqual({ ...defaultSettings(), provider: 'yahoo', refreshIntervalSec: 15, theme: 'system' })
    expect(read('app-state').schemaVersion).toBe(1)
    expect(read('quote-cache')).toEqual({ quotes: {}, schemaVersion: 1 })
    expect(stores.notices).toEqual([])
    expect(notices).toEqual([])
  })

  it('round-trips watchlists, settings and cached quotes across a re-open', () => {
    const first = open()
    first.appState.saveWatchlists({ lists: [{ id: 'a', name: 'Tech', symbols: ['NVDA', 'BRK.B'] }], activeId: 'a' })
    first.appState.saveSettings({ ...defaultSettings(), provider: 'simulated', refreshIntervalSec: 5, theme: 'dark' })
    first.quoteCache.set(makeQuote('NVDA', { price: 912.5 }))
    first.dispose()

    const second = open()
    expect(second.appState.watchlists).toEqual({ lists: [{ id: 'a', name: 'Tech', symbols: ['NVDA', 'BRK.B'] }], activeId: 'a' })
    expect(second.appState.settings).toEqual({ ...defaultSettings(), provider: 'simulated', refreshIntervalSec: 5, theme: 'dark' })
    expect(second.quoteCache.get('NVDA')!.price).toBe(912.5)
    expect(notices).toEqual([])
  })

  it('backs up a damaged watchlists file, resets it, raises a notice and keeps the price cache', () => {
    const first = open()
    first.quoteCache.set(makeQuote('AAPL', { price: 187.42 }))
    first.dispose()
    writeFileSync(join(dir, 'app-state.json'), '{"schemaVersion": 1, "watchlists": {', 'utf8')

    const stores = open()
    expect(stores.appState.watchlists.lists[0]!.name).toBe('My watchlist')
    expect(stores.quoteCache.get('AAPL')!.price).toBe(187.42)

    const backups = readdirSync(dir).filter((f) => f.startsWith('app-state.corrupt-'))
    expect(backups).toEqual(['app-state.corrupt-2024-05-01T12-00-00-000Z.json'])
    expect(readFileSync(join(dir, backups[0]!), 'utf8')).toBe('{"schemaVersion": 1, "watchlists": {')
    expect(read('app-state').schemaVersion).toBe(1)

    expect(notices).toHaveLength(1)
    expect(notices[0]!.level).toBe('warning')
    expect(notices[0]!.message).toMatch(/^Your watchlists file was damaged and has been reset; a backup was saved as app-state\.corrupt-2024-05-01T12-00-00-000Z\.json/)
    expect(stores.notices).toEqual(notices)
  })

  it('backs up a damaged price cache without touching the watchlists', () => {
    const first = open()
    first.appState.saveWatchlists({ lists: [{ id: 'a', name: 'Mine', symbols: ['TSLA'] }], activeId: 'a' })
    first.dispose()
    writeFileSync(join(dir, 'quote-cache.json'), 'garbage', 'utf8')

    const stores = open()
    expect(stores.appState.watchlists.lists[0]!.name).toBe('Mine')
    expect(stores.quoteCache.size).toBe(0)
    expect(readdirSync(dir).filter((f) => f.startsWith('quote-cache.corrupt-'))).toHaveLength(1)
    expect(notices.map((n) => n.message)).toEqual([expect.stringMatching(/^Your saved prices file was damaged and has been reset/)])
  })

  it('treats a cache that parses but fails validation as damaged', () => {
    writeFileSync(join(dir, 'quote-cache.json'), JSON.stringify({ schemaVersion: 1, quotes: 'nope' }), 'utf8')
    const stores = open()
    expect(stores.quoteCache.size).toBe(0)
    expect(notices).toHaveLength(1)
    expect(readdirSync(dir).some((f) => f.startsWith('quote-cache.corrupt-'))).toBe(true)
    expect(read('quote-cache')).toEqual({ schemaVersion: 1, quotes: {} })
  })

  it('drops single bad cache entries quietly', () => {
    writeFileSync(join(dir, 'quote-cache.json'), JSON.stringify({ schemaVersion: 1, quotes: { AAPL: makeQuote('AAPL'), X: { price: 'n/a' } } }))
    const stores = open()
    expect(stores.quoteCache.get('AAPL')).toBeDefined()
    expect(stores.quoteCache.size).toBe(1)
    expect(notices).toEqual([])
    expect(Object.keys(read('quote-cache').quotes as object)).toEqual(['AAPL'])
  })

  it('repairs invalid values field by field, keeping a backup of the original', () => {
    const original = {
      schemaVersion: 1,
      watchlists: { lists: [{ id: 'a', name: 'Tech', symbols: ['NVDA', '!!bad!!'] }], activeId: 'a' },
      settings: { provider: 'yahoo', refreshIntervalSec: -4, theme: 'dark' }
    }
    writeFileSync(join(dir, 'app-state.json'), JSON.stringify(original))
    const stores = open()
    expect(stores.appState.watchlists.lists[0]).toEqual({ id: 'a', name: 'Tech', symbols: ['NVDA'] })
    expect(stores.appState.settings).toEqual({ ...defaultSettings(), provider: 'yahoo', refreshIntervalSec: 15, theme: 'dark' })
    expect(notices).toHaveLength(1)
    expect(notices[0]!.message).toMatch(/^Parts of your watchlists file were damaged and have been repaired/)
    const backup = readdirSync(dir).find((f) => f.startsWith('app-state.corrupt-'))!
    expect(JSON.parse(readFileSync(join(dir, backup), 'utf8'))).toEqual(original)
    expect(read('app-state').settings).toEqual({ ...defaultSettings(), provider: 'yahoo', refreshIntervalSec: 15, theme: 'dark' })
  })

  it('migrates an old layout on disk without a notice', () => {
    writeFileSync(join(dir, 'app-state.json'), JSON.stringify({ symbols: ['amd'], theme: 'light' }))
    const stores = open()
    expect(stores.appState.watchlists.lists[0]!.symbols).toEqual(['AMD'])
    expect(stores.appState.settings.theme).toBe('light')
    expect(read('app-state').schemaVersion).toBe(1)
    expect(notices).toEqual([])
  })
})

describe('openHostStores over the memory backend', () => {
  it('backs up through the injected file operations', () => {
    const backend = memoryBackend({ 'app-state': '{not json', 'quote-cache': JSON.stringify({ schemaVersion: 1, quotes: {} }) })
    const notices: Notice[] = []
    const stores = openHostStores(backend, { now: () => NOW, onNotice: (n) => notices.push(n), files: backend.fileOps })
    expect(stores.appState.watchlists.lists).toHaveLength(1)
    expect(backend.files.get('app-state.corrupt-2024-05-01T12-00-00-000Z')).toBe('{not json')
    expect(notices).toHaveLength(1)
  })

  it('keeps working in memory when a store cannot be opened or set aside', () => {
    const inner = memoryBackend({ 'app-state': '{broken' })
    const backend = {
      filePath: inner.filePath,
      open: <T extends Record<string, unknown>>(name: string, defaults: T) => {
        if (name === 'app-state') throw new Error('EACCES: permission denied')
        return inner.open(name, defaults)
      }
    }
    const failingFiles = { ...inner.fileOps, rename: () => { throw new Error('EROFS: read-only file system') } }
    const notices: Notice[] = []
    const stores = openHostStores(backend, { now: () => NOW, onNotice: (n) => notices.push(n), files: failingFiles })
    expect(notices).toHaveLength(1)
    expect(notices[0]!.level).toBe('error')
    expect(notices[0]!.message).toMatch(/could not open its watchlists file .*changes made now will not be saved/)
    stores.appState.saveSettings({ ...defaultSettings(), provider: 'simulated', refreshIntervalSec: 15, theme: 'system' })
    expect(stores.appState.settings.provider).toBe('simulated')
    expect(inner.files.get('app-state')).toBe('{broken')
    expect(stores.quoteCache.size).toBe(0)
  })

  it('raises later save failures through onNotice and the listener, once until a save succeeds', () => {
    const backend = memoryBackend()
    const notices: Notice[] = []
    const stores = openHostStores(backend, { now: () => NOW, onNotice: (n) => notices.push(n), files: backend.fileOps })
    const listener = vi.fn()
    stores.onNotice(listener)
    const files = backend.files
    const realSet = files.set.bind(files)
    let fail = true
    files.set = (key, value) => {
      if (fail && key === 'app-state') throw new Error('EACCES: permission denied')
      return realSet(key, value)
    }
    const lists = { lists: [{ id: 'a', name: 'Kept', symbols: [] }], activeId: 'a' }
    stores.appState.saveWatchlists(lists)
    stores.appState.saveSettings({ ...defaultSettings(), provider: 'simulated', refreshIntervalSec: 15, theme: 'system' })
    expect(stores.appState.watchlists).toEqual(lists)
    expect(listener).toHaveBeenCalledOnce()
    expect(listener.mock.calls[0]![0].message).toMatch(/could not save your watchlists and settings: EACCES/)
    expect(notices).toHaveLength(1)

    fail = false
    stores.appState.saveSettings({ ...defaultSettings(), provider: 'yahoo', refreshIntervalSec: 15, theme: 'dark' })
    const saved = JSON.parse(files.get('app-state')!) as { watchlists: unknown; settings: { theme: string } }
    expect(saved.watchlists).toEqual(lists)
    expect(saved.settings.theme).toBe('dark')
  })
})
