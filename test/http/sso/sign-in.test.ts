// Signing in with SSO (SPEC §1 D2, D7, D9; §4): by identity provider domain or email on /sso, or
// through a connection's login URL, against a real OpenID Provider; the directory rules decide
// what the sign-in does, and the session it opens ends when SCIM deactivates or deletes the user.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { entraAccount } from '../../support/oidc-provider.ts'
import { ENTERPRISE, USER, expectScim } from '../../support/scim.ts'
import { ssoBench, type SsoBench } from '../../support/sso.ts'
import type { Browser } from '../../support/browser.ts'

async function session(bench: SsoBench, browser: Browser = bench.browser) {
  const res = await browser.request('GET', `${bench.publicUrl}/api/session`)
  return { status: res.status, body: JSON.parse(res.body) as Record<string, unknown> }
}

describe('sign in with SSO', () => {
  it('signs a new person in by their email on /sso, creating them just in time as Viewer', async (t) => {
    const bench = await ssoBench(t)
    await bench.verifiedConnection(bench.h.acme)
    bench.op.signInAs(entraAccount('alice'))
    const form = await bench.browser.visit(`${bench.publicUrl}/sso`)
    assert.equal(form.status, 200)
    assert.match(form.body, /name="q"/)
    const page = await bench.browser.visit(
      `${bench.publicUrl}/sso?q=${encodeURIComponent('Alice@Contoso.com')}`,
    )
    assert.equal(page.status, 200, page.body)
    assert.match(page.body, /signed in to <strong>acme<\/strong>/)
    assert.deepEqual((await session(bench)).body, {
      email: 'alice@contoso.com',
      tenant: 'acme',
      role: 'Viewer',
    })
    const cookie = bench.browser.cookie('rollcall_session')
    assert.ok(cookie && cookie.length >= 43)
    const log = await bench.h.store.forTenant(bench.h.acme.tenant.id).signInLog.list({ limit: 1 })
    assert.equal(log[0]?.outcome, 'created')
  })

  it('sets the session cookie httpOnly, Secure on https, SameSite=Lax, path /', async (t) => {
    const bench = await ssoBench(t)
    const connection = await bench.verifiedConnection(bench.h.acme)
    let current = `${bench.publicUrl}/sso/login/${connection.id}`
    let setCookie: string | string[] | undefined
    for (let hop = 0; hop < 20; hop++) {
      const res = await bench.browser.request('GET', current)
      if (current.startsWith(`${bench.publicUrl}/sso/callback`)) {
        setCookie = res.headers['set-cookie']
        break
      }
      current = new URL(String(res.headers.location), current).toString()
    }
    const line = [setCookie ?? []].flat().find((c) => c.startsWith('rollcall_session='))
    assert.ok(line, String(setCookie))
    assert.match(line, /HttpOnly/i)
    assert.match(line, /Secure/i)
    assert.match(line, /SameSite=Lax/i)
    assert.match(line, /Path=\//)
  })

  it('signs a member in by the identity provider domain and by the login URL, with their role', async (t) => {
    const bench = await ssoBench(t)
    const connection = await bench.verifiedConnection(bench.h.acme)
    await bench.member(bench.h.acme, 'bob@contoso.com', { role: 'Editor' })
    bench.op.signInAs(entraAccount('bob'))
    const byDomain = await bench.browser.visit(`${bench.publicUrl}/sso?q=CONTOSO.com`)
    assert.equal(byDomain.status, 200, byDomain.body)
    assert.deepEqual((await session(bench)).body, {
      email: 'bob@contoso.com',
      tenant: 'acme',
      role: 'Editor',
    })

    const other = bench.newBrowser()
    const byUrl = await other.visit(`${bench.publicUrl}/sso/login/${connection.id}`)
    assert.equal(byUrl.status, 200, byUrl.body)
    assert.ok(!byUrl.chain.some((u) => u.includes('/sso?')), 'the login URL skips the question')
    assert.deepEqual((await session(bench, other)).body, {
      email: 'bob@contoso.com',
      tenant: 'acme',
      role: 'Editor',
    })
  })

  it('answers an unknown domain with the form again, and an unverified connection with a clear page', async (t) => {
    const bench = await ssoBench(t)
    const unknown = await bench.browser.visit(`${bench.publicUrl}/sso?q=nobody@fabrikam.com`)
    assert.equal(unknown.status, 404)
    assert.match(unknown.body, /No organisation uses “fabrikam\.com”/)
    const draft = await bench.connection(bench.h.acme)
    const page = await bench.browser.visit(`${bench.publicUrl}/sso/login/${draft.id}`)
    assert.equal(page.status, 403)
    assert.match(page.body, /has not been verified/)
    assert.equal((await session(bench)).status, 401)
  })

  it('brings a person who is INTERNAL in other tenants into this one, keeping those memberships (D7)', async (t) => {
    const bench = await ssoBench(t)
    const globex = await bench.h.addTenant('globex')
    const initech = await bench.h.addTenant('initech')
    const connection = await bench.verifiedConnection(bench.h.acme)
    const carol = await bench.member(globex, 'carol@contoso.com', { role: 'Admin' })
    await bench.member(initech, 'carol@contoso.com', { role: 'Editor' })
    bench.op.signInAs(entraAccount('carol'))
    const page = await bench.browser.visit(`${bench.publicUrl}/sso/login/${connection.id}`)
    assert.equal(page.status, 200, page.body)
    assert.match(page.body, /now also a member of this organisation/)
    const memberships = (m: { tenantId: string; origin: string; role: string }) => [
      m.tenantId,
      m.origin,
      m.role,
    ]
    assert.deepEqual(
      (await bench.h.store.people.membershipsOf(carol.id)).map(memberships).sort(),
      [
        [bench.h.acme.tenant.id, 'INTERNAL', 'Viewer'],
        [globex.tenant.id, 'INTERNAL', 'Admin'],
        [initech.tenant.id, 'INTERNAL', 'Editor'],
      ].sort(),
    )
    assert.deepEqual((await session(bench)).body, {
      email: 'carol@contoso.com',
      tenant: 'acme',
      role: 'Viewer',
    })
    assert.equal(
      (await bench.h.store.forTenant(bench.h.acme.tenant.id).signInLog.list({ limit: 1 }))[0]
        ?.outcome,
      'transferred',
    )
  })

  it('ends the memberships and sessions elsewhere only when SCIM here takes control, and tells those tenants (D2, D7)', async (t) => {
    const bench = await ssoBench(t)
    const globex = await bench.h.addTenant('globex')
    const connection = await bench.verifiedConnection(bench.h.acme)
    const inGlobex = bench.newBrowser()
    const dan = await bench.signInAdmin(globex, inGlobex, 'dan@contoso.com')
    bench.op.signInAs(entraAccount('dan'))
    await bench.browser.visit(`${bench.publicUrl}/sso/login/${connection.id}`)
    // Signing in here does not end anything in globex.
    assert.equal((await session(bench, inGlobex)).status, 200)
    assert.equal((await session(bench)).status, 200)

    // acme's provisioning takes control: D5 converts, D2 ends the globex membership.
    const created = await bench.h.scim(bench.h.acme, 'POST', '/Users', {
      schemas: [USER],
      userName: 'dan@contoso.com',
    })
    expectScim(created, 201)
    assert.equal(created.json().id, dan.id)
    assert.equal((await session(bench, inGlobex)).status, 401)
    assert.equal((await session(bench)).status, 200)
    assert.deepEqual(
      (await bench.h.store.people.membershipsOf(dan.id)).map((m) => [m.tenantId, m.origin]),
      [[bench.h.acme.tenant.id, 'SCIM']],
    )
    const globexLog = await bench.h.store
      .forTenant(globex.tenant.id)
      .provisioningLog.list({ limit: 10 })
    assert.equal(globexLog.length, 1)
    assert.equal(globexLog[0]?.operation, 'Membership ended')
    assert.equal(globexLog[0]?.resourceId, dan.id)
    assert.match(globexLog[0]?.detail ?? '', /dan@contoso\.com/)
    assert.doesNotMatch(globexLog[0]?.detail ?? '', /acme/)
  })

  it('refuses a person SCIM-controlled by another tenant, with an explanation page', async (t) => {
    const bench = await ssoBench(t)
    const globex = await bench.h.addTenant('globex')
    // globex provisioned erin before acme verified contoso.com.
    const created = await bench.h.scim(globex, 'POST', '/Users', {
      schemas: [USER],
      userName: 'erin@contoso.com',
    })
    expectScim(created, 201)
    const connection = await bench.verifiedConnection(bench.h.acme)
    bench.op.signInAs(entraAccount('erin'))
    const page = await bench.browser.visit(`${bench.publicUrl}/sso/login/${connection.id}`)
    assert.equal(page.status, 403)
    assert.match(page.body, /provisioned \(SCIM\) by another organisation/)
    assert.equal((await session(bench)).status, 401)
    const memberships = await bench.h.store.people.membershipsOf(created.json().id)
    assert.deepEqual(
      memberships.map((m) => m.tenantId),
      [globex.tenant.id],
    )
  })

  it('refuses a deactivated member (D9)', async (t) => {
    const bench = await ssoBench(t)
    const connection = await bench.verifiedConnection(bench.h.acme)
    await bench.member(bench.h.acme, 'frank@contoso.com', { active: false })
    bench.op.signInAs(entraAccount('frank'))
    const page = await bench.browser.visit(`${bench.publicUrl}/sso/login/${connection.id}`)
    assert.equal(page.status, 403)
    assert.match(page.body, /deactivated/)
    assert.equal((await session(bench)).status, 401)
  })

  it('refuses a member whose Entra object id differs from the one SCIM provisioned', async (t) => {
    const bench = await ssoBench(t)
    const connection = await bench.verifiedConnection(bench.h.acme)
    await bench.member(bench.h.acme, 'gina@contoso.com', {
      origin: 'SCIM',
      employeeNumber: '11111111-2222-4333-8444-555555555555',
    })
    bench.op.signInAs(entraAccount('gina'))
    const page = await bench.browser.visit(`${bench.publicUrl}/sso/login/${connection.id}`)
    assert.equal(page.status, 403)
    assert.match(page.body, /data-reason="differentPerson"/)
  })

  it('shows the no-email page and logs it for the admin when the IdP sends no email', async (t) => {
    const bench = await ssoBench(t)
    const connection = await bench.verifiedConnection(bench.h.acme)
    bench.op.signInAs({ ...entraAccount('hank', { email: false }), preferred_username: 'hank' })
    const page = await bench.browser.visit(`${bench.publicUrl}/sso/login/${connection.id}`)
    assert.equal(page.status, 403)
    assert.match(page.body, /Ask your administrator to fill in the user&#39;s Email field/)
    const log = await bench.h.store.forTenant(bench.h.acme.tenant.id).signInLog.list({ limit: 1 })
    assert.equal(log[0]?.outcome, 'refused')
    assert.equal(log[0]?.email, null)
    assert.match(log[0]?.detail ?? '', /Email field/)
  })

  it('matches by preferred_username when the email claim is absent (Entra fallback)', async (t) => {
    const bench = await ssoBench(t)
    const connection = await bench.verifiedConnection(bench.h.acme)
    await bench.member(bench.h.acme, 'ivy@contoso.com', { role: 'Editor' })
    bench.op.signInAs(entraAccount('ivy', { email: false }))
    const page = await bench.browser.visit(`${bench.publicUrl}/sso/login/${connection.id}`)
    assert.equal(page.status, 200, page.body)
    assert.equal((await session(bench)).body.role, 'Editor')
  })

  it('refuses a non-member when just-in-time membership is off, and asks them to see the admin', async (t) => {
    const bench = await ssoBench(t)
    const connection = await bench.verifiedConnection(bench.h.acme, { jitEnabled: false })
    bench.op.signInAs(entraAccount('jack'))
    const page = await bench.browser.visit(`${bench.publicUrl}/sso/login/${connection.id}`)
    assert.equal(page.status, 403)
    assert.match(page.body, /Ask your administrator to add you/)
    assert.equal(
      await bench.h.store
        .forTenant(bench.h.acme.tenant.id)
        .users.identityByEmail('jack@contoso.com'),
      undefined,
    )
  })

  it('ends the session when SCIM deactivates the user, and when SCIM deletes them', async (t) => {
    const bench = await ssoBench(t)
    const connection = await bench.verifiedConnection(bench.h.acme)
    const account = entraAccount('kate')
    const created = await bench.h.scim(bench.h.acme, 'POST', '/Users', {
      schemas: [USER, ENTERPRISE],
      userName: 'kate@contoso.com',
      active: true,
      [ENTERPRISE]: { employeeNumber: account.oid },
    })
    const id = expectScim(created, 201).id as string
    bench.op.signInAs(account)
    const page = await bench.browser.visit(`${bench.publicUrl}/sso/login/${connection.id}`)
    assert.equal(page.status, 200, page.body)
    assert.equal((await session(bench)).status, 200)

    const patch = await bench.h.scim(bench.h.acme, 'PATCH', `/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    })
    assert.ok([200, 204].includes(patch.statusCode), patch.body)
    assert.equal((await session(bench)).status, 401)
    const again = await bench.browser.visit(`${bench.publicUrl}/sso/login/${connection.id}`)
    assert.equal(again.status, 403)

    // Reactivated, signed in again, then deleted: the session ends as well.
    await bench.h.scim(bench.h.acme, 'PATCH', `/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'active', value: true }],
    })
    const back = await bench.browser.visit(`${bench.publicUrl}/sso/login/${connection.id}`)
    assert.equal(back.status, 200, back.body)
    assert.equal((await session(bench)).status, 200)
    expectScim(await bench.h.scim(bench.h.acme, 'DELETE', `/Users/${id}`), 204)
    assert.equal((await session(bench)).status, 401)
  })
})
