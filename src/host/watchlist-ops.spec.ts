import { describe, expect, it } from 'vitest'
import type { WatchlistsState } from '../shared/ipc/contract'
import { UserError } from '../shared/ipc/result'
import * as ops from './watchlist-ops'

const state = (): WatchlistsState => ({
  lists: [
    { id: 'a', name: 'My watchlist', symbols: ['AAPL', 'MSFT', 'BTC-USD'] },
    { id: 'b', name: 'Tech', symbols: ['NVDA'] }
  ],
  activeId: 'a'
})

function userError(action: () => unknown): UserError {
  try {
    action()
  } catch (error) {
    if (error instanceof UserError) return error
    throw error
  }
  throw new Error('expected a UserError')
}

describe('watchlist ops', () => {
  it('creates a list, trimmed, and makes it active', () => {
    const next = ops.createWatchlist(state(), '  Crypto ', 'c')
    expect(next.lists.at(-1)).toEqual({ id: 'c', name: 'Crypto', symbols: [] })
    expect(next.activeId).toBe('c')
  })

  it('refuses duplicate names, whatever their case', () => {
    const error = userError(() => ops.createWatchlist(state(), 'tech', 'c'))
    expect(error.message).toBe('You already have a watchlist named "Tech".')
    expect(error.code).toBe('conflict')
    expect(userError(() => ops.renameWatchlist(state(), 'a', 'TECH')).message).toMatch(/already have a watchlist named "Tech"/)
  })

  it('renames a list, allowing a change of case of its own name', () => {
    expect(ops.renameWatchlist(state(), 'b', 'Semis').lists[1]!.name).toBe('Semis')
    expect(ops.renameWatchlist(state(), 'b', 'TECH').lists[1]!.name).toBe('TECH')
  })

  it('says so when a list does not exist', () => {
    for (const action of [
      () => ops.renameWatchlist(state(), 'zz', 'X'),
      () => ops.deleteWatchlist(state(), 'zz'),
      () => ops.selectWatchlist(state(), 'zz'),
      () => ops.addSymbol(state(), 'zz', 'AAPL'),
      () => ops.removeSymbol(state(), 'zz', 'AAPL'),
      () => ops.moveSymbol(state(), 'zz', 'AAPL', 0)
    ]) {
      const error = userError(action)
      expect(error.code).toBe('not-found')
      expect(error.message).toMatch(/That watchlist no longer exists/)
    }
  })

  it('deletes a list and moves the selection to a neighbour', () => {
    const next = ops.deleteWatchlist(state(), 'a')
    expect(next.lists.map((l) => l.id)).toEqual(['b'])
    expect(next.activeId).toBe('b')
    expect(ops.deleteWatchlist(state(), 'b').activeId).toBe('a')
  })

  it('keeps at least one list', () => {
    const one = ops.deleteWatchlist(state(), 'b')
    expect(userError(() => ops.deleteWatchlist(one, 'a')).message).toBe('Keep at least one watchlist.')
  })

  it('selects a list', () => {
    expect(ops.selectWatchlist(state(), 'b').activeId).toBe('b')
  })

  it('adds a normalised symbol', () => {
    expect(ops.addSymbol(state(), 'b', '  amd ').lists[1]!.symbols).toEqual(['NVDA', 'AMD'])
  })

  it('refuses a symbol already in the list, naming the list', () => {
    const error = userError(() => ops.addSymbol(state(), 'a', 'aapl'))
    expect(error.message).toBe('AAPL is already in My watchlist.')
    expect(error.code).toBe('conflict')
  })

  it('refuses a malformed symbol with the symbol rules in plain words', () => {
    expect(userError(() => ops.addSymbol(state(), 'a', 'AA PL')).message).toMatch(/"AA PL" is not a valid ticker symbol/)
    expect(userError(() => ops.addSymbol(state(), 'a', '   ')).message).toMatch(/Type a ticker symbol/)
  })

  it('removes a symbol, and says when it is not there', () => {
    expect(ops.removeSymbol(state(), 'a', 'msft').lists[0]!.symbols).toEqual(['AAPL', 'BTC-USD'])
    expect(userError(() => ops.removeSymbol(state(), 'a', 'TSLA')).message).toBe('TSLA is not in My watchlist.')
  })

  it('moves a symbol, clamping past-the-end indexes', () => {
    expect(ops.moveSymbol(state(), 'a', 'BTC-USD', 0).lists[0]!.symbols).toEqual(['BTC-USD', 'AAPL', 'MSFT'])
    expect(ops.moveSymbol(state(), 'a', 'AAPL', 99).lists[0]!.symbols).toEqual(['MSFT', 'BTC-USD', 'AAPL'])
    expect(userError(() => ops.moveSymbol(state(), 'a', 'TSLA', 0)).code).toBe('not-found')
  })

  it('never mutates its input', () => {
    const before = state()
    const copy = structuredClone(before)
    ops.addSymbol(before, 'a', 'TSLA')
    ops.moveSymbol(before, 'a', 'AAPL', 2)
    ops.deleteWatchlist(before, 'b')
    expect(before).toEqual(copy)
  })

  it('lists the active and all symbols', () => {
    expect(ops.activeSymbols(state())).toEqual(['AAPL', 'MSFT', 'BTC-USD'])
    expect([...ops.allSymbols(state())]).toEqual(['AAPL', 'MSFT', 'BTC-USD', 'NVDA'])
  })
})
