import { shell, type BrowserWindow, type Session } from 'electron'

/**
 * Second layer behind the renderer's meta tag (Electron security checklist item 7). It matches
 * the web shell's policy; 'unsafe-inline' styles are needed by Vue's style bindings.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'"
].join('; ')

/** No web permission (camera, notifications, geolocation…) is needed by the UI, so none is granted. */
export const ALLOWED_PERMISSIONS: readonly string[] = []

function parse(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}

function decodePath(url: URL): string | null {
  try {
    return decodeURIComponent(url.pathname)
  } catch {
    return null
  }
}

/**
 * True when `url` is the app's own page. For http(s) (the dev server) the origins must match;
 * a file: page has the opaque origin "null", so there the exact file must match instead, which
 * keeps other local files from counting as the app. Parsed with URL, never startsWith, so
 * lookalikes such as http://127.0.0.1.evil.com fail.
 */
export function isAppUrl(url: string, appUrl: string): boolean {
  const target = parse(url)
  const app = parse(appUrl)
  if (!target || !app) return false
  if (app.protocol === 'file:') {
    // Decoded, because Chromium and Node may percent-encode the same path differently.
    const appPath = decodePath(app)
    return target.protocol === 'file:' && target.host === app.host && appPath !== null && decodePath(target) === appPath
  }
  if (app.protocol !== 'http:' && app.protocol !== 'https:') return false
  return target.origin === app.origin
}

/** In-window navigation may only reload or move within the app itself. */
export function isAllowedNavigation(url: string, appUrl: string): boolean {
  return isAppUrl(url, appUrl)
}

/** Only plain web links may leave the app for the system browser; never file:, javascript:, data:, custom schemes. */
export function isSafeExternalUrl(url: string): boolean {
  const parsed = parse(url)
  if (!parsed) return false
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false
  // Credentials in a link are a phishing trick ("https://bank.com@evil.example"), never needed here.
  return parsed.hostname !== '' && parsed.username === '' && parsed.password === ''
}

export type SecurityLog = (level: 'info' | 'warn', message: string) => void

/**
 * Locks one window to the app: no navigation away, no new windows (safe links open in the
 * system browser instead), no <webview>.
 */
export function registerWindowSecurity(win: BrowserWindow, appUrl: string, log: SecurityLog = () => {}): void {
  const contents = win.webContents
  contents.on('will-navigate', (event, url) => {
    if (isAllowedNavigation(url, appUrl)) return
    event.preventDefault()
    log('warn', `Blocked navigation to ${url}`)
    openIfSafe(url, log)
  })
  contents.on('will-redirect', (event, url) => {
    if (isAllowedNavigation(url, appUrl)) return
    event.preventDefault()
    log('warn', `Blocked redirect to ${url}`)
  })
  contents.setWindowOpenHandler(({ url }) => {
    openIfSafe(url, log)
    return { action: 'deny' }
  })
  contents.on('will-attach-webview', (event) => {
    event.preventDefault()
    log('warn', 'Blocked a <webview> from attaching')
  })
}

function openIfSafe(url: string, log: SecurityLog): void {
  if (!isSafeExternalUrl(url)) {
    log('warn', `Refused to open ${url} outside the app`)
    return
  }
  shell.openExternal(url).catch((error: unknown) => log('warn', `Could not open ${url}: ${String(error)}`))
}

/** Denies every permission and adds the CSP header to every response of the app's session. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    callback(ALLOWED_PERMISSIONS.includes(permission))
  })
  session.setPermissionCheckHandler((_contents, permission) => ALLOWED_PERMISSIONS.includes(permission))
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] }
    })
  })
}
