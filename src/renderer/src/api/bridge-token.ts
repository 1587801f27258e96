import { BRIDGE_PATH, BRIDGE_TOKEN_PARAM } from '@shared/ipc/web-bridge'

const STORAGE_KEY = 'tickerdesk.bridgeToken'

export interface TokenEnvironment {
  href: string
  storage: Pick<Storage, 'getItem' | 'setItem'> | null
  replaceUrl: (url: string) => void
}

/**
 * The web shell's per-start token arrives on the page URL. It is kept in sessionStorage so a
 * reload still works, and removed from the address bar so it does not end up in bookmarks,
 * screenshots or shared links.
 */
export function takeBridgeToken(env: TokenEnvironment): string | null {
  const url = new URL(env.href)
  const fromUrl = url.searchParams.get(BRIDGE_TOKEN_PARAM)
  if (fromUrl) {
    try {
      env.storage?.setItem(STORAGE_KEY, fromUrl)
    } catch {
      // Storage may be disabled; the token still works for this page load.
    }
    url.searchParams.delete(BRIDGE_TOKEN_PARAM)
    env.replaceUrl(url.pathname + url.search + url.hash)
    return fromUrl
  }
  try {
    return env.storage?.getItem(STORAGE_KEY) ?? null
  } catch {
    return null
  }
}

/** ws://host/bridge?token=… (wss when the page itself came over https). */
export function bridgeUrl(pageHref: string, token: string): string {
  const page = new URL(pageHref)
  const scheme = page.protocol === 'https:' ? 'wss' : 'ws'
  return `${scheme}://${page.host}${BRIDGE_PATH}?${BRIDGE_TOKEN_PARAM}=${encodeURIComponent(token)}`
}
