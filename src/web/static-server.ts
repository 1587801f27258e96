import { createReadStream, promises as fs } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'
import type { RequestGuard } from './request-guard'

/** Mirrors the Electron window's CSP; the socket bridge is same-origin, so connect-src 'self' covers it. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'"
].join('; ')

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin'
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm'
}

export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream'
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>

function sendText(res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    ...extra
  })
  res.end(`${message}\n`)
}

/**
 * Maps a request path to a file strictly inside `root`, or null. Decoding happens before the
 * containment check so %2e%2e and encoded slashes cannot climb out.
 */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null
  const relative = path.posix.normalize(decoded === '/' ? '/index.html' : decoded).replace(/^\/+/, '')
  const resolved = path.resolve(root, relative)
  return isStrictlyInside(root, resolved) ? resolved : null
}

function isStrictlyInside(root: string, candidate: string): boolean {
  const fromRoot = path.relative(root, candidate)
  return fromRoot !== '' && fromRoot !== '..' && !fromRoot.startsWith(`..${path.sep}`) && !path.isAbsolute(fromRoot)
}

function cacheControlFor(root: string, filePath: string): string {
  const relative = path.relative(root, filePath).split(path.sep).join('/')
  if (relative === 'index.html') return 'no-store'
  // Vite puts content-hashed bundles under assets/, so they never change under one name.
  if (relative.startsWith('assets/')) return 'public, max-age=31536000, immutable'
  return 'no-cache'
}

/** Serves the built renderer, and nothing else, to requests that pass the Host check. */
export function createStaticHandler(options: { rendererDir: string; guard: RequestGuard }): RequestHandler {
  const configuredRoot = path.resolve(options.rendererDir)
  let realRoot: Promise<string> | undefined

  return async (req, res) => {
    if (!options.guard.isAllowedHost(req.headers.host)) {
      sendText(res, 403, 'Forbidden: this address is not one the TickerDesk web shell answers to.')
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'Method not allowed.', { Allow: 'GET, HEAD' })
      return
    }
    const urlPath = (req.url ?? '/').split('?')[0] ?? '/'
    realRoot ??= fs.realpath(configuredRoot).catch(() => configuredRoot)
    const root = await realRoot
    const candidate = resolveInside(root, urlPath)
    if (candidate === null) {
      sendText(res, 404, 'Not found.')
      return
    }
    let filePath: string
    let size: number
    try {
      // Resolve symlinks too, so a link inside the folder cannot point outside it.
      filePath = await fs.realpath(candidate)
      const stat = await fs.stat(filePath)
      if (!stat.isFile() || !isStrictlyInside(root, filePath)) {
        sendText(res, 404, 'Not found.')
        return
      }
      size = stat.size
    } catch {
      if (urlPath === '/' || urlPath === '/index.html') {
        sendText(res, 500, 'The web app has not been built: run `npm run build` first.')
      } else {
        sendText(res, 404, 'Not found.')
      }
      return
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': contentTypeFor(filePath),
      'Content-Length': String(size),
      'Cache-Control': cacheControlFor(root, filePath)
    })
    if (req.method === 'HEAD') {
      res.end()
      return
    }
    const stream = createReadStream(filePath)
    stream.on('error', () => res.destroy())
    stream.pipe(res)
  }
}
