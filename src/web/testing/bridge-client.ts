import WebSocket from 'ws'
import { BridgeServerMessageSchema, type BridgeServerMessage } from '../../shared/ipc/web-bridge'

export type ConnectOutcome = { ok: true; client: BridgeTestClient } | { ok: false; status: number; body: string }

/** A Node-side stand-in for the page's socket, for specs of the bridge. */
export class BridgeTestClient {
  readonly messages: BridgeServerMessage[] = []
  private nextId = 1
  private waiters: (() => void)[] = []

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.messages.push(BridgeServerMessageSchema.parse(JSON.parse(data.toString())))
      for (const wake of this.waiters.splice(0)) wake()
    })
  }

  /** Sends a call and resolves with the result envelope the bridge answered with. */
  async call(channel: string, payload: unknown): Promise<unknown> {
    const id = this.nextId++
    this.socket.send(JSON.stringify({ kind: 'call', id, channel, payload }))
    const reply = await this.waitFor((m) => m.kind === 'result' && m.id === id)
    return reply.kind === 'result' ? reply.result : undefined
  }

  sendRaw(text: string): void {
    this.socket.send(text)
  }

  waitFor(match: (message: BridgeServerMessage) => boolean, timeoutMs = 3000): Promise<BridgeServerMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching bridge message arrived')), timeoutMs)
      const check = (): void => {
        const found = this.messages.find(match)
        if (found) {
          clearTimeout(timer)
          resolve(found)
        } else this.waiters.push(check)
      }
      check()
    })
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.readyState === WebSocket.CLOSED) return resolve()
      this.socket.once('close', () => resolve())
      this.socket.close()
    })
  }
}

export function connectBridge(url: string, headers: { origin?: string; host?: string } = {}): Promise<ConnectOutcome> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, {
      ...(headers.origin !== undefined ? { origin: headers.origin } : {}),
      ...(headers.host !== undefined ? { headers: { host: headers.host } } : {})
    })
    socket.once('open', () => resolve({ ok: true, client: new BridgeTestClient(socket) }))
    socket.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ ok: false, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
    })
    socket.once('error', (error) => reject(error))
  })
}
