import { describe, expect, it, vi } from 'vitest'
import { app } from 'electron'
import { FakeElectronStore, type FakeApp } from '../../tests/setup/electron-mock'
import { electronStoreBackend } from './store-backend-electron'

describe('electronStoreBackend', () => {
  it('opens a named store with defaults and never lets electron-store clear a bad file', () => {
    const store = electronStoreBackend().open('app-state', { schemaVersion: 1, theme: 'dark' })
    expect(FakeElectronStore.constructed).toEqual([
      { name: 'app-state', defaults: { schemaVersion: 1, theme: 'dark' }, clearInvalidConfig: false }
    ])
    expect(store.store).toEqual({ schemaVersion: 1, theme: 'dark' })
    expect(store.path).toBe('/fake/userData/app-state.json')
  })

  it('reads and writes through to the file and keeps values across re-opens', () => {
    const backend = electronStoreBackend()
    backend.open('quote-cache', { quotes: {} as Record<string, number> }).set('quotes', { AAPL: 1 })
    const reopened = backend.open('quote-cache', { quotes: {} as Record<string, number> })
    expect(reopened.get('quotes')).toEqual({ AAPL: 1 })
    expect(reopened.store).toEqual({ quotes: { AAPL: 1 } })
  })

  it('throws on a corrupt file so the host can back it up and reset', () => {
    FakeElectronStore.corrupt.add('app-state')
    expect(() => electronStoreBackend().open('app-state', {})).toThrow(SyntaxError)
  })

  it('places files in the userData folder', () => {
    vi.mocked((app as unknown as FakeApp).getPath).mockReturnValue('/home/u/.config/TickerDesk')
    expect(electronStoreBackend().filePath('app-state')).toBe('/home/u/.config/TickerDesk/app-state.json')
    expect(app.getPath).toHaveBeenCalledWith('userData')
  })
})
