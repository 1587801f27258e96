import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import type { Watchlist, WatchlistsState } from '@shared/ipc/contract'
import type { ProviderId } from '@shared/providers'
import { normaliseSymbol } from '@shared/symbols'
import { moveItem } from '../lib/move-item'
import { useApiStore } from './api'

/**
 * The watchlists as the host last reported them. Every change goes through the host, which
 * answers with the new state; removals and reorders are shown at once and rolled back if the
 * host refuses, so keyboard reordering feels instant.
 */
export const useWatchlistsStore = defineStore('watchlists', () => {
  const lists = shallowRef<Watchlist[]>([])
  const activeId = shallowRef('')

  const active = computed<Watchlist | null>(() => lists.value.find((l) => l.id === activeId.value) ?? lists.value[0] ?? null)
  const EMPTY: readonly string[] = []
  const activeSymbols = computed<readonly string[]>(() => active.value?.symbols ?? EMPTY)

  function apply(state: WatchlistsState): void {
    lists.value = state.lists
    activeId.value = state.activeId
  }

  async function run(change: Promise<WatchlistsState>): Promise<void> {
    apply(await change)
  }

  /** Shows a change to the active list before the host confirms it; undone on failure. */
  async function optimistic(symbols: string[], change: () => Promise<WatchlistsState>): Promise<void> {
    const before = lists.value
    const target = active.value
    if (target) lists.value = before.map((l) => (l.id === target.id ? { ...l, symbols } : l))
    try {
      apply(await change())
    } catch (error) {
      if (lists.value !== before) lists.value = before
      throw error
    }
  }

  const api = () => useApiStore().api()

  const select = (listId: string) => run(api().selectWatchlist({ listId }))
  const create = (name: string) => run(api().createWatchlist({ name }))
  const rename = (listId: string, name: string) => run(api().renameWatchlist({ listId, name }))
  const remove = (listId: string) => run(api().deleteWatchlist({ listId }))
  /** Pins a list to one provider; null lets each symbol use the usual providers again. */
  const setProvider = (listId: string, provider: ProviderId | null) => run(api().setWatchlistProvider({ listId, provider }))

  async function addSymbol(raw: string): Promise<void> {
    const list = active.value
    if (!list) throw new Error('Create a watchlist first.')
    await run(api().addSymbol({ listId: list.id, symbol: normaliseSymbol(raw) }))
  }

  async function removeSymbol(symbol: string): Promise<void> {
    const list = active.value
    if (!list) return
    await optimistic(
      list.symbols.filter((s) => s !== symbol),
      () => api().removeSymbol({ listId: list.id, symbol })
    )
  }

  async function moveSymbol(symbol: string, toIndex: number): Promise<void> {
    const list = active.value
    if (!list) return
    const from = list.symbols.indexOf(symbol)
    const to = Math.max(0, Math.min(list.symbols.length - 1, toIndex))
    if (from < 0 || from === to) return
    await optimistic(moveItem(list.symbols, from, to), () => api().moveSymbol({ listId: list.id, symbol, toIndex: to }))
  }

  return { lists, activeId, active, activeSymbols, apply, select, create, rename, remove, setProvider, addSymbol, removeSymbol, moveSymbol }
})
