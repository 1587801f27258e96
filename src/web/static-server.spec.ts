import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rawGet } from './testing/raw-http'
import { createRequestGuard } from './request-guard'
import { CONTENT_SECURITY_POLICY, createStaticHandler, resolveInside } from './static-server'

let base: string
let server: Server
let port: number

beforeAll(async () => {
  base = mkdtempSync(path.join(tmpdir(), 'tickerdesk-static-'))
  const root = path.join(base, 'renderer')
  mkdirSync(path.join(root, 'assets'), { recursive: true })
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>TickerDesk</title>')
  writeFileSync(path.join(root, 'assets', 'index-abc123.js'), 'console.log(1)')
  writeFileSync(path.join(root, 'assets', 'index-abc123.css'), 'body{}')
  writeFileSync(path.join(root, 'icon.svg'), '<svg/>')
  writeFileSync(path.join(base, 'secret.txt'), 'top secret')
  symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'escape.txt'))

  server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
  const handler = createStaticHandler({ rendererDir: root, guard: createRequestGuard('127.0.0.1', port) })
  server.on('request', (req, res) => void handler(req, res))
})

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
  rmSync(base, { recursive: true, force: true })
})

describe('static server', () => {
  it('serves index.html for / with the security headers and no caching', async () => {
    const res = await rawGet(port, '/?token=abc')
    expect(res.status).toBe(200)
    expect(res.body).toContain('<title>TickerDesk</title>')
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
    expect(res.headers['content-security-policy']).toContain("default-src 'self'")
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['referrer-policy']).toBe('no-referrer')
    expect(res.headers['cache-control']).toBe('no-store')
  })

  it('serves built assets with their content types', async () => {
    const js = await rawGet(port, '/assets/index-abc123.js')
    expect(js.status).toBe(200)
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(js.headers['cache-control']).toContain('immutable')
    const css = await rawGet(port, '/assets/index-abc123.css')
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8')
    const svg = await rawGet(port, '/icon.svg')
    expect(svg.headers['content-type']).toBe('image/svg+xml')
    expect(svg.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
  })

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..\\secret.txt', '/%00index.html', '/escape.txt'])(
    'does not serve anything outside the renderer folder: %s',
    async (requestPath) => {
      const res = await rawGet(port, requestPath)
      expect(res.status).toBe(404)
      expect(res.body).not.toContain('top secret')
      expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
    }
  )

  it('answers 404 for missing files and folders', async () => {
    expect((await rawGet(port, '/nope.js')).status).toBe(404)
    expect((await rawGet(port, '/assets/')).status).toBe(404)
  })

  it('refuses requests whose Host is not this server (DNS rebinding)', async () => {
    const res = await rawGet(port, '/', { host: `evil.example:${port}` })
    expect(res.status).toBe(403)
    expect(res.body).not.toContain('TickerDesk</title>')
    expect((await rawGet(port, '/', { host: `localhost:${port}` })).status).toBe(200)
  })

  it('allows only GET and HEAD', async () => {
    expect((await rawGet(port, '/', {}, 'POST')).status).toBe(405)
    const head = await rawGet(port, '/', {}, 'HEAD')
    expect(head.status).toBe(200)
    expect(head.body).toBe('')
  })
})

describe('resolveInside', () => {
  it('maps request paths inside the root only', () => {
    expect(resolveInside('/srv/app', '/')).toBe(path.resolve('/srv/app/index.html'))
    expect(resolveInside('/srv/app', '/a/../b.js')).toBe(path.resolve('/srv/app/b.js'))
    expect(resolveInside('/srv/app', '/../../etc/passwd')).toBe(path.resolve('/srv/app/etc/passwd'))
    expect(resolveInside('/srv/app', '/%E0%A4%A')).toBeNull()
  })
})
