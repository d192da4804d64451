// The users of a tenant through the admin API (SPEC §1 D8, §5): the list with search, filters and
// cursor paging; invite with a one-time set-password link; role changes for every origin;
// disable, enable and delete only of INTERNAL users (SCIM users are refused with the reason); and
// only the tenant's own Admin may do any of it.
import assert from 'node:assert/strict'
import { describe, it, type TestContext } from 'node:test'
import { createSession } from '../../../src/sessions/sessions.ts'
import { sameOrigin, ssoBench, type SsoBench } from '../../support/sso.ts'
import type { Browser } from '../../support/browser.ts'

async function bench(t: TestContext): Promise<SsoBench> {
  const b = await ssoBench(t)
  await b.signInAdmin(b.h.acme)
  return b
}

async function api(b: SsoBench, method: string, path: string, body?: unknown, browser?: Browser) {
  const res = await (browser ?? b.browser).request(method, `${b.publicUrl}/api/tenants${path}`, {
    headers: sameOrigin(b.publicUrl),
    ...(method === 'GET' ? {} : { body: JSON.stringify(body ?? {}) }),
  })
  return { status: res.status, body: res.body === '' ? undefined : JSON.parse(res.body) }
}

/** A user provisioned by the tenant's IdP through SCIM. */
async function scimUser(b: SsoBench, userName: string): Promise<string> {
  const res = await b.h.scim(b.h.acme, 'POST', '/Users', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName,
    active: true,
    emails: [{ value: userName, type: 'work', primary: true }],
  })
  assert.equal(res.statusCode, 201, res.body)
  return (JSON.parse(res.body) as { id: string }).id
}

