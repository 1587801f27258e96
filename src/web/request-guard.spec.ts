import { describe, expect, it } from 'vitest'
import { createRequestGuard, tokenMatches } from './request-guard'

describe('createRequestGuard', () => {
  const guard = createRequestGuard('127.0.0.1', 5217)

  it('accepts the bound address and the loopback names on the bound port', () => {
    expect(guard.isAllowedHost('127.0.0.1:5217')).toBe(true)
    expect(guard.isAllowedHost('localhost:5217')).toBe(true)
    expect(guard.isAllowedHost('LOCALHOST:5217')).toBe(true)
    expect(guard.isAllowedHost('[::1]:5217')).toBe(true)
  })

  it('refuses other names (DNS rebinding), other ports and missing headers', () => {
    expect(guard.isAllowedHost('evil.example:5217')).toBe(false)
    expect(guard.isAllowedHost('127.0.0.1.evil.example:5217')).toBe(false)
    expect(guard.isAllowedHost('127.0.0.1:5218')).toBe(false)
    expect(guard.isAllowedHost('127.0.0.1')).toBe(false)
    expect(guard.isAllowedHost('user@127.0.0.1:5217')).toBe(false)
    expect(guard.isAllowedHost(undefined)).toBe(false)
    expect(guard.isAllowedHost('')).toBe(false)
  })

  it('accepts only http origins of allowed hosts', () => {
    expect(guard.isAllowedOrigin('http://127.0.0.1:5217')).toBe(true)
    expect(guard.isAllowedOrigin('http://localhost:5217')).toBe(true)
    expect(guard.isAllowedOrigin('https://127.0.0.1:5217')).toBe(false)
    expect(guard.isAllowedOrigin('http://evil.example:5217')).toBe(false)
    expect(guard.isAllowedOrigin('http://127.0.0.1:5217/path')).toBe(false)
    expect(guard.isAllowedOrigin('null')).toBe(false)
    expect(guard.isAllowedOrigin(undefined)).toBe(false)
  })

  it('treats a missing port as 80, as browsers omit the default port', () => {
    const onEighty = createRequestGuard('127.0.0.1', 80)
    expect(onEighty.isAllowedHost('localhost')).toBe(true)
    expect(onEighty.isAllowedOrigin('http://localhost')).toBe(true)
  })

  it('on a wildcard bind accepts IP literals but still refuses host names', () => {
    const wide = createRequestGuard('0.0.0.0', 8080)
    expect(wide.isAllowedHost('192.168.1.20:8080')).toBe(true)
    expect(wide.isAllowedOrigin('http://192.168.1.20:8080')).toBe(true)
    expect(wide.isAllowedHost('[fe80::1]:8080')).toBe(true)
    expect(wide.isAllowedHost('attacker.example:8080')).toBe(false)
    expect(guard.isAllowedHost('192.168.1.20:5217')).toBe(false)
  })

  it('accepts a specific bound address', () => {
    const lan = createRequestGuard('192.168.1.20', 8080)
    expect(lan.isAllowedHost('192.168.1.20:8080')).toBe(true)
    expect(lan.isAllowedHost('192.168.1.21:8080')).toBe(false)
  })
})

describe('tokenMatches', () => {
  it('matches only the exact token', () => {
    expect(tokenMatches('abc123', 'abc123')).toBe(true)
    expect(tokenMatches('abc123', 'abc124')).toBe(false)
    expect(tokenMatches('abc123', 'abc1234')).toBe(false)
    expect(tokenMatches('abc123', '')).toBe(false)
    expect(tokenMatches('abc123', null)).toBe(false)
    expect(tokenMatches('abc123', undefined)).toBe(false)
  })
})
