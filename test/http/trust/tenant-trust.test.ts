// Trust between tenants (SPEC §1 D7, D10–D12), tried as an attacker would: another tenant's
// admin registers a login connection for the victim's domain, or has their own IdP assert the
// victim's email, or provisions the victim's people first through SCIM. Runs on either store
// (npm run test:postgres runs it on PostgreSQL).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createConnection } from '../../../src/sso/connections.ts'
import { CLIENT_ID, CLIENT_SECRET, type TestAccount } from '../../support/oidc-provider.ts'
import { USER, expectScim } from '../../support/scim.ts'
import { ssoBench, type SsoBench } from '../../support/sso.ts'
import type { Browser } from '../../support/browser.ts'
import type { TestTenant } from '../../helper.ts'

function account(email: string, extra: Partial<TestAccount> = {}): TestAccount {
  return { sub: `sub-${email}`, oid: crypto.randomUUID(), email, name: 'Someone', ...extra }
}

async function sessionOf(bench: SsoBench, browser: Browser) {
  const res = await browser.request('GET', `${bench.publicUrl}/api/session`)
  return { status: res.status, body: JSON.parse(res.body) as Record<string, unknown> }
}

/** acme owns victim.com (verified) and has boss@victim.com as its Admin, signed in. */
async function victimWithAdmin(bench: SsoBench) {
  const acme = bench.h.acme
  await bench.verifiedConnection(acme, { domain: 'victim.com' })
  const bossBrowser = bench.newBrowser()
  const boss = await bench.signInAdmin(acme, bossBrowser, 'boss@victim.com')
  return { acme, boss, bossBrowser }
}

/** The attacker's tenant "evil", with a verified connection for its own domain evil.com. */
async function attacker(bench: SsoBench): Promise<{ evil: TestTenant; loginUrl: string }> {
  const evil = await bench.h.addTenant('evil')
  const connection = await bench.verifiedConnection(evil, { domain: 'evil.com' })
  return { evil, loginUrl: `${bench.publicUrl}/sso/login/${connection.id}` }
}

