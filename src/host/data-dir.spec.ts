import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveDataDir } from './data-dir'

describe('resolveDataDir', () => {
  const home = '/home/ada'

  it('prefers TICKERDESK_DATA_DIR, resolved to an absolute path', () => {
    expect(resolveDataDir({ TICKERDESK_DATA_DIR: '/tmp/td', XDG_CONFIG_HOME: '/x' }, { platform: 'linux', home })).toBe('/tmp/td')
    expect(resolveDataDir({ TICKERDESK_DATA_DIR: 'rel/dir' }, { platform: 'linux', home })).toBe(resolve('rel/dir'))
  })

  it('ignores an empty TICKERDESK_DATA_DIR', () => {
    expect(resolveDataDir({ TICKERDESK_DATA_DIR: '  ' }, { platform: 'linux', home })).toBe(join(home, '.config', 'TickerDesk'))
  })

  it('uses XDG_CONFIG_HOME on Linux when absolute, else ~/.config', () => {
    expect(resolveDataDir({ XDG_CONFIG_HOME: '/xdg' }, { platform: 'linux', home })).toBe(join('/xdg', 'TickerDesk'))
    expect(resolveDataDir({ XDG_CONFIG_HOME: 'relative' }, { platform: 'linux', home })).toBe(join(home, '.config', 'TickerDesk'))
    expect(resolveDataDir({}, { platform: 'linux', home })).toBe(join(home, '.config', 'TickerDesk'))
  })

  it('uses the platform locations on macOS and Windows', () => {
    expect(resolveDataDir({}, { platform: 'darwin', home })).toBe(join(home, 'Library', 'Application Support', 'TickerDesk'))
    expect(resolveDataDir({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, { platform: 'win32', home })).toBe(
      join('C:\\Users\\ada\\AppData\\Roaming', 'TickerDesk')
    )
    expect(resolveDataDir({}, { platform: 'win32', home })).toBe(join(home, 'AppData', 'Roaming', 'TickerDesk'))
  })
})
