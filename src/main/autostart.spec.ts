import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs'
import * as fs from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { autostartFilePath, buildDesktopEntry, quoteExecArg, setStartAtLogin, type AutostartDeps } from './autostart'

let home: string

function deps(platform: NodeJS.Platform, overrides: Partial<AutostartDeps> = {}): AutostartDeps & { app: { setLoginItemSettings: ReturnType<typeof vi.fn> } } {
  return {
    platform,
    app: { setLoginItemSettings: vi.fn(), isPackaged: true, getAppPath: () => '/src/tickerdesk' },
    fs,
    env: {},
    homeDir: home,
    execPath: platform === 'win32' ? 'C:\\Program Files\\TickerDesk\\TickerDesk.exe' : '/opt/TickerDesk/tickerdesk',
    ...overrides
  } as AutostartDeps & { app: { setLoginItemSettings: ReturnType<typeof vi.fn> } }
}

describe('setStartAtLogin', () => {
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'tickerdesk-autostart-'))
  })
  afterEach(() => rmSync(home, { recursive: true, force: true }))

  it('macOS: registers and removes the login item', () => {
    const d = deps('darwin')
    setStartAtLogin(true, { startHidden: true }, d)
    setStartAtLogin(false, { startHidden: true }, d)
    expect(d.app.setLoginItemSettings.mock.calls).toEqual([[{ openAtLogin: true }], [{ openAtLogin: false }]])
  })

  it('Windows: registers the executable with --hidden when starting hidden', () => {
    const d = deps('win32')
    setStartAtLogin(true, { startHidden: true }, d)
    setStartAtLogin(true, { startHidden: false }, d)
    expect(d.app.setLoginItemSettings.mock.calls).toEqual([
      [{ openAtLogin: true, path: 'C:\\Program Files\\TickerDesk\\TickerDesk.exe', args: ['--hidden'] }],
      [{ openAtLogin: true, path: 'C:\\Program Files\\TickerDesk\\TickerDesk.exe', args: [] }]
    ])
  })

  it('Windows: turning it off names the same path and args', () => {
    const d = deps('win32')
    setStartAtLogin(false, { startHidden: true }, d)
    expect(d.app.setLoginItemSettings).toHaveBeenCalledWith({ openAtLogin: false, path: d.execPath, args: ['--hidden'] })
  })

  it('an unpackaged run starts Electron with the app folder', () => {
    const d = deps('win32', { app: { setLoginItemSettings: vi.fn(), isPackaged: false, getAppPath: () => 'C:\\my src\\tickerdesk' } })
    setStartAtLogin(true, { startHidden: true }, d)
    expect(d.app.setLoginItemSettings).toHaveBeenCalledWith(expect.objectContaining({ args: ['"C:\\my src\\tickerdesk"', '--hidden'] }))
  })

  it('Linux: writes an XDG autostart file, with --hidden when starting hidden, and removes it', () => {
    const d = deps('linux')
    const file = join(home, '.config', 'autostart', 'tickerdesk.desktop')
    setStartAtLogin(true, { startHidden: true }, d)
    expect(readFileSync(file, 'utf8')).toContain('\nExec=/opt/TickerDesk/tickerdesk --hidden\n')
    setStartAtLogin(true, { startHidden: false }, d)
    expect(readFileSync(file, 'utf8')).toContain('\nExec=/opt/TickerDesk/tickerdesk\n')
    setStartAtLogin(false, { startHidden: false }, d)
    expect(existsSync(file)).toBe(false)
    // Removing an entry that is not there is not an error.
    expect(() => setStartAtLogin(false, { startHidden: false }, d)).not.toThrow()
    expect(d.app.setLoginItemSettings).not.toHaveBeenCalled()
  })

  it('Linux: launches the AppImage file itself, and honours XDG_CONFIG_HOME', () => {
    const config = join(home, 'cfg')
    const d = deps('linux', { env: { APPIMAGE: '/home/me/Apps/TickerDesk 1.0.AppImage', XDG_CONFIG_HOME: config } })
    setStartAtLogin(true, { startHidden: false }, d)
    expect(readFileSync(join(config, 'autostart', 'tickerdesk.desktop'), 'utf8')).toContain(
      '\nExec="/home/me/Apps/TickerDesk 1.0.AppImage"\n'
    )
  })

  it('explains in plain words when the file cannot be written', () => {
    const d = deps('linux', {
      fs: {
        ...fs,
        writeFileSync: () => {
          throw new Error('EACCES: permission denied')
        }
      }
    })
    expect(() => setStartAtLogin(true, { startHidden: false }, d)).toThrow('Could not turn on start at login: EACCES: permission denied')
  })
})

describe('desktop entry', () => {
  it('is a valid autostart entry', () => {
    expect(buildDesktopEntry({ exec: ['/opt/TickerDesk/tickerdesk', '--hidden'] })).toBe(
      [
        '[Desktop Entry]',
        'Type=Application',
        'Version=1.0',
        'Name=TickerDesk',
        'Comment=Real-time stock and crypto quotes',
        'Exec=/opt/TickerDesk/tickerdesk --hidden',
        'Terminal=false',
        'X-GNOME-Autostart-enabled=true',
        ''
      ].join('\n')
    )
  })

  it('quotes and escapes arguments the way the spec asks', () => {
    expect(quoteExecArg('/opt/app')).toBe('/opt/app')
    expect(quoteExecArg('/my apps/app')).toBe('"/my apps/app"')
    expect(quoteExecArg('/a$b')).toBe('"/a\\\\$b"')
    expect(quoteExecArg('/100%')).toBe('/100%%')
    expect(quoteExecArg('')).toBe('""')
  })

  it('ignores a relative XDG_CONFIG_HOME, as the spec says', () => {
    expect(autostartFilePath({ XDG_CONFIG_HOME: 'cfg' }, '/home/me')).toBe('/home/me/.config/autostart/tickerdesk.desktop')
  })
})
