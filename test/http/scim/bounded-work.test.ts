// Bounded work per request (issue #7 part 4): operations per PATCH, attribute lists, JSON nesting,
// startIndex/count past 2^53, and users with thousands of emails, each refused with a SCIM 400 or
// carried out in full, never a 500 nor a half-written resource.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { newUserId, type UserId } from '../../../src/domain/ids.ts'
import { build, type TestApp } from '../../helper.ts'
import {
  createGroup,
  createUser,
  expectScim,
  getGroup,
  getUser,
  GROUP,
  PATCH,
  USER,
  userBody,
  type Json,
} from '../../support/scim.ts'

const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest'
const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest'

const patchBody = (operations: unknown[]) => ({ schemas: [PATCH], Operations: operations })
const nickNames = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ op: 'replace', path: 'nickName', value: `n${i}` }))
const aliases = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ value: `alias${from + i}@example.com`, type: 'other' }))

/** Creates `n` SCIM users in one store transaction (not one request each); returns their ids. */
async function createUsers(h: TestApp, n: number): Promise<UserId[]> {
  const at = new Date().toISOString()
  return h.store.transaction(async (store) => {
    const tenant = store.forTenant(h.acme.tenant.id)
    const ids: UserId[] = []
    for (let i = 0; i < n; i++) {
      const id = newUserId()
      const userName = `member${i}@example.com`
      await tenant.users.insertIdentity(id, userName, at)
      const doc = { userName, active: true }
      const write = { userName, externalId: null, displayName: null, active: true, doc, emails: [] }
      await tenant.users.insert(id, write, { origin: 'SCIM', role: 'Viewer' }, at)
      ids.push(id)
    }
    return ids
  })
}

function expectError(
  res: Parameters<typeof expectScim>[0],
  scimType: string,
  pattern: RegExp,
  label = '',
) {
  const body = expectScim(res, 400, label)
  assert.equal(body.scimType, scimType, `${label}: ${body.detail}`)
  assert.match(body.detail, pattern, label)
}

describe('PATCH operations per request (SCIM_MAX_PATCH_OPERATIONS)', () => {
  it('refuses 1,001 operations by default with 400 invalidValue naming the limit, and changes nothing', async (t) => {
    const h = await build(t)
    const user = await createUser(h, userBody('cap@example.com'))
    const res = await h.scim(h.acme, 'PATCH', `/Users/${user.id}`, patchBody(nickNames(1001)))
    expectError(res, 'invalidValue', /1001 operations; at most 1000 .*SCIM_MAX_PATCH_OPERATIONS/)
    const after = await getUser(h, user.id)
    assert.equal(after.nickName, undefined)
    assert.equal(after.meta.version, user.meta.version)
  })

  it('takes the limit from the setting, for a PATCH alone and inside /Bulk', async (t) => {
    const h = await build(t, { SCIM_MAX_PATCH_OPERATIONS: '3' })
    const user = await createUser(h, userBody('three@example.com'))
    const ok = await h.scim(h.acme, 'PATCH', `/Users/${user.id}`, patchBody(nickNames(3)))
    assert.equal(expectScim(ok, 200).nickName, 'n2')
    const group = await createGroup(h, { schemas: [GROUP], displayName: 'Capped' })
    const refused = await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, {
      schemas: [PATCH],
      operations: Array(4).fill({ op: 'replace', path: 'displayName', value: 'Renamed' }),
    })
    expectError(refused, 'invalidValue', /4 operations; at most 3 /)
    const bulk = await h.scim(h.acme, 'POST', '/Bulk', {
      schemas: [BULK_REQUEST],
      Operations: [
        { method: 'PATCH', path: `/Users/${user.id}`, data: patchBody(nickNames(4)) },
        {
          method: 'PATCH',
          path: `/Groups/${group.id}`,
          data: patchBody(
            nickNames(0).concat({ op: 'replace', path: 'displayName', value: 'Fine' }),
          ),
        },
      ],
    })
    const [tooMany, fine] = expectScim(bulk, 200).Operations as Json[]
    assert.equal(tooMany.status, '400')
    assert.equal(tooMany.response.scimType, 'invalidValue')
    assert.match(tooMany.response.detail, /SCIM_MAX_PATCH_OPERATIONS/)
    assert.equal(fine.status, '204')
    assert.equal((await getUser(h, user.id)).nickName, 'n2')
    assert.equal((await getGroup(h, group.id)).displayName, 'Fine')
    // Not an RFC 7643 §5 attribute: ServiceProviderConfig does not advertise it.
    const config = await h.scim(h.acme, 'GET', '/ServiceProviderConfig')
    assert.doesNotMatch(config.body, /maxPatchOperations|maxOperationsPerPatch/i)
  })
})

