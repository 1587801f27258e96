import { describe, expect, it, vi } from 'vitest'
import { BrowserWindow, shell, type Session } from 'electron'
import { FakeBrowserWindow, FakeSession } from '../../tests/setup/electron-mock'
import {
  CONTENT_SECURITY_POLICY,
  hardenSession,
  isAllowedNavigation,
  isAppUrl,
  isSafeExternalUrl,
  registerWindowSecurity
} from './window-security'

const DEV_URL = 'http://localhost:5173/'
const FILE_URL = 'file:///opt/TickerDesk/resources/app.asar/out/renderer/index.html'

describe('isAppUrl / isAllowedNavigation', () => {
  it('accepts the dev server origin with any path, query or hash', () => {
    expect(isAppUrl('http://localhost:5173/', DEV_URL)).toBe(true)
    expect(isAppUrl('http://localhost:5173/src/main.ts?t=1#x', DEV_URL)).toBe(true)
  })

  it('rejects other ports, schemes, hosts and lookalike origins', () => {
    expect(isAppUrl('http://localhost:5174/', DEV_URL)).toBe(false)
    expect(isAppUrl('https://localhost:5173/', DEV_URL)).toBe(false)
    expect(isAppUrl('http://127.0.0.1:5173/', DEV_URL)).toBe(false)
    expect(isAllowedNavigation('http://127.0.0.1.evil.com/', 'http://127.0.0.1:5173/')).toBe(false)
    expect(isAllowedNavigation('http://127.0.0.1:5173.evil.com/', 'http://127.0.0.1:5173/')).toBe(false)
    expect(isAllowedNavigation('http://localhost:5173@evil.com/', DEV_URL)).toBe(false)
  })

  it('accepts only the exact app file for a file: app, never another local file', () => {
    expect(isAppUrl(`${FILE_URL}#/settings`, FILE_URL)).toBe(true)
    expect(isAppUrl('file:///etc/passwd', FILE_URL)).toBe(false)
    expect(isAppUrl('file:///opt/TickerDesk/resources/app.asar/out/renderer/other.html', FILE_URL)).toBe(false)
    expect(isAppUrl('file://evil-host/opt/TickerDesk/resources/app.asar/out/renderer/index.html', FILE_URL)).toBe(false)
  })

  it('matches a file path whatever its percent-encoding, but never an undecodable one', () => {
    const spaced = 'file:///home/a%20b/TickerDesk/out/renderer/index.html'
    expect(isAppUrl('file:///home/a b/TickerDesk/out/renderer/index.html', spaced)).toBe(true)
    expect(isAppUrl('file:///home/a%2/x.html', 'file:///home/a%2/x.html')).toBe(false)
  })

  it('rejects javascript:, data:, blob-less garbage and unparsable input', () => {
    expect(isAllowedNavigation('javascript:alert(1)', DEV_URL)).toBe(false)
    expect(isAllowedNavigation('data:text/html,<script>alert(1)</script>', DEV_URL)).toBe(false)
    expect(isAllowedNavigation('not a url', DEV_URL)).toBe(false)
    expect(isAllowedNavigation('', FILE_URL)).toBe(false)
    expect(isAppUrl(DEV_URL, 'not a url')).toBe(false)
    expect(isAppUrl('javascript:1', 'javascript:1')).toBe(false)
  })
})

describe('isSafeExternalUrl', () => {
  it('allows plain http and https links', () => {
    expect(isSafeExternalUrl('https://finance.yahoo.com/quote/AAPL')).toBe(true)
    expect(isSafeExternalUrl('http://example.com')).toBe(true)
  })

  it('refuses every other scheme and malformed input', () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,hi',
      'smb://server/share',
      'ms-msdt:/id PCWDiagnostic',
      'vbscript:msgbox',
      'mailto:a@b.c',
      'https//missing-colon.com',
      '',
      '   '
    ]) {
      expect(isSafeExternalUrl(url), url).toBe(false)
    }
  })

  it('refuses links carrying credentials', () => {
    expect(isSafeExternalUrl('https://bank.example@evil.example/')).toBe(false)
  })
})

function fakeWindow(): FakeBrowserWindow {
  return new BrowserWindow() as unknown as FakeBrowserWindow
}

