import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createRendererApi, HostCallError } from '@shared/ipc/helpers'
import { callChannel, eventChannel } from '@shared/ipc/contract'
import { LOST_CONNECTION_MESSAGE, NOT_CONNECTED_MESSAGE, STILL_TRYING_MESSAGE, WsTransport, type SocketLike } from './ws-transport'

class FakeSocket implements SocketLike {
  readyState = 0
  sent: Array<{ kind: string; id: number; channel: string; payload: unknown }> = []
  onopen: ((event: unknown) => void) | null = null
  onmessage: ((event: { data: unknown }) => void) | null = null
  onclose: ((event: unknown) => void) | null = null
  onerror: ((event: unknown) => void) | null = null
  closedByClient = false

  constructor(readonly url: string) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data))
  }
  close(): void {
    this.closedByClient = true
    this.readyState = 3
  }
  open(): void {
    this.readyState = 1
    this.onopen?.({})
  }
  drop(): void {
    this.readyState = 3
    this.onerror?.({})
    this.onclose?.({})
  }
  reply(id: number, result: unknown): void {
    this.onmessage?.({ data: JSON.stringify({ kind: 'result', id, result }) })
  }
  emit(channel: string, payload: unknown): void {
    this.onmessage?.({ data: JSON.stringify({ kind: 'event', channel, payload }) })
  }
}

let sockets: FakeSocket[]
const latest = () => sockets[sockets.length - 1]!

function makeTransport() {
  return new WsTransport({
    url: 'ws://127.0.0.1:5000/bridge?token=abc',
    createSocket: (url) => {
      const socket = new FakeSocket(url)
      sockets.push(socket)
      return socket
    },
    backoff: { initialMs: 100, maxMs: 1000 }
  })
}

beforeEach(() => {
  sockets = []
  vi.useFakeTimers()
})
afterEach(() => vi.useRealTimers())

describe('WsTransport', () => {
  it('connects to the given URL and reports its state', () => {
    const transport = makeTransport()
    const states: string[] = []
    transport.onChange((s) => states.push(s))
    expect(latest().url).toBe('ws://127.0.0.1:5000/bridge?token=abc')
    expect(transport.state).toBe('connecting')
    latest().open()
    expect(transport.state).toBe('connected')
    expect(states).toEqual(['connected'])
  })

  it('matches results to calls by id, whatever order they come back in', async () => {
    const transport = makeTransport()
    latest().open()
    const a = transport.invoke('tickerdesk:call:a', { n: 1 })
    const b = transport.invoke('tickerdesk:call:b', { n: 2 })
    const [first, second] = latest().sent
    expect(first).toMatchObject({ kind: 'call', channel: 'tickerdesk:call:a', payload: { n: 1 } })
    expect(second!.id).toBeGreaterThan(first!.id)
    latest().reply(second!.id, 'B')
    latest().reply(first!.id, 'A')
    await expect(a).resolves.toBe('A')
    await expect(b).resolves.toBe('B')
  })

  it('sends calls made while connecting once the socket opens', async () => {
    const transport = makeTransport()
    const call = transport.invoke('x', {})
    expect(latest().sent).toHaveLength(0)
    latest().open()
    expect(latest().sent).toHaveLength(1)
    latest().reply(latest().sent[0]!.id, 42)
    await expect(call).resolves.toBe(42)
  })

  it('dispatches events by channel and ignores malformed frames', () => {
    const transport = makeTransport()
    latest().open()
    const quotes = vi.fn()
    const status = vi.fn()
    const off = transport.listen('tickerdesk:event:quotes', quotes)
    transport.listen('tickerdesk:event:status', status)
    latest().emit('tickerdesk:event:quotes', [1])
    latest().onmessage?.({ data: 'not json' })
    latest().onmessage?.({ data: JSON.stringify({ kind: 'mystery' }) })
    expect(quotes).toHaveBeenCalledWith([1])
    expect(status).not.toHaveBeenCalled()
    off()
    latest().emit('tickerdesk:event:quotes', [2])
    expect(quotes).toHaveBeenCalledTimes(1)
  })

  it('rejects pending calls at once when the socket drops, then reconnects with backoff', async () => {
    const transport = makeTransport()
    latest().open()
    const pending = transport.invoke('x', {})
    latest().drop()
    await expect(pending).rejects.toThrow(LOST_CONNECTION_MESSAGE)
    expect(transport.state).toBe('disconnected')
    await expect(transport.invoke('y', {})).rejects.toThrow(NOT_CONNECTED_MESSAGE)

    expect(sockets).toHaveLength(1)
    vi.advanceTimersByTime(100)
    expect(sockets).toHaveLength(2)
    expect(transport.state).toBe('connecting')
    latest().drop()
    vi.advanceTimersByTime(199)
    expect(sockets).toHaveLength(2)
    vi.advanceTimersByTime(1)
    expect(sockets).toHaveLength(3)
    latest().open()
    expect(transport.state).toBe('connected')

    // Listeners registered before the drop keep working on the new socket.
    const listener = vi.fn()
    transport.listen('e', listener)
    latest().emit('e', 'after')
    expect(listener).toHaveBeenCalledWith('after')
  })

  it('rejects calls queued during an attempt that fails before opening', async () => {
    const transport = makeTransport()
    const queued = transport.invoke('x', {})
    latest().drop()
    await expect(queued).rejects.toThrow(/Reconnecting/)
    expect(transport.state).toBe('disconnected')
  })

  it('after repeated failed attempts suggests the address may be stale, and forgets it on success', () => {
    const transport = makeTransport()
    for (let i = 0; i < 3; i++) {
      latest().drop()
      vi.advanceTimersByTime(1000)
    }
    expect(transport.problem).toBeNull()
    latest().drop()
    expect(transport.problem).toBe(STILL_TRYING_MESSAGE)
    vi.advanceTimersByTime(1000)
    latest().open()
    expect(transport.problem).toBeNull()
  })

  it('ignores results for unknown ids and stops for good on close()', async () => {
    const transport = makeTransport()
    latest().open()
    latest().reply(999, 'nobody asked')
    const pending = transport.invoke('x', {})
    transport.close()
    await expect(pending).rejects.toThrow(/closed/)
    expect(latest().closedByClient).toBe(true)
    vi.advanceTimersByTime(60_000)
    expect(sockets).toHaveLength(1)
    await expect(transport.invoke('x', {})).rejects.toThrow(/closed/)
  })

  it('carries the typed API: results and host errors arrive as values and HostCallErrors', async () => {
    const transport = makeTransport()
    const api = createRendererApi(transport)
    latest().open()
    const ok = api.refreshNow({})
    const bad = api.addSymbol({ listId: 'l1', symbol: 'ZZZ' })
    const [refresh, add] = latest().sent
    expect(refresh!.channel).toBe(callChannel('refreshNow'))
    latest().reply(refresh!.id, { ok: true, value: null })
    latest().reply(add!.id, { ok: false, error: { code: 'invalid-request', message: 'Unknown symbol ZZZ' } })
    await expect(ok).resolves.toBeNull()
    await expect(bad).rejects.toBeInstanceOf(HostCallError)
    await expect(bad).rejects.toThrow('Unknown symbol ZZZ')

    const notices = vi.fn()
    api.on('notice', notices)
    latest().emit(eventChannel('notice'), { id: 'n1', level: 'info', message: 'hi', at: 1 })
    expect(notices).toHaveBeenCalledWith({ id: 'n1', level: 'info', message: 'hi', at: 1 })
  })
})
