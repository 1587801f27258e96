import { describe, expect, it, vi } from 'vitest'
import { bridgeUrl, takeBridgeToken } from './bridge-token'

function memoryStorage() {
  const data = new Map<string, string>()
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) }
}

describe('takeBridgeToken', () => {
  it('takes the token from the page URL, remembers it and removes it from the address bar', () => {
    const storage = memoryStorage()
    const replaceUrl = vi.fn()
    expect(takeBridgeToken({ href: 'http://127.0.0.1:5217/?token=s3cr3t&x=1#top', storage, replaceUrl })).toBe('s3cr3t')
    expect(replaceUrl).toHaveBeenCalledWith('/?x=1#top')
    // A reload without the token still works.
    expect(takeBridgeToken({ href: 'http://127.0.0.1:5217/', storage, replaceUrl })).toBe('s3cr3t')
    expect(replaceUrl).toHaveBeenCalledTimes(1)
  })

  it('returns null when there is no token anywhere, and survives broken storage', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied')
      },
      setItem: () => {
        throw new Error('denied')
      }
    }
    expect(takeBridgeToken({ href: 'http://localhost:1/', storage: null, replaceUrl: () => {} })).toBeNull()
    expect(takeBridgeToken({ href: 'http://localhost:1/', storage: broken, replaceUrl: () => {} })).toBeNull()
    expect(takeBridgeToken({ href: 'http://localhost:1/?token=t', storage: broken, replaceUrl: () => {} })).toBe('t')
  })
})

describe('bridgeUrl', () => {
  it('uses ws for http pages and wss for https, on the page host', () => {
    expect(bridgeUrl('http://127.0.0.1:5217/', 'a b')).toBe('ws://127.0.0.1:5217/bridge?token=a%20b')
    expect(bridgeUrl('https://desk.example:8443/x', 't')).toBe('wss://desk.example:8443/bridge?token=t')
  })
})
