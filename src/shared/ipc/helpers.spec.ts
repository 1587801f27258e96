import { describe, expect, it, vi } from 'vitest'
import { callChannel, eventChannel, HOST_CALL_NAMES, hostCalls, type HostImpl } from './contract'
import { createRendererApi, dispatchCall, HostCallError, type RendererTransport } from './helpers'
import { UserError } from './result'

const state = { lists: [{ id: 'l1', name: 'Main', symbols: ['AAPL'] }], activeId: 'l1' }

function fakeImpl(overrides: Partial<HostImpl> = {}): HostImpl {
  const base: Partial<HostImpl> = {
    createWatchlist: ({ name }) => ({ lists: [...state.lists, { id: 'l2', name, symbols: [] }], activeId: 'l1' }),
    addSymbol: ({ symbol }) => {
      if (symbol === 'DUP') throw new UserError('DUP is already in Main', 'conflict')
      if (symbol === 'BOOM') throw new Error('secret stack detail')
      return state
    },
    setInterest: () => null
  }
  return { ...base, ...overrides } as HostImpl
}

/** A transport that loops calls straight into dispatchCall, like the preload + ipcMain pair does. */
function loopback(impl: HostImpl): RendererTransport & { fire(channel: string, payload: unknown): void } {
  const listeners = new Map<string, Set<(p: unknown) => void>>()
  return {
    invoke: async (channel, payload) => {
      const name = HOST_CALL_NAMES.find((n) => callChannel(n) === channel)
      return dispatchCall(impl, name, payload, { clientId: 'test' })
    },
    listen: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set()
      set.add(listener)
      listeners.set(channel, set)
      return () => set.delete(listener)
    },
    fire: (channel, payload) => listeners.get(channel)?.forEach((l) => l(payload))
  }
}

describe('contract', () => {
  it('derives one distinct channel per call and per event', () => {
    const channels = HOST_CALL_NAMES.map(callChannel)
    expect(new Set(channels).size).toBe(channels.length)
    expect(callChannel('addSymbol')).not.toBe(eventChannel('quotes'))
  })
})

describe('dispatchCall', () => {
  it('rejects unknown calls and malformed payloads with plain words', async () => {
    const impl = fakeImpl()
    expect(await dispatchCall(impl, 'deleteEverything', {}, { clientId: 'x' })).toEqual({
      ok: false,
      error: { code: 'invalid-request', message: 'Unknown call "deleteEverything".' }
    })
    const bad = await dispatchCall(impl, 'createWatchlist', { name: '' }, { clientId: 'x' })
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.error.message).toMatch(/needs a name/)
    const extra = await dispatchCall(impl, 'bootstrap', { sneaky: true }, { clientId: 'x' })
    expect(extra.ok).toBe(false)
  })

  it('passes UserError messages through and hides internal errors', async () => {
    const onInternal = vi.fn()
    const impl = fakeImpl()
    const dup = await dispatchCall(impl, 'addSymbol', { listId: 'l1', symbol: 'DUP' }, { clientId: 'x' }, onInternal)
    expect(dup).toEqual({ ok: false, error: { code: 'conflict', message: 'DUP is already in Main' } })
    const boom = await dispatchCall(impl, 'addSymbol', { listId: 'l1', symbol: 'BOOM' }, { clientId: 'x' }, onInternal)
    expect(boom.ok).toBe(false)
    if (!boom.ok) expect(boom.error.message).not.toContain('secret')
    expect(onInternal).toHaveBeenCalledOnce()
  })

  it('hands the validated, transformed request and the client id to the implementation', async () => {
    const setInterest = vi.fn(() => null)
    await dispatchCall(fakeImpl({ setInterest }), 'setInterest', { symbols: [' aapl '] }, { clientId: 'window:3' })
    expect(setInterest).toHaveBeenCalledWith({ symbols: ['AAPL'] }, { clientId: 'window:3' })
  })
})

describe('createRendererApi', () => {
  it('exposes exactly one function per contract call plus on()', () => {
    const api = createRendererApi(loopback(fakeImpl()))
    expect(Object.keys(api).sort()).toEqual([...Object.keys(hostCalls), 'on'].sort())
  })

  it('resolves values and rejects with the host message', async () => {
    const api = createRendererApi(loopback(fakeImpl()))
    const next = await api.createWatchlist({ name: 'Crypto' })
    expect(next.lists.map((l) => l.name)).toEqual(['Main', 'Crypto'])
    await expect(api.addSymbol({ listId: 'l1', symbol: 'DUP' })).rejects.toThrow(HostCallError)
    await expect(api.addSymbol({ listId: 'l1', symbol: 'DUP' })).rejects.toThrow('DUP is already in Main')
  })

  it('rejects a malformed reply instead of passing it to the UI', async () => {
    const api = createRendererApi({ invoke: async () => ({ ok: true, value: { lists: 'nope' } }), listen: () => () => {} })
    await expect(api.createWatchlist({ name: 'x' })).rejects.toThrow(/malformed/)
  })

  it('validates events, drops malformed ones and unsubscribes', () => {
    const transport = loopback(fakeImpl())
    const invalid = vi.fn()
    const api = createRendererApi(transport, invalid)
    const seen: unknown[] = []
    const off = api.on('quotes', (patches) => seen.push(patches))
    transport.fire(eventChannel('quotes'), [{ symbol: 'AAPL', price: 1.5 }])
    transport.fire(eventChannel('quotes'), [{ price: 2 }])
    off()
    transport.fire(eventChannel('quotes'), [{ symbol: 'AAPL', price: 3 }])
    expect(seen).toEqual([[{ symbol: 'AAPL', price: 1.5 }]])
    expect(invalid).toHaveBeenCalledWith('quotes')
  })

  it('checks quote batches field by field and passes on only contract fields', () => {
    const transport = loopback(fakeImpl())
    const invalid = vi.fn()
    const api = createRendererApi(transport, invalid)
    const seen: unknown[] = []
    api.on('quotes', (patches) => seen.push(patches))
    transport.fire(eventChannel('quotes'), [{ symbol: 'AAPL', price: 1.5, injected: '<b>' }])
    transport.fire(eventChannel('quotes'), [{ symbol: 'AAPL', price: 2 }, { symbol: 'MSFT', marketState: 'open' }])
    transport.fire(eventChannel('quotes'), { symbol: 'AAPL', price: 3 })
    expect(seen).toStrictEqual([[{ symbol: 'AAPL', price: 1.5 }]])
    expect(invalid).toHaveBeenCalledTimes(2)
  })
})
