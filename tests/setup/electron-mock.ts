/**
 * One global stand-in for 'electron' and 'electron-store' (no Electron binary exists in unit
 * tests). The fakes keep just enough state for specs to drive events and inspect calls: specs
 * import from 'electron' as usual and cast to the Fake* types exported here.
 */
import { EventEmitter } from 'node:events'
import { PassThrough } from 'node:stream'
import { beforeEach, vi } from 'vitest'

type Listener = (...args: never[]) => unknown

/** An EventEmitter whose on/once/removeListener are spies, so specs can assert wiring. */
class SpiedEmitter extends EventEmitter {
  constructor() {
    super()
    for (const method of ['on', 'once', 'removeListener'] as const) vi.spyOn(this as EventEmitter, method)
  }
  /** The most recently registered listener for an event, for specs that call it directly. */
  listener(event: string): Listener {
    const all = this.listeners(event)
    const last = all[all.length - 1]
    if (!last) throw new Error(`No listener registered for "${event}"`)
    return last as Listener
  }
}

export class FakeSession {
  setPermissionRequestHandler = vi.fn()
  setPermissionCheckHandler = vi.fn()
  webRequest = { onHeadersReceived: vi.fn() }
}

let nextWebContentsId = 1

export class FakeWebContents extends SpiedEmitter {
  readonly id = nextWebContentsId++
  session = new FakeSession()
  send = vi.fn()
  postMessage = vi.fn()
  setWindowOpenHandler = vi.fn()
  private destroyed = false
  isDestroyed = vi.fn(() => this.destroyed)
  destroy(): void {
    this.destroyed = true
    this.emit('destroyed')
  }
}

export class FakeBrowserWindow extends SpiedEmitter {
  static instances: FakeBrowserWindow[] = []
  static getAllWindows = vi.fn(() => FakeBrowserWindow.instances.filter((w) => !w.isDestroyed()))
  static fromWebContents = vi.fn(
    (wc: FakeWebContents) => FakeBrowserWindow.instances.find((w) => w.webContents === wc) ?? null
  )

  readonly webContents = new FakeWebContents()
  private destroyed = false
  /** Shared by every window so a spec can make the next load fail before the window exists. */
  static onLoadURL = vi.fn(async (_url: string): Promise<void> => {})
  loadURL = vi.fn((url: string) => FakeBrowserWindow.onLoadURL(url))
  loadFile = vi.fn(async (_path: string) => {})
  show = vi.fn()
  hide = vi.fn()
  focus = vi.fn()
  restore = vi.fn()
  isMinimized = vi.fn(() => false)
  isDestroyed = vi.fn(() => this.destroyed)
  close = vi.fn(() => {
    this.destroyed = true
    this.webContents.destroy()
    this.emit('closed')
  })

  constructor(readonly options: Record<string, unknown> = {}) {
    super()
    FakeBrowserWindow.instances.push(this)
  }
}

export class FakeUtilityProcess extends SpiedEmitter {
  static forks: { modulePath: string; args: string[] | undefined; options: Record<string, unknown> | undefined; child: FakeUtilityProcess }[] = []
  pid: number | undefined = undefined
  stdout: PassThrough | null = new PassThrough()
  stderr: PassThrough | null = new PassThrough()
  postMessage = vi.fn()
  kill = vi.fn(() => true)
  /** Test drivers mirroring the real lifecycle: pid exists only between spawn and exit. */
  simulateSpawn(pid = 4242): void {
    this.pid = pid
    this.emit('spawn')
  }
  simulateExit(code: number): void {
    this.pid = undefined
    this.emit('exit', code)
  }
}

export class FakeNotification extends SpiedEmitter {
  static instances: FakeNotification[] = []
  static isSupported = vi.fn(() => true)
  show = vi.fn()
  close = vi.fn()
  constructor(readonly options: Record<string, unknown> = {}) {
    super()
    FakeNotification.instances.push(this)
  }
}

export class FakeTray extends SpiedEmitter {
  static instances: FakeTray[] = []
  setContextMenu = vi.fn()
  setToolTip = vi.fn()
  setImage = vi.fn()
  setTitle = vi.fn()
  private destroyed = false
  isDestroyed = vi.fn(() => this.destroyed)
  destroy = vi.fn(() => {
    this.destroyed = true
  })
  constructor(readonly image: unknown) {
    super()
    FakeTray.instances.push(this)
  }
}

export class FakeIpcMain extends SpiedEmitter {
  readonly handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>()
  handle = vi.fn((channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) => {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
    this.handlers.set(channel, handler)
  })
  removeHandler = vi.fn((channel: string) => {
    this.handlers.delete(channel)
  })
}

export class FakeIpcRenderer extends SpiedEmitter {
  invoke = vi.fn(async (_channel: string, ..._args: unknown[]): Promise<unknown> => undefined)
  send = vi.fn()
  sendSync = vi.fn()
  postMessage = vi.fn()
}

