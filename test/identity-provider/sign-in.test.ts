// The host application signs its users in through Rollcall's OpenID Provider with a standard
// relying party (openid-client v6, PKCE): by a tenant's SSO connection against the upstream test
// IdP, and by a local password; the ID token verifies against /oidc/jwks and carries, like
// userinfo, the membership's sub, email, name, tenant, role and groups.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import * as oidc from 'openid-client'
import { authorizationUrl, exchange, FetchBrowser, idpBench, REDIRECT_URI } from './support.ts'

describe('OpenID Provider: sign-in', () => {
  it('signs a local-password user in and issues a verifiable ID token', async (t) => {
    const b = await idpBench(t)
    const user = await b.passwordUser(b.h.acme, 'root@acme.example', 'a long enough password')
    const auth = await authorizationUrl(b.rp, { tenant: 'acme', login_hint: 'root@acme.example' })
    const browser = new FetchBrowser()
    const first = await browser.follow(auth.url.href, REDIRECT_URI)
    assert.equal(first.callback, undefined)
    assert.equal(first.page.status, 200)
    assert.match(first.page.url, /\/login\?tenant=acme&email=root%40acme.example$/)
    const done = await browser.follow(`${b.baseUrl}/login`, REDIRECT_URI, {
      form: { tenant: 'acme', email: 'root@acme.example', password: 'a long enough password' },
    })
    assert.ok(done.callback, `no callback: ${done.page.status} ${done.page.body.slice(0, 300)}`)
    const tokens = await exchange(b.rp, done.callback, auth)
    const claims = tokens.claims()
    assert.equal(claims?.sub, user.id)
    assert.equal(claims?.email, 'root@acme.example')
    assert.equal(claims?.tenant, 'acme')
    assert.equal(claims?.role, 'Admin')
    assert.deepEqual(claims?.groups, [])
    const jwks = createRemoteJWKSet(new URL(`${b.issuer}/jwks`))
    const verified = await jwtVerify(tokens.id_token ?? '', jwks, {
      issuer: b.issuer,
      audience: b.clientId,
    })
    assert.equal(verified.payload.sub, user.id)
    const info = await oidc.fetchUserInfo(b.rp, tokens.access_token, user.id)
    assert.equal(info.email, 'root@acme.example')
    assert.equal(info.tenant, 'acme')
  })
})
