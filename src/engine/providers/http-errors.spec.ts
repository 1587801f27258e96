import { AxiosError } from 'axios'
import { describe, expect, it } from 'vitest'
import { cookiePairs } from './http-client'
import { describeWait, looksLikeHtml, networkError, parseRetryAfter } from './http-errors'
import { ProviderError } from './provider'

const NOW = Date.UTC(2026, 0, 5, 12, 0, 0)

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP-dates, and ignores junk', () => {
    expect(parseRetryAfter('30', NOW)).toBe(30_000)
    expect(parseRetryAfter(' 2.5 ', NOW)).toBe(2_500)
    expect(parseRetryAfter(['7'], NOW)).toBe(7_000)
    expect(parseRetryAfter(new Date(NOW + 45_000).toUTCString(), NOW)).toBe(45_000)
    expect(parseRetryAfter(new Date(NOW - 45_000).toUTCString(), NOW)).toBe(0)
    expect(parseRetryAfter(undefined, NOW)).toBeNull()
    expect(parseRetryAfter('', NOW)).toBeNull()
    expect(parseRetryAfter('soon', NOW)).toBeNull()
  })
})

describe('networkError', () => {
  it('names the usual transport failures in plain words', () => {
    const cases: [string, string][] = [
      ['ECONNREFUSED', 'the connection was refused'],
      ['ECONNRESET', 'the connection was reset'],
      ['ENOTFOUND', 'the address could not be found (DNS)'],
      ['ETIMEDOUT', 'the request timed out']
    ]
    for (const [code, words] of cases) {
      const error = networkError('Yahoo Finance', new AxiosError('x', code))
      expect(error).toBeInstanceOf(ProviderError)
      expect(error).toMatchObject({ kind: 'network', message: `Cannot reach Yahoo Finance: ${words}.` })
    }
    expect(networkError('X', new AxiosError('timeout of 100ms exceeded', 'ECONNABORTED')).message).toBe(
      'Cannot reach X: the request timed out.'
    )
  })

  it('finds a code on the cause and passes ProviderErrors through', () => {
    const nested = new Error('fetch failed', { cause: Object.assign(new Error('getaddrinfo'), { code: 'EAI_AGAIN' }) })
    expect(networkError('X', nested).message).toBe('Cannot reach X: the address could not be looked up (DNS).')
    const original = new ProviderError('rate-limit', 'slow down', 1_000)
    expect(networkError('X', original)).toBe(original)
    expect(networkError('X', 'weird').message).toBe('Cannot reach X: weird.')
  })
})

describe('small helpers', () => {
  it('spots HTML by content type or by its first characters', () => {
    expect(looksLikeHtml('{}', 'text/html; charset=utf-8')).toBe(true)
    expect(looksLikeHtml('  <!DOCTYPE html><html>', undefined)).toBe(true)
    expect(looksLikeHtml('{"a":1}', 'application/json')).toBe(false)
    expect(looksLikeHtml('Too Many Requests', 'text/plain')).toBe(false)
  })

  it('describes waits in seconds or minutes', () => {
    expect(describeWait(200)).toBe('1 s')
    expect(describeWait(30_000)).toBe('30 s')
    expect(describeWait(600_000)).toBe('10 min')
  })

  it('keeps only name=value from Set-Cookie lines', () => {
    expect(cookiePairs(['A3=d=AQAB&S=x; Expires=Wed; Path=/; Secure', 'A1S=y; Path=/', 'broken'])).toEqual([
      ['A3', 'd=AQAB&S=x'],
      ['A1S', 'y']
    ])
    expect(cookiePairs(undefined)).toEqual([])
  })
})
