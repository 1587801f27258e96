import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AlertRule, InboxEntry } from '../../shared/alerts'
import type { Notice } from '../../shared/ipc/contract'
import { makeQuote } from '../testing/quote-fixture'
import { INBOX_LIMIT, readAlerts } from './alerts-store'
import { confBackend } from './conf-backend'
import { memoryBackend } from './memory-backend'
import { openHostStores } from './open-host-stores'

const NOW = Date.UTC(2024, 4, 1, 12, 0, 0)

const rule = (id: string, extra: Partial<AlertRule> = {}): AlertRule => ({
  id,
  createdAt: 1,
  target: { type: 'symbol', symbol: 'AAPL' },
  condition: { kind: 'price-above', price: 200 },
  trigger: { mode: 'once' },
  rearmPercent: 0.5,
  expiresAt: null,
  enabled: true,
  note: '',
  snoozedUntil: null,
  lastFiredAt: null,
  suspendedReason: null,
  ...extra
})

const entry = (id: string, at: number): InboxEntry => ({
  id,
  ruleId: 'r1',
  symbol: 'AAPL',
  at,
  occurredAt: null,
  catchUp: false,
  message: 'AAPL rose above 200.00',
  quote: makeQuote('AAPL'),
  read: false,
  note: ''
})

describe('readAlerts', () => {
  it('fills missing optional fields and drops single unreadable rules and entries', () => {
    const { id: _id, createdAt: _c, snoozedUntil: _s, lastFiredAt: _l, suspendedReason: _r, rearmPercent: _p, note: _n, ...bare } = rule('x')
    const { fiftyTwoWeekHigh: _h, fiftyTwoWeekLow: _w, ...oldQuote } = makeQuote('AAPL')
    const result = readAlerts(
      {
        rules: [{ ...bare, id: 'old' }, { id: 'bad', condition: { kind: 'price-above', price: -1 } }, 'junk', rule('old')],
        inbox: [entry('e1', 1), { ...entry('e2', 2), quote: oldQuote, read: undefined }, { id: 'e3' }],
        lastFired: { old: { AAPL: 5, MSFT: 'x' }, gone: { AAPL: 1 } }
      },
      NOW
    )
    expect(result.data.rules).toEqual([{ ...rule('old'), createdAt: NOW }])
    expect(result.droppedRules).toBe(3)
    expect(result.data.inbox.map((e) => e.id)).toEqual(['e2', 'e1'])
    expect(result.data.inbox[0]!.quote.fiftyTwoWeekHigh).toBeNull()
    expect(result.droppedEntries).toBe(1)
    expect(result.data.lastFired).toEqual({ old: { AAPL: 5 } })
  })

  it('keeps only the newest inbox entries', () => {
    const inbox = Array.from({ length: INBOX_LIMIT + 20 }, (_, i) => entry(`e${i}`, i))
    const result = readAlerts({ inbox }, NOW)
    expect(result.data.inbox).toHaveLength(INBOX_LIMIT)
    expect(result.data.inbox[0]!.at).toBe(INBOX_LIMIT + 19)
  })
})

