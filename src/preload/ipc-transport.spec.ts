import { describe, expect, it, vi } from 'vitest'
import { callChannel, eventChannel } from '../shared/ipc/contract'
import { createIpcTransport } from './ipc-transport'

function fakeIpc() {
  return { invoke: vi.fn(async () => ({ ok: true, value: null })), on: vi.fn(), removeListener: vi.fn() }
}

describe('createIpcTransport', () => {
  it('invokes contract call channels', async () => {
    const ipc = fakeIpc()
    await createIpcTransport(ipc).invoke(callChannel('bootstrap'), {})
    expect(ipc.invoke).toHaveBeenCalledWith(callChannel('bootstrap'), {})
  })

  it('rejects channels outside the contract without touching ipcRenderer', async () => {
    const ipc = fakeIpc()
    const transport = createIpcTransport(ipc)
    await expect(transport.invoke('electron-store-get-data', {})).rejects.toThrow('not a TickerDesk call')
    await expect(transport.invoke(eventChannel('quotes'), {})).rejects.toThrow('not a TickerDesk call')
    expect(() => transport.listen(callChannel('bootstrap'), () => {})).toThrow('not a TickerDesk event')
    expect(ipc.invoke).not.toHaveBeenCalled()
    expect(ipc.on).not.toHaveBeenCalled()
  })

  it('wraps listeners to drop the event and unsubscribes the same wrapper', () => {
    const ipc = fakeIpc()
    const listener = vi.fn()
    const off = createIpcTransport(ipc).listen(eventChannel('status'), listener)
    const [channel, wrapper] = ipc.on.mock.calls[0] as unknown as [string, (e: unknown, v: unknown) => void]
    expect(channel).toBe(eventChannel('status'))
    expect(wrapper).not.toBe(listener)
    wrapper({ sender: 'raw' }, { engine: 'running' })
    expect(listener.mock.calls).toEqual([[{ engine: 'running' }]])
    off()
    expect(ipc.removeListener).toHaveBeenCalledWith(eventChannel('status'), wrapper)
  })
})
