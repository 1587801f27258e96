import { Menu, type MenuItemConstructorOptions } from 'electron'

export interface AppMenuOptions {
  platform: NodeJS.Platform
  /** Developer tools only in development builds. */
  isPackaged: boolean
}

/**
 * The window menu. Electron's default one binds Ctrl+R / F5 to reloading the page, which would
 * throw away the window's state; here those keys reach the page, where they mean "refresh prices".
 * Editing roles stay, since copy and paste in text fields depend on them on macOS.
 */
export function appMenuTemplate(options: AppMenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin'
  const template: MenuItemConstructorOptions[] = []
  if (mac) {
    template.push({
      label: 'TickerDesk',
      submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }]
    })
  }
  template.push({
    label: 'Edit',
    submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }]
  })
  const view: MenuItemConstructorOptions[] = [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }]
  if (!options.isPackaged) view.push({ type: 'separator' }, { role: 'toggleDevTools' })
  template.push({ label: 'View', submenu: view })
  template.push({ label: 'Window', submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }] })
  return template
}

export function installAppMenu(options: AppMenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(options)))
}
