import { randomUUID } from 'node:crypto'
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, WebSocket, type RawData } from 'ws'
import {
  HOST_CALL_NAMES,
  callChannel,
  eventChannel,
  type EventPayload,
  type HostCallName,
  type HostEventName,
  type HostImpl
} from '../shared/ipc/contract'
import { dispatchCall } from '../shared/ipc/helpers'
import type { Result } from '../shared/ipc/result'
import { BRIDGE_PATH, BRIDGE_TOKEN_PARAM, BridgeClientMessageSchema, type BridgeServerMessage } from '../shared/ipc/web-bridge'
import { QuoteBackpressure } from './quote-backpressure'
import { tokenMatches, type RequestGuard } from './request-guard'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type Log = (level: LogLevel, message: string) => void

export interface BridgeServerOptions {
  server: Server
  guard: RequestGuard
  token: string
  /** The host implementation calls are dispatched to (HostCore.impl). */
  impl: HostImpl
  /** Called once per client when its socket closes, so the host can drop its interest. */
  onClientClosed: (clientId: string) => void
  log?: Log
  /** Largest accepted message, bytes; bigger ones close the socket with 1009. */
  maxPayloadBytes?: number
  /** Above this many unsent bytes a client counts as slow and quote batches are held back. */
  slowClientBytes?: number
  /** Ping interval used to notice dead connections; 0 disables it. */
  heartbeatMs?: number
}

export interface BridgeServer {
  broadcast<K extends HostEventName>(event: K, payload: EventPayload<K>): void
  readonly clientCount: number
  close(): Promise<void>
}

export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024
export const DEFAULT_SLOW_CLIENT_BYTES = 4 * 1024 * 1024

const CHANNEL_TO_CALL: ReadonlyMap<string, HostCallName> = new Map(HOST_CALL_NAMES.map((name) => [callChannel(name), name]))
const QUOTES_CHANNEL = eventChannel('quotes')

interface Client {
  readonly id: string
  readonly socket: WebSocket
  alive: boolean
  quotes: QuoteBackpressure
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }

function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const body = `${message}\n`
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
      body
  )
}

function errorResult(message: string): Result<never> {
  return { ok: false, error: { code: 'invalid-request', message } }
}

function idOf(raw: unknown): number | null {
  if (typeof raw !== 'object' || raw === null) return null
  const id = (raw as { id?: unknown }).id
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : null
}

/**
 * The web shell's WebSocket bridge: the browser's equivalent of the Electron preload. It speaks
 * only the contract's channels and checks Host, Origin and the per-start token before the upgrade.
 */
