import { describe, expect, it } from 'vitest'
import { PRIORITY_LIMIT, PrioritySymbols } from './priority-symbols'

function setup(options: { armed?: string[]; ready?: boolean; limit?: number } = {}) {
  const sent: string[][] = []
  let armed = options.armed ?? []
  let ready = options.ready ?? true
  const priorities = new PrioritySymbols({
    armedAlertSymbols: () => armed,
    engineReady: () => ready,
    send: (symbols) => sent.push(symbols),
    limit: options.limit
  })
  return {
    priorities,
    sent,
    setArmed: (symbols: string[]) => (armed = symbols),
    setReady: (value: boolean) => (ready = value)
  }
}

describe('PrioritySymbols', () => {
  it('sends the union of what clients show and what armed alerts watch, sorted', () => {
    const r = setup({ armed: ['TSLA'] })
    r.priorities.setClient('a', ['AAPL', 'MSFT', 'NVDA'], ['MSFT', 'AAPL'])
    r.priorities.setClient('b', ['BTC-USD'], ['BTC-USD', 'AAPL'])
    expect(r.sent.at(-1)).toEqual(['AAPL', 'BTC-USD', 'MSFT', 'TSLA'])
  })

  it('counts the whole interest of a client that does not say what is on screen', () => {
    const r = setup()
    r.priorities.setClient('cli', ['NVDA', 'AMD', 'NVDA'], undefined)
    expect(r.sent).toEqual([['AMD', 'NVDA']])
  })

  it('an empty visible list means nothing of that client is on screen', () => {
    const r = setup()
    r.priorities.setClient('a', ['NVDA'], [])
    expect(r.priorities.symbols()).toEqual([])
  })

  it('sends only when the set changed', () => {
    const r = setup()
    r.priorities.setClient('a', ['AAPL', 'MSFT'], ['MSFT'])
    r.priorities.setClient('a', ['AAPL', 'MSFT', 'NVDA'], ['MSFT'])
    r.priorities.sync()
    expect(r.sent).toEqual([['MSFT']])
    r.priorities.setClient('a', ['AAPL', 'MSFT'], ['AAPL'])
    expect(r.sent).toEqual([['MSFT'], ['AAPL']])
  })

  it('drops what a disconnected client showed, keeping the others', () => {
    const r = setup({ armed: ['TSLA'] })
    r.priorities.setClient('a', ['AAPL'], ['AAPL'])
    r.priorities.setClient('b', ['MSFT'], ['MSFT'])
    r.priorities.dropClient('a')
    expect(r.sent.at(-1)).toEqual(['MSFT', 'TSLA'])
    const count = r.sent.length
    r.priorities.dropClient('a')
    expect(r.sent).toHaveLength(count)
  })

  it('follows the armed alerts when asked to sync', () => {
    const r = setup()
    r.priorities.setClient('a', ['AAPL'], ['AAPL'])
    r.setArmed(['ETH-USD'])
    r.priorities.sync()
    expect(r.sent.at(-1)).toEqual(['AAPL', 'ETH-USD'])
  })

  it('waits for the engine, and tells a restarted one the set again', () => {
    const r = setup({ ready: false })
    r.priorities.setClient('a', ['AAPL'], ['AAPL'])
    expect(r.sent).toEqual([])
    r.setReady(true)
    r.priorities.engineRestarted()
    expect(r.sent).toEqual([['AAPL']])
    r.priorities.sync()
    r.priorities.engineRestarted()
    expect(r.sent).toEqual([['AAPL'], ['AAPL']])
  })

  it('keeps only the visible rows a client actually watches', () => {
    const r = setup()
    r.priorities.setClient('a', ['AAPL', 'MSFT'], ['MSFT', 'NVDA', 'TSLA'])
    expect(r.sent).toEqual([['MSFT']])
  })

  it('caps the set: armed alerts first, then rows on screen, then whole interests, taking clients in turns', () => {
    const r = setup({ armed: ['Z1', 'Z2'], limit: 6 })
    const many = Array.from({ length: 50 }, (_, i) => `A${String(i).padStart(2, '0')}`)
    r.priorities.setClient('greedy', many, many)
    r.priorities.setClient('small', ['MSFT', 'NVDA'], ['MSFT', 'NVDA'])
    r.priorities.setClient('cli', ['TSLA'], undefined)
    // Z1 Z2 (armed), then greedy and small in turns: A00 MSFT A01 NVDA; the CLI's interest does not fit.
    expect(r.sent.at(-1)).toEqual(['A00', 'A01', 'MSFT', 'NVDA', 'Z1', 'Z2'])
  })

  it('never sends more than the default limit however much is on screen', () => {
    const r = setup({ armed: ['ETH-USD'] })
    const many = Array.from({ length: 2_000 }, (_, i) => `S${i}`)
    r.priorities.setClient('a', many, many)
    expect(r.sent.at(-1)).toHaveLength(PRIORITY_LIMIT)
    expect(r.sent.at(-1)).toContain('ETH-USD')
  })
})