describe('trust between tenants', () => {
  it("refuses a login connection for a domain another tenant verified (the victim's domain)", async (t) => {
    const bench = await ssoBench(t)
    await victimWithAdmin(bench)
    const { evil } = await attacker(bench)
    await assert.rejects(
      createConnection(
        bench.h.store,
        bench.h.secretBox,
        evil.tenant,
        {
          name: 'Totally Entra',
          issuer: bench.op.issuer,
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          domain: 'Victim.com',
        },
        bench.h.config.sso,
      ),
      (error: Error & { status?: number }) =>
        error.status === 409 &&
        /verified by another organisation/.test(error.message) &&
        !/acme/.test(error.message),
    )
  })

  it("cannot take the victim's Admin through the attacker's login URL and IdP", async (t) => {
    const bench = await ssoBench(t)
    const { acme, boss, bossBrowser } = await victimWithAdmin(bench)
    const { evil, loginUrl } = await attacker(bench)

    // The attacker's IdP asserts the victim's email, even claiming it verified it.
    bench.op.signInAs(account('boss@victim.com', { email_verified: true }))
    const page = await bench.browser.visit(loginUrl)
    assert.equal(page.status, 403, page.body)
    assert.match(page.body, /verified domains/)
    assert.doesNotMatch(page.body, /acme/)
    assert.equal((await sessionOf(bench, bench.browser)).status, 401)

    // Nothing changed for the victim: membership, role, session.
    assert.deepEqual(
      (await bench.h.store.people.membershipsOf(boss.id)).map((m) => [
        m.tenantId,
        m.origin,
        m.role,
      ]),
      [[acme.tenant.id, 'INTERNAL', 'Admin']],
    )
    assert.deepEqual((await sessionOf(bench, bossBrowser)).body, {
      email: 'boss@victim.com',
      tenant: 'acme',
      role: 'Admin',
    })
    assert.deepEqual(
      await bench.h.store.forTenant(acme.tenant.id).signInLog.list({ limit: 10 }),
      [],
    )
    const evilLog = await bench.h.store.forTenant(evil.tenant.id).signInLog.list({ limit: 1 })
    assert.equal(evilLog[0]?.outcome, 'refused')
  })

  it('refuses the attack the same way whether or not the person exists (no probing)', async (t) => {
    const bench = await ssoBench(t)
    await victimWithAdmin(bench)
    const { loginUrl } = await attacker(bench)
    const pages: string[] = []
    for (const email of ['boss@victim.com', 'nobody@victim.com']) {
      bench.op.signInAs(account(email))
      const page = await bench.newBrowser().visit(loginUrl)
      assert.equal(page.status, 403)
      pages.push(page.body.replaceAll(email, 'EMAIL'))
    }
    assert.equal(pages[0], pages[1])
    assert.equal(
      await bench.h.store
        .forTenant(bench.h.acme.tenant.id)
        .users.identityByEmail('nobody@victim.com'),
      undefined,
    )
  })

  it('refuses the attack even when nobody verified the domain (first come proves nothing)', async (t) => {
    const bench = await ssoBench(t)
    const acme = bench.h.acme
    const bossBrowser = bench.newBrowser()
    const boss = await bench.signInAdmin(acme, bossBrowser, 'boss@victim.com')
    const evil = await bench.h.addTenant('evil')
    // evil names victim.com first; nobody can stop that, but it gives evil nothing.
    const squat = await bench.verifiedConnection(evil, { domain: 'evil.com' })
    await createConnection(
      bench.h.store,
      bench.h.secretBox,
      evil.tenant,
      {
        name: 'Victim SSO',
        issuer: bench.op.issuer,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        domain: 'victim.com',
      },
      bench.h.config.sso,
    )
    bench.op.signInAs(account('boss@victim.com'))
    const page = await bench.browser.visit(`${bench.publicUrl}/sso/login/${squat.id}`)
    assert.equal(page.status, 403)
    assert.deepEqual(
      (await bench.h.store.people.membershipsOf(boss.id)).map((m) => m.tenantId),
      [acme.tenant.id],
    )
    assert.equal((await sessionOf(bench, bossBrowser)).status, 200)
    // "Sign in with SSO" routes victim.com nowhere until a tenant verifies it…
    const unrouted = await bench.newBrowser().visit(`${bench.publicUrl}/sso?q=boss@victim.com`)
    assert.equal(unrouted.status, 404)
    // …and then to that tenant's connection, not to the first comer's.
    const victimConnection = await bench.verifiedConnection(acme, { domain: 'victim.com' })
    assert.equal((await bench.h.store.connections.byDomain('victim.com'))?.id, victimConnection.id)
    bench.op.signInAs(account('boss@victim.com'))
    const routed = bench.newBrowser()
    const signedIn = await routed.visit(`${bench.publicUrl}/sso?q=boss@victim.com`)
    assert.equal(signedIn.status, 200, signedIn.body)
    assert.equal((await sessionOf(bench, routed)).body.tenant, 'acme')
  })

  it('never admits a new person whose email the IdP says is not verified', async (t) => {
    const bench = await ssoBench(t)
    const connection = await bench.verifiedConnection(bench.h.acme, { domain: 'victim.com' })
    bench.op.signInAs(account('new@victim.com', { email_verified: false }))
    const page = await bench.browser.visit(`${bench.publicUrl}/sso/login/${connection.id}`)
    assert.equal(page.status, 403)
    assert.match(page.body, /not verified/)
    assert.equal(
      await bench.h.store.forTenant(bench.h.acme.tenant.id).users.identityByEmail('new@victim.com'),
      undefined,
    )
  })

  it("still signs in the tenant's own members whatever their domain, through its login URL", async (t) => {
    const bench = await ssoBench(t)
    const connection = await bench.verifiedConnection(bench.h.acme, { domain: 'victim.com' })
    await bench.member(bench.h.acme, 'contractor@gmail.com', { role: 'Editor' })
    bench.op.signInAs(account('contractor@gmail.com'))
    const page = await bench.browser.visit(`${bench.publicUrl}/sso/login/${connection.id}`)
    assert.equal(page.status, 200, page.body)
    assert.equal((await sessionOf(bench, bench.browser)).body.role, 'Editor')
  })
})

