import { describe, expect, it, vi } from 'vitest'
import { StreamListeners } from './stream-listeners'

describe('StreamListeners', () => {
  it('delivers to every listener even when one throws, logs the failure, and unsubscribes', () => {
    const log = vi.fn()
    const listeners = new StreamListeners('Test stream', log)
    const seen: string[] = []
    listeners.subscriptions.onState(() => {
      throw new Error('boom')
    })
    const off = listeners.subscriptions.onState((state, detail) => seen.push(`${state}:${detail}`))
    listeners.emitState('down', 'gone')
    expect(seen).toEqual(['down:gone'])
    expect(log).toHaveBeenCalledWith('error', 'Test stream listener failed: boom')
    off()
    listeners.emitState('open', null)
    expect(seen).toEqual(['down:gone'])
  })

  it('keeps ticks, states and symbol errors apart, and clear() drops them all', () => {
    const listeners = new StreamListeners('Test stream', () => {})
    const ticks = vi.fn()
    const errors = vi.fn()
    listeners.subscriptions.onTick(ticks)
    listeners.subscriptions.onSymbolError(errors)
    listeners.emitTicks([{ symbol: 'BTC-USD', price: 1, time: 2 }])
    listeners.emitSymbolError('XYZ-USD', 'Unknown symbol XYZ-USD')
    expect(ticks).toHaveBeenCalledWith([{ symbol: 'BTC-USD', price: 1, time: 2 }])
    expect(errors).toHaveBeenCalledWith('XYZ-USD', 'Unknown symbol XYZ-USD')
    listeners.clear()
    listeners.emitTicks([])
    expect(ticks).toHaveBeenCalledTimes(1)
  })

  it('tells a state only when it changed, starting from down', () => {
    const listeners = new StreamListeners('Test stream', () => {})
    const seen: string[] = []
    listeners.subscriptions.onState((state, detail) => seen.push(`${state}:${detail}`))
    listeners.emitState('down', null)
    listeners.emitState('connecting', null)
    listeners.emitState('connecting', null)
    listeners.emitState('down', 'gone')
    listeners.emitState('down', 'gone')
    listeners.emitState('down', 'still gone')
    expect(seen).toEqual(['connecting:null', 'down:gone', 'down:still gone'])
    expect(listeners.state).toBe('down')
  })
})
