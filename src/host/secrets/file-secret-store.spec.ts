import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FileSecretStore, PROVIDER_KEYS_FILE } from './file-secret-store'

const posix = process.platform !== 'win32'

describe('FileSecretStore', () => {
  let dir: string
  let notices: { level: string; message: string }[]
  const open = () => new FileSecretStore({ dataDir: dir, notify: (level, message) => notices.push({ level, message }), now: () => 1234 })
  const file = () => join(dir, PROVIDER_KEYS_FILE)

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tickerdesk-keys-'))
    notices = []
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('keeps keys across restarts and removes them', () => {
    const store = open()
    store.set('finnhub', 'fh-key')
    store.set('twelvedata', 'td-key')
    expect(open().get('finnhub')).toBe('fh-key')
    expect(open().list().sort()).toEqual(['finnhub', 'twelvedata'])
    store.set('finnhub', null)
    const reopened = open()
    expect(reopened.get('finnhub')).toBeNull()
    expect(reopened.list()).toEqual(['twelvedata'])
    expect(notices).toEqual([])
  })

  it.runIf(posix)('writes the file with mode 0600', () => {
    open().set('finnhub', 'fh-key')
    expect(statSync(file()).mode & 0o777).toBe(0o600)
  })

  it.runIf(posix)('tightens a file found readable by others, and says so', () => {
    writeFileSync(file(), JSON.stringify({ version: 1, keys: { finnhub: 'fh-key' } }))
    chmodSync(file(), 0o644)
    const store = open()
    expect(statSync(file()).mode & 0o777).toBe(0o600)
    expect(store.get('finnhub')).toBe('fh-key')
    expect(notices).toEqual([expect.objectContaining({ level: 'info', message: expect.stringMatching(/private to you/) })])
  })

  it('replaces the file atomically: no temp file is left and the content is complete', () => {
    const store = open()
    for (let i = 0; i < 20; i++) store.set('finnhub', `key-${i}`)
    expect(readdirSync(dir)).toEqual([PROVIDER_KEYS_FILE])
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toEqual({ version: 1, keys: { finnhub: 'key-19' } })
  })

  it('keeps the old keys when a write fails, with a plain-words error', () => {
    const store = open()
    store.set('finnhub', 'fh-key')
    // A directory in the temp file's place makes the write fail.
    const blocker = `${file()}.${process.pid}.tmp`
    rmSync(blocker, { force: true })
    mkdirSync(blocker)
    expect(() => store.set('finnhub', 'other')).toThrow(/Finnhub key could not be saved/)
    expect(store.get('finnhub')).toBe('fh-key')
    expect(open().get('finnhub')).toBe('fh-key')
  })

  it('sets a damaged file aside, starts empty and tells the user', () => {
    writeFileSync(file(), '{"version":1,"keys":{"finnhub":')
    const store = open()
    expect(store.list()).toEqual([])
    expect(existsSync(`${file()}.damaged-1234`)).toBe(true)
    expect(notices.filter((n) => n.level === 'warning')).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/could not be read.*enter your keys again/) })
    ])
    store.set('finnhub', 'fh-key')
    expect(open().get('finnhub')).toBe('fh-key')
  })

  it('treats a file of the wrong shape as damaged', () => {
    writeFileSync(file(), JSON.stringify({ version: 1, keys: { finnhub: 42 } }))
    expect(open().list()).toEqual([])
    expect(existsSync(`${file()}.damaged-1234`)).toBe(true)
  })
})
