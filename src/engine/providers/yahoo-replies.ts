import type { HttpReply } from './http-client'
import { describeWait, looksLikeHtml, parseRetryAfter, snippet } from './http-errors'
import { ProviderError, type ProviderDeps } from './provider'
import { YahooErrorBodySchema } from './yahoo-schemas'

export const YAHOO_LABEL = 'Yahoo Finance'

/** Yahoo's rate-limit body is plain text, sometimes "Edge: ", sometimes CRLF-terminated, sometimes on a 200. */
export function isTooManyRequestsBody(body: string): boolean {
  return /^(edge:\s*)?too many requests\.?$/i.test(body.trim())
}

export function rateLimitError(reply: HttpReply, now: number): ProviderError {
  const retryAfterMs = parseRetryAfter(reply.headers['retry-after'], now)
  const when =
    retryAfterMs === null ? 'TickerDesk will slow down and try again.' : `trying again in ${describeWait(retryAfterMs)}.`
  return new ProviderError('rate-limit', `${YAHOO_LABEL} is limiting requests (HTTP 429); ${when}`, retryAfterMs)
}

/** The `description` of Yahoo's JSON error envelope, whatever its root key (finance, chart, quoteResponse). */
export function yahooErrorDescription(body: string): string | null {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return null
  }
  if (typeof json !== 'object' || json === null) return null
  for (const value of Object.values(json)) {
    const parsed = YahooErrorBodySchema.safeParse(value)
    const error = parsed.success ? parsed.data.error : null
    if (error) return error.description ?? error.code ?? null
  }
  return null
}

/**
 * Failures that mean the same whatever the endpoint: rate limiting, server trouble and web pages
 * where data belongs. Returns null when the reply needs endpoint-specific reading.
 */
export function commonFailure(reply: HttpReply, deps: ProviderDeps, what: string): ProviderError | null {
  if (reply.status === 429 || (reply.status === 200 && isTooManyRequestsBody(reply.body))) {
    return rateLimitError(reply, deps.now())
  }
  if (reply.status >= 500) {
    const detail = yahooErrorDescription(reply.body)
    return new ProviderError('server', `${YAHOO_LABEL} had a server problem (HTTP ${reply.status}${detail ? `: ${detail}` : ''}).`)
  }
  if (looksLikeHtml(reply.body, reply.headers['content-type'])) {
    deps.log('warn', `${YAHOO_LABEL} ${what}: HTML instead of JSON (HTTP ${reply.status}): ${snippet(reply.body)}`)
    return new ProviderError('bad-payload', `${YAHOO_LABEL} sent a web page instead of market data.`)
  }
  return null
}

/** A 4xx nobody planned for, with Yahoo's own description when it gave one. */
export function unexpectedStatus(reply: HttpReply): ProviderError {
  const detail = yahooErrorDescription(reply.body)
  const kind = reply.status === 401 || reply.status === 403 ? 'auth' : 'server'
  return new ProviderError(kind, `${YAHOO_LABEL} refused the request (HTTP ${reply.status}${detail ? `: ${detail}` : ''}).`)
}

export function parseJson(reply: HttpReply, deps: ProviderDeps, what: string): unknown {
  try {
    return JSON.parse(reply.body)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    deps.log('warn', `${YAHOO_LABEL} ${what}: malformed JSON (${reason}): ${snippet(reply.body)}`)
    throw malformed()
  }
}

export function malformed(): ProviderError {
  return new ProviderError('bad-payload', `${YAHOO_LABEL} sent malformed data.`)
}
