// The ownership rules of SPEC §1 exercised through SCIM: D4, D5, D6, D2, G2–G5, and tenant
// isolation (SPEC §2).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { addInternalUser, createInternalGroup, showGroup } from '../../../src/directory/internal.ts'
import { build } from '../../helper.ts'

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'

function userBody(userName: string, extra: Record<string, unknown> = {}) {
  return { schemas: [USER], userName, active: true, ...extra }
}

describe('SCIM directory rules', () => {
  it('gives a SCIM-created user the default role Viewer and origin SCIM (D4)', async (t) => {
    const h = await build(t)
    const res = await h.scim(h.acme, 'POST', '/Users', userBody('ann@example.com'))
    assert.equal(res.statusCode, 201)
    const user = await h.store.forTenant(h.acme.tenant.id).users.get(res.json().id)
    assert.equal(user?.role, 'Viewer')
    assert.equal(user?.origin, 'SCIM')
  })

  it('converts an INTERNAL member with the same email, keeping the id and role (D5)', async (t) => {
    const h = await build(t)
    const internal = await addInternalUser(h.store, h.acme.tenant, {
      email: 'Bob@Example.com',
      role: 'Editor',
    })
    const res = await h.scim(
      h.acme,
      'POST',
      '/Users',
      userBody('bob@example.COM', { displayName: 'Bob' }),
    )
    assert.equal(res.statusCode, 201)
    assert.equal(res.json().id, internal.id)
    const user = await h.store.forTenant(h.acme.tenant.id).users.get(internal.id)
    assert.equal(user?.origin, 'SCIM')
    assert.equal(user?.role, 'Editor')
    assert.equal(user?.displayName, 'Bob')
    const all = await h.store
      .forTenant(h.acme.tenant.id)
      .users.list({ sortOrder: 'ascending', startIndex: 1, count: 10 })
    assert.equal(all.totalResults, 1, 'no duplicate is created')
  })

  it('converts an INTERNAL member on the first SCIM PATCH as well (D5 "first writes")', async (t) => {
    const h = await build(t)
    const internal = await addInternalUser(h.store, h.acme.tenant, { email: 'carl@example.com' })
    const found = await h.scim(
      h.acme,
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "CARL@example.com"')}`,
    )
    assert.equal(found.json().totalResults, 1)
    const res = await h.scim(h.acme, 'PATCH', `/Users/${internal.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'displayName', value: 'Carl' }],
    })
    assert.equal(res.statusCode, 200)
    const user = await h.store.forTenant(h.acme.tenant.id).users.get(internal.id)
    assert.equal(user?.origin, 'SCIM')
  })

  it('refuses a user who is a member of another tenant with 409 uniqueness and an actionable detail, naming no tenant (D6)', async (t) => {
    const h = await build(t)
    const globex = await h.addTenant('globex')
    await addInternalUser(h.store, globex.tenant, { email: 'dana@example.com' })
    const res = await h.scim(h.acme, 'POST', '/Users', userBody('dana@example.com'))
    assert.equal(res.statusCode, 409)
    const body = res.json()
    assert.equal(body.scimType, 'uniqueness')
    assert.equal(body.status, '409')
    assert.match(body.detail, /login URL/)
    assert.doesNotMatch(body.detail, /globex/i)
    assert.doesNotMatch(body.detail, new RegExp(globex.tenant.id))
    const list = await h.store
      .forTenant(h.acme.tenant.id)
      .users.list({ sortOrder: 'ascending', startIndex: 1, count: 10 })
    assert.equal(list.totalResults, 0, 'nothing is written')
  })

  it("keeps a SCIM user in exactly one tenant: another tenant's SCIM create gets 409 (D2)", async (t) => {
    const h = await build(t)
    const globex = await h.addTenant('globex')
    assert.equal(
      (await h.scim(h.acme, 'POST', '/Users', userBody('erin@example.com'))).statusCode,
      201,
    )
    const res = await h.scim(globex, 'POST', '/Users', userBody('erin@example.com'))
    assert.equal(res.statusCode, 409)
    assert.equal(res.json().scimType, 'uniqueness')
  })

  it('answers a second create of the same userName with 409, case-insensitively', async (t) => {
    const h = await build(t)
    assert.equal(
      (await h.scim(h.acme, 'POST', '/Users', userBody('fay@example.com'))).statusCode,
      201,
    )
    const res = await h.scim(h.acme, 'POST', '/Users', userBody('FAY@example.com'))
    assert.equal(res.statusCode, 409)
    assert.equal(res.json().scimType, 'uniqueness')
  })

  it('accepts a userName that is not an email, unique per tenant, and flags it in the provisioning log (D1)', async (t) => {
    const h = await build(t)
    const globex = await h.addTenant('globex')
    assert.equal((await h.scim(h.acme, 'POST', '/Users', userBody('jdoe'))).statusCode, 201)
    assert.equal((await h.scim(globex, 'POST', '/Users', userBody('jdoe'))).statusCode, 201)
    assert.equal((await h.scim(h.acme, 'POST', '/Users', userBody('JDOE'))).statusCode, 409)
    await h.log.flush()
    const entries = await h.store.forTenant(h.acme.tenant.id).provisioningLog.list({ limit: 10 })
    const created = entries.find((e) => e.status === 201)
    assert.match(created?.detail ?? '', /not an email address/)
  })

  it('converts an INTERNAL group of the same name, keeping its id and INTERNAL members (G2)', async (t) => {
    const h = await build(t)
    await addInternalUser(h.store, h.acme.tenant, { email: 'gil@example.com' })
    const internal = await createInternalGroup(h.store, h.acme.tenant, {
      name: 'Sales',
      memberEmails: ['gil@example.com'],
    })
    const res = await h.scim(h.acme, 'POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'SALES',
      externalId: 'e1',
    })
    assert.equal(res.statusCode, 201)
    assert.equal(res.json().id, internal.id)
    assert.deepEqual(res.json().members ?? [], [], 'SCIM sees only SCIM members (G5)')
    const shown = await showGroup(h.store, h.acme.tenant, 'Sales')
    assert.equal(shown.group.origin, 'SCIM')
    assert.deepEqual(
      shown.members.map((m) => m.origin),
      ['INTERNAL'],
    )
  })

  it('marks SCIM-added members SCIM and converts an existing INTERNAL membership (G3)', async (t) => {
    const h = await build(t)
    const hal = await addInternalUser(h.store, h.acme.tenant, { email: 'hal@example.com' })
    await createInternalGroup(h.store, h.acme.tenant, {
      name: 'Ops',
      memberEmails: ['hal@example.com'],
    })
    const ivy = (await h.scim(h.acme, 'POST', '/Users', userBody('ivy@example.com'))).json()
    const group = (
      await h.scim(h.acme, 'POST', '/Groups', { schemas: [GROUP], displayName: 'Ops' })
    ).json()
    const res = await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Add', path: 'members', value: [{ value: hal.id }, { value: ivy.id }] }],
    })
    assert.equal(res.statusCode, 204)
    const shown = await showGroup(h.store, h.acme.tenant, 'Ops')
    assert.deepEqual(
      shown.members.map((m) => [m.memberId, m.origin]).sort(),
      [
        [hal.id, 'SCIM'],
        [ivy.id, 'SCIM'],
      ].sort(),
    )
  })

  it('never removes INTERNAL members through SCIM remove or replace (G4, G5)', async (t) => {
    const h = await build(t)
    const jan = await addInternalUser(h.store, h.acme.tenant, { email: 'jan@example.com' })
    await createInternalGroup(h.store, h.acme.tenant, {
      name: 'Eng',
      memberEmails: ['jan@example.com'],
    })
    const kim = (await h.scim(h.acme, 'POST', '/Users', userBody('kim@example.com'))).json()
    const group = (
      await h.scim(h.acme, 'POST', '/Groups', { schemas: [GROUP], displayName: 'Eng' })
    ).json()
    const patch = (ops: unknown[]) =>
      h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, { schemas: [PATCH], Operations: ops })
    assert.equal(
      (await patch([{ op: 'add', path: 'members', value: [{ value: kim.id }] }])).statusCode,
      204,
    )
    // Remove the INTERNAL member by value, remove all, replace with an empty set: jan stays.
    assert.equal(
      (await patch([{ op: 'remove', path: `members[value eq "${jan.id}"]` }])).statusCode,
      204,
    )
    assert.equal((await patch([{ op: 'remove', path: 'members' }])).statusCode, 204)
    assert.equal((await patch([{ op: 'replace', path: 'members', value: [] }])).statusCode, 204)
    const shown = await showGroup(h.store, h.acme.tenant, 'Eng')
    assert.deepEqual(
      shown.members.map((m) => [m.memberId, m.origin]),
      [[jan.id, 'INTERNAL']],
    )
  })

  it('removes a deleted user from the tenant and from its groups (D9)', async (t) => {
    const h = await build(t)
    const lee = (await h.scim(h.acme, 'POST', '/Users', userBody('lee@example.com'))).json()
    const group = (
      await h.scim(h.acme, 'POST', '/Groups', {
        schemas: [GROUP],
        displayName: 'G',
        members: [{ value: lee.id }],
      })
    ).json()
    assert.equal(group.members.length, 1)
    assert.equal((await h.scim(h.acme, 'DELETE', `/Users/${lee.id}`)).statusCode, 204)
    assert.equal((await h.scim(h.acme, 'GET', `/Users/${lee.id}`)).statusCode, 404)
    assert.deepEqual((await h.scim(h.acme, 'GET', `/Groups/${group.id}`)).json().members, [])
    // The userName is free again at once (interop profile §6.6).
    assert.equal(
      (await h.scim(h.acme, 'POST', '/Users', userBody('lee@example.com'))).statusCode,
      201,
    )
  })

  it('deactivates with active=false but keeps the user readable and listable (D9)', async (t) => {
    const h = await build(t)
    const mo = (await h.scim(h.acme, 'POST', '/Users', userBody('mo@example.com'))).json()
    const res = await h.scim(h.acme, 'PATCH', `/Users/${mo.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    })
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().active, false)
    assert.equal((await h.scim(h.acme, 'GET', `/Users/${mo.id}`)).json().active, false)
    const list = await h.scim(
      h.acme,
      'GET',
      `/Users?filter=${encodeURIComponent('active eq false')}`,
    )
    assert.equal(list.json().totalResults, 1)
  })
})

