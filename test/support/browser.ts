// A minimal browser for the SSO tests: a cookie jar per origin and redirect following across
// Rollcall (reached through app.inject, at PUBLIC_URL) and the test OpenID Provider (real HTTP).
import type { FastifyInstance } from 'fastify'

export interface Page {
  readonly status: number
  readonly url: string
  readonly body: string
  readonly headers: Record<string, string | string[] | undefined>
  /** Every URL visited on the way, first to last. */
  readonly chain: readonly string[]
}

export class Browser {
  /** origin → cookie name → value */
  private readonly jar = new Map<string, Map<string, string>>()
  readonly publicOrigin: string

  constructor(
    private app: FastifyInstance,
    publicUrl: string,
  ) {
    this.publicOrigin = new URL(publicUrl).origin
  }

  /** Sends Rollcall's requests to another instance from now on (same PUBLIC_URL, same cookies). */
  useInstance(app: FastifyInstance): void {
    this.app = app
  }

  cookie(name: string, origin = this.publicOrigin): string | undefined {
    return this.jar.get(origin)?.get(name)
  }

  setCookie(name: string, value: string, origin = this.publicOrigin): void {
    const cookies = this.jar.get(origin) ?? new Map<string, string>()
    cookies.set(name, value)
    this.jar.set(origin, cookies)
  }

  clearCookies(origin = this.publicOrigin): void {
    this.jar.delete(origin)
  }

  private cookieHeader(origin: string): string | undefined {
    const cookies = this.jar.get(origin)
    if (!cookies || cookies.size === 0) return undefined
    return [...cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  private store(origin: string, setCookie: string[]): void {
    const cookies = this.jar.get(origin) ?? new Map<string, string>()
    for (const line of setCookie) {
      const [pair = '', ...attributes] = line.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      const expired = attributes.some((a) => {
        const [k = '', v = ''] = a.trim().split('=')
        return (
          (k.toLowerCase() === 'max-age' && Number(v) <= 0) ||
          (k.toLowerCase() === 'expires' && Date.parse(v) < Date.now())
        )
      })
      if (expired || value === '') cookies.delete(name)
      else cookies.set(name, value)
    }
    this.jar.set(origin, cookies)
  }

  /** One request, no redirect following. */
  async request(
    method: string,
    url: string,
    options: { body?: string; headers?: Record<string, string> } = {},
  ): Promise<Page> {
    const target = new URL(url)
    const cookie = this.cookieHeader(target.origin)
    const headers = { ...(cookie ? { cookie } : {}), ...options.headers }
    if (target.origin === this.publicOrigin) {
      const res = await this.app.inject({
        method: method as 'GET',
        url: target.pathname + target.search,
        headers,
        ...(options.body === undefined ? {} : { payload: options.body }),
      })
      const setCookie = res.headers['set-cookie']
      this.store(
        target.origin,
        setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie],
      )
      const out: Record<string, string | string[] | undefined> = {}
      for (const [key, value] of Object.entries(res.headers))
        out[key] = typeof value === 'number' ? String(value) : value
      return { status: res.statusCode, url, body: res.body, headers: out, chain: [url] }
    }
    const res = await fetch(url, {
      method,
      headers,
      redirect: 'manual',
      ...(options.body === undefined ? {} : { body: options.body }),
    })
    this.store(target.origin, res.headers.getSetCookie())
    const out: Record<string, string> = {}
    res.headers.forEach((value, key) => {
      out[key] = value
    })
    return { status: res.status, url, body: await res.text(), headers: out, chain: [url] }
  }

  /** GET, following redirects (at most 20) like a browser does. */
  async visit(url: string): Promise<Page> {
    const chain: string[] = []
    let current = url
    for (let hop = 0; hop < 20; hop++) {
      chain.push(current)
      const page = await this.request('GET', current)
      const location = page.headers.location
      if (page.status >= 300 && page.status < 400 && typeof location === 'string') {
        current = new URL(location, current).toString()
        continue
      }
      return { ...page, chain }
    }
    throw new Error(`too many redirects: ${chain.join(' → ')}`)
  }
}
