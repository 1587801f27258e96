import { join } from 'node:path'
import { Menu, nativeImage, Tray, type NativeImage } from 'electron'
import type { AlertsState } from '../shared/alerts'
import type { EventPayload, HostEventName, HostImpl, Settings, Status } from '../shared/ipc/contract'
import type { Quote } from '../shared/quote'
import { buildTrayModel, toMenuTemplate, type TrayIconState, type TrayModel, type TrayState } from './tray-template'

type Log = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void

export type HostEventListener = <K extends HostEventName>(event: K, payload: EventPayload<K>) => void

/** The slice of HostCore the tray reads and drives. */
export interface TrayHost {
  readonly impl: Pick<HostImpl, 'refreshNow' | 'setUpdatesPaused'>
  readonly settings: Settings
  readonly alerts: AlertsState
  status(): Status
  getQuote(symbol: string): Quote | undefined
  focusSymbol(symbol: string): void
  onHostEvent(listener: HostEventListener): () => void
}

export interface TrayControllerOptions {
  host: TrayHost
  /** Folder holding up.png, upTemplate.png, … (with @2x variants). */
  iconDir: string
  showWindow: () => void
  /** Goes through app.quit(), so the quit guard flushes state first. */
  quit: () => void
  platform?: NodeJS.Platform
  log?: Log
  /** Quotes arrive many times a second; the tray needs far less. */
  minRenderIntervalMs?: number
  titleRotationMs?: number
  now?: () => number
}

export const TRAY_RENDER_INTERVAL_MS = 1_000
export const TRAY_TITLE_ROTATION_MS = 5_000
/** Calls from the tray reach the host as this client. */
export const TRAY_CLIENT_ID = 'tray'

/** Everything the tray shows, read from the host as plain data. */
export function collectTrayState(host: TrayHost): TrayState {
  const status = host.status()
  return {
    pinned: host.settings.tray.pinnedSymbols.map((symbol) => {
      const quote = host.getQuote(symbol)
      return { symbol, price: quote?.price ?? null, changePercent: quote?.changePercent ?? null }
    }),
    online: status.online,
    paused: status.paused,
    unread: host.alerts.unread,
    engine: status.engine
  }
}

/**
 * Owns the tray icon. It renders at most once per interval, and only touches the parts that
 * changed: re-setting an unchanged context menu makes it blink on Linux.
 */
export class TrayController {
  /** Held here (and the controller by the app) so the icon is not garbage-collected. */
  readonly tray: Tray
  private readonly options: TrayControllerOptions
  private readonly platform: NodeJS.Platform
  private readonly log: Log
  private readonly now: () => number
  private readonly minInterval: number
  private readonly images = new Map<TrayIconState, NativeImage>()
  private readonly unsubscribe: () => void
  private last: Partial<Omit<TrayModel, 'menu'>> = {}
  private lastRenderAt = Number.NEGATIVE_INFINITY
  private pending: ReturnType<typeof setTimeout> | null = null
  private rotation: ReturnType<typeof setInterval> | null = null
  private titleIndex = 0
  private disposed = false

  constructor(options: TrayControllerOptions) {
    this.options = options
    this.platform = options.platform ?? process.platform
    this.log = options.log ?? (() => {})
    this.now = options.now ?? Date.now
    this.minInterval = options.minRenderIntervalMs ?? TRAY_RENDER_INTERVAL_MS
    const first = buildTrayModel(collectTrayState(options.host))
    this.tray = new Tray(this.image(first.iconState))
    // Linux reports activation (single or double click) as 'click'.
    this.tray.on('click', () => options.showWindow())
    this.unsubscribe = options.host.onHostEvent((event, payload) => this.onHostEvent(event, payload))
    if (this.platform === 'darwin') {
      this.rotation = setInterval(() => {
        this.titleIndex += 1
        this.render()
      }, options.titleRotationMs ?? TRAY_TITLE_ROTATION_MS)
    }
    this.render()
  }

  /** Asks for a render; bursts collapse into one at most every minRenderIntervalMs. */
  update(): void {
    if (this.disposed || this.pending) return
    const wait = this.lastRenderAt + this.minInterval - this.now()
    if (wait <= 0) {
      this.render()
      return
    }
    this.pending = setTimeout(() => {
      this.pending = null
      this.render()
    }, wait)
  }

  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    this.unsubscribe()
    if (this.pending) clearTimeout(this.pending)
    if (this.rotation) clearInterval(this.rotation)
    this.pending = null
    this.rotation = null
    if (!this.tray.isDestroyed()) this.tray.destroy()
  }

  private onHostEvent<K extends HostEventName>(event: K, payload: EventPayload<K>): void {
    if (event === 'quotes') {
      const pinned = this.options.host.settings.tray.pinnedSymbols
      const patches = payload as EventPayload<'quotes'>
      if (patches.some((p) => pinned.includes(p.symbol))) this.update()
    } else if (event === 'status' || event === 'settings' || event === 'alerts') {
      this.update()
    }
  }

  private render(): void {
    if (this.disposed || this.tray.isDestroyed()) return
    this.lastRenderAt = this.now()
    try {
      this.apply(buildTrayModel(collectTrayState(this.options.host), this.titleIndex))
    } catch (error) {
      this.log('warn', `Could not update the tray: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  private apply(model: TrayModel): void {
    if (model.iconState !== this.last.iconState) this.tray.setImage(this.image(model.iconState))
    if (model.tooltip !== this.last.tooltip) this.tray.setToolTip(model.tooltip)
    if (model.menuKey !== this.last.menuKey) this.tray.setContextMenu(Menu.buildFromTemplate(toMenuTemplate(model.menu, this.handlers())))
    // Only macOS shows a title next to the icon.
    if (this.platform === 'darwin' && model.macTitle !== this.last.macTitle) this.tray.setTitle(model.macTitle)
    const { menu: _menu, ...rest } = model
    this.last = rest
  }

  private handlers() {
    const { host, showWindow, quit } = this.options
    const context = { clientId: TRAY_CLIENT_ID }
    const call = (what: string, action: () => unknown) => {
      Promise.resolve()
        .then(action)
        .catch((error: unknown) => this.log('warn', `${what} from the tray failed: ${error instanceof Error ? error.message : String(error)}`))
    }
    return {
      openSymbol: (symbol: string) => {
        showWindow()
        host.focusSymbol(symbol)
      },
      refresh: () => call('Refresh', () => host.impl.refreshNow({}, context)),
      setPaused: (paused: boolean) => call(paused ? 'Pausing updates' : 'Resuming updates', () => host.impl.setUpdatesPaused({ paused }, context)),
      open: () => showWindow(),
      quit: () => quit()
    }
  }

  /** macOS needs black "Template" images so the menu bar can tint them for light and dark. */
  private image(state: TrayIconState): NativeImage {
    let image = this.images.get(state)
    if (!image) {
      const file = this.platform === 'darwin' ? `${state}Template.png` : `${state}.png`
      image = nativeImage.createFromPath(join(this.options.iconDir, file))
      if (image.isEmpty()) this.log('warn', `The tray icon ${file} is missing from ${this.options.iconDir}`)
      this.images.set(state, image)
    }
    return image
  }
}

/** Creates the tray, or returns null (and logs) where the desktop has no tray to offer. */
export function createTrayController(options: TrayControllerOptions): TrayController | null {
  try {
    return new TrayController(options)
  } catch (error) {
    options.log?.('warn', `No tray icon: ${error instanceof Error ? error.message : String(error)}`)
    return null
  }
}