export function createBridgeServer(options: BridgeServerOptions): BridgeServer {
  const log: Log = options.log ?? (() => {})
  const slowBytes = options.slowClientBytes ?? DEFAULT_SLOW_CLIENT_BYTES
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES })
  const clients = new Map<string, Client>()
  let closing = false

  const send = (client: Client, message: BridgeServerMessage): void => {
    if (client.socket.readyState === WebSocket.OPEN) client.socket.send(JSON.stringify(message))
  }

  const handleMessage = async (client: Client, data: RawData, isBinary: boolean): Promise<void> => {
    if (isBinary) {
      log('warn', `Web client ${client.id} sent a binary message; only JSON text is understood.`)
      return
    }
    let raw: unknown
    try {
      raw = JSON.parse(data.toString())
    } catch {
      log('warn', `Web client ${client.id} sent a message that is not valid JSON; it was ignored.`)
      return
    }
    const parsed = BridgeClientMessageSchema.safeParse(raw)
    if (!parsed.success) {
      const id = idOf(raw)
      // Without an id there is no call to answer, so the log is the only place to say so.
      if (id === null) log('warn', `Web client ${client.id} sent a message that is not a call; it was ignored.`)
      else send(client, { kind: 'result', id, result: errorResult('The request was not a well-formed call.') })
      return
    }
    const { id, channel, payload } = parsed.data
    const name = CHANNEL_TO_CALL.get(channel)
    const result =
      name === undefined
        ? errorResult(`Unknown call channel "${channel}".`)
        : await dispatchCall(options.impl, name, payload, { clientId: client.id }, (call, error) =>
            log('error', `Call ${call} from web client ${client.id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
          )
    send(client, { kind: 'result', id, result })
  }

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    let url: URL
    try {
      url = new URL(req.url ?? '/', 'http://bridge.invalid')
    } catch {
      refuseUpgrade(socket, 400, 'Malformed request address.')
      return
    }
    if (url.pathname !== BRIDGE_PATH) return refuseUpgrade(socket, 404, 'Not found.')
    if (closing) return refuseUpgrade(socket, 404, 'The TickerDesk web shell is shutting down.')
    if (!options.guard.isAllowedHost(req.headers.host)) {
      return refuseUpgrade(socket, 403, 'Forbidden: this address is not one the TickerDesk web shell answers to.')
    }
    if (!options.guard.isAllowedOrigin(req.headers.origin)) {
      log('warn', `Refused a bridge connection from origin ${req.headers.origin ?? '(none)'}.`)
      return refuseUpgrade(socket, 403, 'Forbidden: connections are only accepted from the TickerDesk page itself.')
    }
    if (!tokenMatches(options.token, url.searchParams.get(BRIDGE_TOKEN_PARAM))) {
      return refuseUpgrade(socket, 401, 'Unauthorized: open TickerDesk with the full address printed at start-up (it carries the access token).')
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const id = `web-${randomUUID()}`
      const quotes = new QuoteBackpressure(
        {
          get bufferedAmount() {
            return ws.bufferedAmount
          },
          sendQuotes: (patches) => {
            if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ kind: 'event', channel: QUOTES_CHANNEL, payload: patches } satisfies BridgeServerMessage))
          }
        },
        slowBytes
      )
      const client: Client = { id, socket: ws, alive: true, quotes }
      clients.set(client.id, client)
      log('info', `Web client ${client.id} connected.`)
      ws.on('pong', () => {
        client.alive = true
      })
      ws.on('message', (data, isBinary) => {
        handleMessage(client, data, isBinary).catch((error: unknown) =>
          log('error', `Bridge failed to handle a message: ${error instanceof Error ? error.message : String(error)}`)
        )
      })
      ws.on('error', (error) => log('warn', `Web client ${client.id}: ${error.message}`))
      ws.on('close', () => {
        clients.delete(client.id)
        log('info', `Web client ${client.id} disconnected.`)
        options.onClientClosed(client.id)
      })
    })
  }
  options.server.on('upgrade', onUpgrade)

  const heartbeat =
    (options.heartbeatMs ?? 30_000) > 0
      ? setInterval(() => {
          for (const client of clients.values()) {
            if (!client.alive) {
              client.socket.terminate()
              continue
            }
            client.alive = false
            client.socket.ping()
          }
        }, options.heartbeatMs ?? 30_000)
      : undefined
  heartbeat?.unref()

  return {
    broadcast(event, payload) {
      if (event === 'quotes') {
        for (const client of clients.values()) client.quotes.deliver(payload as EventPayload<'quotes'>)
        return
      }
      const text = JSON.stringify({ kind: 'event', channel: eventChannel(event), payload } satisfies BridgeServerMessage)
      for (const client of clients.values()) {
        if (client.socket.readyState === WebSocket.OPEN) client.socket.send(text)
      }
    },
    get clientCount() {
      return clients.size
    },
    async close() {
      closing = true
      if (heartbeat) clearInterval(heartbeat)
      options.server.off('upgrade', onUpgrade)
      const closed = [...clients.values()].map(
        (client) =>
          new Promise<void>((resolve) => {
            if (client.socket.readyState === WebSocket.CLOSED) return resolve()
            const force = setTimeout(() => client.socket.terminate(), 1000)
            client.socket.once('close', () => {
              clearTimeout(force)
              resolve()
            })
            client.socket.close(1001, 'TickerDesk web shell is shutting down')
          })
      )
      await Promise.all(closed)
      await new Promise<void>((resolve) => wss.close(() => resolve()))
    }
  }
}
