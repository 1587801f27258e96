import axios, { type AxiosInstance } from 'axios'
import { networkError } from './http-errors'

export interface HttpReply {
  status: number
  headers: Record<string, unknown>
  /** Raw body text: adapters parse it themselves so HTML and broken JSON can be told apart. */
  body: string
}

export interface TextRequest {
  url: string
  headers?: Record<string, string>
  timeoutMs: number
  signal?: AbortSignal
}

export function createHttpClient(options: { userAgent: string }): AxiosInstance {
  return axios.create({ headers: { 'User-Agent': options.userAgent, 'Accept-Encoding': 'gzip, deflate' } })
}

/**
 * One GET that never throws for an HTTP status: every status comes back as a reply, and only a
 * missing response (refused, reset, DNS, timeout, cancelled) becomes a 'network' ProviderError.
 * Redirects are not followed so a cookie step sees the Set-Cookie of the first answer.
 */
export async function getText(http: AxiosInstance, label: string, request: TextRequest): Promise<HttpReply> {
  try {
    return await getOnce(http, request)
  } catch (error) {
    // A kept-alive socket the server already closed fails with a reset; a GET is safe to send again.
    if (!isStaleSocket(error) || request.signal?.aborted) throw networkError(label, error)
  }
  try {
    return await getOnce(http, request)
  } catch (error) {
    throw networkError(label, error)
  }
}

function isStaleSocket(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined
  return code === 'ECONNRESET' || code === 'EPIPE'
}

async function getOnce(http: AxiosInstance, request: TextRequest): Promise<HttpReply> {
  const response = await http.request<unknown>({
    method: 'GET',
    url: request.url,
    headers: request.headers,
    timeout: request.timeoutMs,
    signal: request.signal,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    maxRedirects: 0
  })
  const data = response.data
  const body = typeof data === 'string' ? data : data === undefined || data === null ? '' : JSON.stringify(data)
  return { status: response.status, headers: { ...response.headers } as Record<string, unknown>, body }
}

/** Set-Cookie values as `name=value` pairs, attributes dropped. */
export function cookiePairs(setCookie: unknown): [string, string][] {
  const lines = Array.isArray(setCookie) ? setCookie : typeof setCookie === 'string' ? [setCookie] : []
  const pairs: [string, string][] = []
  for (const line of lines) {
    if (typeof line !== 'string') continue
    const first = line.split(';', 1)[0] ?? ''
    const eq = first.indexOf('=')
    if (eq <= 0) continue
    pairs.push([first.slice(0, eq).trim(), first.slice(eq + 1).trim()])
  }
  return pairs
}
