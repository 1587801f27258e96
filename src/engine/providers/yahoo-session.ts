import { cookiePairs, getText, type HttpReply } from './http-client'
import type { YahooContext } from './yahoo-context'
import { YAHOO_LABEL, isTooManyRequestsBody } from './yahoo-replies'

/** How long to stay on the keyless chart path after the crumb could not be had. */
export const CRUMB_RETRY_MS = 5 * 60_000

/** Real crumbs are about 11 characters of URL-safe text; anything else is a page or a message. */
const CRUMB_PATTERN = /^[A-Za-z0-9./_-]{4,64}$/

/**
 * Yahoo's cookie + crumb session. The crumb is cached until the quote endpoint refuses it;
 * concurrent callers share one acquisition. When the crumb cannot be had the session says so
 * (null) and does not ask again for CRUMB_RETRY_MS, so a broken crumb service costs one
 * round-trip per few minutes instead of one per refresh.
 */
export class YahooSession {
  private readonly cookies = new Map<string, string>()
  private crumb: string | null = null
  private pending: Promise<string | null> | null = null
  private retryAt = 0

  constructor(private readonly ctx: YahooContext) {}

  /** The Cookie header for API requests. */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  /** Forget the crumb and cookies, e.g. after "Invalid Crumb", so the next call starts over. */
  invalidate(): void {
    this.crumb = null
    this.cookies.clear()
    this.retryAt = 0
  }

  /** Stop asking for a crumb for a while (the quote endpoint keeps refusing it). */
  backOff(): void {
    this.invalidate()
    this.retryAt = this.ctx.deps.now() + CRUMB_RETRY_MS
  }

  /** A crumb, or null when it cannot be had right now. Throws only 'network' ProviderErrors. */
  async getCrumb(): Promise<string | null> {
    if (this.crumb !== null) return this.crumb
    if (this.ctx.deps.now() < this.retryAt) return null
    this.pending ??= this.acquire().finally(() => {
      this.pending = null
    })
    return this.pending
  }

  private async acquire(): Promise<string | null> {
    const { http, urls, deps, timeoutMs } = this.ctx
    this.cookies.clear()
    const page = await getText(http, YAHOO_LABEL, {
      url: urls.cookie,
      timeoutMs,
      headers: { Accept: 'text/html,application/xhtml+xml,application/xml' }
    })
    this.keepCookies(page)
    if (this.cookies.size === 0) return this.unavailable(`the cookie page (HTTP ${page.status}) set no cookie`)

    const reply = await getText(http, YAHOO_LABEL, {
      url: urls.crumb,
      timeoutMs,
      headers: { Cookie: this.cookieHeader(), Accept: 'text/plain,*/*' }
    })
    this.keepCookies(reply)
    const body = reply.body.trim()
    if (reply.status !== 200) return this.unavailable(`getcrumb answered HTTP ${reply.status}`)
    if (isTooManyRequestsBody(body)) return this.unavailable('getcrumb answered "Too Many Requests"')
    if (!CRUMB_PATTERN.test(body)) return this.unavailable('getcrumb answered something that is not a crumb')
    this.crumb = body
    this.retryAt = 0
    deps.log('debug', `${YAHOO_LABEL}: obtained a new crumb`)
    return body
  }

  private keepCookies(reply: HttpReply): void {
    for (const [name, value] of cookiePairs(reply.headers['set-cookie'])) this.cookies.set(name, value)
  }

  private unavailable(reason: string): null {
    this.retryAt = this.ctx.deps.now() + CRUMB_RETRY_MS
    this.ctx.deps.log('info', `${YAHOO_LABEL}: no crumb (${reason}); using the chart endpoint for a while`)
    return null
  }
}
