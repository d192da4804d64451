// The groups of a tenant through the admin API (SPEC §1 G1, G4, §5): list and search, create an
// INTERNAL group, show members with their origin, add INTERNAL members (also to a SCIM group) and
// remove them; SCIM members are refused with the reason; only the tenant's own Admin may do it.
import assert from 'node:assert/strict'
import { describe, it, type TestContext } from 'node:test'
import { createSession } from '../../../src/sessions/sessions.ts'
import type { Browser } from '../../support/browser.ts'
import { sameOrigin, ssoBench, type SsoBench } from '../../support/sso.ts'

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

/** A SCIM group with one SCIM member, as the tenant's IdP provisions them. */
async function scimGroup(b: SsoBench, name: string, memberUserName: string) {
  const user = await b.h.scim(b.h.acme, 'POST', '/Users', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: memberUserName,
  })
  assert.equal(user.statusCode, 201, user.body)
  const userId = (JSON.parse(user.body) as { id: string }).id
  const group = await b.h.scim(b.h.acme, 'POST', '/Groups', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    displayName: name,
    members: [{ value: userId }],
  })
  assert.equal(group.statusCode, 201, group.body)
  return { groupId: (JSON.parse(group.body) as { id: string }).id, userId }
}

describe('groups API', () => {
  it('creates an INTERNAL group, lists and searches groups, and refuses a duplicate name (G1)', async (t) => {
    const b = await bench(t)
    const created = await api(b, 'POST', '/acme/groups', { displayName: 'Finance' })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    assert.equal(created.body.origin, 'INTERNAL')
    await scimGroup(b, 'Engineering', 'sam@contoso.com')
    const dup = await api(b, 'POST', '/acme/groups', { displayName: 'FINANCE' })
    assert.equal(dup.status, 409)

    const all = await api(b, 'GET', '/acme/groups')
    assert.equal(all.status, 200)
    assert.equal(all.body.total, 2)
    assert.deepEqual(
      all.body.items.map((g: { displayName: string; origin: string }) => [g.displayName, g.origin]),
      [
        ['Finance', 'INTERNAL'],
        ['Engineering', 'SCIM'],
      ],
    )
    const found = await api(b, 'GET', '/acme/groups?search=GINEER')
    assert.deepEqual(
      found.body.items.map((g: { displayName: string }) => g.displayName),
      ['Engineering'],
    )
    const page2 = await api(b, 'GET', '/acme/groups?limit=1&page=2')
    assert.equal(page2.body.total, 2)
    assert.deepEqual(
      page2.body.items.map((g: { displayName: string }) => g.displayName),
      ['Engineering'],
    )
  })

  it('adds an INTERNAL member to a SCIM group and removes it; the SCIM member stays (G4)', async (t) => {
    const b = await bench(t)
    const { groupId, userId } = await scimGroup(b, 'Engineering', 'sam@contoso.com')
    const ivy = await b.member(b.h.acme, 'ivy@contoso.com')

    const added = await api(b, 'POST', `/acme/groups/${groupId}/members`, { userId: ivy.id })
    assert.equal(added.status, 204, JSON.stringify(added.body))
    const again = await api(b, 'POST', `/acme/groups/${groupId}/members`, { userId: ivy.id })
    assert.equal(again.status, 409)

    const shown = await api(b, 'GET', `/acme/groups/${groupId}`)
    assert.equal(shown.status, 200)
    assert.equal(shown.body.origin, 'SCIM')
    const members = shown.body.members as {
      id: string
      display: string
      origin: string
      removalRefusal?: string
    }[]
    assert.deepEqual(members.map((m) => [m.display, m.origin]).sort(), [
      ['ivy@contoso.com', 'INTERNAL'],
      ['sam@contoso.com', 'SCIM'],
    ])
    assert.match(members.find((m) => m.id === userId)?.removalRefusal ?? '', /controlled by SCIM/)
    assert.equal(members.find((m) => m.id === ivy.id)?.removalRefusal, undefined)

    // SCIM sees only its own member (G5).
    const seen = await b.h.scim(b.h.acme, 'GET', `/Groups/${groupId}`)
    assert.deepEqual(
      (JSON.parse(seen.body) as { members: { value: string }[] }).members.map((m) => m.value),
      [userId],
    )

    const refused = await api(b, 'DELETE', `/acme/groups/${groupId}/members/${userId}`)
    assert.equal(refused.status, 409)
    assert.equal(refused.body.code, 'scim_controlled')
    assert.match(refused.body.detail, /identity provider/)
    const removed = await api(b, 'DELETE', `/acme/groups/${groupId}/members/${ivy.id}`)
    assert.equal(removed.status, 204)
    const after = await api(b, 'GET', `/acme/groups/${groupId}`)
    assert.deepEqual(
      after.body.members.map((m: { id: string }) => m.id),
      [userId],
    )
    assert.equal((await api(b, 'DELETE', `/acme/groups/${groupId}/members/${ivy.id}`)).status, 404)
    const nobody = await api(b, 'POST', `/acme/groups/${groupId}/members`, { userId: 'nope' })
    assert.equal(nobody.status, 404)
  })

  it("answers 404 for another tenant's groups and users, 403 to non-Admins and 401 when signed out", async (t) => {
    const b = await bench(t)
    const globex = await b.h.addTenant('globex')
    const globexAdmin = b.newBrowser()
    await b.signInAdmin(globex, globexAdmin)
    const theirs = await api(b, 'POST', '/globex/groups', { displayName: 'Theirs' }, globexAdmin)
    const gina = await b.member(globex, 'gina@globex.com')
    const mine = await api(b, 'POST', '/acme/groups', { displayName: 'Mine' })

    assert.equal((await api(b, 'GET', `/acme/groups/${theirs.body.id}`)).status, 404)
    const intoTheirs = await api(b, 'POST', `/acme/groups/${theirs.body.id}/members`, {
      userId: gina.id,
    })
    assert.equal(intoTheirs.status, 404)
    // Their user into my group: not a user of this tenant.
    const theirUser = await api(b, 'POST', `/acme/groups/${mine.body.id}/members`, {
      userId: gina.id,
    })
    assert.equal(theirUser.status, 404)
    assert.equal(
      (await api(b, 'DELETE', `/acme/groups/${theirs.body.id}/members/${gina.id}`)).status,
      404,
    )
    assert.equal((await api(b, 'GET', '/acme/groups')).body.total, 1)

    for (const role of ['Viewer', 'Editor']) {
      const browser = b.newBrowser()
      const member = await b.member(b.h.acme, `${role.toLowerCase()}@contoso.com`, { role })
      browser.setCookie(
        'rollcall_session',
        await createSession(b.h.store, b.h.config.sessions, {
          tenantId: b.h.acme.tenant.id,
          userId: member.id,
        }),
      )
      for (const [method, path] of [
        ['GET', '/acme/groups'],
        ['POST', '/acme/groups'],
        ['GET', `/acme/groups/${mine.body.id}`],
        ['POST', `/acme/groups/${mine.body.id}/members`],
        ['DELETE', `/acme/groups/${mine.body.id}/members/${member.id}`],
      ] as const) {
        const res = await api(b, method, path, { displayName: 'X', userId: member.id }, browser)
        assert.equal(res.status, 403, `${role} ${method} ${path}`)
      }
    }
    const anonymous = b.newBrowser()
    assert.equal((await api(b, 'GET', '/acme/groups', undefined, anonymous)).status, 401)
  })
})
