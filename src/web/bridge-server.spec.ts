import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { callChannel, eventChannel, type HostImpl } from '../shared/ipc/contract'
import { UserError } from '../shared/ipc/result'
import { BRIDGE_PATH } from '../shared/ipc/web-bridge'
import { createBridgeServer, type BridgeServer } from './bridge-server'
import { createRequestGuard } from './request-guard'
import { connectBridge, type BridgeTestClient } from './testing/bridge-client'

const TOKEN = 'test-token-0123456789'

let server: Server
let port: number
let bridge: BridgeServer
let closedClients: string[]
let calls: { name: string; request: unknown; clientId: string }[]
let open: BridgeTestClient[]

function fakeImpl(): HostImpl {
  const record =
    (name: string, value: unknown) =>
    (request: unknown, ctx: { clientId: string }): unknown => {
      calls.push({ name, request, clientId: ctx.clientId })
      return value
    }
  return {
    setInterest: record('setInterest', null),
    refreshNow: () => {
      throw new Error('boom: internal detail')
    },
    createWatchlist: () => {
      throw new UserError('A watchlist with that name already exists.', 'conflict')
    },
    dismissNotice: record('dismissNotice', null)
  } as unknown as HostImpl
}

const origin = (): string => `http://127.0.0.1:${port}`
const bridgeUrl = (token: string | null = TOKEN): string =>
  `ws://127.0.0.1:${port}${BRIDGE_PATH}${token === null ? '' : `?token=${encodeURIComponent(token)}`}`

async function connectOk(): Promise<BridgeTestClient> {
  const outcome = await connectBridge(bridgeUrl(), { origin: origin() })
  if (!outcome.ok) throw new Error(`connect failed with ${outcome.status}`)
  open.push(outcome.client)
  return outcome.client
}

beforeEach(async () => {
  calls = []
  closedClients = []
  open = []
  server = createServer((_req, res) => res.writeHead(404).end())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
  bridge = createBridgeServer({
    server,
    guard: createRequestGuard('127.0.0.1', port),
    token: TOKEN,
    impl: fakeImpl(),
    onClientClosed: (id) => closedClients.push(id),
    maxPayloadBytes: 4096
  })
})

