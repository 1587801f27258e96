import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createHttpClient, getText } from './http-client'
import { ProviderError } from './provider'

let server: Server | undefined

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  server = undefined
})

/** A server that cuts the first `resets` requests off mid-way, then answers "ok". */
async function flaky(resets: number): Promise<{ url: string; hits: () => number }> {
  let hits = 0
  server = createServer((req, res) => {
    hits++
    if (hits <= resets) {
      req.socket.destroy()
      return
    }
    res.writeHead(200, { 'Content-Type': 'text/plain' })
    res.end('ok')
  })
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, hits: () => hits }
}

describe('getText', () => {
  const http = createHttpClient({ userAgent: 'test' })

  it('sends a GET again once when the connection was reset', async () => {
    const target = await flaky(1)
    const reply = await getText(http, 'Test', { url: target.url, timeoutMs: 2_000 })
    expect(reply).toMatchObject({ status: 200, body: 'ok' })
    expect(target.hits()).toBe(2)
  })

  it('gives up after the second reset with a network error', async () => {
    const target = await flaky(5)
    const error = await getText(http, 'Test', { url: target.url, timeoutMs: 2_000 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ProviderError)
    expect(error).toMatchObject({ kind: 'network', message: 'Cannot reach Test: the connection was reset.' })
    expect(target.hits()).toBe(2)
  })

  it('returns error statuses as replies, without following redirects', async () => {
    server = createServer((_req, res) => {
      res.writeHead(302, { Location: '/elsewhere', 'Set-Cookie': 'A3=x; Path=/' })
      res.end()
    })
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    const reply = await getText(http, 'Test', { url, timeoutMs: 2_000 })
    expect(reply.status).toBe(302)
    expect(reply.headers['set-cookie']).toEqual(['A3=x; Path=/'])
  })
})