export class FakeApp extends SpiedEmitter {
  isPackaged = false
  name = 'TickerDesk'
  requestSingleInstanceLock = vi.fn(() => true)
  setAppUserModelId = vi.fn()
  enableSandbox = vi.fn()
  quit = vi.fn()
  exit = vi.fn()
  focus = vi.fn()
  getPath = vi.fn((name: string) => `/fake/${name}`)
  getVersion = vi.fn(() => '0.0.0-test')
  whenReady = vi.fn(() => Promise.resolve())
  isReady = vi.fn(() => true)
  getAppPath = vi.fn(() => '/fake/app')
  setLoginItemSettings = vi.fn()
  setBadgeCount = vi.fn(() => true)
}

/** In-memory electron-store: files live in a static map; names in `corrupt` throw like bad JSON. */
export class FakeElectronStore<T extends Record<string, unknown> = Record<string, unknown>> {
  static files = new Map<string, Record<string, unknown>>()
  static corrupt = new Set<string>()
  static constructed: Record<string, unknown>[] = []

  readonly path: string
  private readonly name: string

  constructor(options: { name?: string; defaults?: T; clearInvalidConfig?: boolean } = {}) {
    FakeElectronStore.constructed.push(options)
    this.name = options.name ?? 'config'
    this.path = `/fake/userData/${this.name}.json`
    if (FakeElectronStore.corrupt.has(this.name) && options.clearInvalidConfig !== true) {
      throw new SyntaxError(`Unexpected token '}' in JSON at position 7`)
    }
    const existing = FakeElectronStore.files.get(this.name) ?? {}
    FakeElectronStore.files.set(this.name, { ...(options.defaults ?? {}), ...existing })
  }
  get store(): T {
    return structuredClone(FakeElectronStore.files.get(this.name)) as T
  }
  get<K extends keyof T>(key: K): T[K] {
    return this.store[key]
  }
  set<K extends keyof T>(key: K, value: T[K]): void {
    FakeElectronStore.files.set(this.name, { ...this.store, [key]: structuredClone(value) })
  }
}

function createElectron() {
  const app = new FakeApp()
  const ipcMain = new FakeIpcMain()
  const ipcRenderer = new FakeIpcRenderer()
  const defaultSession = new FakeSession()
  const powerMonitor = new SpiedEmitter()
  const nativeTheme = Object.assign(new SpiedEmitter(), { shouldUseDarkColors: false, themeSource: 'system' })
  const menuFromTemplate = vi.fn((template: unknown[]) => ({ items: template }))
  return {
    app,
    ipcMain,
    ipcRenderer,
    contextBridge: { exposeInMainWorld: vi.fn() },
    BrowserWindow: FakeBrowserWindow,
    session: { defaultSession, fromPartition: vi.fn(() => new FakeSession()) },
    dialog: { showErrorBox: vi.fn(), showMessageBox: vi.fn(async () => ({ response: 0, checkboxChecked: false })) },
    shell: { openExternal: vi.fn(async () => {}), openPath: vi.fn(async () => '') },
    utilityProcess: {
      fork: vi.fn((modulePath: string, args?: string[], options?: Record<string, unknown>) => {
        const child = new FakeUtilityProcess()
        FakeUtilityProcess.forks.push({ modulePath, args, options, child })
        return child
      })
    },
    powerMonitor,
    nativeTheme,
    Notification: FakeNotification,
    Tray: FakeTray,
    Menu: { buildFromTemplate: menuFromTemplate, setApplicationMenu: vi.fn() },
    // Images remember their path so specs can tell which icon a tray shows.
    nativeImage: {
      createFromPath: vi.fn((path: string) => ({ path, isEmpty: () => false })),
      createEmpty: vi.fn(() => ({ path: '', isEmpty: () => true }))
    },
    safeStorage: {
      isEncryptionAvailable: vi.fn(() => true),
      encryptString: vi.fn((s: string) => Buffer.from(`enc:${s}`)),
      decryptString: vi.fn((b: Buffer) => b.toString().replace(/^enc:/, '')),
      getSelectedStorageBackend: vi.fn(() => 'gnome_libsecret')
    },
    webContents: {
      getAllWebContents: vi.fn(() => FakeBrowserWindow.instances.map((w) => w.webContents)),
      fromId: vi.fn((id: number) => FakeBrowserWindow.instances.find((w) => w.webContents.id === id)?.webContents)
    }
  }
}

export type FakeElectron = ReturnType<typeof createElectron>

let current: FakeElectron | undefined

vi.mock('electron', () => {
  current = createElectron()
  return { ...current, default: current }
})

vi.mock('electron-store', () => ({ default: FakeElectronStore }))

beforeEach(() => {
  FakeBrowserWindow.instances = []
  FakeUtilityProcess.forks = []
  FakeNotification.instances = []
  FakeTray.instances = []
  FakeElectronStore.files.clear()
  FakeElectronStore.corrupt.clear()
  FakeElectronStore.constructed = []
  if (current) {
    current.ipcMain.handlers.clear()
    for (const emitter of [current.app, current.ipcMain, current.ipcRenderer, current.powerMonitor, current.nativeTheme]) {
      emitter.removeAllListeners()
    }
    current.app.isPackaged = false
    current.nativeTheme.shouldUseDarkColors = false
  }
  // resetAllMocks restores each vi.fn(impl) to its original impl, so per-test overrides never leak.
  vi.resetAllMocks()
})
