// The bench of the OpenID Provider tests: a real Rollcall server on 127.0.0.1 (port from the OS,
// PUBLIC_URL = that address, so the issuer is http://127.0.0.1:<port>/oidc), the upstream test
// IdP of the SSO tests, a registered client, a relying party (openid-client v6), and a browser
// that follows redirects with fetch and a cookie jar (cookies by host name, as browsers do).
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestContext } from 'node:test'
import * as oidc from 'openid-client'
import { buildApp } from '../../src/http/app.ts'
import { createOidcClient } from '../../src/identity-provider/clients.ts'
import { hashPassword } from '../../src/provisioning/passwords.ts'
import type { UserRecord } from '../../src/store/store.ts'
import type { TestTenant } from '../helper.ts'
import { ssoBench, type SsoBench } from '../support/sso.ts'

export const REDIRECT_URI = 'http://127.0.0.1:9/app/callback'

export interface Reply {
  readonly status: number
  readonly url: string
  readonly location: string | undefined
  readonly body: string
}

/** Cookies by host name (not port: Rollcall and the test IdP share 127.0.0.1, as in a browser). */
export class FetchBrowser {
  private readonly jar = new Map<string, Map<string, string>>()

  private remember(url: URL, response: Response): void {
    const cookies = this.jar.get(url.hostname) ?? new Map<string, string>()
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq).trim()
      const gone = attributes.some((a) => {
        const [k = '', v = ''] = a.trim().split('=')
        return (
          (k.toLowerCase() === 'max-age' && Number(v) <= 0) ||
          (k.toLowerCase() === 'expires' && Date.parse(v) < Date.now())
        )
      })
      if (gone || pair.slice(eq + 1).trim() === '') cookies.delete(name)
      else cookies.set(name, pair.slice(eq + 1).trim())
    }
    this.jar.set(url.hostname, cookies)
  }

  cookie(host: string, name: string): string | undefined {
    return this.jar.get(host)?.get(name)
  }

  async request(
    url: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<Reply> {
    const target = new URL(url)
    const cookies = this.jar.get(target.hostname)
    const headers: Record<string, string> = {}
    if (cookies && cookies.size > 0) {
      headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    }
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded'
    const response = await fetch(target, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers,
      redirect: 'manual',
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    })
    this.remember(target, response)
    const location = response.headers.get('location')
    return {
      status: response.status,
      url: target.href,
      location: location === null ? undefined : new URL(location, target).href,
      body: await response.text(),
    }
  }

  /**
   * Follows redirects from `url` until one leads to `stopAt` (answered with that URL) or a page
   * that is no redirect (answered with the page).
   */
  async follow(
    url: string,
    stopAt: string,
    init: { form?: Record<string, string> } = {},
  ): Promise<{ callback?: URL; page: Reply }> {
    let reply = await this.request(url, init)
    for (let hops = 0; hops < 20; hops++) {
      if (!reply.location) return { page: reply }
      if (reply.location.startsWith(stopAt))
        return { callback: new URL(reply.location), page: reply }
      reply = await this.request(reply.location)
    }
    throw new Error(`too many redirects from ${url}`)
  }
}

export interface IdpBench extends SsoBench {
  readonly baseUrl: string
  readonly issuer: string
  readonly clientId: string
  readonly clientSecret: string
  /** The relying party's view of Rollcall (discovery done). */
  readonly rp: oidc.Configuration
  /** Discovery for another client (id, secret, auth method). */
  relyingParty(
    clientId: string,
    clientSecret: string,
    auth?: 'client_secret_basic' | 'client_secret_post',
  ): Promise<oidc.Configuration>
  /** A member who signs in with a local password (an Admin: local passwords are theirs). */
  passwordUser(tenant: TestTenant, email: string, password: string): Promise<UserRecord>
}

export interface IdpBenchOptions {
  /** Rollcall instances over the same database behind the one address, taking turns per request. */
  readonly instances?: number
}

export async function idpBench(t: TestContext, options: IdpBenchOptions = {}): Promise<IdpBench> {
  const server: Server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const bench = await ssoBench(t, { PUBLIC_URL: baseUrl })
  const apps = [bench.h.app]
  for (let i = 1; i < (options.instances ?? 1); i++) {
    const app = await buildApp(bench.h.config, {
      store: bench.h.store,
      signingKey: bench.h.signingKey,
      secretBox: bench.h.secretBox,
      log: bench.h.log,
      logger: false,
      sso: { fetch: bench.op.fetch },
    })
    t.after(() => app.close())
    apps.push(app)
  }
  for (const app of apps) await app.ready()
  let turn = 0
  server.on('request', (req, res) => {
    const app = apps[turn++ % apps.length]
    app?.routing(req, res)
  })

  const issuer = `${baseUrl}/oidc`
  const relyingParty = (
    clientId: string,
    secret: string,
    auth: 'client_secret_basic' | 'client_secret_post' = 'client_secret_basic',
  ) =>
    oidc.discovery(
      new URL(issuer),
      clientId,
      secret,
      auth === 'client_secret_basic'
        ? oidc.ClientSecretBasic(secret)
        : oidc.ClientSecretPost(secret),
      { execute: [oidc.allowInsecureRequests] },
    )
  const created = await createOidcClient(bench.h.store, bench.h.secretBox, {
    name: 'Host app',
    redirectUris: [REDIRECT_URI],
  })
  return {
    ...bench,
    baseUrl,
    issuer,
    clientId: created.clientId,
    clientSecret: created.clientSecret,
    rp: await relyingParty(created.clientId, created.clientSecret),
    relyingParty,
    async passwordUser(tenant, email, password) {
      const user = await bench.member(tenant, email, { role: 'Admin' })
      await bench.h.store.people.setLocalCredential(
        user.id,
        await hashPassword(password),
        new Date().toISOString(),
      )
      return user
    },
  }
}

export interface Authorization {
  readonly url: URL
  readonly verifier: string
  readonly state: string
}

export async function authorizationUrl(
  rp: oidc.Configuration,
  params: Record<string, string> = {},
): Promise<Authorization> {
  const verifier = oidc.randomPKCECodeVerifier()
  const state = oidc.randomState()
  const url = oidc.buildAuthorizationUrl(rp, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid email profile rollcall',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...params,
  })
  return { url, verifier, state }
}

export function exchange(rp: oidc.Configuration, callback: URL, auth: Authorization) {
  return oidc.authorizationCodeGrant(rp, callback, {
    pkceCodeVerifier: auth.verifier,
    expectedState: auth.state,
  })
}

/** The whole local-password round trip: authorization URL → /login form → the app's callback. */
export async function passwordSignIn(
  b: IdpBench,
  auth: Authorization,
  form: { tenant: string; email: string; password: string },
  browser = new FetchBrowser(),
): Promise<{ callback?: URL; page: Reply }> {
  const first = await browser.follow(auth.url.href, REDIRECT_URI)
  if (first.callback || !first.page.url.includes('/login')) return first
  return browser.follow(`${b.baseUrl}/login`, REDIRECT_URI, { form })
}
