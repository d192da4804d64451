// What the OpenID Provider refuses: tokens for a user deactivated (by SCIM) after signing in —
// the code, the refresh token and userinfo — and a sign-in of a deactivated user; a user of one
// tenant signed into another through tenant=; a wrong client secret; an unregistered
// redirect_uri. And the client_secret_post clients it accepts.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import * as oidc from 'openid-client'
import { setUserActive } from '../../src/directory/users.ts'
import { entraAccount } from '../support/oidc-provider.ts'
import {
  authorizationUrl,
  exchange,
  FetchBrowser,
  idpBench,
  passwordSignIn,
  REDIRECT_URI,
  type IdpBench,
} from './support.ts'

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'

async function deactivateByScim(b: IdpBench, userId: string): Promise<void> {
  const response = await b.h.scim(b.h.acme, 'PATCH', `/Users/${userId}`, {
    schemas: [PATCH_OP],
    Operations: [{ op: 'replace', path: 'active', value: false }],
  })
  assert.equal(response.statusCode, 200, response.body)
}

/** An error of openid-client, as the OAuth error code the server answered. */
async function oauthError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    if (error instanceof oidc.ResponseBodyError) return error.error
    if (error instanceof oidc.WWWAuthenticateChallengeError) {
      return error.cause[0]?.parameters.error ?? 'challenge'
    }
    return `unexpected: ${(error as Error).message}`
  }
  return 'no error'
}

async function ssoBenchWithAlice(t: Parameters<typeof idpBench>[0]) {
  const b = await idpBench(t)
  await b.verifiedConnection(b.h.acme)
  const alice = await b.member(b.h.acme, 'alice@contoso.com', { origin: 'SCIM' })
  b.op.signInAs(entraAccount('alice'))
  return { b, alice }
}

