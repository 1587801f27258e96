import type { z } from 'zod'
import type { HttpReply } from './http-client'
import { snippet } from './http-errors'
import { ProviderError, type ProviderDeps } from './provider'

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The reply's JSON; text that is no JSON is logged (shortened) and told as malformed data. */
export function parseJsonBody(reply: HttpReply, label: string, what: string, log: ProviderDeps['log']): unknown {
  try {
    return JSON.parse(reply.body)
  } catch {
    log('warn', `${label} ${what}: malformed JSON: ${snippet(reply.body)}`)
    throw new ProviderError('bad-payload', `${label} sent malformed data.`)
  }
}

/** The reply's JSON in the shape `schema` expects; another shape is data TickerDesk cannot read. */
export function readJsonShape<T>(reply: HttpReply, schema: z.ZodType<T>, label: string, what: string, log: ProviderDeps['log']): T {
  const parsed = schema.safeParse(parseJsonBody(reply, label, what, log))
  if (!parsed.success) {
    log('warn', `${label} ${what}: unexpected shape: ${snippet(reply.body)}`)
    throw new ProviderError('bad-payload', `${label} sent data TickerDesk could not read.`)
  }
  return parsed.data
}
