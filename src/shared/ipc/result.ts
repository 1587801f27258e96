import { z } from 'zod'

/** Errors cross process boundaries as data: Electron keeps only `message` of a thrown Error. */
export const ErrorCodeSchema = z.enum(['invalid-request', 'not-found', 'conflict', 'unavailable', 'internal'])
export type ErrorCode = z.infer<typeof ErrorCodeSchema>

export const ResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: ErrorCodeSchema, message: z.string() }) })
])
export type Result<T> = { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string } }

/** Thrown by host implementations to produce a user-facing error result. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode = 'invalid-request'
  ) {
    super(message)
    this.name = 'UserError'
  }
}