describe('many operations in one PATCH', () => {
  it('adds 1,000 members with one operation each, and reads every one back', async (t) => {
    const h = await build(t)
    const ids = await createUsers(h, 1000)
    const group = await createGroup(h, { schemas: [GROUP], displayName: 'Everyone' })
    const operations = ids.map((id) => ({ op: 'add', path: 'members', value: [{ value: id }] }))
    const res = await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, patchBody(operations))
    expectScim(res, 204, 'PATCH 1,000 member adds')
    const members = (await getGroup(h, group.id)).members as Json[]
    assert.deepEqual(members.map((m) => m.value).sort(), [...ids].sort())
  })

  it('adds 1,000 emails with one operation each, skipping the ones already there', async (t) => {
    const h = await build(t)
    const user = await createUser(h, userBody('mail@example.com'))
    const operations = [...aliases(999), ...aliases(1, 500)].map((email) => ({
      op: 'add',
      path: 'emails',
      value: [email],
    }))
    const res = await h.scim(h.acme, 'PATCH', `/Users/${user.id}`, patchBody(operations))
    assert.equal(expectScim(res, 200).emails.length, 1000)
    const emails = (await getUser(h, user.id)).emails as Json[]
    assert.equal(emails.length, 1000)
    assert.deepEqual(emails[999], { value: 'alias998@example.com', type: 'other' })
  })
})

describe('filters over many values in one PATCH', () => {
  it("removes 1,000 of a user's 5,000 emails by [value eq …], one operation each", async (t) => {
    const h = await build(t)
    const user = await createUser(h, userBody('big@example.com', { emails: aliases(5000) }))
    const operations = Array.from({ length: 1000 }, (_, i) => ({
      op: 'remove',
      path: `emails[value eq "alias${i * 5}@example.com"]`,
    }))
    const res = await h.scim(h.acme, 'PATCH', `/Users/${user.id}`, patchBody(operations))
    const emails = expectScim(res, 200).emails as Json[]
    assert.equal(emails.length, 4000)
    assert.deepEqual(emails.slice(0, 2), aliases(2, 1))
  })

  it('refuses member filters that would test more than 200,000 members, and removes nothing', async (t) => {
    const h = await build(t)
    const ids = await createUsers(h, 1000)
    const group = await createGroup(h, {
      schemas: [GROUP],
      displayName: 'Big',
      members: ids.map((value) => ({ value })),
    })
    const byType = (type: string) => ({ op: 'remove', path: `members[type eq "${type}"]` })
    const refused = await h.scim(
      h.acme,
      'PATCH',
      `/Groups/${group.id}`,
      patchBody(Array(201).fill(byType('Group'))),
    )
    expectError(
      refused,
      'invalidValue',
      /tests more than 200000 members against filters \(the group has 1000\)/,
    )
    assert.equal((await getGroup(h, group.id)).members.length, 1000)
    const ok = await h.scim(
      h.acme,
      'PATCH',
      `/Groups/${group.id}`,
      patchBody([byType('Group'), byType('User')]),
    )
    expectScim(ok, 204)
    assert.deepEqual((await getGroup(h, group.id)).members ?? [], [])
  })
})

describe('attributes and excludedAttributes bounds', () => {
  it('refuses more than 100 attribute paths or 8192 characters with 400 invalidValue', async (t) => {
    const h = await build(t)
    const user = await createUser(h, userBody('few@example.com'))
    const hundred = Array(100).fill('userName').join(',')
    const ok = await h.scim(h.acme, 'GET', `/Users/${user.id}?attributes=${hundred}`)
    assert.deepEqual(Object.keys(expectScim(ok, 200)).sort(), ['id', 'schemas', 'userName'])
    const tooMany = await h.scim(h.acme, 'GET', `/Users?attributes=${hundred},displayName`)
    expectError(tooMany, 'invalidValue', /attributes names 101 attribute paths; at most 100/)
    const long = await h.scim(
      h.acme,
      'GET',
      `/Users/${user.id}?excludedAttributes=${'x'.repeat(9000)}`,
    )
    expectError(long, 'invalidValue', /excludedAttributes is 9000 characters long; at most 8192/)
    const search = await h.scim(h.acme, 'POST', '/Users/.search', {
      schemas: [SEARCH],
      excludedAttributes: Array(101).fill('emails'),
    })
    expectError(search, 'invalidValue', /excludedAttributes names 101 attribute paths/)
  })
})