describe('tenant isolation', () => {
  it('answers 404 for an id of another tenant, on every verb', async (t) => {
    const h = await build(t)
    const globex = await h.addTenant('globex')
    const user = (await h.scim(h.acme, 'POST', '/Users', userBody('nia@example.com'))).json()
    const group = (
      await h.scim(h.acme, 'POST', '/Groups', { schemas: [GROUP], displayName: 'Secret' })
    ).json()
    for (const [method, path, body] of [
      ['GET', `/Users/${user.id}`, undefined],
      ['PUT', `/Users/${user.id}`, userBody('nia@example.com')],
      [
        'PATCH',
        `/Users/${user.id}`,
        { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'x' }] },
      ],
      ['DELETE', `/Users/${user.id}`, undefined],
      ['GET', `/Groups/${group.id}`, undefined],
      [
        'PATCH',
        `/Groups/${group.id}`,
        {
          schemas: [PATCH],
          Operations: [{ op: 'add', path: 'members', value: [{ value: user.id }] }],
        },
      ],
      ['DELETE', `/Groups/${group.id}`, undefined],
    ] as const) {
      const res = await h.scim(globex, method, path, body)
      assert.equal(res.statusCode, 404, `${method} ${path}`)
      assert.equal(res.json().status, '404')
    }
    const lists = await h.scim(globex, 'GET', '/Users')
    assert.equal(lists.json().totalResults, 0)
    assert.equal((await h.scim(h.acme, 'GET', `/Users/${user.id}`)).statusCode, 200)
  })

  it('refuses to add a member of another tenant to a group', async (t) => {
    const h = await build(t)
    const globex = await h.addTenant('globex')
    const outsider = (await h.scim(globex, 'POST', '/Users', userBody('oz@example.com'))).json()
    const group = (
      await h.scim(h.acme, 'POST', '/Groups', { schemas: [GROUP], displayName: 'Team' })
    ).json()
    const res = await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'add', path: 'members', value: [{ value: outsider.id }] }],
    })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().scimType, 'invalidValue')
  })

  it('answers 401 to a token of another tenant, naming the fix', async (t) => {
    const h = await build(t)
    const globex = await h.addTenant('globex')
    const res = await h.app.inject({
      method: 'GET',
      url: `${h.acme.base}/Users`,
      headers: { authorization: `Bearer ${globex.token}` },
    })
    assert.equal(res.statusCode, 401)
    assert.match(res.headers['content-type'] as string, /application\/scim\+json/)
    assert.match(res.json().detail, /Secret Token/)
  })
})
