// Group → role rules through the admin API (SPEC §5 Roles, D4): rules given to members as SCIM
// adds and removes them through the real SCIM endpoint, the role shown with its source, the own
// role of an admin kept when higher, and only the tenant's own Admin may see or change rules.
import assert from 'node:assert/strict'
import { describe, it, type TestContext } from 'node:test'
import type { Browser } from '../../support/browser.ts'
import { GROUP, PATCH, USER } from '../../support/scim.ts'
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

async function scimUser(b: SsoBench, userName: string): Promise<string> {
  const res = await b.h.scim(b.h.acme, 'POST', '/Users', {
    schemas: [USER],
    userName,
    active: true,
  })
  assert.equal(res.statusCode, 201, res.body)
  return res.json().id
}

async function scimGroup(b: SsoBench, displayName: string, members: string[] = []) {
  const res = await b.h.scim(b.h.acme, 'POST', '/Groups', {
    schemas: [GROUP],
    displayName,
    members: members.map((value) => ({ value })),
  })
  assert.equal(res.statusCode, 201, res.body)
  return res.json().id as string
}

const patchMembers = (op: 'add' | 'remove', ids: string[]) => ({
  schemas: [PATCH],
  Operations: [
    op === 'add'
      ? { op: 'add', path: 'members', value: ids.map((value) => ({ value })) }
      : { op: 'remove', path: `members[value eq "${ids[0]}"]` },
  ],
})

