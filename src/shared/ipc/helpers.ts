import type { z } from 'zod'
import {
  HOST_CALL_NAMES,
  HOST_EVENT_NAMES,
  callChannel,
  eventChannel,
  hostCalls,
  hostEvents,
  type CallContext,
  type HostCallName,
  type HostEventName,
  type HostImpl,
  type RendererApi
} from './contract'
import { parseQuotePatches } from '../quote-patch-parser'
import { ResultSchema, UserError, type ErrorCode, type Result } from './result'

export function isHostCallName(name: unknown): name is HostCallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(hostCalls, name)
}

export function isHostEventName(name: unknown): name is HostEventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(hostEvents, name)
}

function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0]
  if (!issue) return 'Invalid request.'
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''
  return `${where}${issue.message}`
}

/**
 * Host side of every transport: validate the name and payload, run the implementation,
 * and turn any failure into a Result so nothing but data crosses the boundary.
 */
export async function dispatchCall(
  impl: HostImpl,
  name: unknown,
  payload: unknown,
  context: CallContext,
  onInternalError: (name: string, error: unknown) => void = () => {}
): Promise<Result<unknown>> {
  if (!isHostCallName(name)) {
    return { ok: false, error: { code: 'invalid-request', message: `Unknown call "${String(name)}".` } }
  }
  const parsed = hostCalls[name].request.safeParse(payload ?? {})
  if (!parsed.success) {
    return { ok: false, error: { code: 'invalid-request', message: describeZodError(parsed.error) } }
  }
  try {
    const handler = impl[name] as (req: unknown, ctx: CallContext) => unknown
    const value = await handler(parsed.data, context)
    return { ok: true, value: value ?? null }
  } catch (error) {
    if (error instanceof UserError) return { ok: false, error: { code: error.code, message: error.message } }
    onInternalError(name, error)
    return { ok: false, error: { code: 'internal', message: 'TickerDesk hit an internal error; details are in the log.' } }
  }
}

/** Validates an event payload on the receiving side; returns undefined for anything malformed. */
export function parseEvent<K extends HostEventName>(name: K, payload: unknown): z.output<(typeof hostEvents)[K]> | undefined {
  // The hot event gets a hand-written check with the schema's exact rules (see quote-patch-parser).
  if (name === 'quotes') return parseQuotePatches(payload) as z.output<(typeof hostEvents)[K]> | undefined
  const parsed = hostEvents[name].safeParse(payload)
  return parsed.success ? (parsed.data as z.output<(typeof hostEvents)[K]>) : undefined
}

/** A rejected call on the renderer side, carrying the host's plain-words message. */
export class HostCallError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode
  ) {
    super(message)
    this.name = 'HostCallError'
  }
}

/** The minimal pipe a renderer needs: Electron's ipcRenderer (via preload) or the web-shell socket. */
export interface RendererTransport {
  invoke(channel: string, payload: unknown): Promise<unknown>
  listen(channel: string, listener: (payload: unknown) => void): () => void
}

/**
 * Builds the typed renderer API from the contract over any transport. Responses and events
 * are validated here, so a misbehaving host cannot put malformed data into the UI.
 */
export function createRendererApi(
  transport: RendererTransport,
  onInvalidEvent: (name: HostEventName) => void = () => {}
): RendererApi {
  const api: Record<string, unknown> = {}
  for (const name of HOST_CALL_NAMES) {
    api[name] = async (request: unknown) => {
      const raw = await transport.invoke(callChannel(name), request ?? {})
      const result = ResultSchema.safeParse(raw)
      if (!result.success) throw new HostCallError('The app sent a malformed reply.', 'internal')
      if (!result.data.ok) throw new HostCallError(result.data.error.message, result.data.error.code)
      const value = hostCalls[name].response.safeParse(result.data.value)
      if (!value.success) throw new HostCallError(`The app sent a malformed reply to ${name}.`, 'internal')
      return value.data
    }
  }
  api.on = (event: HostEventName, listener: (payload: unknown) => void) => {
    if (!isHostEventName(event)) throw new Error(`Unknown event "${String(event)}"`)
    return transport.listen(eventChannel(event), (payload) => {
      const parsed = parseEvent(event, payload)
      if (parsed === undefined) onInvalidEvent(event)
      else listener(parsed)
    })
  }
  return api as RendererApi
}

export { HOST_CALL_NAMES, HOST_EVENT_NAMES, callChannel, eventChannel }
