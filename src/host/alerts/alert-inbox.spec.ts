import { describe, expect, it } from 'vitest'
import type { AlertFiring } from '../../shared/alerts'
import { AlertsStore, emptyAlerts, type AlertsFile } from '../state/alerts-store'
import { memoryBackend } from '../state/memory-backend'
import { makeQuote } from '../testing/quote-fixture'
import { AlertInbox } from './alert-inbox'

function setup(limit?: number) {
  let ids = 0
  const backend = memoryBackend()
  const store = new AlertsStore(backend.open<AlertsFile>('alerts', { schemaVersion: 1, rules: [], inbox: [], lastFired: {} }), emptyAlerts(), () => {})
  const inbox = new AlertInbox({ store, limit, newId: () => `e${++ids}` })
  const saved = () => (JSON.parse(backend.files.get('alerts')!) as AlertsFile).inbox
  return { inbox, saved }
}

const firing = (at: number, symbol = 'AAPL'): AlertFiring => ({
  ruleId: 'r1',
  symbol,
  at,
  occurredAt: null,
  catchUp: false,
  message: `${symbol} rose above 200.00`,
  quote: makeQuote(symbol)
})

describe('AlertInbox', () => {
  it('adds entries newest first with the rule note, unread, and persists them', () => {
    const { inbox, saved } = setup()
    inbox.add(firing(1), 'trim position')
    const second = inbox.add(firing(2, 'MSFT'), '')
    expect(second).toEqual({ ...firing(2, 'MSFT'), id: 'e2', read: false, note: '' })
    expect(inbox.entries.map((e) => e.id)).toEqual(['e2', 'e1'])
    expect(inbox.entries[1]!.note).toBe('trim position')
    expect(inbox.unread).toBe(2)
    expect(saved().map((e) => e.id)).toEqual(['e2', 'e1'])
  })

  it('keeps only the newest entries past the limit', () => {
    const { inbox, saved } = setup(3)
    for (let i = 1; i <= 5; i++) inbox.add(firing(i), '')
    expect(inbox.entries.map((e) => e.at)).toEqual([5, 4, 3])
    expect(saved()).toHaveLength(3)
  })

  it('marks chosen entries or everything read, ignoring unknown ids', () => {
    const { inbox, saved } = setup()
    for (let i = 1; i <= 3; i++) inbox.add(firing(i), '')
    expect(inbox.markRead(['e1', 'nope'])).toBe(true)
    expect(inbox.unread).toBe(2)
    expect(inbox.markRead(['e1'])).toBe(false)
    expect(inbox.markRead()).toBe(true)
    expect(inbox.unread).toBe(0)
    expect(saved().every((e) => e.read)).toBe(true)
  })

  it('clears everything', () => {
    const { inbox, saved } = setup()
    inbox.add(firing(1), '')
    expect(inbox.clear()).toBe(true)
    expect(inbox.entries).toEqual([])
    expect(inbox.unread).toBe(0)
    expect(saved()).toEqual([])
    expect(inbox.clear()).toBe(false)
  })
})
