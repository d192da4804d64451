// Verifying a login connection (SPEC §4, issue #4): the admin goes through a real OpenID Provider
// and back; success marks the connection verified and shows the claims and what a sign-in would
// do; every failure shows the IdP's (or openid-client's) error and what to fix.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { buildApp } from '../../../src/http/app.ts'
import { entraAccount } from '../../support/oidc-provider.ts'
import { sameOrigin, ssoBench, type SsoBench } from '../../support/sso.ts'

async function startVerification(bench: SsoBench, connectionId: string): Promise<string> {
  const res = await bench.browser.request(
    'POST',
    `${bench.publicUrl}/api/tenants/acme/connections/${connectionId}/verify`,
    {
      headers: sameOrigin(bench.publicUrl),
      body: '{}',
    },
  )
  assert.equal(res.status, 200, res.body)
  const { url } = JSON.parse(res.body) as { url: string }
  return url
}

describe('connection verification', () => {
  it('marks the connection verified and shows the claims and what a sign-in would do', async (t) => {
    const bench = await ssoBench(t)
    await bench.signInAdmin(bench.h.acme)
    const connection = await bench.connection(bench.h.acme)
    assert.equal(connection.status, 'draft')
    await bench.verifyDomain(bench.h.acme, 'contoso.com')
    bench.op.signInAs(entraAccount('alice'))
    const url = await startVerification(bench, connection.id)
    assert.ok(url.startsWith(bench.op.issuer), url)
    const auth = new URL(url)
    assert.equal(auth.searchParams.get('code_challenge_method'), 'S256')
    assert.ok(
      auth.searchParams.get('state') &&
        auth.searchParams.get('nonce') &&
        auth.searchParams.get('code_challenge'),
    )
    assert.equal(auth.searchParams.get('redirect_uri'), `${bench.publicUrl}/sso/callback`)

    const page = await bench.browser.visit(url)
    assert.equal(page.status, 200, page.body)
    assert.ok(
      page.chain.some((u) => u.includes('/interaction/')),
      page.chain.join(' → '),
    )
    assert.match(page.body, /Connection verified/)
    assert.match(page.body, /alice@contoso\.com/)
    assert.match(page.body, /<code>oid<\/code>/)
    assert.match(page.body, /data-kind="create"/)
    const stored = await bench.h.store.connections.get(connection.id)
    assert.equal(stored?.status, 'verified')
    assert.ok(stored?.verifiedAt)
    const log = await bench.h.store.forTenant(bench.h.acme.tenant.id).signInLog.list({ limit: 5 })
    assert.equal(log[0]?.outcome, 'verified')
  })

  it('says when new people could not join because the domain is not verified for the tenant', async (t) => {
    const bench = await ssoBench(t)
    await bench.signInAdmin(bench.h.acme)
    const connection = await bench.connection(bench.h.acme)
    bench.op.signInAs(entraAccount('alice'))
    const page = await bench.browser.visit(await startVerification(bench, connection.id))
    assert.equal(page.status, 200, page.body)
    assert.match(page.body, /Connection verified/)
    assert.match(page.body, /data-kind="refuse"/)
    assert.match(page.body, /verified domains/)
    assert.equal((await bench.h.store.connections.get(connection.id))?.status, 'verified')
  })

  it('shows what would happen for an existing member: signs in with their role', async (t) => {
    const bench = await ssoBench(t)
    await bench.signInAdmin(bench.h.acme)
    await bench.member(bench.h.acme, 'bob@contoso.com', { role: 'Editor' })
    const connection = await bench.connection(bench.h.acme)
    bench.op.signInAs(entraAccount('bob'))
    const page = await bench.browser.visit(await startVerification(bench, connection.id))
    assert.match(page.body, /data-kind="signIn"/)
    assert.match(page.body, /role Editor/)
  })

  it('fails with invalid_client and what to fix when the client secret is wrong', async (t) => {
    const bench = await ssoBench(t)
    await bench.signInAdmin(bench.h.acme)
    const connection = await bench.connection(bench.h.acme, { clientSecret: 'not-the-secret' })
    const page = await bench.browser.visit(await startVerification(bench, connection.id))
    assert.equal(page.status, 502)
    assert.match(page.body, /Verification failed/)
    assert.match(page.body, /invalid_client/)
    assert.match(page.body, /client secret/)
    assert.equal((await bench.h.store.connections.get(connection.id))?.status, 'draft')
    const log = await bench.h.store.forTenant(bench.h.acme.tenant.id).signInLog.list({ limit: 5 })
    assert.equal(log[0]?.outcome, 'verification-failed')
    assert.match(log[0]?.detail ?? '', /invalid_client/)
  })

  it('fails at discovery when the issuer URL is wrong, naming the issuer form to use', async (t) => {
    const bench = await ssoBench(t)
    await bench.signInAdmin(bench.h.acme)
    // Another path (a wrong directory id): there is no OpenID configuration there.
    const connection = await bench.connection(bench.h.acme, {
      issuer: `${bench.op.issuer}/wrong-tenant/v2.0`,
    })
    const res = await bench.browser.request(
      'POST',
      `${bench.publicUrl}/api/tenants/acme/connections/${connection.id}/verify`,
      {
        headers: sameOrigin(bench.publicUrl),
        body: '{}',
      },
    )
    assert.equal(res.status, 502, res.body)
    const body = JSON.parse(res.body)
    assert.equal(body.code, 'idp_discovery_failed')
    assert.match(body.detail, /issuer/)
    assert.match(body.detail, /login\.microsoftonline\.com\/<Directory \(tenant\) ID>\/v2\.0/)
    assert.equal((await bench.h.store.connections.get(connection.id))?.status, 'draft')
  })

  it('refuses a tampered state and a replayed code', async (t) => {
    const bench = await ssoBench(t)
    await bench.signInAdmin(bench.h.acme)
    const connection = await bench.connection(bench.h.acme)
    const url = await startVerification(bench, connection.id)
    // Follow the chain up to (not into) Rollcall's callback.
    let current = url
    for (;;) {
      const res = await bench.browser.request('GET', current)
      const location = res.headers.location
      assert.ok(
        typeof location === 'string',
        `no redirect at ${current}: ${res.status} ${res.body}`,
      )
      current = new URL(location, current).toString()
      if (current.startsWith(`${bench.publicUrl}/sso/callback`)) break
    }
    const callback = new URL(current)
    const tampered = new URL(callback)
    tampered.searchParams.set('state', `${callback.searchParams.get('state')}x`)
    const bad = await bench.browser.visit(tampered.toString())
    assert.equal(bad.status, 400)
    assert.match(bad.body, /cannot be completed/)

    const good = await bench.browser.visit(callback.toString())
    assert.equal(good.status, 200, good.body)
    const replayed = await bench.browser.visit(callback.toString())
    assert.equal(replayed.status, 400)
    assert.match(replayed.body, /already used/)
  })

  it('refuses a callback finished in another browser than the one that started it', async (t) => {
    const bench = await ssoBench(t)
    await bench.signInAdmin(bench.h.acme)
    const connection = await bench.connection(bench.h.acme)
    const url = await startVerification(bench, connection.id)
    let current = url
    for (;;) {
      const res = await bench.browser.request('GET', current)
      current = new URL(String(res.headers.location), current).toString()
      if (current.startsWith(`${bench.publicUrl}/sso/callback`)) break
    }
    const other = bench.newBrowser()
    const page = await other.visit(current)
    assert.equal(page.status, 400)
    assert.equal((await bench.h.store.connections.get(connection.id))?.status, 'draft')
  })

  it('fails when the ID token has expired', async (t) => {
    const bench = await ssoBench(t)
    await bench.signInAdmin(bench.h.acme)
    const connection = await bench.connection(bench.h.acme)
    const now = Math.floor(Date.now() / 1000)
    bench.op.tamperIdTokens((claims) => ({ ...claims, iat: now - 7200, exp: now - 3600 }))
    const page = await bench.browser.visit(await startVerification(bench, connection.id))
    assert.equal(page.status, 502)
    assert.match(page.body, /id_token/)
    assert.match(page.body, /exp/)
    assert.equal((await bench.h.store.connections.get(connection.id))?.status, 'draft')
  })

  it('fails when the ID token was issued for another audience', async (t) => {
    const bench = await ssoBench(t)
    await bench.signInAdmin(bench.h.acme)
    const connection = await bench.connection(bench.h.acme)
    bench.op.tamperIdTokens((claims) => ({ ...claims, aud: 'some-other-application' }))
    const page = await bench.browser.visit(await startVerification(bench, connection.id))
    assert.equal(page.status, 502)
    assert.match(page.body, /aud/)
    assert.match(page.body, /client ID/)
  })

  it('shows the IdP error and error_description sent to the callback', async (t) => {
    const bench = await ssoBench(t)
    await bench.signInAdmin(bench.h.acme)
    const connection = await bench.connection(bench.h.acme)
    const url = new URL(await startVerification(bench, connection.id))
    const state = url.searchParams.get('state') ?? ''
    const callback = `${bench.publicUrl}/sso/callback?error=access_denied&error_description=${encodeURIComponent('AADSTS50105: the user is not assigned')}&state=${state}`
    const page = await bench.browser.visit(callback)
    assert.equal(page.status, 502)
    assert.match(page.body, /access_denied/)
    assert.match(page.body, /AADSTS50105/)
    assert.match(page.body, /assigned to the application/)
  })

  it('verifies through the one-time link of the CLI, which works once', async (t) => {
    const bench = await ssoBench(t)
    const connection = await bench.connection(bench.h.acme)
    const { issueVerificationLink } = await import('../../../src/sso/connections.ts')
    const link = await issueVerificationLink(
      bench.h.store,
      bench.publicUrl,
      bench.h.acme.tenant,
      connection.id,
    )
    assert.match(link, /^https:\/\/rollcall\.test\/sso\/verify\/[\w-]{43}$/)
    const page = await bench.browser.visit(link)
    assert.equal(page.status, 200, page.body)
    assert.match(page.body, /Connection verified/)
    const again = await bench.browser.visit(link)
    assert.equal(again.status, 410)
  })

  it('finishes on another instance the round trip that one instance started', async (t) => {
    const bench = await ssoBench(t)
    await bench.signInAdmin(bench.h.acme)
    const connection = await bench.connection(bench.h.acme)
    const url = await startVerification(bench, connection.id)
    const other = await buildApp(bench.h.config, {
      store: bench.h.store,
      signingKey: bench.h.signingKey,
      secretBox: bench.h.secretBox,
      log: bench.h.log,
      logger: false,
      sso: { fetch: bench.op.fetch },
    })
    t.after(() => other.close())
    bench.browser.useInstance(other)
    const page = await bench.browser.visit(url)
    assert.equal(page.status, 200, page.body)
    assert.match(page.body, /Connection verified/)
  })

  it("refuses an ID token whose signature is not the provider's, even over the token response", async (t) => {
    const bench = await ssoBench(t)
    await bench.signInAdmin(bench.h.acme)
    const connection = await bench.connection(bench.h.acme)
    await bench.op.tamperIdTokens((claims) => claims, { foreignKey: true })
    const page = await bench.browser.visit(await startVerification(bench, connection.id))
    assert.equal(page.status, 502, page.body)
    assert.match(page.body, /ID token/)
    assert.equal((await bench.h.store.connections.get(connection.id))?.status, 'draft')
  })

  it('refreshes the key set once when the provider rotated its signing key', async (t) => {
    const bench = await ssoBench(t)
    await bench.signInAdmin(bench.h.acme)
    const connection = await bench.connection(bench.h.acme)
    const first = await bench.browser.visit(await startVerification(bench, connection.id))
    assert.equal(first.status, 200, first.body)
    await bench.op.rotateKeys()
    const second = await bench.browser.visit(await startVerification(bench, connection.id))
    assert.equal(second.status, 200, second.body)
    assert.match(second.body, /Connection verified/)
  })
})
