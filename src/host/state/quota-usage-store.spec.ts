import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Notice } from '../../shared/ipc/contract'
import { confBackend } from './conf-backend'
import { memoryBackend } from './memory-backend'
import { openHostStores } from './open-host-stores'
import { QuotaUsageStore, readQuotaUsage, type QuotaUsageFile } from './quota-usage-store'
import type { KeyValueStore } from './store-backend'

const NOW = Date.UTC(2024, 4, 1, 12, 0, 0)
const SNAPSHOT = { day: '2024-05-01', dayUsed: 17, minute: [NOW - 1_000] }

describe('readQuotaUsage', () => {
  it('keeps snapshots of known providers and counts the rest as dropped', () => {
    const result = readQuotaUsage({ alphavantage: SNAPSHOT, 'no-such-provider': { dayUsed: 3 }, finnhub: null })
    expect(result.usage).toEqual({ alphavantage: SNAPSHOT })
    expect(result.dropped).toBe(2)
  })
})

describe('the provider usage file', () => {
  let dir = ''
  let notices: Notice[] = []
  const open = () => openHostStores(confBackend(dir), { now: () => NOW, onNotice: (n) => notices.push(n) })
  const read = () => JSON.parse(readFileSync(join(dir, 'quota-usage.json'), 'utf8')) as Record<string, unknown>

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'td-quota-'))
    notices = []
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('starts empty and survives a re-open with every provider it was given', () => {
    const first = open()
    expect(first.quotaUsage.all()).toEqual({})
    expect(read()).toEqual({ byProvider: {}, schemaVersion: 1 })
    first.quotaUsage.set('alphavantage', SNAPSHOT)
    first.quotaUsage.set('finnhub', { dayUsed: 2 })
    first.dispose()

    const second = open()
    expect(second.quotaUsage.all()).toEqual({ alphavantage: SNAPSHOT, finnhub: { dayUsed: 2 } })
    second.dispose()
    expect(notices).toEqual([])
  })

  it('moves an unreadable file aside, starts empty and says so', () => {
    writeFileSync(join(dir, 'quota-usage.json'), '{"byProvider": {', 'utf8')
    const stores = open()
    expect(stores.quotaUsage.all()).toEqual({})
    expect(readdirSync(dir).filter((f) => f.startsWith('quota-usage.corrupt-'))).toHaveLength(1)
    expect(notices).toHaveLength(1)
    expect(notices[0]!.message).toMatch(/^Your provider usage file was damaged and has been reset; a backup was saved as quota-usage\.corrupt-/)
    expect(stores.notices).toEqual(notices)
  })

  it('resets a file of the wrong shape with a backup and a notice, keeping the other stores', () => {
    const first = open()
    first.appState.saveWatchlists({ lists: [{ id: 'a', name: 'Mine', symbols: ['TSLA'] }], activeId: 'a' })
    first.dispose()
    writeFileSync(join(dir, 'quota-usage.json'), JSON.stringify({ schemaVersion: 1, byProvider: [1, 2] }), 'utf8')

    const stores = open()
    expect(stores.quotaUsage.all()).toEqual({})
    expect(stores.appState.watchlists.lists[0]!.name).toBe('Mine')
    expect(read()).toEqual({ byProvider: {}, schemaVersion: 1 })
    const backups = readdirSync(dir).filter((f) => f.startsWith('quota-usage.corrupt-'))
    expect(backups).toHaveLength(1)
    expect(JSON.parse(readFileSync(join(dir, backups[0]!), 'utf8'))).toEqual({ schemaVersion: 1, byProvider: [1, 2] })
    expect(notices.map((n) => n.message)).toEqual([expect.stringMatching(/request counts start from zero.*A backup was saved as quota-usage\.corrupt-/)])
  })

  it('drops entries for unknown providers and rewrites the file without them', () => {
    writeFileSync(join(dir, 'quota-usage.json'), JSON.stringify({ schemaVersion: 1, byProvider: { alphavantage: SNAPSHOT, gone: {} } }), 'utf8')
    const stores = open()
    expect(stores.quotaUsage.all()).toEqual({ alphavantage: SNAPSHOT })
    expect(read()).toEqual({ byProvider: { alphavantage: SNAPSHOT }, schemaVersion: 1 })
    expect(notices).toEqual([])
  })
})

describe('QuotaUsageStore writes', () => {
  beforeEach(() => vi.useFakeTimers({ now: NOW }))
  afterEach(() => vi.useRealTimers())

  const timers = { setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>) }

  it('batches a burst of updates into one write after the interval', async () => {
    const backend = memoryBackend()
    const stores = openHostStores(backend, { now: () => NOW, onNotice: () => {}, files: backend.fileOps, timers, quotaUsageWriteIntervalMs: 1_000 })
    const before = backend.writes.get('quota-usage') ?? 0
    for (let used = 1; used <= 5; used++) stores.quotaUsage.set('alphavantage', { dayUsed: used })
    expect(backend.writes.get('quota-usage') ?? 0).toBe(before)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(backend.writes.get('quota-usage')).toBe(before + 1)
    expect(JSON.parse(backend.files.get('quota-usage')!).byProvider).toEqual({ alphavantage: { dayUsed: 5 } })
  })

  it('writes what is pending on dispose, and a late update with a flush after it', () => {
    const backend = memoryBackend()
    const stores = openHostStores(backend, { now: () => NOW, onNotice: () => {}, files: backend.fileOps, timers })
    stores.quotaUsage.set('alphavantage', { dayUsed: 1 })
    stores.dispose()
    expect(JSON.parse(backend.files.get('quota-usage')!).byProvider).toEqual({ alphavantage: { dayUsed: 1 } })
    // The engine reports once more while it shuts down, after the stores were closed.
    stores.quotaUsage.set('alphavantage', { dayUsed: 2 })
    stores.flush()
    expect(JSON.parse(backend.files.get('quota-usage')!).byProvider).toEqual({ alphavantage: { dayUsed: 2 } })
  })

  it('keeps the data and tries again on the next flush when a write fails', () => {
    const written: unknown[] = []
    let fail = true
    const store: KeyValueStore<QuotaUsageFile> = {
      store: { schemaVersion: 1, byProvider: {} },
      path: '/memory/quota-usage.json',
      get: () => {
        throw new Error('not read here')
      },
      set: (_key, value) => {
        if (fail) throw new Error('disk full')
        written.push(value)
      }
    }
    const errors: unknown[] = []
    const usage = new QuotaUsageStore(store, {}, { timers, onWriteError: (error) => errors.push(error) })
    usage.set('alphavantage', { dayUsed: 1 })
    usage.flush()
    expect(errors).toHaveLength(1)
    fail = false
    usage.flush()
    expect(written).toEqual([{ alphavantage: { dayUsed: 1 } }])
  })
})