describe('registerWindowSecurity', () => {
  it('prevents navigation away from the app and allows in-app navigation', () => {
    const win = fakeWindow()
    const log = vi.fn()
    registerWindowSecurity(win as unknown as BrowserWindow, DEV_URL, log)
    const navigate = win.webContents.listener('will-navigate') as (e: unknown, url: string) => void

    const away = { preventDefault: vi.fn() }
    navigate(away, 'https://evil.example/')
    expect(away.preventDefault).toHaveBeenCalled()
    expect(log).toHaveBeenCalledWith('warn', expect.stringContaining('https://evil.example/'))

    const inside = { preventDefault: vi.fn() }
    navigate(inside, 'http://localhost:5173/#/list')
    expect(inside.preventDefault).not.toHaveBeenCalled()
  })

  it('hands a blocked http(s) navigation to the browser, but never a file: one', () => {
    const win = fakeWindow()
    registerWindowSecurity(win as unknown as BrowserWindow, DEV_URL)
    const navigate = win.webContents.listener('will-navigate') as (e: unknown, url: string) => void
    navigate({ preventDefault: vi.fn() }, 'file:///etc/passwd')
    expect(shell.openExternal).not.toHaveBeenCalled()
    navigate({ preventDefault: vi.fn() }, 'https://news.example/')
    expect(shell.openExternal).toHaveBeenCalledWith('https://news.example/')
  })

  it('blocks redirects off the app', () => {
    const win = fakeWindow()
    registerWindowSecurity(win as unknown as BrowserWindow, DEV_URL)
    const redirect = win.webContents.listener('will-redirect') as (e: unknown, url: string) => void
    const event = { preventDefault: vi.fn() }
    redirect(event, 'https://evil.example/')
    expect(event.preventDefault).toHaveBeenCalled()
  })

  it('denies every window.open and opens only safe links externally', () => {
    const win = fakeWindow()
    registerWindowSecurity(win as unknown as BrowserWindow, DEV_URL)
    const handler = win.webContents.setWindowOpenHandler.mock.calls[0]?.[0] as (d: { url: string }) => unknown

    expect(handler({ url: 'https://finance.yahoo.com/quote/AAPL' })).toEqual({ action: 'deny' })
    expect(shell.openExternal).toHaveBeenCalledWith('https://finance.yahoo.com/quote/AAPL')

    vi.mocked(shell.openExternal).mockClear()
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'http://localhost:5173/']) {
      expect(handler({ url })).toEqual({ action: 'deny' })
    }
    expect(shell.openExternal).toHaveBeenCalledTimes(1)
    expect(shell.openExternal).toHaveBeenCalledWith('http://localhost:5173/')
  })

  it('keeps running when the system browser cannot be opened', async () => {
    vi.mocked(shell.openExternal).mockRejectedValueOnce(new Error('no browser'))
    const win = fakeWindow()
    const log = vi.fn()
    registerWindowSecurity(win as unknown as BrowserWindow, DEV_URL, log)
    const handler = win.webContents.setWindowOpenHandler.mock.calls[0]?.[0] as (d: { url: string }) => unknown
    expect(handler({ url: 'https://example.com/' })).toEqual({ action: 'deny' })
    await vi.waitFor(() => expect(log).toHaveBeenCalledWith('warn', expect.stringContaining('no browser')))
  })

  it('prevents <webview> from attaching', () => {
    const win = fakeWindow()
    registerWindowSecurity(win as unknown as BrowserWindow, DEV_URL)
    const attach = win.webContents.listener('will-attach-webview') as (e: unknown) => void
    const event = { preventDefault: vi.fn() }
    attach(event)
    expect(event.preventDefault).toHaveBeenCalled()
  })
})

describe('hardenSession', () => {
  function harden(): FakeSession {
    const session = new FakeSession()
    hardenSession(session as unknown as Session)
    return session
  }

  it('denies every permission request', () => {
    const session = harden()
    const handler = session.setPermissionRequestHandler.mock.calls[0]?.[0] as (
      wc: unknown,
      permission: string,
      cb: (granted: boolean) => void
    ) => void
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const callback = vi.fn()
      handler({}, permission, callback)
      expect(callback, permission).toHaveBeenCalledWith(false)
    }
  })

  it('answers every permission check with false', () => {
    const session = harden()
    const check = session.setPermissionCheckHandler.mock.calls[0]?.[0] as (wc: unknown, permission: string) => boolean
    expect(check({}, 'media')).toBe(false)
    expect(check({}, 'clipboard-sanitized-write')).toBe(false)
  })

  it('adds the CSP header to responses and keeps the existing headers', () => {
    const session = harden()
    const listener = session.webRequest.onHeadersReceived.mock.calls[0]?.[0] as (
      details: { responseHeaders?: Record<string, string[]> },
      cb: (r: { responseHeaders: Record<string, string[]> }) => void
    ) => void
    const callback = vi.fn()
    listener({ responseHeaders: { 'Content-Type': ['text/html'] } }, callback)
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] }
    })
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'")
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval')
  })
})
