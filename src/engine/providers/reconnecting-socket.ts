/**
 * One websocket that stays up: it reconnects after any loss with a jittered exponential delay,
 * drops a line that went silent (watchdog), can be renewed on purpose (a server's announced
 * shutdown, a maximum connection age) and reports its state in plain words. The feed on top of
 * it decides what to subscribe on each open and how to read messages.
 */
import WebSocket from 'ws'
import { describeWait } from './http-errors'
import type { ProviderDeps } from './provider'
import type { StreamState } from './quote-stream'

export interface SocketTimers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/** The tuning every feed built on this socket takes; tests shorten the waits. */
export interface FeedSocketOptions {
  deps: ProviderDeps
  timers?: SocketTimers
  /** 0 ≤ random() < 1, for the backoff jitter. */
  random?: () => number
  watchdogMs?: number
  backoff?: { initialMs?: number; maxMs?: number }
}

export interface ReconnectingSocketOptions {
  /** "Coinbase stream": starts every state detail and log line. */
  label: string
  /** The address for the next connection (it may carry the current subscriptions). */
  url: () => string
  deps: ProviderDeps
  headers?: Record<string, string>
  timers?: SocketTimers
  /** 0 ≤ random() < 1, for the backoff jitter. */
  random?: () => number
  backoff?: { initialMs?: number; maxMs?: number }
  /** With no message or ping for this long the line counts as dead. */
  watchdogMs: number
  /** Renew the connection before the server's own limit on its age. */
  maxAgeMs?: number
  handshakeTimeoutMs?: number
  /** How a refused handshake (HTTP status) is told; `backOffFully` waits the longest delay at once. */
  refusal?: (status: number) => { why: string; backOffFully?: boolean }
  /** Asked when a reconnect is due; false leaves the line down until start(). */
  shouldReconnect?: () => boolean
  onOpen(): void
  onMessage(text: string): void
  onState(state: StreamState, detail: string | null): void
}

export const REAL_TIMERS: SocketTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>)
}

/** Equal jitter: half the exponential step fixed, half random, so clients do not reconnect in step. */
export function jitteredBackoff(attempt: number, random: () => number, initialMs: number, maxMs: number): number {
  const step = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30))
  return Math.round(step / 2 + random() * (step / 2))
}

export class ReconnectingSocket {
  private socket: WebSocket | null = null
  private attempt = 0
  private reconnectTimer: unknown = null
  private watchdogTimer: unknown = null
  private ageTimer: unknown = null
  private wanted = false
  private closed = false
  private readonly timers: SocketTimers
  private readonly random: () => number

  constructor(private readonly options: ReconnectingSocketOptions) {
    this.timers = options.timers ?? REAL_TIMERS
    this.random = options.random ?? Math.random
  }

  get isOpen(): boolean {
    return this.socket?.readyState === WebSocket.OPEN
  }

  /** Connects unless connected, connecting or waiting to reconnect. */
  start(): void {
    if (this.closed) return
    this.wanted = true
    if (this.socket === null && this.reconnectTimer === null) this.connect()
  }

  /** Disconnects and stays down until start(); nothing left to stream is not an outage. */
  stop(): void {
    this.wanted = false
    this.cancelReconnect()
    const ws = this.socket
    if (ws !== null) this.forget(ws)
    this.options.onState('down', null)
  }

  /** Stops for good; with a goodbye an open socket is closed politely (code 1000) rather than cut. */
  close(goodbye?: string): void {
    if (this.closed) return
    const ws = this.socket
    if (goodbye !== undefined && ws !== null && ws.readyState === WebSocket.OPEN) {
      this.forget(ws, goodbye)
    }
    this.stop()
    this.closed = true
  }

  /** Sends on the open socket; false when there is none (the next open resubscribes anyway). */
  send(text: string): boolean {
    if (!this.isOpen) return false
    this.socket?.send(text)
    return true
  }

  /** Replaces the connection now, without a backoff: a planned renewal, not a failure. */
  renew(reason: string): void {
    if (this.closed || !this.wanted) return
    this.options.deps.log('info', `${this.options.label}: ${reason}; connecting again`)
    const ws = this.socket
    if (ws !== null) this.forget(ws)
    this.cancelReconnect()
    this.connect()
  }

