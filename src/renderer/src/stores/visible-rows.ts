import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import { useWatchlistsStore } from './watchlists'

/**
 * Which rows of the active list are on screen, as the virtualised table last measured them. Kept
 * as an index range so a list switch can never pair one list's rows with another list's symbols.
 */
export const useVisibleRowsStore = defineStore('visibleRows', () => {
  const range = shallowRef<{ start: number; end: number } | null>(null)
  const watchlists = useWatchlistsStore()

  /** null until a table reports; then the symbols of the rows on screen, in list order. */
  const symbols = computed<readonly string[] | null>(() =>
    range.value === null ? null : watchlists.activeSymbols.slice(range.value.start, range.value.end)
  )

  function setRange(start: number, end: number): void {
    const current = range.value
    if (current && current.start === start && current.end === end) return
    range.value = { start, end }
  }

  function clear(): void {
    range.value = null
  }

  return { range, symbols, setRange, clear }
})
