/** Which rows of a fixed-row-height list to put in the DOM for a given scroll position. */
export interface WindowInput {
  count: number
  rowHeight: number
  /** Height available for rows (viewport minus any sticky header), in px. */
  viewportHeight: number
  scrollTop: number
  /** Extra rows rendered above and below the visible ones so fast scrolling shows no gaps. */
  overscan: number
  /** Lists this short are rendered whole, whatever the viewport says. */
  renderAllBelow?: number
}

export interface VirtualWindow {
  /** First rendered index (inclusive). */
  start: number
  /** One past the last rendered index. */
  end: number
  /** Space standing in for the rows above and below the rendered ones, in px. */
  padTop: number
  padBottom: number
  totalHeight: number
}

export function computeWindow(input: WindowInput): VirtualWindow {
  const count = Math.max(0, Math.floor(input.count))
  const rowHeight = Math.max(1, input.rowHeight)
  const totalHeight = count * rowHeight
  if (count <= (input.renderAllBelow ?? 0)) {
    return { start: 0, end: count, padTop: 0, padBottom: 0, totalHeight }
  }
  const maxScroll = Math.max(0, totalHeight - input.viewportHeight)
  const scrollTop = Math.min(Math.max(0, input.scrollTop), maxScroll)
  const overscan = Math.max(0, Math.floor(input.overscan))
  const firstVisible = Math.floor(scrollTop / rowHeight)
  const lastVisible = Math.ceil((scrollTop + Math.max(0, input.viewportHeight)) / rowHeight)
  const start = Math.max(0, firstVisible - overscan)
  const end = Math.min(count, Math.max(lastVisible, firstVisible + 1) + overscan)
  return { start, end, padTop: start * rowHeight, padBottom: (count - end) * rowHeight, totalHeight }
}

/** The scrollTop that brings row `index` fully into view, or null when it already is. */
export function scrollToReveal(
  index: number,
  rowHeight: number,
  viewportHeight: number,
  scrollTop: number
): number | null {
  const top = index * rowHeight
  const bottom = top + rowHeight
  if (top < scrollTop) return top
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight)
  return null
}
