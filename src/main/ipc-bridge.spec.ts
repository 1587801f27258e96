import { describe, expect, it, vi } from 'vitest'
import { BrowserWindow, ipcMain } from 'electron'
import { FakeBrowserWindow, type FakeIpcMain, type FakeWebContents } from '../../tests/setup/electron-mock'
import { HOST_CALL_NAMES, callChannel, eventChannel, type HostImpl } from '../shared/ipc/contract'
import { UserError } from '../shared/ipc/result'
import { broadcast, isTrustedSender, registerIpc, UNTRUSTED_SENDER_MESSAGE, type IpcHost } from './ipc-bridge'

const APP_URL = 'http://localhost:5173/'
const fakeIpc = ipcMain as unknown as FakeIpcMain
const state = { lists: [{ id: 'l1', name: 'Main', symbols: ['AAPL'] }], activeId: 'l1' }

type Frame = { url: string; parent: unknown }
const mainFrame = (url = APP_URL): Frame => ({ url, parent: null })

function setup(impl: Partial<HostImpl> = {}) {
  const host = {
    impl: {
      addSymbol: vi.fn(({ symbol }) => {
        if (symbol === 'DUP') throw new UserError('DUP is already in Main', 'conflict')
        if (symbol === 'BOOM') throw new Error('disk on fire')
        return state
      }),
      setInterest: vi.fn(() => null),
      ...impl
    } as HostImpl,
    dropClient: vi.fn<(clientId: string) => void>()
  } satisfies IpcHost
  const log = vi.fn()
  const dispose = registerIpc({ host, appUrl: APP_URL, log })
  const win = new BrowserWindow() as unknown as FakeBrowserWindow
  const call = (name: string, payload: unknown, frame: Frame | null = mainFrame(), sender: FakeWebContents = win.webContents) => {
    const handler = fakeIpc.handlers.get(callChannel(name as never))
    if (!handler) throw new Error(`no handler for ${name}`)
    return handler({ sender, senderFrame: frame }, payload)
  }
  return { host, log, dispose, win, call }
}

describe('isTrustedSender', () => {
  it('trusts only the app page in the top frame', () => {
    expect(isTrustedSender(mainFrame() as never, APP_URL)).toBe(true)
    expect(isTrustedSender(null, APP_URL)).toBe(false)
    expect(isTrustedSender({ url: APP_URL, parent: mainFrame() } as never, APP_URL)).toBe(false)
    expect(isTrustedSender(mainFrame('http://localhost.evil.com:5173/') as never, APP_URL)).toBe(false)
  })
})

describe('registerIpc', () => {
  it('registers exactly one handler per contract call', () => {
    setup()
    expect([...fakeIpc.handlers.keys()].sort()).toEqual(HOST_CALL_NAMES.map(callChannel).sort())
  })

  it('dispatches a valid call from the app window to the host with the window as client', async () => {
    const { host, call, win } = setup()
    const result = await call('addSymbol', { listId: 'l1', symbol: ' msft ' })
    expect(result).toEqual({ ok: true, value: state })
    expect(host.impl.addSymbol).toHaveBeenCalledWith(
      { listId: 'l1', symbol: ' msft ' },
      { clientId: `window:${win.webContents.id}` }
    )
  })

  it('rejects a call from another origin without touching the host, and logs it', async () => {
    const { host, call, log } = setup()
    const result = await call('addSymbol', { listId: 'l1', symbol: 'AAPL' }, mainFrame('https://evil.example/'))
    expect(result).toEqual({ ok: false, error: { code: 'invalid-request', message: UNTRUSTED_SENDER_MESSAGE } })
    expect(host.impl.addSymbol).not.toHaveBeenCalled()
    expect(log).toHaveBeenCalledWith('warn', expect.stringContaining('https://evil.example/'))
  })

  it('rejects a call from a subframe even when it shows the app URL', async () => {
    const { host, call } = setup()
    const result = await call('setInterest', { symbols: [] }, { url: APP_URL, parent: mainFrame() })
    expect(result).toMatchObject({ ok: false })
    expect(host.impl.setInterest).not.toHaveBeenCalled()
  })

  it('rejects a call whose frame is gone', async () => {
    const { host, call } = setup()
    expect(await call('setInterest', { symbols: [] }, null)).toMatchObject({ ok: false })
    expect(host.impl.setInterest).not.toHaveBeenCalled()
  })

  it('turns a bad payload into an error Result in plain words', async () => {
    const { host, call } = setup()
    const result = await call('addSymbol', { listId: '', symbol: 42 })
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    expect(host.impl.addSymbol).not.toHaveBeenCalled()
  })

  it('passes user errors through and hides internal ones behind a log line', async () => {
    const { call, log } = setup()
    expect(await call('addSymbol', { listId: 'l1', symbol: 'DUP' })).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'DUP is already in Main' }
    })
    const internal = await call('addSymbol', { listId: 'l1', symbol: 'BOOM' })
    expect(internal).toMatchObject({ ok: false, error: { code: 'internal' } })
    expect(JSON.stringify(internal)).not.toContain('disk on fire')
    expect(log).toHaveBeenCalledWith('error', expect.stringContaining('disk on fire'))
  })

  it('drops the client once when its window is destroyed', async () => {
    const { host, call, win } = setup()
    await call('setInterest', { symbols: ['AAPL'] })
    await call('setInterest', { symbols: ['MSFT'] })
    win.close()
    expect(host.dropClient).toHaveBeenCalledTimes(1)
    expect(host.dropClient).toHaveBeenCalledWith(`window:${win.webContents.id}`)
  })

  it('does not drop windows that never called in', () => {
    const { host, win } = setup()
    win.close()
    expect(host.dropClient).not.toHaveBeenCalled()
  })

  it('removes every handler and listener on dispose', async () => {
    const { host, call, win, dispose } = setup()
    await call('setInterest', { symbols: [] })
    dispose()
    expect(fakeIpc.handlers.size).toBe(0)
    win.close()
    expect(host.dropClient).not.toHaveBeenCalled()
  })
})

describe('broadcast', () => {
  it('sends the event channel to every live window only', () => {
    const a = new BrowserWindow() as unknown as FakeBrowserWindow
    const b = new BrowserWindow() as unknown as FakeBrowserWindow
    const closed = new BrowserWindow() as unknown as FakeBrowserWindow
    closed.close()
    const notice = { id: 'n1', level: 'info' as const, message: 'hi', at: 1 }
    broadcast('notice', notice)
    expect(a.webContents.send).toHaveBeenCalledWith(eventChannel('notice'), notice)
    expect(b.webContents.send).toHaveBeenCalledWith(eventChannel('notice'), notice)
    expect(closed.webContents.send).not.toHaveBeenCalled()
  })

  it('skips a window whose contents are already destroyed', () => {
    const win = new BrowserWindow() as unknown as FakeBrowserWindow
    win.webContents.destroy()
    expect(() => broadcast('quotes', [])).not.toThrow()
    expect(win.webContents.send).not.toHaveBeenCalled()
  })
})
