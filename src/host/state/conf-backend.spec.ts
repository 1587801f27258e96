import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { confBackend } from './conf-backend'

describe('confBackend', () => {
  let dir = ''
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'td-conf-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('names files after the store inside the data dir', () => {
    expect(confBackend(dir).filePath('app-state')).toBe(join(dir, 'app-state.json'))
  })

  it('creates the store with defaults and persists values across re-open', () => {
    const backend = confBackend(dir)
    const store = backend.open('prefs', { count: 1, name: 'x' })
    expect(store.path).toBe(join(dir, 'prefs.json'))
    expect(store.store).toEqual({ count: 1, name: 'x' })
    store.set('count', 7)
    expect(store.get('count')).toBe(7)

    const reopened = confBackend(dir).open('prefs', { count: 1, name: 'x' })
    expect(reopened.get('count')).toBe(7)
    expect(JSON.parse(readFileSync(join(dir, 'prefs.json'), 'utf8'))).toEqual({ count: 7, name: 'x' })
  })

  it('keeps dotted keys flat', () => {
    const store = confBackend(dir).open<Record<string, unknown>>('quotes', {})
    store.set('BRK.B', 1)
    expect(store.store).toEqual({ 'BRK.B': 1 })
  })

  it('throws when the file exists but is not valid JSON', () => {
    writeFileSync(join(dir, 'broken.json'), '{"lists": [', 'utf8')
    expect(() => confBackend(dir).open('broken', {})).toThrow(SyntaxError)
  })
})