describe('users API', () => {
  it('invites an INTERNAL user and answers a set-password link that works once', async (t) => {
    const b = await bench(t)
    const invited = await api(b, 'POST', '/acme/users', {
      email: 'Bob@Contoso.com',
      displayName: 'Bob Builder',
      role: 'Editor',
    })
    assert.equal(invited.status, 201, JSON.stringify(invited.body))
    assert.equal(invited.body.user.userName, 'Bob@Contoso.com')
    assert.equal(invited.body.user.email, 'Bob@Contoso.com')
    assert.equal(invited.body.user.displayName, 'Bob Builder')
    assert.equal(invited.body.user.origin, 'INTERNAL')
    assert.equal(invited.body.user.role, 'Editor')
    assert.equal(invited.body.user.active, true)
    assert.deepEqual(invited.body.user.refusals, {})
    assert.match(
      invited.body.setPasswordUrl,
      /^https:\/\/rollcall\.test\/login\/set-password\/\S+$/,
    )
    const page = await b.browser.request('GET', invited.body.setPasswordUrl)
    assert.equal(page.status, 200)

    const again = await api(b, 'POST', '/acme/users', { email: 'bob@contoso.com' })
    assert.equal(again.status, 409)
    assert.equal(again.body.code, 'conflict')
    const bad = await api(b, 'POST', '/acme/users', { email: 'not an email' })
    assert.equal(bad.status, 400)
    assert.match(bad.body.detail, /not an email address/)
    const role = await api(b, 'POST', '/acme/users', { email: 'c@contoso.com', role: 'Owner' })
    assert.equal(role.status, 400)
  })

  it('refuses to invite a person of a domain another tenant verified, whether or not they exist (D12)', async (t) => {
    const b = await bench(t)
    const globex = await b.h.addTenant('globex')
    await b.verifyDomain(globex, 'globex.com')
    await b.member(globex, 'gina@globex.com')
    const existing = await api(b, 'POST', '/acme/users', { email: 'gina@globex.com' })
    const unknown = await api(b, 'POST', '/acme/users', { email: 'nobody@globex.com' })
    for (const res of [existing, unknown]) {
      assert.equal(res.status, 409)
      assert.equal(res.body.code, 'domain_taken')
      assert.doesNotMatch(JSON.stringify(res.body), /globex"|gina/)
    }
    assert.equal(existing.body.detail, unknown.body.detail.replace('nobody', 'gina'))
    assert.equal(
      await b.h.store.forTenant(b.h.acme.tenant.id).users.findIdByUserName('gina@globex.com'),
      undefined,
    )
    // A domain this tenant verified is its own.
    await b.verifyDomain(b.h.acme, 'contoso.com')
    assert.equal((await api(b, 'POST', '/acme/users', { email: 'new@contoso.com' })).status, 201)
  })

  it('lists users with search, origin, role and status filters, and pages by cursor', async (t) => {
    const b = await bench(t)
    for (let i = 0; i < 5; i++) {
      await b.member(b.h.acme, `person${i}@contoso.com`, { role: i < 2 ? 'Editor' : 'Viewer' })
    }
    await b.member(b.h.acme, 'off@contoso.com', { active: false })
    const scimId = await scimUser(b, 'sam@contoso.com')

    const all = await api(b, 'GET', '/acme/users')
    assert.equal(all.status, 200)
    // The signed-in admin, 5 people, the disabled one and the SCIM user.
    assert.equal(all.body.total, 8)
    assert.equal(all.body.nextCursor, null)

    const sam = all.body.items.find((u: { id: string }) => u.id === scimId)
    assert.equal(sam.origin, 'SCIM')
    assert.equal(sam.role, 'Viewer')
    assert.match(sam.refusals.disable, /controlled by SCIM/)
    assert.match(sam.refusals.delete, /identity provider/)
    assert.equal(sam.refusals.role, undefined)

    const names = (r: { body: { items: { userName: string }[] } }) =>
      r.body.items.map((u) => u.userName)
    assert.deepEqual(names(await api(b, 'GET', '/acme/users?search=PERSON1')), [
      'person1@contoso.com',
    ])
    assert.deepEqual(names(await api(b, 'GET', '/acme/users?origin=SCIM')), ['sam@contoso.com'])
    assert.deepEqual(names(await api(b, 'GET', '/acme/users?role=Editor')), [
      'person0@contoso.com',
      'person1@contoso.com',
    ])
    assert.deepEqual(names(await api(b, 'GET', '/acme/users?status=disabled')), ['off@contoso.com'])
    // LIKE wildcards are literal.
    assert.deepEqual(names(await api(b, 'GET', '/acme/users?search=%25')), [])
    assert.deepEqual(names(await api(b, 'GET', '/acme/users?search=_')), [])

    // Three pages of 3, 3 and 2, each with the same total.
    const seen: string[] = []
    let cursor: string | null = ''
    let pages = 0
    while (cursor !== null) {
      const page = await api(b, 'GET', `/acme/users?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
      assert.equal(page.status, 200)
      assert.equal(page.body.total, 8)
      seen.push(...names(page))
      cursor = page.body.nextCursor
      pages++
    }
    assert.equal(pages, 3)
    assert.deepEqual(seen, names(all))

    assert.equal((await api(b, 'GET', '/acme/users?limit=500')).status, 400)
    assert.equal((await api(b, 'GET', '/acme/users?origin=LDAP')).status, 400)
  })

  it('changes the role of INTERNAL and SCIM users alike (D8)', async (t) => {
    const b = await bench(t)
    const scimId = await scimUser(b, 'sam@contoso.com')
    const internal = await b.member(b.h.acme, 'ivy@contoso.com')
    const scim = await api(b, 'PATCH', `/acme/users/${scimId}`, { role: 'Editor' })
    assert.equal(scim.status, 200, JSON.stringify(scim.body))
    assert.equal(scim.body.role, 'Editor')
    assert.equal(scim.body.origin, 'SCIM')
    const mine = await api(b, 'PATCH', `/acme/users/${internal.id}`, { role: 'Admin' })
    assert.equal(mine.body.role, 'Admin')
    assert.equal((await api(b, 'GET', `/acme/users/${internal.id}`)).body.role, 'Admin')
    const unknown = await api(b, 'PATCH', `/acme/users/${internal.id}`, { role: 'Owner' })
    assert.equal(unknown.status, 400)
    assert.equal((await api(b, 'PATCH', `/acme/users/${internal.id}`, {})).status, 400)
  })

  it('disables, enables and deletes an INTERNAL user; disabling ends their sessions (D9)', async (t) => {
    const b = await bench(t)
    const other = b.newBrowser()
    const ivy = await b.signInAdmin(b.h.acme, other, 'ivy@contoso.com')
    const off = await api(b, 'PATCH', `/acme/users/${ivy.id}`, { active: false })
    assert.equal(off.status, 200, JSON.stringify(off.body))
    assert.equal(off.body.active, false)
    assert.equal((await api(b, 'GET', '/acme/users', undefined, other)).status, 401)
    const on = await api(b, 'PATCH', `/acme/users/${ivy.id}`, { active: true })
    assert.equal(on.body.active, true)
    assert.equal((await api(b, 'DELETE', `/acme/users/${ivy.id}`)).status, 204)
    assert.equal((await api(b, 'GET', `/acme/users/${ivy.id}`)).status, 404)
    assert.equal((await api(b, 'DELETE', `/acme/users/${ivy.id}`)).status, 404)
  })

  it('refuses to disable, enable or delete a SCIM-controlled user, with the reason (D8)', async (t) => {
    const b = await bench(t)
    const id = await scimUser(b, 'sam@contoso.com')
    const disable = await api(b, 'PATCH', `/acme/users/${id}`, { active: false })
    assert.equal(disable.status, 409)
    assert.equal(disable.body.code, 'scim_controlled')
    assert.match(disable.body.detail, /controlled by SCIM.*identity provider/)
    // A refused disable changes nothing, the role included.
    const both = await api(b, 'PATCH', `/acme/users/${id}`, { active: false, role: 'Admin' })
    assert.equal(both.body.code, 'scim_controlled')
    const remove = await api(b, 'DELETE', `/acme/users/${id}`)
    assert.equal(remove.status, 409)
    assert.equal(remove.body.code, 'scim_controlled')
    const after = await api(b, 'GET', `/acme/users/${id}`)
    assert.equal(after.body.active, true)
    assert.equal(after.body.role, 'Viewer')
  })

  it('keeps an Admin from locking themselves out, and says so in their own refusals', async (t) => {
    const b = await ssoBench(t)
    const me = await b.signInAdmin(b.h.acme)
    const own = await api(b, 'GET', `/acme/users/${me.id}`)
    assert.deepEqual(Object.keys(own.body.refusals).sort(), ['delete', 'disable', 'role'])
    assert.match(own.body.refusals.disable, /your own account/)
    for (const body of [{ active: false }, { role: 'Viewer' }]) {
      const res = await api(b, 'PATCH', `/acme/users/${me.id}`, body)
      assert.equal(res.status, 403, JSON.stringify(body))
    }
    assert.equal((await api(b, 'DELETE', `/acme/users/${me.id}`)).status, 403)
  })

  it("answers 404 for another tenant's users, 403 to non-Admins and 401 when signed out", async (t) => {
    const b = await bench(t)
    const globex = await b.h.addTenant('globex')
    const theirs = await b.member(globex, 'gina@globex.com')
    const mine = await b.member(b.h.acme, 'ivy@contoso.com')
    // acme's Admin, with globex's ids under acme's URL: nothing there.
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { role: 'Admin' }],
      ['PATCH', { active: false }],
      ['DELETE', undefined],
    ] as const) {
      const res = await api(b, method, `/acme/users/${theirs.id}`, body)
      assert.equal(res.status, 404, `${method} ${JSON.stringify(body)}`)
    }
    const listed = await api(b, 'GET', '/acme/users?search=gina')
    assert.equal(listed.body.total, 0)
    assert.equal((await b.h.store.forTenant(globex.tenant.id).users.get(theirs.id))?.active, true)

    const globexAdmin = b.newBrowser()
    await b.signInAdmin(globex, globexAdmin)
    assert.equal(
      (await api(b, 'GET', `/globex/users/${mine.id}`, undefined, globexAdmin)).status,
      404,
    )
    assert.equal((await api(b, 'GET', '/acme/users', undefined, globexAdmin)).status, 403)

    for (const role of ['Viewer', 'Editor']) {
      const browser = b.newBrowser()
      const member = await b.member(b.h.acme, `${role.toLowerCase()}@contoso.com`, { role })
      const session = await createSession(b.h.store, b.h.config.sessions, {
        tenantId: b.h.acme.tenant.id,
        userId: member.id,
      })
      browser.setCookie('rollcall_session', session)
      for (const [method, path] of [
        ['GET', '/acme/users'],
        ['POST', '/acme/users'],
        ['PATCH', `/acme/users/${mine.id}`],
        ['DELETE', `/acme/users/${mine.id}`],
      ] as const) {
        const res = await api(b, method, path, { email: 'x@contoso.com', role: 'Admin' }, browser)
        assert.equal(res.status, 403, `${role} ${method} ${path}`)
      }
    }
    const anonymous = b.newBrowser()
    assert.equal((await api(b, 'GET', '/acme/users', undefined, anonymous)).status, 401)
    assert.equal(
      (await api(b, 'DELETE', `/acme/users/${mine.id}`, undefined, anonymous)).status,
      401,
    )
  })
})
