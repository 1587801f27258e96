import type { RendererTransport } from '@shared/ipc/helpers'
import { BridgeServerMessageSchema, type BridgeClientMessage } from '@shared/ipc/web-bridge'
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from '../lib/backoff'
import type { ConnectionState, HostConnection } from './connection'

/** The part of the browser WebSocket this transport uses, so tests can hand in a fake. */
export interface SocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((event: unknown) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  onclose: ((event: unknown) => void) | null
  onerror: ((event: unknown) => void) | null
}

export interface WsTransportOptions {
  url: string
  createSocket?: (url: string) => SocketLike
  setTimer?: (callback: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
  backoff?: BackoffOptions
}

const OPEN = 1

export const LOST_CONNECTION_MESSAGE = 'Lost the connection to TickerDesk before it answered. Reconnecting…'
export const NOT_CONNECTED_MESSAGE = 'Cannot reach TickerDesk right now. Reconnecting…'
const CLOSED_MESSAGE = 'The connection to TickerDesk was closed.'
export const STILL_TRYING_MESSAGE =
  'Still trying to reach TickerDesk. If the web shell was restarted, open the new address it printed.'
/** Failed attempts in a row before the page suggests the address may be stale (a new start means a new token). */
const ATTEMPTS_BEFORE_HINT = 4

interface PendingCall {
  resolve: (value: unknown) => void
  reject: (error: Error) => void
}

/**
 * RendererTransport over the web shell's WebSocket bridge. Calls carry increasing ids and
 * settle on the matching result; events fan out by channel. A dropped socket reconnects with
 * backoff, and every call still waiting is rejected at once so no button hangs.
 */
export class WsTransport implements RendererTransport, HostConnection {
  private socket: SocketLike | null = null
  private nextId = 1
  private readonly pending = new Map<number, PendingCall>()
  /** Calls made while the socket is still opening; sent on open, rejected if the attempt fails. */
  private readonly queued: Array<{ message: BridgeClientMessage; call: PendingCall }> = []
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>()
  private readonly stateListeners = new Set<(state: ConnectionState) => void>()
  private attempt = 0
  private retryTimer: unknown = null
  private closed = false
  private current: ConnectionState = 'disconnected'
  private failedAttempts = 0

  private readonly createSocket: (url: string) => SocketLike
  private readonly setTimer: (callback: () => void, ms: number) => unknown
  private readonly clearTimer: (handle: unknown) => void

  constructor(private readonly options: WsTransportOptions) {
    this.createSocket = options.createSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike)
    this.setTimer = options.setTimer ?? ((cb, ms) => setTimeout(cb, ms))
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>))
    this.connect()
  }

  get state(): ConnectionState {
    return this.current
  }

  get problem(): string | null {
    return this.failedAttempts >= ATTEMPTS_BEFORE_HINT ? STILL_TRYING_MESSAGE : null
  }

  onChange(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener)
    return () => this.stateListeners.delete(listener)
  }

  invoke(channel: string, payload: unknown): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error(CLOSED_MESSAGE))
    if (this.current === 'disconnected') return Promise.reject(new Error(NOT_CONNECTED_MESSAGE))
    return new Promise((resolve, reject) => {
      const message: BridgeClientMessage = { kind: 'call', id: this.nextId++, channel, payload }
      const call = { resolve, reject }
      if (this.current === 'connected' && this.socket?.readyState === OPEN) this.send(message, call)
      else this.queued.push({ message, call })
    })
  }

  listen(channel: string, listener: (payload: unknown) => void): () => void {
    let set = this.listeners.get(channel)
    if (!set) {
      set = new Set()
      this.listeners.set(channel, set)
    }
    set.add(listener)
    return () => {
      set.delete(listener)
      if (set.size === 0) this.listeners.delete(channel)
    }
  }

  /** Stops for good: no more reconnects, everything waiting is rejected. */
  close(): void {
    this.closed = true
    if (this.retryTimer !== null) this.clearTimer(this.retryTimer)
    this.retryTimer = null
    const socket = this.socket
    this.socket = null
    if (socket) this.detach(socket).close(1000, 'closing')
    this.failWaiting(CLOSED_MESSAGE)
    this.setState('disconnected')
  }

  private connect(): void {
    this.retryTimer = null
    if (this.closed) return
    this.setState('connecting')
    let socket: SocketLike
    try {
      socket = this.createSocket(this.options.url)
    } catch {
      this.dropped()
      return
    }
    this.socket = socket
    socket.onopen = () => {
      if (this.socket !== socket) return
      this.attempt = 0
      this.failedAttempts = 0
      this.setState('connected')
      for (const { message, call } of this.queued.splice(0)) this.send(message, call)
    }
    socket.onmessage = (event) => {
      if (this.socket === socket) this.receive(event.data)
    }
    // Browsers fire error then close; close alone drives the reconnect.
    socket.onerror = () => {}
    socket.onclose = () => {
      if (this.socket === socket) this.dropped()
    }
  }

  private dropped(): void {
    if (this.current === 'connecting') this.failedAttempts++
    if (this.socket) this.detach(this.socket)
    this.socket = null
    this.failWaiting(LOST_CONNECTION_MESSAGE)
    if (this.closed) return
    this.setState('disconnected')
    const delay = backoffDelay(this.attempt++, this.options.backoff ?? DEFAULT_BACKOFF)
    this.retryTimer = this.setTimer(() => this.connect(), delay)
  }

  private send(message: BridgeClientMessage, call: PendingCall): void {
    this.pending.set(message.id, call)
    try {
      this.socket?.send(JSON.stringify(message))
    } catch (error) {
      this.pending.delete(message.id)
      call.reject(new Error(error instanceof Error ? `Could not send to TickerDesk: ${error.message}` : NOT_CONNECTED_MESSAGE))
    }
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return
    let raw: unknown
    try {
      raw = JSON.parse(data)
    } catch {
      return
    }
    const parsed = BridgeServerMessageSchema.safeParse(raw)
    if (!parsed.success) return
    const message = parsed.data
    if (message.kind === 'result') {
      const call = this.pending.get(message.id)
      if (!call) return
      this.pending.delete(message.id)
      call.resolve(message.result)
      return
    }
    const set = this.listeners.get(message.channel)
    if (!set) return
    for (const listener of [...set]) {
      try {
        listener(message.payload)
      } catch (error) {
        // One faulty listener must not starve the others of events.
        console.error(`TickerDesk: a listener for ${message.channel} failed`, error)
      }
    }
  }

  private failWaiting(reason: string): void {
    const calls = [...this.pending.values(), ...this.queued.splice(0).map((q) => q.call)]
    this.pending.clear()
    for (const call of calls) call.reject(new Error(reason))
  }

  private detach(socket: SocketLike): SocketLike {
    socket.onopen = null
    socket.onmessage = null
    socket.onclose = null
    socket.onerror = null
    return socket
  }

  private setState(state: ConnectionState): void {
    if (state === this.current) return
    this.current = state
    for (const listener of [...this.stateListeners]) listener(state)
  }
}
