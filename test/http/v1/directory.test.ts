// The directory API of /api/v1: users and groups paged by cursor and filtered with the SCIM filter
// engine (hostile filters bounded), one user with groups and effective role, members paged; and
// the writes under the console's ownership rules (D8, G4): INTERNAL records change, SCIM ones are
// refused with the reason, roles change for every user, INTERNAL members join SCIM groups.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { buildV1, json, scimGroup, scimUser } from './support.ts'

type Page<T = Record<string, unknown>> = { data: T[]; after: string | null }
const base = '/api/v1/tenants/acme'

describe('/api/v1 directory reads', () => {
  it('pages users by cursor and filters them with SCIM filters', async (t) => {
    const h = await buildV1(t)
    const ids: string[] = []
    for (const name of ['ann', 'bob', 'cat', 'dan', 'eve'])
      ids.push(await scimUser(h, h.acme, `${name}@acme.test`))
    const first = json<Page>(await h.call(h.keys.acmeRead, 'GET', `${base}/users?limit=2`))
    assert.deepEqual(
      first.data.map((u) => u.id),
      ids.slice(0, 2),
    )
    assert.equal(first.data[0]?.object, 'user')
    assert.equal(first.after, ids[1])
    const second = json<Page>(
      await h.call(h.keys.acmeRead, 'GET', `${base}/users?limit=2&after=${first.after}`),
    )
    assert.deepEqual(
      second.data.map((u) => u.id),
      ids.slice(2, 4),
    )
    const last = json<Page>(
      await h.call(h.keys.acmeRead, 'GET', `${base}/users?limit=2&after=${second.after}`),
    )
    assert.deepEqual(last, { data: [last.data[0]], after: null })
    assert.equal(last.data[0]?.id, ids[4])

    const filter = encodeURIComponent('userName sw "b" or emails.value eq "EVE@acme.test"')
    const filtered = json<Page>(
      await h.call(h.keys.acmeRead, 'GET', `${base}/users?filter=${filter}&limit=1`),
    )
    assert.deepEqual(
      filtered.data.map((u) => u.userName),
      ['bob@acme.test'],
    )
    const rest = json<Page>(
      await h.call(
        h.keys.acmeRead,
        'GET',
        `${base}/users?filter=${filter}&after=${filtered.after}`,
      ),
    )
    assert.deepEqual(rest, { data: [rest.data[0]], after: null })
    assert.equal(rest.data[0]?.userName, 'eve@acme.test')
  })

  it('bounds hostile filters and refuses bad ones with 400', async (t) => {
    const h = await buildV1(t)
    const deep = `${'('.repeat(40)}userName pr${')'.repeat(40)}`
    const many = Array.from({ length: 300 }, (_, i) => `userName eq "u${i}"`).join(' or ')
    const long = `userName eq "${'x'.repeat(5000)}"`
    for (const filter of [
      deep,
      many,
      long,
      'userName eq',
      'nosuchattribute eq "x"',
      'active eq "maybe"',
    ]) {
      for (const path of ['users', 'groups']) {
        const res = await h.call(
          h.keys.acmeRead,
          'GET',
          `${base}/${path}?filter=${encodeURIComponent(filter)}`,
        )
        assert.equal(res.statusCode, 400, `${path} ${filter.slice(0, 40)}: ${res.body}`)
        assert.equal(json(res).code, 'invalid_request')
      }
    }
  })

  it('shows a user with their direct groups and effective role, and a group with its members', async (t) => {
    const h = await buildV1(t)
    const ann = await scimUser(h, h.acme, 'ann@acme.test')
    const bob = await scimUser(h, h.acme, 'bob@acme.test')
    const group = await scimGroup(h, h.acme, 'Engineering', [ann, bob])
    const user = json<Record<string, unknown>>(
      await h.call(h.keys.acmeRead, 'GET', `${base}/users/${ann}`),
    )
    assert.equal(user.email, 'ann@acme.test')
    assert.equal(user.origin, 'SCIM')
    assert.equal(user.role, 'Viewer')
    assert.deepEqual(user.groups, [{ id: group, displayName: 'Engineering' }])
    assert.deepEqual(json(await h.call(h.keys.acmeRead, 'GET', `${base}/users/${ann}/groups`)), {
      data: [{ id: group, displayName: 'Engineering' }],
    })
    const shown = json(await h.call(h.keys.acmeRead, 'GET', `${base}/groups/${group}`))
    assert.equal(shown.displayName, 'Engineering')
    assert.equal(shown.object, 'group')
    const page = json<Page>(
      await h.call(h.keys.acmeRead, 'GET', `${base}/groups/${group}/members?limit=1`),
    )
    assert.equal(page.data.length, 1)
    assert.ok(page.after)
    const next = json<Page>(
      await h.call(h.keys.acmeRead, 'GET', `${base}/groups/${group}/members?after=${page.after}`),
    )
    assert.deepEqual(
      [...page.data, ...next.data].map((m) => [m.id, m.type, m.origin]).sort(),
      [ann, bob].sort().map((id) => [id, 'user', 'SCIM']),
    )
    assert.equal(next.after, null)
    const listed = json<Page>(
      await h.call(
        h.keys.acmeRead,
        'GET',
        `${base}/groups?filter=${encodeURIComponent('displayName eq "engineering"')}`,
      ),
    )
    assert.deepEqual(
      listed.data.map((g) => g.id),
      [group],
    )
    assert.equal((await h.call(h.keys.acmeRead, 'GET', `${base}/users/nope`)).statusCode, 404)
    assert.equal(
      (await h.call(h.keys.acmeRead, 'GET', `${base}/groups/nope/members`)).statusCode,
      404,
    )
  })
})

