import { describe, expect, it } from 'vitest'
import { memoryBackend } from '../host/state/memory-backend'
import { BASIC_TEXT_WARNING, ELECTRON_KEYS_STORE, ElectronSecretStore, type SafeStorageLike } from './secret-store-electron'

const SECRET = 'av-secret-key-1234567890'

/** Behaves like safeStorage: reversible, but the ciphertext does not contain the plain text. */
function fakeSafeStorage(options: { available?: boolean; backend?: string } = {}): SafeStorageLike & { encrypted: number } {
  const fake = {
    encrypted: 0,
    isEncryptionAvailable: () => options.available ?? true,
    encryptString: (plain: string) => {
      fake.encrypted++
      return Buffer.from(`v10:${Buffer.from(plain, 'utf8').toString('hex').split('').reverse().join('')}`)
    },
    decryptString: (cipher: Buffer) => {
      const text = cipher.toString('utf8')
      if (!text.startsWith('v10:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.')
      return Buffer.from(text.slice(4).split('').reverse().join(''), 'hex').toString('utf8')
    },
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret'
  }
  return fake
}

function setup(options: { available?: boolean; backend?: string; files?: Record<string, string> } = {}) {
  const backend = memoryBackend(options.files ?? {})
  const notices: { level: string; message: string }[] = []
  const safeStorage = fakeSafeStorage(options)
  const open = () =>
    new ElectronSecretStore({ safeStorage, backend, fileOps: backend.fileOps, now: () => 42, notify: (level, message) => notices.push({ level, message }) })
  return { backend, notices, safeStorage, open }
}

describe('ElectronSecretStore', () => {
  it('stores base64 ciphertext only, and decrypts it again after a restart', () => {
    const r = setup()
    r.open().set('alphavantage', SECRET)
    const raw = r.backend.files.get(ELECTRON_KEYS_STORE) ?? ''
    expect(raw).not.toContain(SECRET)
    const saved = JSON.parse(raw) as { keys: Record<string, string> }
    expect(Buffer.from(saved.keys.alphavantage ?? '', 'base64').toString('utf8')).toMatch(/^v10:/)
    const reopened = r.open()
    expect(reopened.get('alphavantage')).toBe(SECRET)
    expect(reopened.list()).toEqual(['alphavantage'])
    expect(r.notices).toEqual([])
  })

  it('removes a key', () => {
    const r = setup()
    const store = r.open()
    store.set('finnhub', SECRET)
    store.set('finnhub', null)
    expect(store.get('finnhub')).toBeNull()
    expect(r.open().list()).toEqual([])
  })

  it('refuses to store a key when encryption is unavailable, saving nothing', () => {
    const r = setup({ available: false })
    const store = r.open()
    expect(() => store.set('finnhub', SECRET)).toThrow(/Finnhub key was not saved: this system offers no encryption/)
    expect(store.get('finnhub')).toBeNull()
    expect(r.backend.files.get(ELECTRON_KEYS_STORE) ?? '').not.toContain('finnhub')
    expect(r.safeStorage.encrypted).toBe(0)
  })

  it('warns once that basic_text keys are effectively plain text', () => {
    const r = setup({ backend: 'basic_text' })
    const store = r.open()
    store.set('finnhub', SECRET)
    store.set('twelvedata', SECRET)
    expect(r.notices).toEqual([{ level: 'warning', message: BASIC_TEXT_WARNING }])
    expect(store.get('finnhub')).toBe(SECRET)
    // And again at the next start, since keys are stored that way.
    r.open()
    expect(r.notices).toHaveLength(2)
  })

  it('reports keys it cannot decrypt (another account or keychain) and keeps the others', () => {
    const good = fakeSafeStorage().encryptString(SECRET).toString('base64')
    const r = setup({ files: { [ELECTRON_KEYS_STORE]: JSON.stringify({ version: 1, keys: { finnhub: good, twelvedata: Buffer.from('garbage').toString('base64') } }) } })
    const store = r.open()
    expect(store.get('finnhub')).toBe(SECRET)
    expect(store.get('twelvedata')).toBeNull()
    expect(r.notices).toEqual([expect.objectContaining({ level: 'warning', message: expect.stringMatching(/Twelve Data could not be decrypted/) })])
  })

  it('sets a damaged file aside and starts empty', () => {
    const r = setup({ files: { [ELECTRON_KEYS_STORE]: '{"version":1,"keys":' } })
    const store = r.open()
    expect(store.list()).toEqual([])
    expect(r.backend.files.has(`${ELECTRON_KEYS_STORE}.damaged-42`)).toBe(true)
    expect(r.notices).toEqual([expect.objectContaining({ level: 'warning', message: expect.stringMatching(/set aside/) })])
    store.set('finnhub', SECRET)
    expect(r.open().get('finnhub')).toBe(SECRET)
  })
})