describe("SCIM cannot squat on another tenant's people (D12)", () => {
  it('refuses to provision a person of a domain another tenant verified, with one answer for all', async (t) => {
    const bench = await ssoBench(t)
    const { acme, boss } = await victimWithAdmin(bench)
    const { evil } = await attacker(bench)
    const answers = []
    for (const userName of ['boss@victim.com', 'nobody@victim.com', 'BOSS@Victim.COM']) {
      const res = await bench.h.scim(evil, 'POST', '/Users', { schemas: [USER], userName })
      const body = expectScim(res, 409, userName)
      assert.equal(body.scimType, 'uniqueness')
      assert.doesNotMatch(body.detail, /acme/)
      answers.push(String(body.detail).replace(/userName "[^"]*"/, 'userName "X"'))
    }
    assert.equal(new Set(answers).size, 1, answers.join('\n'))
    assert.match(answers[0] ?? '', /victim\.com.*another organisation has verified/)
    assert.deepEqual(
      (await bench.h.store.people.membershipsOf(boss.id)).map((m) => [m.tenantId, m.origin]),
      [[acme.tenant.id, 'INTERNAL']],
    )
    assert.equal(
      await bench.h.store.forTenant(evil.tenant.id).users.identityByEmail('nobody@victim.com'),
      undefined,
    )
    // The owner's own SCIM provisions both.
    expectScim(
      await bench.h.scim(acme, 'POST', '/Users', { schemas: [USER], userName: 'boss@victim.com' }),
      201,
    )
    expectScim(
      await bench.h.scim(acme, 'POST', '/Users', {
        schemas: [USER],
        userName: 'nobody@victim.com',
      }),
      201,
    )
  })

  it('refuses to convert an INTERNAL member or rename a user into a domain another tenant verified', async (t) => {
    const bench = await ssoBench(t)
    await victimWithAdmin(bench)
    const { evil } = await attacker(bench)
    // evil's admin added boss as an INTERNAL member of evil; evil's SCIM then tries to take control.
    const internal = await bench.member(evil, 'boss@victim.com')
    const patch = await bench.h.scim(evil, 'PATCH', `/Users/${internal.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'displayName', value: 'Mine now' }],
    })
    expectScim(patch, 409)
    const own = expectScim(
      await bench.h.scim(evil, 'POST', '/Users', { schemas: [USER], userName: 'minion@evil.com' }),
      201,
    )
    const rename = await bench.h.scim(evil, 'PATCH', `/Users/${own.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'userName', value: 'ceo@victim.com' }],
    })
    assert.match(expectScim(rename, 409).detail, /another organisation has verified/)
    const put = await bench.h.scim(evil, 'PUT', `/Users/${own.id}`, {
      schemas: [USER],
      userName: 'ceo@victim.com',
    })
    expectScim(put, 409)
    assert.equal(
      await bench.h.store.forTenant(evil.tenant.id).users.identityByEmail('ceo@victim.com'),
      undefined,
    )
  })

  it("lets the domain's owner take over a person another tenant provisioned first, and tells that tenant", async (t) => {
    const bench = await ssoBench(t)
    const evil = await bench.h.addTenant('evil')
    // Before acme proved victim.com, evil's SCIM provisioned its CFO.
    const squatted = expectScim(
      await bench.h.scim(evil, 'POST', '/Users', { schemas: [USER], userName: 'cfo@victim.com' }),
      201,
    )
    // Once acme verifies the domain, acme's SCIM takes control (it is no longer blocked).
    await bench.verifyDomain(bench.h.acme, 'victim.com')
    const taken = expectScim(
      await bench.h.scim(bench.h.acme, 'POST', '/Users', {
        schemas: [USER],
        userName: 'cfo@victim.com',
      }),
      201,
    )
    assert.equal(taken.id, squatted.id)
    assert.deepEqual(
      (await bench.h.store.people.membershipsOf(taken.id)).map((m) => [m.tenantId, m.origin]),
      [[bench.h.acme.tenant.id, 'SCIM']],
    )
    expectScim(await bench.h.scim(evil, 'GET', `/Users/${squatted.id}`), 404)
    await bench.h.log.flush()
    const evilLog = await bench.h.store
      .forTenant(evil.tenant.id)
      .provisioningLog.list({ limit: 50 })
    const ended = evilLog.find((e) => e.operation === 'Membership ended')
    assert.ok(ended, JSON.stringify(evilLog.map((e) => e.operation)))
    assert.equal(ended.resourceId, squatted.id)
    assert.doesNotMatch(ended.detail ?? '', /acme/)
  })

  it('keeps first-come rules for domains nobody verified (409 for a member elsewhere)', async (t) => {
    const bench = await ssoBench(t)
    const globex = await bench.h.addTenant('globex')
    await bench.member(globex, 'pat@gmail.com')
    const res = await bench.h.scim(bench.h.acme, 'POST', '/Users', {
      schemas: [USER],
      userName: 'pat@gmail.com',
    })
    assert.match(expectScim(res, 409).detail, /verify the user's email domain/)
  })
})
