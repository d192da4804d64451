// Large groups: a GET of a group with thousands of members (written as a stream above a page of
// them) returns every SCIM member once, in order, with the projection, ETag and content type of
// a small group's GET; PATCH adds and removes of one member on a 20k-member group are exact.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { asGroupId, newUserId, type UserId } from '../../../src/domain/ids.ts'
import { build, type TestApp } from '../../helper.ts'
import { createGroup, expectScim, GROUP, PATCH } from '../../support/scim.ts'

/** `n` SCIM users made in one store transaction; their ids in id (creation) order. */
async function createUsers(h: TestApp, n: number, prefix: string): Promise<UserId[]> {
  const at = new Date().toISOString()
  return h.store.transaction(async (store) => {
    const tenant = store.forTenant(h.acme.tenant.id)
    const ids: UserId[] = []
    for (let i = 0; i < n; i++) {
      const id = newUserId()
      const userName = `${prefix}${i}@example.com`
      await tenant.users.insertIdentity(id, userName, at)
      const doc = { userName, active: true }
      const write = { userName, externalId: null, displayName: null, active: true, doc, emails: [] }
      await tenant.users.insert(id, write, { origin: 'SCIM', role: 'Viewer' }, at)
      ids.push(id)
    }
    return ids
  })
}

async function addMembers(
  h: TestApp,
  groupId: string,
  ids: readonly UserId[],
  origin: 'SCIM' | 'INTERNAL',
) {
  await h.store.transaction((store) =>
    store.forTenant(h.acme.tenant.id).members.upsert(
      asGroupId(groupId),
      ids.map((id) => ({ id, type: 'User' as const })),
      origin,
      new Date().toISOString(),
    ),
  )
}

const get = (h: TestApp, path: string) => h.scim(h.acme, 'GET', path)

describe('GET of a large group', () => {
  it('returns all its SCIM members in order, with the projection, ETag and type of any GET', async (t) => {
    const h = await build(t)
    const ids = await createUsers(h, 4500, 'm')
    const group = await createGroup(h, { schemas: [GROUP], displayName: 'Everyone' })
    await addMembers(h, group.id, ids.slice(0, 4498), 'SCIM')
    // G5: INTERNAL members are the console's, not SCIM's.
    await addMembers(h, group.id, ids.slice(4498), 'INTERNAL')

    const res = await get(h, `/Groups/${group.id}`)
    const body = expectScim(res, 200, 'GET large group')
    const small = expectScim(await get(h, `/Groups/${group.id}?excludedAttributes=members`), 200)
    assert.equal(res.headers.etag, small.meta.version)
    assert.deepEqual({ ...body, members: undefined }, { ...small, members: undefined })
    assert.deepEqual(Object.keys(body), ['schemas', 'id', 'displayName', 'members', 'meta'])
    const baseUrl = String(small.meta.location).replace(/\/Groups\/[^/]+$/, '')
    assert.deepEqual(
      body.members,
      ids.slice(0, 4498).map((id, i) => ({
        value: id,
        $ref: `${baseUrl}/Users/${id}`,
        display: `m${i}@example.com`,
        type: 'User',
      })),
    )

    const values = expectScim(await get(h, `/Groups/${group.id}?attributes=members.value`), 200)
    assert.deepEqual(Object.keys(values).sort(), ['id', 'members', 'schemas'])
    assert.deepEqual(
      values.members,
      ids.slice(0, 4498).map((id) => ({ value: id })),
    )
    const noDisplay = expectScim(
      await get(h, `/Groups/${group.id}?excludedAttributes=members.display`),
      200,
    )
    assert.deepEqual(
      noDisplay.members.map((m: object) => Object.keys(m)),
      ids.slice(0, 4498).map(() => ['value', '$ref', 'type']),
    )
  })
})

describe('PATCH of one member on a 20k-member group', () => {
  it('adds and removes exactly that member and moves the version', async (t) => {
    const h = await build(t)
    const ids = await createUsers(h, 20_001, 'p')
    const group = await createGroup(h, { schemas: [GROUP], displayName: 'Big' })
    await addMembers(h, group.id, ids.slice(0, 20_000), 'SCIM')
    const newcomer = ids[20_000]
    const leaver = ids[1234]
    assert.ok(newcomer && leaver)
    const patch = (operations: unknown[]) =>
      h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, { schemas: [PATCH], Operations: operations })
    const before = expectScim(await get(h, `/Groups/${group.id}?excludedAttributes=members`), 200)

    assert.equal(
      (await patch([{ op: 'add', path: 'members', value: [{ value: newcomer }] }])).statusCode,
      204,
    )
    assert.equal(
      (await patch([{ op: 'remove', path: `members[value eq "${leaver}"]` }])).statusCode,
      204,
    )
    const after = expectScim(await get(h, `/Groups/${group.id}`), 200)
    const expected = ids.filter((id) => id !== leaver)
    assert.deepEqual(
      after.members.map((m: { value: string }) => m.value),
      expected,
    )
    assert.notEqual(after.meta.version, before.meta.version)
    const events = await h.store.forTenant(h.acme.tenant.id).events.after({ after: 0, limit: 1000 })
    const memberEvents = events
      .filter((e) => e.type.startsWith('group.member_'))
      .map((e) => {
        const { data } = JSON.parse(e.body) as { data: { member: { id: string } } }
        return [e.type, data.member.id]
      })
    assert.deepEqual(memberEvents, [
      ['group.member_added', newcomer],
      ['group.member_removed', leaver],
    ])
  })
})