describe('JSON nesting depth (SCIM_MAX_JSON_DEPTH)', () => {
  it('refuses a 100,000-deep body with 400 invalidSyntax before parsing it', async (t) => {
    const h = await build(t)
    const deep = `{"schemas": ["${USER}"], "userName": "deep@example.com", "x": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`
    const parse = t.mock.method(JSON, 'parse')
    const res = await h.scim(h.acme, 'POST', '/Users', deep)
    const parsedBody = parse.mock.calls.some((call) => call.arguments[0] === deep)
    parse.mock.restore()
    expectError(res, 'invalidSyntax', /more than 64 levels deep \(SCIM_MAX_JSON_DEPTH\)/)
    assert.equal(parsedBody, false, 'the body reached JSON.parse')
    assert.equal(expectScim(await h.scim(h.acme, 'GET', '/Users'), 200).totalResults, 0)
    const patch = await h.scim(
      h.acme,
      'PATCH',
      '/Users/nobody',
      `{"Operations": ${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`,
    )
    expectError(patch, 'invalidSyntax', /SCIM_MAX_JSON_DEPTH/)
  })

  it('takes the depth from the setting and does not count brackets inside strings', async (t) => {
    const h = await build(t, { SCIM_MAX_JSON_DEPTH: '3' })
    // { emails: [ { … } ] } is 3 deep.
    const user = await createUser(h, userBody('[[[{{{"@example.com', { displayName: '}}]]{{[[' }))
    assert.equal(user.userName, '[[[{{{"@example.com')
    const res = await h.scim(
      h.acme,
      'PATCH',
      `/Users/${user.id}`,
      patchBody([{ op: 'add', value: { emails: aliases(1) } }]),
    )
    expectError(res, 'invalidSyntax', /more than 3 levels deep/)
    assert.equal((await getUser(h, user.id)).emails.length, 1)
  })
})

describe('startIndex and count past 2^53', () => {
  it('answers 400 invalidValue on GET, and keeps the RFC 7644 §3.4.2.4 readings below range', async (t) => {
    const h = await build(t)
    await createUser(h, userBody('page@example.com'))
    for (const query of [
      'startIndex=99999999999999999999',
      'count=1e400',
      'count=99999999999999999999',
      'startIndex=-1e300',
    ]) {
      expectError(
        await h.scim(h.acme, 'GET', `/Users?${query}`),
        'invalidValue',
        /must be an integer/,
        query,
      )
    }
    const far = expectScim(
      await h.scim(h.acme, 'GET', `/Users?startIndex=${Number.MAX_SAFE_INTEGER}`),
      200,
    )
    assert.equal(far.Resources?.length ?? 0, 0)
    assert.equal(far.totalResults, 1)
    const low = expectScim(await h.scim(h.acme, 'GET', '/Users?startIndex=-5&count=-1'), 200)
    assert.equal(low.startIndex, 1)
    assert.equal(low.Resources?.length ?? 0, 0)
  })

  it('answers 400 invalidValue on POST .search for 1e308, 1e400, non-integers and non-numbers', async (t) => {
    const h = await build(t)
    await createUser(h, userBody('search@example.com'))
    const search = (extra: string) =>
      h.scim(h.acme, 'POST', '/Users/.search', `{"schemas": ["${SEARCH}"], ${extra}}`)
    for (const extra of [
      '"startIndex": 1e308',
      '"count": -1e308',
      '"count": 1e400',
      '"count": 1.5',
      '"startIndex": [1]',
      '"count": true',
    ]) {
      expectError(await search(extra), 'invalidValue', /must be an integer/, extra)
    }
    const page = expectScim(await search('"startIndex": -3, "count": 10'), 200)
    assert.equal(page.startIndex, 1)
    assert.equal(page.Resources.length, 1)
  })
})

describe('users with thousands of emails', () => {
  it('creates a user with 5,000 emails (201), reads them back, finds and replaces them', async (t) => {
    const h = await build(t)
    const body = userBody('many@example.com', {
      emails: [{ value: 'many@example.com', type: 'work', primary: true }, ...aliases(4999)],
    })
    const created = await createUser(h, body)
    assert.equal(created.emails.length, 5000)
    const read = await getUser(h, created.id)
    assert.deepEqual(read.emails, body.emails)
    const filter = encodeURIComponent('emails.value eq "alias4998@example.com"')
    const found = expectScim(await h.scim(h.acme, 'GET', `/Users?filter=${filter}`), 200)
    assert.deepEqual(
      found.Resources.map((r: Json) => r.id),
      [created.id],
    )
    const replaced = await h.scim(h.acme, 'PUT', `/Users/${created.id}`, {
      ...body,
      emails: [body.emails[0], ...aliases(5999, 10_000)],
    })
    assert.equal(expectScim(replaced, 200).emails.length, 6000)
    const gone = expectScim(await h.scim(h.acme, 'GET', `/Users?filter=${filter}`), 200)
    assert.equal(gone.totalResults, 0)
    const moved = encodeURIComponent('emails.value eq "alias15998@example.com"')
    assert.equal(
      expectScim(await h.scim(h.acme, 'GET', `/Users?filter=${moved}`), 200).totalResults,
      1,
    )
  })
})