describe('openHostStores: the alerts file', () => {
  let dir = ''
  let notices: Notice[] = []
  const open = () => openHostStores(confBackend(dir), { now: () => NOW, onNotice: (n) => notices.push(n) })
  const read = () => JSON.parse(readFileSync(join(dir, 'alerts.json'), 'utf8')) as Record<string, unknown>

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'td-alerts-'))
    notices = []
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('starts empty and round-trips rules, inbox and fire times', () => {
    const first = open()
    expect(first.alerts.data).toEqual({ rules: [], inbox: [], lastFired: {} })
    expect(read()).toEqual({ schemaVersion: 1, rules: [], inbox: [], lastFired: {} })
    first.alerts.save({ rules: [rule('r1')], inbox: [entry('e1', 5)], lastFired: { r1: { AAPL: 5 } } })
    first.dispose()
    const second = open()
    expect(second.alerts.data).toEqual({ rules: [rule('r1')], inbox: [entry('e1', 5)], lastFired: { r1: { AAPL: 5 } } })
    expect(notices).toEqual([])
  })

  it('backs up an unreadable alerts file, resets it and says so, keeping the watchlists', () => {
    const first = open()
    first.appState.saveWatchlists({ lists: [{ id: 'a', name: 'Mine', symbols: ['TSLA'] }], activeId: 'a' })
    first.dispose()
    writeFileSync(join(dir, 'alerts.json'), '{"rules": [', 'utf8')
    const stores = open()
    expect(stores.alerts.data.rules).toEqual([])
    expect(stores.appState.watchlists.lists[0]!.name).toBe('Mine')
    const backups = readdirSync(dir).filter((f) => f.startsWith('alerts.corrupt-'))
    expect(backups).toEqual(['alerts.corrupt-2024-05-01T12-00-00-000Z.json'])
    expect(readFileSync(join(dir, backups[0]!), 'utf8')).toBe('{"rules": [')
    expect(notices.map((n) => [n.level, n.message])).toEqual([
      ['warning', expect.stringMatching(/^Your alerts file was damaged and has been reset; a backup was saved as alerts\.corrupt-/)]
    ])
    expect(read().schemaVersion).toBe(1)
  })

  it('treats a file that parses but has the wrong shape as damaged', () => {
    writeFileSync(join(dir, 'alerts.json'), JSON.stringify({ schemaVersion: 1, rules: 'nope' }))
    const stores = open()
    expect(stores.alerts.data.rules).toEqual([])
    expect(notices[0]!.message).toMatch(/^Your alerts file was damaged and has been reset, so your alert rules and alert inbox start empty\. A backup/)
    expect(readdirSync(dir).some((f) => f.startsWith('alerts.corrupt-'))).toBe(true)
    expect(read()).toEqual({ schemaVersion: 1, rules: [], inbox: [], lastFired: {} })
  })

  it('keeps the readable rules, backs up the original and names how many were dropped', () => {
    const original = { schemaVersion: 1, rules: [rule('ok'), { id: 'broken' }], inbox: [], lastFired: {} }
    writeFileSync(join(dir, 'alerts.json'), JSON.stringify(original))
    const stores = open()
    expect(stores.alerts.data.rules.map((r) => r.id)).toEqual(['ok'])
    expect(notices.map((n) => n.message)).toEqual([expect.stringMatching(/^One alert rule in your alerts file could not be read and was dropped; your other alerts are kept\. A backup/)])
    const backup = readdirSync(dir).find((f) => f.startsWith('alerts.corrupt-'))!
    expect(JSON.parse(readFileSync(join(dir, backup), 'utf8'))).toEqual(original)
    expect((read().rules as unknown[]).length).toBe(1)
  })

  it('over the memory backend: keeps changes in memory and reports a failed save once', () => {
    const backend = memoryBackend()
    const raised: Notice[] = []
    const stores = openHostStores(backend, { now: () => NOW, onNotice: (n) => raised.push(n), files: backend.fileOps })
    const realSet = backend.files.set.bind(backend.files)
    let fail = true
    backend.files.set = (key, value) => {
      if (fail && key === 'alerts') throw new Error('EACCES: permission denied')
      return realSet(key, value)
    }
    stores.alerts.save({ rules: [rule('r1')] })
    stores.alerts.save({ inbox: [entry('e1', 1)] })
    expect(stores.alerts.data.rules).toHaveLength(1)
    expect(raised.map((n) => n.message)).toEqual([expect.stringMatching(/could not save your alerts: EACCES/)])
    fail = false
    stores.alerts.save({ lastFired: { r1: { AAPL: 1 } } })
    const saved = JSON.parse(backend.files.get('alerts')!) as { rules: unknown[]; inbox: unknown[] }
    expect(saved.rules).toHaveLength(1)
    expect(saved.inbox).toHaveLength(1)
  })
})
