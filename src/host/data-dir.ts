import { homedir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'

const APP_DIR = 'TickerDesk'

export interface DataDirContext {
  platform?: NodeJS.Platform
  home?: string
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined
}

/**
 * Where TickerDesk keeps its files outside Electron. The per-platform defaults match Electron's
 * `app.getPath('userData')` for the product name, so the web shell, the CLI and the desktop app
 * share one set of watchlists.
 */
export function resolveDataDir(env: NodeJS.ProcessEnv | Record<string, string | undefined>, context: DataDirContext = {}): string {
  const override = nonEmpty(env.TICKERDESK_DATA_DIR)
  if (override) return resolve(override)

  const platform = context.platform ?? process.platform
  const home = context.home ?? homedir()
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_DIR)
  if (platform === 'win32') {
    const appData = nonEmpty(env.APPDATA)
    return join(appData ?? join(home, 'AppData', 'Roaming'), APP_DIR)
  }
  // The XDG spec says relative values must be ignored.
  const xdg = nonEmpty(env.XDG_CONFIG_HOME)
  if (xdg && isAbsolute(xdg)) return join(xdg, APP_DIR)
  return join(home, '.config', APP_DIR)
}
