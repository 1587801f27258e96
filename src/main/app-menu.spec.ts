import { describe, expect, it } from 'vitest'
import { Menu, type MenuItemConstructorOptions } from 'electron'
import { appMenuTemplate, installAppMenu } from './app-menu'

function roles(template: MenuItemConstructorOptions[]): string[] {
  return template.flatMap((item) => (Array.isArray(item.submenu) ? item.submenu.map((sub) => String(sub.role ?? sub.type)) : []))
}

describe('application menu', () => {
  it('has no reload entry, so Ctrl+R and F5 reach the page as "refresh prices"', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const all = roles(appMenuTemplate({ platform, isPackaged: true }))
      expect(all).not.toContain('reload')
      expect(all).not.toContain('forceReload')
      expect(all).toEqual(expect.arrayContaining(['copy', 'paste', 'selectAll']))
    }
  })

  it('offers developer tools only in development builds', () => {
    expect(roles(appMenuTemplate({ platform: 'linux', isPackaged: true }))).not.toContain('toggleDevTools')
    expect(roles(appMenuTemplate({ platform: 'linux', isPackaged: false }))).toContain('toggleDevTools')
  })

  it('gives macOS its application menu with Quit', () => {
    const [first] = appMenuTemplate({ platform: 'darwin', isPackaged: true })
    expect(first?.label).toBe('TickerDesk')
    expect(roles([first!])).toContain('quit')
    expect(appMenuTemplate({ platform: 'linux', isPackaged: true })[0]?.label).toBe('Edit')
  })

  it('installs the built menu as the application menu', () => {
    installAppMenu({ platform: 'linux', isPackaged: true })
    expect(Menu.setApplicationMenu).toHaveBeenCalledWith({ items: appMenuTemplate({ platform: 'linux', isPackaged: true }) })
  })
})
