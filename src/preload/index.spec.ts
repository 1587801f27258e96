import { beforeEach, describe, expect, it, vi } from 'vitest'
import { contextBridge, ipcRenderer } from 'electron'
import type { FakeIpcRenderer } from '../../tests/setup/electron-mock'
import { HOST_CALL_NAMES, callChannel, eventChannel, type RendererApi } from '../shared/ipc/contract'

const fakeIpc = ipcRenderer as unknown as FakeIpcRenderer
const notice = { id: 'n1', level: 'warning', message: 'Quotes are delayed', at: 5 }

async function loadPreload(): Promise<{ key: string; api: RendererApi }> {
  vi.resetModules()
  await import('./index')
  const call = vi.mocked(contextBridge.exposeInMainWorld).mock.calls[0]
  if (!call) throw new Error('nothing was exposed')
  return { key: call[0], api: call[1] as RendererApi }
}

describe('preload', () => {
  beforeEach(() => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
  })

  it('exposes exactly the contract functions as window.tickerdesk, with no raw ipcRenderer', async () => {
    const { key, api } = await loadPreload()
    expect(contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1)
    expect(key).toBe('tickerdesk')
    expect(Object.keys(api).sort()).toEqual([...HOST_CALL_NAMES, 'on'].sort())
    for (const value of Object.values(api)) expect(typeof value).toBe('function')
    expect(Object.values(api)).not.toContain(ipcRenderer)
  })

  it('invokes the contract channel and unwraps the Result', async () => {
    const { api } = await loadPreload()
    fakeIpc.invoke.mockResolvedValueOnce({ ok: true, value: null })
    await expect(api.refreshNow({})).resolves.toBeNull()
    expect(fakeIpc.invoke).toHaveBeenCalledWith(callChannel('refreshNow'), {})
  })

  it('turns an error Result into a rejection carrying the host message', async () => {
    const { api } = await loadPreload()
    fakeIpc.invoke.mockResolvedValueOnce({ ok: false, error: { code: 'conflict', message: 'AAPL is already in Main' } })
    await expect(api.addSymbol({ listId: 'l1', symbol: 'AAPL' })).rejects.toThrow('AAPL is already in Main')
  })

  it('hands listeners the payload only, never the IpcRendererEvent', async () => {
    const { api } = await loadPreload()
    const listener = vi.fn()
    api.on('notice', listener)
    const ipcEvent = { sender: fakeIpc, senderId: 0, ports: [] }
    fakeIpc.emit(eventChannel('notice'), ipcEvent, notice)
    expect(listener).toHaveBeenCalledTimes(1)
    expect(listener.mock.calls[0]).toEqual([notice])
  })

  it('returns an unsubscribe that removes the ipcRenderer listener', async () => {
    const { api } = await loadPreload()
    const listener = vi.fn()
    const off = api.on('notice', listener)
    expect(fakeIpc.listenerCount(eventChannel('notice'))).toBe(1)
    off()
    expect(fakeIpc.listenerCount(eventChannel('notice'))).toBe(0)
    fakeIpc.emit(eventChannel('notice'), {}, notice)
    expect(listener).not.toHaveBeenCalled()
  })

  it('drops malformed events instead of passing them to the page', async () => {
    const { api } = await loadPreload()
    const listener = vi.fn()
    api.on('notice', listener)
    fakeIpc.emit(eventChannel('notice'), {}, { id: 1 })
    expect(listener).not.toHaveBeenCalled()
    expect(console.warn).toHaveBeenCalledWith(expect.stringContaining('notice'))
  })

  it('refuses to listen to anything outside the contract', async () => {
    const { api } = await loadPreload()
    expect(() => (api.on as (e: string, l: () => void) => void)('electron-store-get-data', () => {})).toThrow()
    expect(fakeIpc.on).not.toHaveBeenCalled()
  })
})
