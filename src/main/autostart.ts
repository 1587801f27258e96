/**
 * Start at login, one branch per OS: macOS and Windows register a login item with Electron;
 * Linux has no such API, so an XDG autostart .desktop file is written instead.
 */
import * as nodeFs from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { app, type App } from 'electron'

/** Tells a launch at login to stay in the tray. */
export const HIDDEN_ARG = '--hidden'
export const AUTOSTART_FILE_NAME = 'tickerdesk.desktop'

export interface AutostartDeps {
  platform: NodeJS.Platform
  app: Pick<App, 'setLoginItemSettings' | 'isPackaged' | 'getAppPath'>
  fs: Pick<typeof nodeFs, 'mkdirSync' | 'writeFileSync' | 'rmSync'>
  env: NodeJS.ProcessEnv
  homeDir: string
  execPath: string
}

export function defaultAutostartDeps(): AutostartDeps {
  return { platform: process.platform, app, fs: nodeFs, env: process.env, homeDir: homedir(), execPath: process.execPath }
}

/** The program and arguments a login launch runs. */
export function launchCommand(deps: AutostartDeps, startHidden: boolean): { path: string; args: string[] } {
  // An AppImage runs from a temporary mount; APPIMAGE names the file the user actually has.
  const path = deps.platform === 'linux' && deps.env.APPIMAGE ? deps.env.APPIMAGE : deps.execPath
  // An unpackaged run is the bare Electron binary, which needs the app folder to know what to start.
  const appPath = deps.app.getAppPath()
  // Windows joins the args into one command line, so a path with spaces must carry its own quotes.
  const appArg = deps.platform === 'win32' && /\s/.test(appPath) ? `"${appPath}"` : appPath
  const args = deps.app.isPackaged ? [] : [appArg]
  if (startHidden) args.push(HIDDEN_ARG)
  return { path, args }
}

export function autostartFilePath(env: NodeJS.ProcessEnv, homeDir: string): string {
  const configHome = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homeDir, '.config')
  return join(configHome, 'autostart', AUTOSTART_FILE_NAME)
}

/**
 * Turns start at login on or off. Throws an Error with a plain-words message when the system
 * refuses (e.g. the autostart folder is not writable); the caller decides how to report it.
 */
export function setStartAtLogin(enabled: boolean, { startHidden }: { startHidden: boolean }, deps: AutostartDeps = defaultAutostartDeps()): void {
  try {
    if (deps.platform === 'linux') setLinuxAutostart(enabled, startHidden, deps)
    else setLoginItem(enabled, startHidden, deps)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(`Could not turn ${enabled ? 'on' : 'off'} start at login: ${reason}`, { cause: error })
  }
}

function setLoginItem(enabled: boolean, startHidden: boolean, deps: AutostartDeps): void {
  if (deps.platform === 'darwin') {
    // macOS takes no arguments for a login item; startup reads wasOpenedAtLogin instead.
    deps.app.setLoginItemSettings({ openAtLogin: enabled })
    return
  }
  // Windows keys the entry by path and args, so turning it off must name the same ones.
  const { path, args } = launchCommand(deps, startHidden)
  deps.app.setLoginItemSettings({ openAtLogin: enabled, path, args })
}

function setLinuxAutostart(enabled: boolean, startHidden: boolean, deps: AutostartDeps): void {
  const file = autostartFilePath(deps.env, deps.homeDir)
  if (!enabled) {
    deps.fs.rmSync(file, { force: true })
    return
  }
  const { path, args } = launchCommand(deps, startHidden)
  deps.fs.mkdirSync(dirname(file), { recursive: true })
  deps.fs.writeFileSync(file, buildDesktopEntry({ exec: [path, ...args] }), 'utf8')
}

/** An XDG autostart entry that launches `exec` (program first, then its arguments). */
export function buildDesktopEntry({ exec, name = 'TickerDesk' }: { exec: string[]; name?: string }): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    `Name=${name}`,
    'Comment=Real-time stock and crypto quotes',
    `Exec=${exec.map(quoteExecArg).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    ''
  ].join('\n')
}

const RESERVED = /[\s"'\\><~|&;$*?#()`]/

/**
 * Quoting per the Desktop Entry spec: reserved characters need double quotes, inside which
 * " ` $ \ are backslash-escaped; then the file's own string escaping doubles every backslash,
 * and % (a field code) is written %%.
 */
export function quoteExecArg(arg: string): string {
  const quoted = arg === '' || RESERVED.test(arg) ? `"${arg.replace(/["`$\\]/g, (c) => `\\${c}`)}"` : arg
  return quoted.replace(/\\/g, '\\\\').replace(/%/g, '%%')
}