describe('/api/v1 directory writes', () => {
  it('invites, edits, disables and deletes INTERNAL users', async (t) => {
    const h = await buildV1(t)
    const invited = await h.call(h.keys.acmeWrite, 'POST', `${base}/users`, {
      email: 'ivy@acme.test',
      displayName: 'Ivy',
      role: 'Editor',
    })
    assert.equal(invited.statusCode, 201, invited.body)
    const { user, setPasswordUrl } = json<{
      user: Record<string, unknown>
      setPasswordUrl: string
    }>(invited)
    assert.equal(user.origin, 'INTERNAL')
    assert.equal(user.role, 'Editor')
    assert.match(setPasswordUrl, /^https:\/\/rollcall\.test\//)
    const again = await h.call(h.keys.acmeWrite, 'POST', `${base}/users`, {
      email: 'ivy@acme.test',
    })
    assert.equal(again.statusCode, 409)

    const id = String(user.id)
    const edited = await h.call(h.keys.acmeWrite, 'PATCH', `${base}/users/${id}`, {
      givenName: 'Ivy',
      familyName: 'Internal',
      displayName: 'Ivy I.',
      active: false,
      role: 'Admin',
    })
    assert.equal(edited.statusCode, 200, edited.body)
    const after = json(edited)
    assert.deepEqual(
      [after.givenName, after.familyName, after.displayName, after.active, after.role],
      ['Ivy', 'Internal', 'Ivy I.', false, 'Admin'],
    )
    const cleared = json(
      await h.call(h.keys.acmeWrite, 'PATCH', `${base}/users/${id}`, { familyName: null }),
    )
    assert.deepEqual([cleared.givenName, cleared.familyName], ['Ivy', null])
    assert.equal((await h.call(h.keys.acmeWrite, 'DELETE', `${base}/users/${id}`)).statusCode, 204)
    assert.equal((await h.call(h.keys.acmeRead, 'GET', `${base}/users/${id}`)).statusCode, 404)
  })

  it('refuses changes to SCIM users with the reason, but changes their role (D8)', async (t) => {
    const h = await buildV1(t)
    const sam = await scimUser(h, h.acme, 'sam@acme.test')
    for (const [method, body] of [
      ['PATCH', { givenName: 'Changed' }],
      ['PATCH', { active: false }],
      ['DELETE', undefined],
    ] as const) {
      const res = await h.call(h.keys.acmeWrite, method, `${base}/users/${sam}`, body)
      assert.equal(res.statusCode, 409, `${method} ${JSON.stringify(body)}`)
      assert.equal(json(res).code, 'scim_controlled')
      assert.match(String(json(res).detail), /identity provider/)
    }
    const role = await h.call(h.keys.acmeWrite, 'PATCH', `${base}/users/${sam}`, { role: 'Editor' })
    assert.equal(role.statusCode, 200, role.body)
    const now = json(await h.call(h.keys.acmeRead, 'GET', `${base}/users/${sam}`))
    assert.deepEqual([now.role, now.givenName, now.active], ['Editor', 'Sam', true])
  })

  it('creates, renames and deletes INTERNAL groups, refuses that for SCIM groups', async (t) => {
    const h = await buildV1(t)
    const created = await h.call(h.keys.acmeWrite, 'POST', `${base}/groups`, { displayName: 'Ops' })
    assert.equal(created.statusCode, 201)
    const ops = String(json(created).id)
    assert.equal(
      (await h.call(h.keys.acmeWrite, 'POST', `${base}/groups`, { displayName: 'ops' })).statusCode,
      409,
    )
    const renamed = await h.call(h.keys.acmeWrite, 'PATCH', `${base}/groups/${ops}`, {
      displayName: 'Operations',
    })
    assert.equal(json(renamed).displayName, 'Operations')
    const scim = await scimGroup(h, h.acme, 'Engineering')
    const clash = await h.call(h.keys.acmeWrite, 'PATCH', `${base}/groups/${ops}`, {
      displayName: 'ENGINEERING',
    })
    assert.equal(clash.statusCode, 409)
    assert.equal(json(clash).code, 'conflict')
    for (const [method, body] of [
      ['PATCH', { displayName: 'Renamed' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await h.call(h.keys.acmeWrite, method, `${base}/groups/${scim}`, body)
      assert.equal(res.statusCode, 409, method)
      assert.equal(json(res).code, 'scim_controlled')
    }
    assert.equal(
      (await h.call(h.keys.acmeWrite, 'DELETE', `${base}/groups/${ops}`)).statusCode,
      204,
    )
    const left = json<Page>(await h.call(h.keys.acmeRead, 'GET', `${base}/groups`))
    assert.deepEqual(
      left.data.map((g) => g.displayName),
      ['Engineering'],
    )
  })

  it('adds INTERNAL members to SCIM groups and removes them; SCIM members stay (G4)', async (t) => {
    const h = await buildV1(t)
    const sam = await scimUser(h, h.acme, 'sam@acme.test')
    const engineering = await scimGroup(h, h.acme, 'Engineering', [sam])
    const ivy = String(
      json<{ user: { id: string } }>(
        await h.call(h.keys.acmeWrite, 'POST', `${base}/users`, { email: 'ivy@acme.test' }),
      ).user.id,
    )
    const members = `${base}/groups/${engineering}/members`
    assert.equal((await h.call(h.keys.acmeWrite, 'POST', members, { userId: ivy })).statusCode, 204)
    assert.equal((await h.call(h.keys.acmeWrite, 'POST', members, { userId: ivy })).statusCode, 409)
    const listed = json<Page>(await h.call(h.keys.acmeRead, 'GET', members))
    assert.deepEqual(
      listed.data.map((m) => [m.id, m.origin]).sort(),
      [
        [sam, 'SCIM'],
        [ivy, 'INTERNAL'],
      ].sort(),
    )
    const refused = await h.call(h.keys.acmeWrite, 'DELETE', `${members}/${sam}`)
    assert.equal(refused.statusCode, 409)
    assert.equal(json(refused).code, 'scim_controlled')
    assert.equal((await h.call(h.keys.acmeWrite, 'DELETE', `${members}/${ivy}`)).statusCode, 204)
    assert.equal((await h.call(h.keys.acmeWrite, 'DELETE', `${members}/${ivy}`)).statusCode, 404)
    const now = json<Page>(await h.call(h.keys.acmeRead, 'GET', members))
    assert.deepEqual(
      now.data.map((m) => m.id),
      [sam],
    )
  })
})
