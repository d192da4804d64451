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
    assert.equal(shown.body.membersTotal, 2)
    assert.equal(shown.body.nextCursor, null)
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
    assert.equal(after.body.membersTotal, 1)
    assert.equal((await api(b, 'DELETE', `/acme/groups/${groupId}/members/${ivy.id}`)).status, 404)
    const nobody = await api(b, 'POST', `/acme/groups/${groupId}/members`, { userId: 'nope' })
    assert.equal(nobody.status, 404)
  })

  it('pages the members by cursor with their total; a cursor of another group or tenant reveals nothing of it', async (t) => {
    const b = await bench(t)
    const team = await api(b, 'POST', '/acme/groups', { displayName: 'Team' })
    const ids: string[] = []
    for (const n of [1, 2, 3, 4, 5]) {
      const user = await b.member(b.h.acme, `p${n}@contoso.com`)
      ids.push(user.id)
      const added = await api(b, 'POST', `/acme/groups/${team.body.id}/members`, {
        userId: user.id,
      })
      assert.equal(added.status, 204)
    }
    ids.sort()
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const query: string = cursor === null ? '?limit=2' : `?limit=2&cursor=${cursor}`
      const page = await api(b, 'GET', `/acme/groups/${team.body.id}${query}`)
      assert.equal(page.status, 200, JSON.stringify(page.body))
      assert.equal(page.body.membersTotal, 5)
      assert.ok(page.body.members.length <= 2)
      seen.push(...page.body.members.map((m: { id: string }) => m.id))
      cursor = page.body.nextCursor
      pages += 1
    } while (cursor !== null && pages < 10)
    assert.equal(pages, 3)
    assert.deepEqual(seen, ids)
    // The default page holds them all, and a limit above the maximum is refused.
    const whole = await api(b, 'GET', `/acme/groups/${team.body.id}`)
    assert.equal(whole.body.members.length, 5)
    assert.equal(whole.body.nextCursor, null)
    assert.equal((await api(b, 'GET', `/acme/groups/${team.body.id}?limit=201`)).status, 400)

    // A cursor taken from another tenant's group: the page is this group's members only, and
    // another tenant's group stays 404 with any cursor.
    const globex = await b.h.addTenant('globex')
    const globexAdmin = b.newBrowser()
    await b.signInAdmin(globex, globexAdmin)
    const theirs = await api(b, 'POST', '/globex/groups', { displayName: 'Theirs' }, globexAdmin)
    const gina = await b.member(globex, 'gina@globex.com')
    await api(
      b,
      'POST',
      `/globex/groups/${theirs.body.id}/members`,
      { userId: gina.id },
      globexAdmin,
    )
    const theirCursor = await api(
      b,
      'GET',
      `/globex/groups/${theirs.body.id}`,
      undefined,
      globexAdmin,
    )
    assert.deepEqual(
      theirCursor.body.members.map((m: { id: string }) => m.id),
      [gina.id],
    )
    const crossed = await api(b, 'GET', `/acme/groups/${team.body.id}?cursor=${gina.id}`)
    assert.equal(crossed.status, 200)
    assert.equal(crossed.body.membersTotal, 5)
    for (const m of crossed.body.members as { id: string }[]) assert.ok(ids.includes(m.id))
    assert.equal(
      (await api(b, 'GET', `/acme/groups/${theirs.body.id}?cursor=${ids[0]}`)).status,
      404,
    )
    // A cursor from another group of the same tenant: only this group's members.
    const other = await api(b, 'POST', '/acme/groups', { displayName: 'Other' })
    const fromTeam = await api(b, 'GET', `/acme/groups/${other.body.id}?cursor=${ids[0]}`)
    assert.deepEqual(fromTeam.body, {
      ...fromTeam.body,
      members: [],
      membersTotal: 0,
      nextCursor: null,
    })
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
