/**
 * The tray's content as a pure function of plain state: icon, tooltip, macOS title and menu.
 * Nothing here touches Electron, so every label and action is tested without a tray.
 */
import type { MenuItemConstructorOptions } from 'electron'
import type { EngineState } from '../shared/ipc/contract'
import { formatTrayPercent, formatTrayPrice, NO_VALUE } from './tray-format'

export const TRAY_ICON_STATES = ['up', 'down', 'offline', 'unread'] as const
export type TrayIconState = (typeof TRAY_ICON_STATES)[number]

export interface PinnedQuote {
  symbol: string
  /** Null until a price is known (cache empty, engine still starting). */
  price: number | null
  changePercent: number | null
}

export interface TrayState {
  /** In the user's pin order. */
  pinned: PinnedQuote[]
  online: boolean
  paused: boolean
  unread: number
  engine: EngineState
}

export type TrayAction = 'refresh' | 'pause' | 'resume' | 'open' | 'quit'

export type TrayMenuEntry =
  | { type: 'symbol'; symbol: string; label: string }
  | { type: 'note'; label: string }
  | { type: 'separator' }
  | { type: 'action'; action: TrayAction; label: string; enabled: boolean }

export interface TrayModel {
  iconState: TrayIconState
  tooltip: string
  /** One pinned symbol at a time; '' clears the title. */
  macTitle: string
  menu: TrayMenuEntry[]
  /** Equal keys mean an identical menu, so the menu is not re-set (it blinks on Linux). */
  menuKey: string
}

export const APP_TITLE = 'TickerDesk'
/** Windows truncates tray tooltips at 127 characters; whole lines are dropped instead. */
export const TOOLTIP_MAX_CHARS = 127

export function buildTrayModel(state: TrayState, titleIndex = 0): TrayModel {
  const menu = buildMenu(state)
  return {
    iconState: iconStateFor(state),
    tooltip: buildTooltip(state),
    macTitle: buildMacTitle(state.pinned, titleIndex),
    menu,
    menuKey: trayMenuKey(menu)
  }
}

/** An unread alert matters most; then being offline; otherwise the pinned symbols' mood. */
export function iconStateFor(state: TrayState): TrayIconState {
  if (state.unread > 0) return 'unread'
  if (!state.online || state.engine === 'stopped') return 'offline'
  const changes = state.pinned.map((p) => p.changePercent).filter((c): c is number => c !== null && Number.isFinite(c))
  const total = changes.reduce((sum, c) => sum + c, 0)
  return total < 0 ? 'down' : 'up'
}

function quoteText(pinned: PinnedQuote, separator: string): string {
  if (pinned.price === null) return `${pinned.symbol}${separator}${NO_VALUE}`
  return [pinned.symbol, formatTrayPrice(pinned.price), formatTrayPercent(pinned.changePercent)].join(separator)
}

function headline(state: TrayState): string {
  const parts = [APP_TITLE]
  if (state.unread > 0) parts.push(state.unread === 1 ? '1 unread alert' : `${state.unread} unread alerts`)
  if (!state.online || state.engine === 'stopped') parts.push('offline')
  if (state.paused) parts.push('updates paused')
  return parts.join(' · ')
}

export function buildTooltip(state: TrayState): string {
  let text = headline(state)
  for (const pinned of state.pinned) {
    const line = quoteText(pinned, ' ')
    if (text.length + 1 + line.length > TOOLTIP_MAX_CHARS) break
    text += `\n${line}`
  }
  return text.slice(0, TOOLTIP_MAX_CHARS)
}

export function buildMacTitle(pinned: PinnedQuote[], index: number): string {
  if (pinned.length === 0) return ''
  const at = ((Math.trunc(index) % pinned.length) + pinned.length) % pinned.length
  return quoteText(pinned[at] as PinnedQuote, ' ')
}

export function buildMenu(state: TrayState): TrayMenuEntry[] {
  const symbols: TrayMenuEntry[] =
    state.pinned.length === 0
      ? [{ type: 'note', label: 'No pinned symbols' }]
      : state.pinned.map((p) => ({ type: 'symbol', symbol: p.symbol, label: quoteText(p, '   ') }))
  return [
    ...symbols,
    { type: 'separator' },
    // Nothing is fetched while paused, and an engine that is not running has nothing to refresh.
    { type: 'action', action: 'refresh', label: 'Refresh now', enabled: !state.paused && state.engine === 'running' },
    state.paused
      ? { type: 'action', action: 'resume', label: 'Resume updates', enabled: true }
      : { type: 'action', action: 'pause', label: 'Pause updates', enabled: true },
    { type: 'separator' },
    { type: 'action', action: 'open', label: `Open ${APP_TITLE}`, enabled: true },
    { type: 'action', action: 'quit', label: 'Quit', enabled: true }
  ]
}

export function trayMenuKey(menu: TrayMenuEntry[]): string {
  return JSON.stringify(menu)
}

export interface TrayMenuHandlers {
  openSymbol(symbol: string): void
  refresh(): void
  setPaused(paused: boolean): void
  open(): void
  quit(): void
}

/** Turns the menu description into Electron's template, binding each entry to its handler. */
export function toMenuTemplate(menu: TrayMenuEntry[], handlers: TrayMenuHandlers): MenuItemConstructorOptions[] {
  return menu.map((entry): MenuItemConstructorOptions => {
    switch (entry.type) {
      case 'separator':
        return { type: 'separator' }
      case 'note':
        return { label: entry.label, enabled: false }
      case 'symbol':
        return { label: entry.label, click: () => handlers.openSymbol(entry.symbol) }
      case 'action':
        return { label: entry.label, enabled: entry.enabled, click: actionHandler(entry.action, handlers) }
    }
  })
}

function actionHandler(action: TrayAction, handlers: TrayMenuHandlers): () => void {
  switch (action) {
    case 'refresh':
      return () => handlers.refresh()
    case 'pause':
      return () => handlers.setPaused(true)
    case 'resume':
      return () => handlers.setPaused(false)
    case 'open':
      return () => handlers.open()
    case 'quit':
      return () => handlers.quit()
  }
}