describe('OpenID Provider: refusals', () => {
  it('refuses the code, the refresh token and userinfo of a user deactivated by SCIM after sign-in', async (t) => {
    const { b, alice } = await ssoBenchWithAlice(t)
    // A first sign-in with offline_access (and prompt=consent, as OIDC asks) for a refresh token.
    const first = await authorizationUrl(b.rp, {
      login_hint: 'alice@contoso.com',
      scope: 'openid email profile rollcall offline_access',
      prompt: 'consent',
    })
    const browser = new FetchBrowser()
    const signedIn = await browser.follow(first.url.href, REDIRECT_URI)
    assert.ok(signedIn.callback, signedIn.page.body.slice(0, 300))
    const tokens = await exchange(b.rp, signedIn.callback, first)
    assert.ok(tokens.refresh_token, 'a refresh token')
    assert.equal((await oidc.refreshTokenGrant(b.rp, tokens.refresh_token)).claims()?.sub, alice.id)

    // A second authorization whose code is not exchanged yet.
    const second = await authorizationUrl(b.rp, { login_hint: 'alice@contoso.com' })
    const pending = await browser.follow(second.url.href, REDIRECT_URI)
    assert.ok(pending.callback)

    await deactivateByScim(b, alice.id)
    assert.equal(await oauthError(exchange(b.rp, pending.callback, second)), 'invalid_grant')
    assert.equal(
      await oauthError(oidc.refreshTokenGrant(b.rp, tokens.refresh_token)),
      'invalid_grant',
    )
    assert.equal(
      await oauthError(oidc.fetchUserInfo(b.rp, tokens.access_token, alice.id)),
      'invalid_token',
    )

    // And a new authorization does not sign them in again.
    const third = await authorizationUrl(b.rp, { login_hint: 'alice@contoso.com' })
    const refused = await new FetchBrowser().follow(third.url.href, REDIRECT_URI)
    assert.equal(refused.callback, undefined)
    assert.equal(refused.page.status, 403)
  })

  it('refuses userinfo and a new sign-in of a user an admin deactivated', async (t) => {
    const b = await idpBench(t)
    const user = await b.passwordUser(b.h.acme, 'root@acme.example', 'a long enough password')
    const admin = await b.member(b.h.acme, 'other-admin@acme.example', { role: 'Admin' })
    const form = { tenant: 'acme', email: 'root@acme.example', password: 'a long enough password' }
    const auth = await authorizationUrl(b.rp, { tenant: 'acme' })
    const done = await passwordSignIn(b, auth, form)
    assert.ok(done.callback)
    const tokens = await exchange(b.rp, done.callback, auth)
    await setUserActive(b.h.store, b.h.acme.tenant, admin.id, user.id, false)
    assert.equal(
      await oauthError(oidc.fetchUserInfo(b.rp, tokens.access_token, user.id)),
      'invalid_token',
    )
    const again = await passwordSignIn(b, await authorizationUrl(b.rp, { tenant: 'acme' }), form)
    assert.equal(again.callback, undefined)
    assert.equal(again.page.status, 401)
  })

  it('does not sign a user of tenant A into tenant B through tenant=', async (t) => {
    const b = await idpBench(t)
    await b.h.addTenant('globex')
    await b.passwordUser(b.h.acme, 'root@acme.example', 'a long enough password')
    const credentials = { email: 'root@acme.example', password: 'a long enough password' }

    // The acme credentials typed for globex: no such account there.
    const intoGlobex = await authorizationUrl(b.rp, { tenant: 'globex' })
    const wrong = await passwordSignIn(b, intoGlobex, { tenant: 'globex', ...credentials })
    assert.equal(wrong.callback, undefined)
    assert.equal(wrong.page.status, 401)

    // Signing in to acme instead, on the form the globex request led to: no token for globex.
    const browser = new FetchBrowser()
    const again = await authorizationUrl(b.rp, { tenant: 'globex' })
    const mismatch = await passwordSignIn(b, again, { tenant: 'acme', ...credentials }, browser)
    assert.equal(mismatch.callback, undefined)
    assert.equal(mismatch.page.status, 403)
    assert.match(mismatch.page.body, /Signed in to another organisation/)

    // That browser now has an acme session; a globex request does not reuse it either.
    const reuse = await authorizationUrl(b.rp, { tenant: 'globex' })
    const next = await browser.follow(reuse.url.href, REDIRECT_URI)
    assert.equal(next.callback, undefined)
    assert.match(next.page.url, /\/login\?tenant=globex$/)
  })

  it('refuses a wrong client secret and an unregistered redirect_uri', async (t) => {
    const b = await idpBench(t)
    await b.passwordUser(b.h.acme, 'root@acme.example', 'a long enough password')
    const form = { tenant: 'acme', email: 'root@acme.example', password: 'a long enough password' }
    const auth = await authorizationUrl(b.rp, { tenant: 'acme' })
    const done = await passwordSignIn(b, auth, form)
    assert.ok(done.callback)
    const impostor = await b.relyingParty(b.clientId, `${b.clientSecret}x`)
    assert.equal(await oauthError(exchange(impostor, done.callback, auth)), 'invalid_client')
    // The code survives the failed attempt for the real client.
    assert.ok((await exchange(b.rp, done.callback, auth)).id_token)

    const elsewhere = await authorizationUrl(b.rp, {
      tenant: 'acme',
      redirect_uri: 'http://127.0.0.1:9/app/callback/evil',
    })
    const refused = await new FetchBrowser().request(elsewhere.url.href)
    assert.equal(refused.status, 400)
    assert.equal(refused.location, undefined)
    assert.match(refused.body, /redirect_uri/)
  })

  it('takes the secret by client_secret_post as well as client_secret_basic', async (t) => {
    const b = await idpBench(t)
    await b.passwordUser(b.h.acme, 'root@acme.example', 'a long enough password')
    const rp = await b.relyingParty(b.clientId, b.clientSecret, 'client_secret_post')
    const form = { tenant: 'acme', email: 'root@acme.example', password: 'a long enough password' }
    const auth = await authorizationUrl(rp, { tenant: 'acme' })
    const done = await passwordSignIn(b, auth, form)
    assert.ok(done.callback)
    const tokens = await exchange(rp, done.callback, auth)
    assert.equal(tokens.claims()?.tenant, 'acme')
    const wrong = await b.relyingParty(b.clientId, 'not-the-secret', 'client_secret_post')
    assert.equal(await oauthError(oidc.refreshTokenGrant(wrong, 'x')), 'invalid_client')
  })
})
