// The admin API for login connections and sessions (issue #4): /api/tenants/:tenant/connections
// for an Admin session of that tenant, errors as problem details (code, detail, status), the client
// secret never returned, edits of issuer/client resetting verification, and the same-origin check.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { sameOrigin, ssoBench } from '../../support/sso.ts'

const input = {
  name: 'Entra ID',
  issuer: 'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0',
  clientId: '00001111-aaaa-2222-bbbb-3333cccc4444',
  clientSecret: 'super-secret-value',
  domain: 'Contoso.com',
}

describe('connections API', () => {
  it('creates, lists, reads, edits and deletes connections without ever returning the secret', async (t) => {
    const bench = await ssoBench(t)
    await bench.signInAdmin(bench.h.acme)
    const url = `${bench.publicUrl}/api/tenants/acme/connections`
    const headers = sameOrigin(bench.publicUrl)
    const created = await bench.browser.request('POST', url, {
      headers,
      body: JSON.stringify(input),
    })
    assert.equal(created.status, 201, created.body)
    const body = JSON.parse(created.body)
    assert.equal(body.status, 'draft')
    assert.equal(body.domain, 'Contoso.com')
    assert.equal(body.jitEnabled, true)
    assert.deepEqual(body.emailClaims, ['email', 'preferred_username', 'upn'])
    assert.equal(body.loginUrl, `https://rollcall.test/sso/login/${body.id}`)
    assert.equal(body.redirectUri, 'https://rollcall.test/sso/callback')
    assert.ok(!created.body.includes('super-secret-value'))
    const stored = await bench.h.store.connections.get(body.id)
    assert.ok(stored && !stored.clientSecretEncrypted.includes('super-secret-value'))
    assert.equal(bench.h.secretBox.open(stored.clientSecretEncrypted), 'super-secret-value')

    const list = await bench.browser.request('GET', url)
    assert.equal(list.status, 200)
    assert.deepEqual(
      JSON.parse(list.body).map((c: { id: string }) => c.id),
      [body.id],
    )
    assert.ok(!list.body.includes('secret'))

    // A verified connection goes back to draft when the client secret changes, not on a rename.
    await bench.h.store
      .forTenant(bench.h.acme.tenant.id)
      .connections.update(
        body.id,
        { status: 'verified', verifiedAt: new Date().toISOString() },
        new Date().toISOString(),
      )
    const renamed = await bench.browser.request('PATCH', `${url}/${body.id}`, {
      headers,
      body: JSON.stringify({ name: 'Entra', jitEnabled: false }),
    })
    assert.equal(renamed.status, 200, renamed.body)
    assert.equal(JSON.parse(renamed.body).status, 'verified')
    assert.equal(JSON.parse(renamed.body).jitEnabled, false)
    const rekeyed = await bench.browser.request('PATCH', `${url}/${body.id}`, {
      headers,
      body: JSON.stringify({ clientSecret: 'new-secret' }),
    })
    assert.equal(JSON.parse(rekeyed.body).status, 'draft')
    assert.equal(JSON.parse(rekeyed.body).verifiedAt, null)
    assert.ok(!rekeyed.body.includes('new-secret'))

    const gone = await bench.browser.request('DELETE', `${url}/${body.id}`, {
      headers: { origin: 'https://rollcall.test', 'content-type': 'application/json' },
    })
    assert.equal(gone.status, 204)
    const missing = await bench.browser.request('GET', `${url}/${body.id}`)
    assert.equal(missing.status, 404)
    assert.equal(JSON.parse(missing.body).code, 'not_found')
  })

  it('refuses a domain another tenant verified, case-insensitively, without naming it (D12)', async (t) => {
    const bench = await ssoBench(t)
    const globex = await bench.h.addTenant('globex')
    await bench.verifyDomain(globex, 'contoso.com')
    await bench.signInAdmin(bench.h.acme)
    const res = await bench.browser.request(
      'POST',
      `${bench.publicUrl}/api/tenants/acme/connections`,
      {
        headers: sameOrigin(bench.publicUrl),
        body: JSON.stringify({ ...input, domain: 'CONTOSO.COM' }),
      },
    )
    assert.equal(res.status, 409)
    assert.deepEqual(Object.keys(JSON.parse(res.body)).sort(), [
      'code',
      'detail',
      'status',
      'title',
      'type',
    ])
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/)
    assert.equal(JSON.parse(res.body).code, 'domain_taken')
    assert.doesNotMatch(res.body, /globex/)
    assert.deepEqual(await bench.h.store.forTenant(bench.h.acme.tenant.id).connections.list(), [])
  })

  it('lets a first-come connection of another tenant not block the domain (no squatting)', async (t) => {
    const bench = await ssoBench(t)
    const globex = await bench.h.addTenant('globex')
    // globex names contoso.com first but never proves it.
    await bench.connection(globex, { domain: 'contoso.com' })
    await bench.signInAdmin(bench.h.acme)
    const url = `${bench.publicUrl}/api/tenants/acme/connections`
    const headers = sameOrigin(bench.publicUrl)
    const res = await bench.browser.request('POST', url, {
      headers,
      body: JSON.stringify({ ...input, domain: 'contoso.com' }),
    })
    assert.equal(res.status, 201, res.body)
    // A second connection of the same tenant for the same domain is a conflict.
    const again = await bench.browser.request('POST', url, {
      headers,
      body: JSON.stringify({ ...input, domain: 'Contoso.COM' }),
    })
    assert.equal(again.status, 409)
    assert.equal(JSON.parse(again.body).code, 'conflict')
    // Once acme verifies the domain, "Sign in with SSO" routes it to acme's connection only.
    await bench.verifyDomain(bench.h.acme, 'contoso.com')
    assert.equal(
      (await bench.h.store.connections.byDomain('contoso.com'))?.id,
      JSON.parse(res.body).id,
    )
  })

  it('validates input with a detail the admin can act on', async (t) => {
    const bench = await ssoBench(t)
    await bench.signInAdmin(bench.h.acme)
    const url = `${bench.publicUrl}/api/tenants/acme/connections`
    const headers = sameOrigin(bench.publicUrl)
    const badIssuer = await bench.browser.request('POST', url, {
      headers,
      body: JSON.stringify({ ...input, issuer: 'login.microsoftonline.com' }),
    })
    assert.equal(badIssuer.status, 400)
    assert.match(JSON.parse(badIssuer.body).detail, /v2\.0/)
    const missing = await bench.browser.request('POST', url, {
      headers,
      body: JSON.stringify({ name: 'x' }),
    })
    assert.equal(missing.status, 400)
    assert.equal(JSON.parse(missing.body).code, 'invalid_request')
    const badDomain = await bench.browser.request('POST', url, {
      headers,
      body: JSON.stringify({ ...input, domain: 'not a domain' }),
    })
    assert.equal(badDomain.status, 400)
  })

  it('answers 401 without a session, and 403 to an Admin of another tenant or a non-Admin', async (t) => {
    const bench = await ssoBench(t)
    const globex = await bench.h.addTenant('globex')
    const url = `${bench.publicUrl}/api/tenants/acme/connections`
    const anonymous = await bench.browser.request('GET', url)
    assert.equal(anonymous.status, 401)
    assert.deepEqual(JSON.parse(anonymous.body).status, 401)
    await bench.signInAdmin(globex)
    assert.equal((await bench.browser.request('GET', url)).status, 403)
    const viewer = bench.newBrowser()
    const member = await bench.member(bench.h.acme, 'viewer@example.com')
    const { createSession } = await import('../../../src/sessions/sessions.ts')
    viewer.setCookie(
      'rollcall_session',
      await createSession(bench.h.store, bench.h.config.sessions, {
        tenantId: bench.h.acme.tenant.id,
        userId: member.id,
      }),
    )
    const res = await viewer.request('GET', url)
    assert.equal(res.status, 403)
    assert.equal(JSON.parse(res.body).code, 'forbidden')
  })

  it('refuses state-changing requests from another site (CSRF), by Origin or Sec-Fetch-Site', async (t) => {
    const bench = await ssoBench(t)
    await bench.signInAdmin(bench.h.acme)
    const url = `${bench.publicUrl}/api/tenants/acme/connections`
    const body = JSON.stringify(input)
    const byOrigin = await bench.browser.request('POST', url, {
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body,
    })
    assert.equal(byOrigin.status, 403)
    assert.equal(JSON.parse(byOrigin.body).code, 'cross_site_request')
    const bySite = await bench.browser.request('POST', url, {
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      body,
    })
    assert.equal(bySite.status, 403)
    const logout = await bench.browser.request('POST', `${bench.publicUrl}/api/session/logout`, {
      headers: { origin: 'https://evil.example' },
    })
    assert.equal(logout.status, 403)
    assert.equal(
      await bench.h.store
        .forTenant(bench.h.acme.tenant.id)
        .connections.list()
        .then((l) => l.length),
      0,
    )
    // A form post (no JSON) is refused even from a browser without those headers.
    const form = await bench.browser.request('POST', url, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=x',
    })
    assert.equal(form.status, 415)
  })

  it('answers GET /api/session for the signed-in user and ends the session on logout', async (t) => {
    const bench = await ssoBench(t)
    await bench.signInAdmin(bench.h.acme)
    const me = await bench.browser.request('GET', `${bench.publicUrl}/api/session`)
    assert.equal(me.status, 200)
    assert.deepEqual(JSON.parse(me.body), {
      email: 'admin-acme@example.com',
      tenant: 'acme',
      role: 'Admin',
    })
    const cookie = bench.browser.cookie('rollcall_session')
    const out = await bench.browser.request('POST', `${bench.publicUrl}/api/session/logout`, {
      headers: { origin: 'https://rollcall.test', 'content-type': 'application/json' },
    })
    assert.equal(out.status, 204)
    assert.equal(bench.browser.cookie('rollcall_session'), undefined)
    // The old cookie value no longer works anywhere.
    const replay = bench.newBrowser()
    replay.setCookie('rollcall_session', cookie ?? '')
    assert.equal((await replay.request('GET', `${bench.publicUrl}/api/session`)).status, 401)
  })

  it('ends a session after the idle timeout', async (t) => {
    const bench = await ssoBench(t, { SESSION_IDLE_SECONDS: '1', SESSION_ABSOLUTE_SECONDS: '60' })
    await bench.signInAdmin(bench.h.acme)
    assert.equal((await bench.browser.request('GET', `${bench.publicUrl}/api/session`)).status, 200)
    await new Promise((resolve) => setTimeout(resolve, 1100))
    assert.equal((await bench.browser.request('GET', `${bench.publicUrl}/api/session`)).status, 401)
  })
})
