import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { createEnginePort, type ProcessLike } from './port-adapter'

describe('createEnginePort', () => {
  it('prefers Electron’s parentPort and unwraps event.data', () => {
    const parentPort = Object.assign(new EventEmitter(), { posted: [] as unknown[], postMessage(m: unknown) { this.posted.push(m) } })
    const proc = Object.assign(new EventEmitter(), { parentPort, send: () => true }) as unknown as ProcessLike
    const port = createEnginePort(proc)
    expect(port?.kind).toBe('utility')
    const received: unknown[] = []
    port?.onMessage((data) => received.push(data))
    parentPort.emit('message', { data: { type: 'refresh' }, ports: [] })
    expect(received).toEqual([{ type: 'refresh' }])
    port?.post({ type: 'ready', pid: 7 })
    expect(parentPort.posted).toEqual([{ type: 'ready', pid: 7 }])
  })

  it('falls back to process.send / process.on("message") under child_process.fork', () => {
    const sent: unknown[] = []
    const proc = Object.assign(new EventEmitter(), {
      connected: true,
      send(message: unknown) {
        sent.push(message)
        return true
      }
    })
    const port = createEnginePort(proc as unknown as ProcessLike)
    expect(port?.kind).toBe('fork')
    const received: unknown[] = []
    let disconnected = false
    port?.onMessage((data) => received.push(data))
    port?.onDisconnect(() => (disconnected = true))
    proc.emit('message', { type: 'refresh' })
    port?.post({ type: 'ready', pid: 7 })
    expect(received).toEqual([{ type: 'refresh' }])
    expect(sent).toEqual([{ type: 'ready', pid: 7 }])

    proc.connected = false
    proc.emit('disconnect')
    port?.post({ type: 'ready', pid: 8 })
    expect(sent).toHaveLength(1)
    expect(disconnected).toBe(true)
  })

  it('drains under fork only once every send has called back', async () => {
    const callbacks: (() => void)[] = []
    const proc = Object.assign(new EventEmitter(), {
      connected: true,
      send(_message: unknown, callback: () => void) {
        callbacks.push(callback)
        return true
      }
    })
    const port = createEnginePort(proc as unknown as ProcessLike)
    await port?.drain?.()
    port?.post({ type: 'ready', pid: 1 })
    port?.post({ type: 'ready', pid: 2 })
    let drained = false
    void port?.drain?.().then(() => (drained = true))
    callbacks[0]?.()
    await Promise.resolve()
    expect(drained).toBe(false)
    callbacks[1]?.()
    await Promise.resolve()
    expect(drained).toBe(true)
  })

  it('returns null when there is no parent to talk to', () => {
    expect(createEnginePort(new EventEmitter() as unknown as ProcessLike)).toBeNull()
  })
})