afterEach(async () => {
  await Promise.all(open.map((client) => client.close()))
  await bridge.close()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

describe('bridge handshake', () => {
  it('requires the token', async () => {
    const missing = await connectBridge(bridgeUrl(null), { origin: origin() })
    expect(missing).toMatchObject({ ok: false, status: 401 })
    const wrong = await connectBridge(bridgeUrl('not-the-token'), { origin: origin() })
    expect(wrong).toMatchObject({ ok: false, status: 401 })
    if (!wrong.ok) expect(wrong.body).toContain('token')
    expect(bridge.clientCount).toBe(0)
  })

  it('rejects a foreign or missing Origin before the upgrade', async () => {
    expect(await connectBridge(bridgeUrl(), { origin: 'http://evil.example' })).toMatchObject({ ok: false, status: 403 })
    expect(await connectBridge(bridgeUrl(), { origin: `http://127.0.0.1:${port + 1}` })).toMatchObject({ ok: false, status: 403 })
    expect(await connectBridge(bridgeUrl())).toMatchObject({ ok: false, status: 403 })
    expect(bridge.clientCount).toBe(0)
  })

  it('rejects a Host that is not this server', async () => {
    const outcome = await connectBridge(bridgeUrl(), { origin: origin(), host: `rebound.example:${port}` })
    expect(outcome).toMatchObject({ ok: false, status: 403 })
  })

  it('accepts the localhost origin as well as 127.0.0.1', async () => {
    const outcome = await connectBridge(bridgeUrl(), { origin: `http://localhost:${port}` })
    expect(outcome.ok).toBe(true)
    if (outcome.ok) open.push(outcome.client)
  })

  it('answers other paths with 404', async () => {
    const outcome = await connectBridge(`ws://127.0.0.1:${port}/elsewhere?token=${TOKEN}`, { origin: origin() })
    expect(outcome).toMatchObject({ ok: false, status: 404 })
  })
})

describe('bridge calls', () => {
  it('dispatches contract calls with a per-connection client id', async () => {
    const a = await connectOk()
    const b = await connectOk()
    expect(await a.call(callChannel('setInterest'), { symbols: ['aapl'] })).toEqual({ ok: true, value: null })
    expect(await b.call(callChannel('dismissNotice'), { id: 'n1' })).toEqual({ ok: true, value: null })
    expect(calls[0]).toMatchObject({ name: 'setInterest', request: { symbols: ['AAPL'] } })
    expect(calls[0]?.clientId).toMatch(/^web-/)
    expect(calls[1]?.clientId).toMatch(/^web-/)
    expect(calls[0]?.clientId).not.toBe(calls[1]?.clientId)
  })

  it('turns bad payloads, unknown channels and failures into error results', async () => {
    const client = await connectOk()
    const invalid = await client.call(callChannel('setInterest'), { symbols: 'AAPL' })
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    expect(await client.call('tickerdesk:call:formatDisk', {})).toEqual({
      ok: false,
      error: { code: 'invalid-request', message: 'Unknown call channel "tickerdesk:call:formatDisk".' }
    })
    expect(await client.call('setInterest', {})).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    expect(await client.call(callChannel('createWatchlist'), { name: 'Tech' })).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'A watchlist with that name already exists.' }
    })
    const internal = await client.call(callChannel('refreshNow'), {})
    expect(internal).toMatchObject({ ok: false, error: { code: 'internal' } })
    expect(JSON.stringify(internal)).not.toContain('boom')
  })

  it('survives garbage and keeps serving the connection', async () => {
    const client = await connectOk()
    client.sendRaw('not json')
    client.sendRaw(JSON.stringify({ hello: 'world' }))
    client.sendRaw(JSON.stringify({ kind: 'call', id: 7, channel: 42 }))
    await client.waitFor((m) => m.kind === 'result' && m.id === 7)
    expect(client.messages.find((m) => m.kind === 'result' && m.id === 7)).toMatchObject({ result: { ok: false } })
    expect(await client.call(callChannel('refreshNow'), {})).toMatchObject({ ok: false })
    expect(await client.call(callChannel('setInterest'), { symbols: [] })).toEqual({ ok: true, value: null })
  })

  it('closes a connection that sends an oversized message', async () => {
    const client = await connectOk()
    const closed = new Promise<number>((resolve) => client.socket.once('close', (code) => resolve(code)))
    client.sendRaw(JSON.stringify({ kind: 'call', id: 1, channel: callChannel('setInterest'), payload: { symbols: ['X'.repeat(10_000)] } }))
    expect(await closed).toBe(1009)
  })
})

describe('bridge events', () => {
  it('broadcasts host events to every client on the contract channel', async () => {
    const a = await connectOk()
    const b = await connectOk()
    const notice = { id: 'n1', level: 'info' as const, message: 'Hello', at: 1 }
    bridge.broadcast('notice', notice)
    bridge.broadcast('quotes', [{ symbol: 'AAPL', price: 190 }])
    for (const client of [a, b]) {
      expect(await client.waitFor((m) => m.kind === 'event' && m.channel === eventChannel('notice'))).toEqual({
        kind: 'event',
        channel: eventChannel('notice'),
        payload: notice
      })
      expect(await client.waitFor((m) => m.kind === 'event' && m.channel === eventChannel('quotes'))).toMatchObject({
        payload: [{ symbol: 'AAPL', price: 190 }]
      })
    }
  })

  it('tells the host when a client goes away', async () => {
    const client = await connectOk()
    await client.call(callChannel('setInterest'), { symbols: ['AAPL'] })
    const id = calls[0]?.clientId
    await client.close()
    await vi.waitFor(() => expect(closedClients).toEqual([id]))
    expect(bridge.clientCount).toBe(0)
  })

  it('closes client sockets with 1001 (going away) on shutdown', async () => {
    const client = await connectOk()
    const closed = new Promise<number>((resolve) => client.socket.once('close', (code) => resolve(code)))
    await bridge.close()
    expect(await closed).toBe(1001)
  })
})
