// The host application signs its users in through Rollcall's OpenID Provider with a standard
// relying party (openid-client v6, PKCE): by a tenant's SSO connection against the upstream test
// IdP (routed by the verified domain of login_hint), and by a local password; the ID token
// verifies against /oidc/jwks and carries, like userinfo, the membership's sub, email, name,
// tenant, role and groups.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import * as oidc from 'openid-client'
import { newGroupId } from '../../src/domain/ids.ts'
import { entraAccount } from '../support/oidc-provider.ts'
import {
  authorizationUrl,
  exchange,
  FetchBrowser,
  idpBench,
  passwordSignIn,
  REDIRECT_URI,
} from './support.ts'

describe('OpenID Provider: sign-in', () => {
  it('publishes its discovery document at PUBLIC_URL/oidc, whatever Host the request names', async (t) => {
    const b = await idpBench(t)
    const response = await fetch(`${b.issuer}/.well-known/openid-configuration`, {
      headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
    })
    assert.equal(response.status, 200)
    const doc = (await response.json()) as Record<string, unknown>
    assert.equal(doc.issuer, b.issuer)
    assert.equal(doc.authorization_endpoint, `${b.issuer}/auth`)
    assert.equal(doc.token_endpoint, `${b.issuer}/token`)
    assert.equal(doc.jwks_uri, `${b.issuer}/jwks`)
    assert.deepEqual(doc.token_endpoint_auth_methods_supported, [
      'client_secret_basic',
      'client_secret_post',
    ])
    assert.ok((doc.scopes_supported as string[]).includes('rollcall'))
    assert.deepEqual(doc.response_types_supported, ['code'])
  })

  it('signs a member in through their tenant connection, routed by the login_hint domain', async (t) => {
    const b = await idpBench(t)
    await b.verifiedConnection(b.h.acme)
    const alice = await b.member(b.h.acme, 'alice@contoso.com', { role: 'Editor' })
    const ts = b.h.store.forTenant(b.h.acme.tenant.id)
    const at = new Date().toISOString()
    for (const name of ['Engineering', 'All staff']) {
      const group = await ts.groups.insert(
        newGroupId(),
        { displayName: name, externalId: null, doc: { displayName: name } },
        'INTERNAL',
        at,
      )
      await ts.members.upsert(group.id, [{ id: alice.id, type: 'User' }], 'INTERNAL', at)
    }
    b.op.signInAs(entraAccount('alice'))

    const auth = await authorizationUrl(b.rp, { login_hint: 'alice@contoso.com' })
    const browser = new FetchBrowser()
    const done = await browser.follow(auth.url.href, REDIRECT_URI)
    assert.ok(done.callback, `no callback: ${done.page.status} ${done.page.body.slice(0, 400)}`)
    // The way back was used up: a later console sign-in does not lead to the app.
    assert.equal(browser.cookie('127.0.0.1', 'rollcall_oidc_return'), undefined)
    assert.ok(browser.cookie('127.0.0.1', 'rollcall_session'))
    const tokens = await exchange(b.rp, done.callback, auth)
    const expected = {
      sub: alice.id,
      email: 'alice@contoso.com',
      tenant: 'acme',
      role: 'Editor',
      groups: ['All staff', 'Engineering'],
    }
    const jwks = createRemoteJWKSet(new URL(`${b.issuer}/jwks`))
    const { payload } = await jwtVerify(tokens.id_token ?? '', jwks, {
      issuer: b.issuer,
      audience: b.clientId,
    })
    for (const [name, value] of Object.entries(expected)) {
      assert.deepEqual(payload[name], value, name)
    }
    assert.equal(typeof payload.name, 'string')
    const info = await oidc.fetchUserInfo(b.rp, tokens.access_token, alice.id)
    for (const [name, value] of Object.entries(expected)) assert.deepEqual(info[name], value, name)

    // The Rollcall session is reused by the next authorization: no second trip to the IdP.
    const again = await authorizationUrl(b.rp, { login_hint: 'alice@contoso.com' })
    const second = await browser.follow(again.url.href, REDIRECT_URI)
    assert.ok(second.callback)
    assert.equal((await exchange(b.rp, second.callback, again)).claims()?.sub, alice.id)
  })

  it('signs a local-password user in (tenant=), and the ID token verifies against the JWKS', async (t) => {
    const b = await idpBench(t)
    const user = await b.passwordUser(b.h.acme, 'root@acme.example', 'a long enough password')
    const auth = await authorizationUrl(b.rp, { tenant: 'acme', login_hint: 'root@acme.example' })
    const browser = new FetchBrowser()
    const first = await browser.follow(auth.url.href, REDIRECT_URI)
    assert.equal(first.callback, undefined)
    assert.equal(first.page.status, 200)
    // The form comes filled in with the tenant and the email the application sent.
    assert.match(first.page.url, /\/login\?tenant=acme&email=root%40acme.example$/)
    assert.match(first.page.body, /value="acme"/)
    const done = await passwordSignIn(
      b,
      auth,
      { tenant: 'acme', email: 'root@acme.example', password: 'a long enough password' },
      browser,
    )
    assert.ok(done.callback, `no callback: ${done.page.status} ${done.page.body.slice(0, 300)}`)
    const tokens = await exchange(b.rp, done.callback, auth)
    const jwks = createRemoteJWKSet(new URL(`${b.issuer}/jwks`))
    const { payload } = await jwtVerify(tokens.id_token ?? '', jwks, {
      issuer: b.issuer,
      audience: b.clientId,
    })
    assert.equal(payload.sub, user.id)
    assert.equal(payload.email, 'root@acme.example')
    assert.equal(payload.tenant, 'acme')
    assert.equal(payload.role, 'Admin')
    assert.deepEqual(payload.groups, [])
    const info = await oidc.fetchUserInfo(b.rp, tokens.access_token, user.id)
    assert.equal(info.email, 'root@acme.example')
    assert.equal(info.tenant, 'acme')

    // prompt=login: the session is not reused; the password is asked again.
    const forced = await authorizationUrl(b.rp, { tenant: 'acme', prompt: 'login' })
    const asked = await browser.follow(forced.url.href, REDIRECT_URI)
    assert.equal(asked.callback, undefined)
    assert.match(asked.page.url, /\/login\?tenant=acme$/)
  })

  it('signs out of Rollcall too when the app signs the user out (RP-initiated logout)', async (t) => {
    const b = await idpBench(t)
    await b.passwordUser(b.h.acme, 'root@acme.example', 'a long enough password')
    const browser = new FetchBrowser()
    const auth = await authorizationUrl(b.rp, { tenant: 'acme' })
    const done = await passwordSignIn(
      b,
      auth,
      { tenant: 'acme', email: 'root@acme.example', password: 'a long enough password' },
      browser,
    )
    assert.ok(done.callback)
    const tokens = await exchange(b.rp, done.callback, auth)
    const logout = oidc.buildEndSessionUrl(b.rp, { id_token_hint: tokens.id_token ?? '' })
    const confirm = await browser.request(logout.href)
    assert.equal(confirm.status, 200)
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.body)?.[1]
    const action = /<form [^>]*method="post" action="([^"]+)"/.exec(confirm.body)?.[1]
    assert.ok(xsrf && action, confirm.body)
    // "Yes, sign me out".
    const out = await browser.follow(action, REDIRECT_URI, { form: { xsrf, logout: 'yes' } })
    assert.equal(out.page.status, 200, out.page.body)
    assert.equal(browser.cookie('127.0.0.1', 'rollcall_session'), undefined)

    const again = await authorizationUrl(b.rp, { tenant: 'acme' })
    const next = await browser.follow(again.url.href, REDIRECT_URI)
    assert.equal(next.callback, undefined)
    assert.match(next.page.url, /\/login\?tenant=acme$/)
  })

  it('answers a clear page when no tenant is named or verified for the hint', async (t) => {
    const b = await idpBench(t)
    for (const [params, text] of [
      [{ login_hint: 'bob@nowhere.example' }, /No organisation has verified the domain/],
      [{ tenant: 'no-such-tenant' }, /does not know/],
      [{}, /did not say who is signing in/],
    ] as const) {
      const auth = await authorizationUrl(b.rp, params)
      const done = await new FetchBrowser().follow(auth.url.href, REDIRECT_URI)
      assert.equal(done.callback, undefined)
      assert.equal(done.page.status, 404)
      assert.match(done.page.body, text)
    }
  })
})
