import { describe, expect, it, vi } from 'vitest'
import {
  buildTrayModel,
  toMenuTemplate,
  TOOLTIP_MAX_CHARS,
  type PinnedQuote,
  type TrayMenuHandlers,
  type TrayState
} from './tray-template'

const AAPL: PinnedQuote = { symbol: 'AAPL', price: 187.4213, changePercent: 1.254 }
const BTC: PinnedQuote = { symbol: 'BTC-USD', price: 65432.1, changePercent: -0.5 }

function state(overrides: Partial<TrayState> = {}): TrayState {
  return { pinned: [AAPL, BTC], online: true, paused: false, unread: 0, engine: 'running', ...overrides }
}

function handlers() {
  return {
    openSymbol: vi.fn<(symbol: string) => void>(),
    refresh: vi.fn<() => void>(),
    setPaused: vi.fn<(paused: boolean) => void>(),
    open: vi.fn<() => void>(),
    quit: vi.fn<() => void>()
  } satisfies TrayMenuHandlers
}

describe('tray icon state', () => {
  it('is up when the pinned symbols gained on balance', () => {
    expect(buildTrayModel(state()).iconState).toBe('up')
  })

  it('is down when the pinned symbols lost on balance', () => {
    expect(buildTrayModel(state({ pinned: [AAPL, { ...BTC, changePercent: -3 }] })).iconState).toBe('down')
  })

  it('is offline when the provider is unreachable or the engine stopped', () => {
    expect(buildTrayModel(state({ online: false })).iconState).toBe('offline')
    expect(buildTrayModel(state({ engine: 'stopped' })).iconState).toBe('offline')
  })

  it('shows unread alerts above everything else, even offline', () => {
    expect(buildTrayModel(state({ unread: 2, online: false })).iconState).toBe('unread')
  })

  it('is up (neutral) with nothing pinned or no change known yet', () => {
    expect(buildTrayModel(state({ pinned: [] })).iconState).toBe('up')
    expect(buildTrayModel(state({ pinned: [{ symbol: 'X', price: null, changePercent: null }] })).iconState).toBe('up')
  })
})

describe('tray tooltip', () => {
  it('lists the pinned symbols with price and change, formatted like the watchlist', () => {
    expect(buildTrayModel(state()).tooltip).toBe('TickerDesk\nAAPL 187.42 +1.25%\nBTC-USD 65,432.10 -0.50%')
  })

  it('names unread alerts, offline and paused in the first line', () => {
    const tooltip = buildTrayModel(state({ unread: 3, online: false, paused: true })).tooltip
    expect(tooltip.split('\n')[0]).toBe('TickerDesk · 3 unread alerts · offline · updates paused')
  })

  it('shows a dash for a symbol without a price and small prices with more decimals', () => {
    const pinned = [{ symbol: 'NEW', price: null, changePercent: null }, { symbol: 'SHIB-USD', price: 0.00001234, changePercent: 0 }]
    expect(buildTrayModel(state({ pinned })).tooltip).toBe('TickerDesk\nNEW —\nSHIB-USD 0.00001234 0.00%')
  })

  it('drops whole lines rather than exceed the Windows tooltip limit', () => {
    const pinned = Array.from({ length: 10 }, (_, i) => ({ symbol: `LONGSYMBOL${i}`, price: 12345.67, changePercent: 1 }))
    const tooltip = buildTrayModel(state({ pinned })).tooltip
    expect(tooltip.length).toBeLessThanOrEqual(TOOLTIP_MAX_CHARS)
    for (const line of tooltip.split('\n').slice(1)) expect(line).toMatch(/^LONGSYMBOL\d 12,345\.67 \+1\.00%$/)
  })
})

describe('tray title (macOS)', () => {
  it('rotates through the pinned symbols by the index given', () => {
    expect(buildTrayModel(state(), 0).macTitle).toBe('AAPL 187.42 +1.25%')
    expect(buildTrayModel(state(), 1).macTitle).toBe('BTC-USD 65,432.10 -0.50%')
    expect(buildTrayModel(state(), 2).macTitle).toBe('AAPL 187.42 +1.25%')
  })

  it('is empty when nothing is pinned', () => {
    expect(buildTrayModel(state({ pinned: [] }), 5).macTitle).toBe('')
  })
})

describe('tray menu', () => {
  it('lists pinned symbols, then refresh, pause, open and quit', () => {
    const labels = buildTrayModel(state()).menu.map((e) => (e.type === 'separator' ? '---' : e.label))
    expect(labels).toEqual([
      'AAPL   187.42   +1.25%',
      'BTC-USD   65,432.10   -0.50%',
      '---',
      'Refresh now',
      'Pause updates',
      '---',
      'Open TickerDesk',
      'Quit'
    ])
  })

  it('offers Resume instead of Pause, and no refresh, while paused', () => {
    const template = toMenuTemplate(buildTrayModel(state({ paused: true })).menu, handlers())
    expect(template.find((i) => i.label === 'Pause updates')).toBeUndefined()
    expect(template.find((i) => i.label === 'Resume updates')?.enabled).toBe(true)
    expect(template.find((i) => i.label === 'Refresh now')?.enabled).toBe(false)
  })

  it('shows a disabled hint when nothing is pinned', () => {
    const template = toMenuTemplate(buildTrayModel(state({ pinned: [] })).menu, handlers())
    expect(template[0]).toEqual({ label: 'No pinned symbols', enabled: false })
  })

  it('binds every item to its action', () => {
    const h = handlers()
    const click = (template: ReturnType<typeof toMenuTemplate>, label: string) => {
      const item = template.find((i) => i.label === label)
      if (!item?.click) throw new Error(`no clickable ${label}`)
      ;(item.click as () => void)()
    }
    const running = toMenuTemplate(buildTrayModel(state()).menu, h)
    click(running, 'BTC-USD   65,432.10   -0.50%')
    click(running, 'Refresh now')
    click(running, 'Pause updates')
    click(running, 'Open TickerDesk')
    click(running, 'Quit')
    click(toMenuTemplate(buildTrayModel(state({ paused: true })).menu, h), 'Resume updates')
    expect(h.openSymbol).toHaveBeenCalledWith('BTC-USD')
    expect(h.refresh).toHaveBeenCalledTimes(1)
    expect(h.setPaused.mock.calls).toEqual([[true], [false]])
    expect(h.open).toHaveBeenCalledTimes(1)
    expect(h.quit).toHaveBeenCalledTimes(1)
  })

  it('keeps the key when only the icon, tooltip or title inputs change', () => {
    const base = buildTrayModel(state())
    expect(buildTrayModel(state(), 1).menuKey).toBe(base.menuKey)
    expect(buildTrayModel(state({ unread: 4, online: false })).menuKey).toBe(base.menuKey)
    // A price change below display precision leaves the text, and so the key, alone.
    expect(buildTrayModel(state({ pinned: [{ ...AAPL, price: 187.4199 }, BTC] })).menuKey).toBe(base.menuKey)
  })

  it('changes the key when a displayed price, the pins or the pause state change', () => {
    const base = buildTrayModel(state()).menuKey
    expect(buildTrayModel(state({ pinned: [{ ...AAPL, price: 188 }, BTC] })).menuKey).not.toBe(base)
    expect(buildTrayModel(state({ pinned: [BTC, AAPL] })).menuKey).not.toBe(base)
    expect(buildTrayModel(state({ paused: true })).menuKey).not.toBe(base)
  })
})
