import { isAxiosError } from 'axios'
import { ProviderError } from './provider'

/**
 * Plain-words reasons for transport failures. Every HTTP adapter maps its failures through
 * here so the scheduler's offline detection sees the same 'network' kind whatever the provider.
 */
const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was cut',
  ENOTFOUND: 'the address could not be found (DNS)',
  EAI_AGAIN: 'the address could not be looked up (DNS)',
  ENETUNREACH: 'the network is unreachable',
  EHOSTUNREACH: 'the host is unreachable',
  ENETDOWN: 'the network is down',
  ETIMEDOUT: 'the request timed out',
  ECONNABORTED: 'the request timed out',
  ERR_CANCELED: 'the request was cancelled',
  ERR_SOCKET_CONNECTION_TIMEOUT: 'the request timed out',
  ERR_NETWORK: 'the network failed'
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && code.length > 0) return code
  const cause = (error as { cause?: unknown }).cause
  return cause !== undefined && cause !== error ? errorCode(cause) : undefined
}

/**
 * Turns a failed request (no HTTP response) into a 'network' ProviderError. Anything else that
 * escaped a request is still reported as 'network', because without a response there is nothing
 * better to say and the engine must never see a foreign error type.
 */
export function networkError(label: string, error: unknown): ProviderError {
  if (error instanceof ProviderError) return error
  let code = errorCode(error)
  // axios reports its own timeout as ECONNABORTED with a "timeout" message
  if (code === 'ECONNABORTED' && isAxiosError(error) && !/timeout/i.test(error.message)) code = 'ECONNRESET'
  const reason = (code && NETWORK_REASONS[code]) ?? describeUnknown(error)
  return new ProviderError('network', `Cannot reach ${label}: ${reason}.`)
}

function describeUnknown(error: unknown): string {
  const code = errorCode(error)
  const message = error instanceof Error ? error.message : String(error)
  const text = code && !message.includes(code) ? `${message} (${code})` : message
  return text.trim().replace(/\.$/, '') || 'an unknown network problem'
}

/** Retry-After is either delta-seconds or an HTTP-date; returns ms from now, or null when absent or unreadable. */
export function parseRetryAfter(value: unknown, now: number): number | null {
  const header = Array.isArray(value) ? value[0] : value
  if (typeof header === 'number' && Number.isFinite(header)) return Math.max(0, Math.round(header * 1000))
  if (typeof header !== 'string') return null
  const text = header.trim()
  if (text === '') return null
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000)
  const at = Date.parse(text)
  return Number.isNaN(at) ? null : Math.max(0, at - now)
}

/** Seconds rounded up, for messages such as "retrying in 30 s". */
export function describeWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000))
  return seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`
}

/** HTML where data was expected: a consent page, a bot check or an error page. */
export function looksLikeHtml(body: string, contentType: unknown): boolean {
  if (typeof contentType === 'string' && /text\/html/i.test(contentType)) return true
  return /^\s*(<!doctype html|<html|<head|<body|<\?xml|<)/i.test(body)
}

/** A short snippet of a body for logs: one line, bounded length. */
export function snippet(body: string, max = 120): string {
  const flat = body.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max)}…` : flat
}