  private connect(): void {
    const { label } = this.options
    this.options.onState('connecting', null)
    let ws: WebSocket
    try {
      ws = new WebSocket(this.options.url(), {
        handshakeTimeout: this.options.handshakeTimeoutMs ?? 10_000,
        headers: this.options.headers,
        // Binance pings every 20 s and cuts clients that do not pong; ws answers by itself.
        autoPong: true
      })
    } catch (error) {
      this.scheduleReconnect(`${label} address is unusable (${error instanceof Error ? error.message : String(error)})`)
      return
    }
    this.socket = ws
    ws.on('open', () => {
      if (this.socket !== ws) return
      this.armWatchdog(ws)
      if (this.options.maxAgeMs !== undefined) {
        this.ageTimer = this.timers.setTimeout(() => {
          this.ageTimer = null
          if (this.socket === ws) this.renew(`connection is ${describeWait(this.options.maxAgeMs ?? 0)} old`)
        }, this.options.maxAgeMs)
      }
      this.options.onState('open', null)
      this.options.onOpen()
    })
    ws.on('message', (data) => {
      if (this.socket !== ws) return
      this.armWatchdog(ws)
      this.attempt = 0
      this.options.onMessage(data.toString())
    })
    ws.on('ping', () => {
      if (this.socket === ws) this.armWatchdog(ws)
    })
    ws.on('unexpected-response', (_request, response) => {
      const status = response.statusCode ?? 0
      const refusal = this.options.refusal?.(status) ?? { why: `${label} refused the connection (HTTP ${status})` }
      if (refusal.backOffFully === true) this.attempt = Math.max(this.attempt, 30)
      this.drop(ws, refusal.why)
    })
    ws.on('error', (error) => {
      this.options.deps.log('info', `${label} error: ${error.message}`)
      this.drop(ws, `${label} failed (${error.message})`)
    })
    ws.on('close', (code) => this.drop(ws, `${label} closed (code ${code})`))
  }

  private armWatchdog(ws: WebSocket): void {
    if (this.watchdogTimer !== null) this.timers.clearTimeout(this.watchdogTimer)
    const ms = this.options.watchdogMs
    this.watchdogTimer = this.timers.setTimeout(() => {
      this.watchdogTimer = null
      this.options.deps.log('warn', `${this.options.label}: nothing heard for ${describeWait(ms)}; reconnecting`)
      this.drop(ws, `${this.options.label} went silent for ${describeWait(ms)}`)
    }, ms)
  }

  /** Lets go of a socket: no more events from it, timers off. */
  private forget(ws: WebSocket, goodbye?: string): void {
    if (this.socket === ws) this.socket = null
    for (const timer of [this.watchdogTimer, this.ageTimer]) if (timer !== null) this.timers.clearTimeout(timer)
    this.watchdogTimer = null
    this.ageTimer = null
    ws.removeAllListeners()
    ws.on('error', () => undefined)
    if (goodbye === undefined) ws.terminate()
    else ws.close(1000, goodbye)
  }

  private drop(ws: WebSocket, why: string): void {
    if (this.socket !== ws) return
    this.forget(ws)
    this.scheduleReconnect(why)
  }

  private scheduleReconnect(why: string): void {
    if (this.closed || !this.wanted) return
    const { initialMs = 1_000, maxMs = 60_000 } = this.options.backoff ?? {}
    const delay = jitteredBackoff(this.attempt, this.random, initialMs, maxMs)
    this.attempt++
    this.options.onState('down', `${why}; reconnecting in ${describeWait(delay)}.`)
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = null
      if (!this.wanted || this.closed) return
      if (this.options.shouldReconnect?.() === false) this.options.onState('down', null)
      else this.connect()
    }, delay)
  }

  private cancelReconnect(): void {
    if (this.reconnectTimer !== null) this.timers.clearTimeout(this.reconnectTimer)
    this.reconnectTimer = null
  }
}
