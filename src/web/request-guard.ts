import { createHash, timingSafeEqual } from 'node:crypto'
import { isIP } from 'node:net'

/**
 * Decides which Host headers and Origins belong to this web shell. Checking Host defeats DNS
 * rebinding (a hostile page whose name resolves to 127.0.0.1 still sends its own name as Host);
 * checking Origin stops other sites from opening the bridge socket from a user's browser.
 */
export interface RequestGuard {
  isAllowedHost(hostHeader: string | undefined): boolean
  isAllowedOrigin(origin: string | undefined): boolean
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]'])
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]']

/** `host` as it appears in a URL authority: IPv6 literals get brackets. */
export function urlHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host
}

export function isWildcardHost(host: string): boolean {
  return WILDCARD_HOSTS.has(host)
}

export function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]'
}

function splitHostPort(authority: string): { host: string; port: string } | null {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]/@]+)(?::(\d{1,5}))?$/i.exec(authority)
  if (!match || match[1] === undefined) return null
  // Browsers leave out the port when it is the scheme default.
  return { host: match[1].toLowerCase(), port: match[2] ?? '80' }
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
}

export function createRequestGuard(boundHost: string, port: number): RequestGuard {
  const portText = String(port)
  const names = new Set([...LOOPBACK_NAMES, urlHost(boundHost).toLowerCase()])

  const isAllowedAuthority = (authority: string): boolean => {
    const parts = splitHostPort(authority.trim())
    if (!parts || parts.port !== portText) return false
    if (names.has(parts.host)) return true
    // Bound to every interface: other machines reach us by IP address. An IP literal cannot be
    // rebound by DNS, so it is safe to accept; host names other than localhost are still refused.
    return isWildcardHost(boundHost) && isIP(unbracket(parts.host)) !== 0
  }

  return {
    isAllowedHost: (hostHeader) => typeof hostHeader === 'string' && isAllowedAuthority(hostHeader),
    isAllowedOrigin: (origin) => {
      if (typeof origin !== 'string' || !origin.startsWith('http://')) return false
      const authority = origin.slice('http://'.length)
      return !authority.includes('/') && isAllowedAuthority(authority)
    }
  }
}

/** Compares a presented token with the expected one without leaking how much of it matched. */
export function tokenMatches(expected: string, presented: string | null | undefined): boolean {
  if (typeof presented !== 'string' || presented.length === 0) return false
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest()
  return timingSafeEqual(digest(expected), digest(presented))
}
