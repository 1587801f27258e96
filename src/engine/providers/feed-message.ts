import type { ProviderDeps } from './provider'

/**
 * A websocket feed's message as an object. Anything else is no message for the feed: unreadable
 * text is logged (shortened) and ignored, so one bad frame never stops the stream.
 */
export function parseFeedMessage(text: string, label: string, log: ProviderDeps['log']): Record<string, unknown> | null {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    log('warn', `${label}: unreadable message ignored: ${text.slice(0, 120)}`)
    return null
  }
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null
}
