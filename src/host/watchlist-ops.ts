import type { Watchlist, WatchlistsState } from '../shared/ipc/contract'
import { UserError } from '../shared/ipc/result'
import type { ProviderId } from '../shared/providers'
import { normaliseSymbol, symbolProblem } from '../shared/symbols'
import { MAX_LISTS, MAX_SYMBOLS_PER_LIST } from './state/migrate'

/**
 * Pure watchlist edits: each returns a new state or throws a UserError a person can act on.
 * Names are compared case-insensitively so "Tech" and "tech" cannot both exist.
 */

function findList(state: WatchlistsState, listId: string): Watchlist {
  const list = state.lists.find((l) => l.id === listId)
  if (!list) throw new UserError('That watchlist no longer exists; it may have been deleted in another window.', 'not-found')
  return list
}

function assertNameFree(state: WatchlistsState, name: string, exceptId?: string): void {
  const taken = state.lists.find((l) => l.id !== exceptId && l.name.toLowerCase() === name.toLowerCase())
  if (taken) throw new UserError(`You already have a watchlist named "${taken.name}".`, 'conflict')
}

function cleanName(name: string): string {
  const trimmed = name.trim()
  if (trimmed === '') throw new UserError('A watchlist needs a name.')
  return trimmed
}

function replaceList(state: WatchlistsState, list: Watchlist): WatchlistsState {
  return { ...state, lists: state.lists.map((l) => (l.id === list.id ? list : l)) }
}

export function createWatchlist(state: WatchlistsState, name: string, id: string): WatchlistsState {
  const clean = cleanName(name)
  assertNameFree(state, clean)
  if (state.lists.length >= MAX_LISTS) throw new UserError(`You can keep up to ${MAX_LISTS} watchlists; delete one first.`, 'conflict')
  // A new list is where the user wants to add symbols next, so it becomes the active one.
  return { lists: [...state.lists, { id, name: clean, symbols: [] }], activeId: id }
}

export function renameWatchlist(state: WatchlistsState, listId: string, name: string): WatchlistsState {
  const list = findList(state, listId)
  const clean = cleanName(name)
  assertNameFree(state, clean, listId)
  return replaceList(state, { ...list, name: clean })
}

export function deleteWatchlist(state: WatchlistsState, listId: string): WatchlistsState {
  findList(state, listId)
  if (state.lists.length <= 1) throw new UserError('Keep at least one watchlist.', 'conflict')
  const index = state.lists.findIndex((l) => l.id === listId)
  const lists = state.lists.filter((l) => l.id !== listId)
  const activeId = state.activeId === listId ? lists[Math.min(index, lists.length - 1)]!.id : state.activeId
  return { lists, activeId }
}

export function selectWatchlist(state: WatchlistsState, listId: string): WatchlistsState {
  findList(state, listId)
  return { ...state, activeId: listId }
}

export function addSymbol(state: WatchlistsState, listId: string, raw: string): WatchlistsState {
  const list = findList(state, listId)
  const problem = symbolProblem(raw)
  if (problem !== null) throw new UserError(problem)
  const symbol = normaliseSymbol(raw)
  if (list.symbols.includes(symbol)) throw new UserError(`${symbol} is already in ${list.name}.`, 'conflict')
  if (list.symbols.length >= MAX_SYMBOLS_PER_LIST) {
    throw new UserError(`${list.name} is full (${MAX_SYMBOLS_PER_LIST} symbols); start another watchlist.`, 'conflict')
  }
  return replaceList(state, { ...list, symbols: [...list.symbols, symbol] })
}

export function removeSymbol(state: WatchlistsState, listId: string, raw: string): WatchlistsState {
  const list = findList(state, listId)
  const symbol = normaliseSymbol(raw)
  if (!list.symbols.includes(symbol)) throw new UserError(`${symbol} is not in ${list.name}.`, 'not-found')
  return replaceList(state, { ...list, symbols: list.symbols.filter((s) => s !== symbol) })
}

/** toIndex past the end moves the symbol to the end. */
export function moveSymbol(state: WatchlistsState, listId: string, raw: string, toIndex: number): WatchlistsState {
  const list = findList(state, listId)
  const symbol = normaliseSymbol(raw)
  const from = list.symbols.indexOf(symbol)
  if (from === -1) throw new UserError(`${symbol} is not in ${list.name}.`, 'not-found')
  const symbols = list.symbols.filter((s) => s !== symbol)
  symbols.splice(Math.max(0, Math.min(toIndex, symbols.length)), 0, symbol)
  return replaceList(state, { ...list, symbols })
}

/** Pins a list to a provider (null removes the pin). */
export function setWatchlistProvider(state: WatchlistsState, listId: string, provider: ProviderId | null): WatchlistsState {
  const list = findList(state, listId)
  const { provider: _previous, ...rest } = list
  return replaceList(state, provider === null ? rest : { ...rest, provider })
}

export function activeSymbols(state: WatchlistsState): string[] {
  return state.lists.find((l) => l.id === state.activeId)?.symbols ?? []
}

export function allSymbols(state: WatchlistsState): Set<string> {
  const all = new Set<string>()
  for (const list of state.lists) for (const symbol of list.symbols) all.add(symbol)
  return all
}