describe('role rules API', () => {
  it('maps a group to Editor and shows the role of its members, via the group', async (t) => {
    const b = await bench(t)
    const ann = await scimUser(b, 'ann@contoso.com')
    const eng = await scimGroup(b, 'Engineering', [ann])

    const before = await api(b, 'GET', `/acme/users/${ann}/role`)
    assert.equal(before.status, 200)
    assert.equal(before.body.role, 'Viewer')
    assert.equal(before.body.description, 'Viewer, the default role')

    const created = await api(b, 'POST', '/acme/role-rules', { groupId: eng, role: 'Editor' })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    assert.deepEqual(
      { ...created.body, createdAt: undefined },
      {
        groupId: eng,
        groupName: 'Engineering',
        groupOrigin: 'SCIM',
        role: 'Editor',
        memberCount: 1,
        createdAt: undefined,
      },
    )
    const role = await api(b, 'GET', `/acme/users/${ann}/role`)
    assert.deepEqual(role.body, {
      userId: ann,
      role: 'Editor',
      assignedRole: 'Viewer',
      source: { kind: 'group', groupId: eng, groupName: 'Engineering' },
      description: 'Editor, via group Engineering',
    })
    const lookup = await api(b, 'GET', '/acme/role-lookup?userName=ANN%40contoso.com')
    assert.equal(lookup.status, 200)
    assert.equal(lookup.body.description, 'Editor, via group Engineering')
    assert.equal(lookup.body.userId, ann)

    const listed = await api(b, 'GET', '/acme/role-rules')
    assert.deepEqual(
      listed.body.map((r: { groupName: string; role: string }) => [r.groupName, r.role]),
      [['Engineering', 'Editor']],
    )
    const picker = await api(b, 'GET', '/acme/role-rules/groups?search=engin')
    assert.deepEqual(picker.body, [{ id: eng, displayName: 'Engineering', origin: 'SCIM' }])

    assert.equal((await api(b, 'DELETE', `/acme/role-rules/${eng}`)).status, 204)
    assert.equal((await api(b, 'GET', `/acme/users/${ann}/role`)).body.role, 'Viewer')
    assert.equal((await api(b, 'DELETE', `/acme/role-rules/${eng}`)).status, 404)
  })

  it('applies the rule as SCIM adds and removes members, and when SCIM deletes the group', async (t) => {
    const b = await bench(t)
    const ann = await scimUser(b, 'ann@contoso.com')
    const bob = await scimUser(b, 'bob@contoso.com')
    const eng = await scimGroup(b, 'Engineering')
    const ops = await scimGroup(b, 'Ops')
    await api(b, 'POST', '/acme/role-rules', { groupId: eng, role: 'Editor' })
    await api(b, 'POST', '/acme/role-rules', { groupId: ops, role: 'Admin' })
    const tenant = b.h.store.forTenant(b.h.acme.tenant.id)
    const roleOf = async (id: string) =>
      (await tenant.users.get(id as Parameters<typeof tenant.users.get>[0]))?.role

    let res = await b.h.scim(b.h.acme, 'PATCH', `/Groups/${eng}`, patchMembers('add', [ann, bob]))
    assert.ok(res.statusCode < 300, res.body)
    assert.equal(await roleOf(ann), 'Editor')
    assert.equal(await roleOf(bob), 'Editor')
    res = await b.h.scim(b.h.acme, 'PATCH', `/Groups/${ops}`, patchMembers('add', [ann]))
    assert.ok(res.statusCode < 300, res.body)
    assert.equal(await roleOf(ann), 'Admin', 'the highest rule wins')
    assert.equal(
      (await api(b, 'GET', `/acme/users/${ann}/role`)).body.description,
      'Admin, via group Ops',
    )

    res = await b.h.scim(b.h.acme, 'PATCH', `/Groups/${ops}`, patchMembers('remove', [ann]))
    assert.ok(res.statusCode < 300, res.body)
    assert.equal(await roleOf(ann), 'Editor')
    // A PUT replacing the members drops ann from Engineering.
    res = await b.h.scim(b.h.acme, 'PUT', `/Groups/${eng}`, {
      schemas: [GROUP],
      displayName: 'Engineering',
      members: [{ value: bob }],
    })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(await roleOf(ann), 'Viewer')
    assert.equal(await roleOf(bob), 'Editor')
    res = await b.h.scim(b.h.acme, 'DELETE', `/Groups/${eng}`)
    assert.equal(res.statusCode, 204)
    assert.equal(await roleOf(bob), 'Viewer')
    assert.deepEqual(
      (await api(b, 'GET', '/acme/role-rules')).body.map((r: { groupName: string }) => r.groupName),
      ['Ops'],
    )
  })

  it("keeps an Admin's own higher role in a group mapped to a lower one", async (t) => {
    const b = await bench(t)
    const boss = await b.member(b.h.acme, 'boss@contoso.com', { role: 'Admin' })
    const all = await scimGroup(b, 'All staff', [boss.id])
    await api(b, 'POST', '/acme/role-rules', { groupId: all, role: 'Viewer' })
    const role = await api(b, 'GET', `/acme/users/${boss.id}/role`)
    assert.equal(role.body.role, 'Admin')
    assert.equal(role.body.description, 'Admin, set by an admin')
  })

  it('refuses a second rule for a group, an unknown role, and unknown ids with a detail', async (t) => {
    const b = await bench(t)
    const eng = await scimGroup(b, 'Engineering')
    await api(b, 'POST', '/acme/role-rules', { groupId: eng, role: 'Editor' })
    const again = await api(b, 'POST', '/acme/role-rules', { groupId: eng, role: 'Admin' })
    assert.equal(again.status, 409)
    assert.match(again.body.detail, /already gives the role Editor/)
    const bad = await api(b, 'POST', '/acme/role-rules', { groupId: eng, role: 'Owner' })
    assert.equal(bad.status, 400)
    const missing = await api(b, 'POST', '/acme/role-rules', { groupId: 'nope', role: 'Editor' })
    assert.equal(missing.status, 404)
    assert.equal((await api(b, 'GET', '/acme/users/nope/role')).status, 404)
    assert.equal((await api(b, 'GET', '/acme/role-lookup?userName=x%40y.com')).status, 404)
  })

  it("keeps every tenant's rules to its own Admin: 404 for another tenant's ids, 403 for a Viewer", async (t) => {
    const b = await bench(t)
    const ann = await scimUser(b, 'ann@contoso.com')
    const eng = await scimGroup(b, 'Engineering', [ann])
    await api(b, 'POST', '/acme/role-rules', { groupId: eng, role: 'Editor' })

    const globex = await b.h.addTenant('globex')
    const globexAdmin = b.newBrowser()
    await b.signInAdmin(globex, globexAdmin)
    // In its own tenant, acme's ids do not exist.
    assert.equal((await api(b, 'GET', '/globex/role-rules', undefined, globexAdmin)).body.length, 0)
    for (const [method, path, body] of [
      ['POST', '/globex/role-rules', { groupId: eng, role: 'Admin' }],
      ['DELETE', `/globex/role-rules/${eng}`, undefined],
      ['GET', `/globex/users/${ann}/role`, undefined],
      ['GET', '/globex/role-lookup?userName=ann%40contoso.com', undefined],
    ] as const) {
      const res = await api(b, method, path, body, globexAdmin)
      assert.equal(res.status, 404, `${method} ${path}`)
    }
    assert.deepEqual(
      (await api(b, 'GET', '/globex/role-rules/groups', undefined, globexAdmin)).body,
      [],
    )
    // acme's URLs with globex's session.
    assert.equal((await api(b, 'GET', '/acme/role-rules', undefined, globexAdmin)).status, 403)
    assert.equal((await api(b, 'GET', '/acme/role-rules', undefined, b.newBrowser())).status, 401)

    const viewer = b.newBrowser()
    const member = await b.signInAdmin(b.h.acme, viewer, 'viewer@contoso.com')
    await b.h.store
      .forTenant(b.h.acme.tenant.id)
      .users.setRole(member.id, 'Viewer', new Date().toISOString())
    assert.equal((await api(b, 'GET', '/acme/role-rules', undefined, viewer)).status, 403)
    assert.equal(
      (await api(b, 'POST', '/acme/role-rules', { groupId: eng, role: 'Admin' }, viewer)).status,
      403,
    )
    assert.equal((await api(b, 'DELETE', `/acme/role-rules/${eng}`, undefined, viewer)).status, 403)
    assert.equal((await api(b, 'GET', '/acme/role-rules')).body.length, 1)
  })

  it('promotes a member to Admin of the console through a rule, and demotes them when it goes', async (t) => {
    const b = await bench(t)
    const browser = b.newBrowser()
    const person = await b.signInAdmin(b.h.acme, browser, 'pat@contoso.com')
    const tenant = b.h.store.forTenant(b.h.acme.tenant.id)
    await tenant.users.setRole(person.id, 'Viewer', new Date().toISOString())
    assert.equal((await api(b, 'GET', '/acme/role-rules', undefined, browser)).status, 403)
    const ops = await scimGroup(b, 'Ops', [person.id])
    await api(b, 'POST', '/acme/role-rules', { groupId: ops, role: 'Admin' })
    assert.equal((await api(b, 'GET', '/acme/role-rules', undefined, browser)).status, 200)
    await api(b, 'DELETE', `/acme/role-rules/${ops}`)
    assert.equal((await api(b, 'GET', '/acme/role-rules', undefined, browser)).status, 403)
  })
})
