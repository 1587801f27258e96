/**
 * Wire format of the web shell's WebSocket bridge. It carries exactly the contract's calls and
 * events, so the browser gets the same typed API as the Electron preload.
 */
import { z } from 'zod'

export const BRIDGE_PATH = '/bridge'
/** Query parameter carrying the per-start token, on the page URL and on the socket URL. */
export const BRIDGE_TOKEN_PARAM = 'token'

export const BridgeClientMessageSchema = z.object({
  kind: z.literal('call'),
  id: z.number().int().nonnegative(),
  channel: z.string().max(200),
  payload: z.unknown()
})
export type BridgeClientMessage = z.infer<typeof BridgeClientMessageSchema>

export const BridgeServerMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('result'), id: z.number().int().nonnegative(), result: z.unknown() }),
  z.object({ kind: z.literal('event'), channel: z.string(), payload: z.unknown() })
])
export type BridgeServerMessage = z.infer<typeof BridgeServerMessageSchema>
