// The forms IdPs other than Entra send (SPEC §7): Okta (developer.okta.com "Okta and SCIM Version
// 2.0": PUT for user updates, lower-case ops, path-less replace with the group id, members
// replace), Google Workspace, OneLogin and JumpCloud (PUT instead of PATCH, member lists replaced
// whole), then the per-tenant strict interop-profile mode (SPEC §7, interop profile §4).
// Okta request bodies are recorded in test/fixtures/idp/okta/; ids of the docs are swapped for real ones.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { build, type TestApp } from '../../helper.ts'
import {
  createGroup,
  createUser,
  ENTERPRISE,
  expectPatched,
  expectScim,
  fixture,
  getGroup,
  getUser,
  GROUP,
  LIST,
  PATCH,
  USER,
  userBody,
  type Json,
} from '../../support/scim.ts'

const ADSCIM_GROUP = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'

const OKTA_USER_ID = '23a35c27-23d3-4c03-b4c5-6443c09e7173'
const OKTA_GROUP_ID = 'abf4dd94-a4c0-4f67-89c9-76b03340cb9b'
const OKTA_OTHER_USER_ID = '89bb1940-b905-4575-9e7f-6f887cfb368e'

/** A recorded Okta request body, with the documentation ids replaced by real ones. */
const okta = (name: string, ids: Readonly<Record<string, string>> = {}): Json =>
  fixture('okta', name, ids)
/** A recorded Entra request body (see entra.test.ts). */
const entra = (name: string, ids: Readonly<Record<string, string>> = {}): Json =>
  fixture('entra', name, ids)

const q = (filter: string) => encodeURIComponent(filter)

async function list(h: TestApp, path: string): Promise<Json> {
  const body = expectScim(await h.scim(h.acme, 'GET', path), 200, `GET ${path}`)
  assert.deepEqual(body.schemas, [LIST])
  return body
}

function memberIds(group: Json): string[] {
  return ((group.members ?? []) as Json[]).map((m) => m.value as string).sort()
}

describe('Okta SCIM 2.0 client', () => {
  it('answers the connection test GET /Users?startIndex=1&count=2 and the userName lookup with ListResponses', async (t) => {
    const h = await build(t)
    const empty = await list(h, '/Users?startIndex=1&count=2')
    assert.equal(empty.totalResults, 0)
    assert.deepEqual(empty.Resources, [])
    const lookup = await list(
      h,
      `/Users?filter=${q('userName eq "test.user@okta.local"')}&startIndex=1&count=100`,
    )
    assert.equal(lookup.totalResults, 0)
  })

  it('creates a user from the recorded body, ignoring groups: [] and never returning the password', async (t) => {
    const h = await build(t)
    const res = await h.scim(h.acme, 'POST', '/Users', okta('create-user.json'))
    const created = expectScim(res, 201, 'Okta create user')
    assert.equal(created.userName, 'test.user@okta.local')
    assert.equal(created.externalId, '00ujl29u0le5T6Aj10h7')
    assert.equal(created.locale, 'en-US')
    assert.equal(created.active, true)
    assert.equal(created.password, undefined)
    const body = await getUser(h, created.id)
    assert.equal(body.password, undefined)
    assert.equal(body.name.givenName, 'Test')
    const found = await list(
      h,
      `/Users?filter=${q('userName eq "test.user@okta.local"')}&startIndex=1&count=100`,
    )
    assert.deepEqual(
      (found.Resources as Json[]).map((r) => r.id),
      [created.id],
    )
  })

  it('updates a user with PUT as a full replace: changed attributes are written, omitted ones are cleared, the id stays', async (t) => {
    const h = await build(t)
    const created = expectScim(
      await h.scim(h.acme, 'POST', '/Users', { ...okta('create-user.json'), title: 'Engineer' }),
      201,
      'create',
    )
    const res = await h.scim(
      h.acme,
      'PUT',
      `/Users/${created.id}`,
      okta('replace-user.json', { [OKTA_USER_ID]: created.id }),
    )
    const replaced = expectScim(res, 200, 'Okta PUT user')
    assert.equal(replaced.id, created.id)
    const body = await getUser(h, created.id)
    assert.equal(body.id, created.id)
    assert.equal(body.userName, 'test.user@okta.local')
    assert.equal(body.displayName, 'Another User')
    assert.equal(body.name.givenName, 'Another')
    assert.equal(body.name.familyName, 'User')
    assert.equal(body.active, true)
    assert.equal(
      body.title,
      undefined,
      'an attribute left out of a PUT is cleared (RFC 7644 §3.5.1)',
    )
    assert.equal(body.password, undefined)
    assert.notEqual(
      body.meta.created,
      '2019-04-12T20:46:07.000Z',
      'meta from the request is ignored',
    )
    assert.equal(body.meta.created, created.meta.created)
  })

  it('deactivates with the path-less replace {"active": false} and reactivates the same way', async (t) => {
    const h = await build(t)
    const created = expectScim(
      await h.scim(h.acme, 'POST', '/Users', okta('create-user.json')),
      201,
      'create',
    )
    expectPatched(
      await h.scim(h.acme, 'PATCH', `/Users/${created.id}`, okta('deactivate-user.json')),
      'deactivate',
    )
    const body = await getUser(h, created.id)
    assert.equal(body.active, false)
    assert.equal(body.userName, 'test.user@okta.local')
    const inactive = await list(h, `/Users?filter=${q('active eq false')}`)
    assert.deepEqual(
      (inactive.Resources as Json[]).map((r) => r.id),
      [created.id],
    )
    const reactivate = okta('deactivate-user.json')
    reactivate.Operations[0].value.active = true
    expectPatched(await h.scim(h.acme, 'PATCH', `/Users/${created.id}`, reactivate), 'reactivate')
    assert.equal((await getUser(h, created.id)).active, true)
  })

  it('creates a group with members: [] and renames it with a path-less replace that includes the group id', async (t) => {
    const h = await build(t)
    const group = await createGroup(h, okta('create-group.json'))
    assert.deepEqual(group.members, [])
    const found = await list(
      h,
      `/Groups?filter=${q('displayName eq "Test SCIMv2"')}&startIndex=1&count=100`,
    )
    assert.deepEqual(
      (found.Resources as Json[]).map((r) => r.id),
      [group.id],
    )
    const rename = okta('rename-group.json', { [OKTA_GROUP_ID]: group.id })
    expectScim(await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, rename), 204, 'rename')
    const body = await getGroup(h, group.id)
    assert.equal(body.id, group.id)
    assert.equal(body.displayName, 'Test SCIMv2 renamed')
  })

  it('adds members with display, removes one with members[value eq], and replaces the whole member list', async (t) => {
    const h = await build(t)
    const user = expectScim(
      await h.scim(h.acme, 'POST', '/Users', okta('create-user.json')),
      201,
      'create user',
    )
    const other = await createUser(h, userBody('other.user@okta.local'))
    const third = await createUser(h, userBody('third.user@okta.local'))
    const group = await createGroup(h, okta('create-group.json'))
    const add = okta('add-members.json', { [OKTA_USER_ID]: user.id })
    add.Operations[0].value.push({ value: other.id, display: 'other.user@okta.local' })
    expectScim(await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, add), 204, 'add members')
    assert.deepEqual(memberIds(await getGroup(h, group.id)), [user.id, other.id].sort())

    const remove = okta('remove-member.json', { [OKTA_OTHER_USER_ID]: other.id })
    expectScim(await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, remove), 204, 'remove member')
    assert.deepEqual(memberIds(await getGroup(h, group.id)), [user.id])

    const replace = okta('replace-members.json', { [OKTA_USER_ID]: third.id })
    expectScim(
      await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, replace),
      204,
      'replace members',
    )
    assert.deepEqual(memberIds(await getGroup(h, group.id)), [third.id])

    const all = await list(h, '/Groups?startIndex=1&count=100')
    assert.equal(all.totalResults, 1)
    expectScim(await h.scim(h.acme, 'DELETE', `/Groups/${group.id}`), 204, 'delete group')
    expectScim(await h.scim(h.acme, 'GET', `/Groups/${group.id}`), 404, 'deleted group')
  })
})

describe('Google Workspace, OneLogin and JumpCloud forms', () => {
  it('updates a user with PUT instead of PATCH, changing names, emails and the enterprise extension', async (t) => {
    const h = await build(t)
    const created = await createUser(
      h,
      userBody('jane@example.com', {
        name: { givenName: 'Jane', familyName: 'Doe' },
        externalId: 'jane-ext',
        [ENTERPRISE]: { department: 'Sales' },
        schemas: [USER, ENTERPRISE],
      }),
    )
    const res = await h.scim(h.acme, 'PUT', `/Users/${created.id}`, {
      schemas: [USER, ENTERPRISE],
      id: created.id,
      userName: 'jane@example.com',
      externalId: 'jane-ext',
      active: true,
      name: { givenName: 'Jane', familyName: 'Smith' },
      displayName: 'Jane Smith',
      emails: [
        { value: 'jane@example.com', type: 'work', primary: true },
        { value: 'jane.smith@example.com', type: 'other' },
      ],
      [ENTERPRISE]: { department: 'Marketing', employeeNumber: '1001' },
    })
    expectScim(res, 200, 'PUT user')
    const body = await getUser(h, created.id)
    assert.equal(body.name.familyName, 'Smith')
    assert.equal(body.displayName, 'Jane Smith')
    assert.deepEqual((body.emails as Json[]).map((e) => e.value).sort(), [
      'jane.smith@example.com',
      'jane@example.com',
    ])
    assert.deepEqual({ ...body[ENTERPRISE] }, { department: 'Marketing', employeeNumber: '1001' })
    assert.equal(body.externalId, 'jane-ext')
  })

  it('deactivates a user with PUT active false and reactivates it with PUT active true', async (t) => {
    const h = await build(t)
    const created = await createUser(h, userBody('joe@example.com', { displayName: 'Joe' }))
    const put = (active: boolean) =>
      h.scim(
        h.acme,
        'PUT',
        `/Users/${created.id}`,
        userBody('joe@example.com', { displayName: 'Joe', active }),
      )
    expectScim(await put(false), 200, 'PUT active false')
    const inactive = await getUser(h, created.id)
    assert.equal(inactive.active, false)
    assert.equal(inactive.displayName, 'Joe')
    expectScim(await put(true), 200, 'PUT active true')
    assert.equal((await getUser(h, created.id)).active, true)
  })

  it('accepts a PUT without schemas, as several IdPs send it', async (t) => {
    const h = await build(t)
    const created = await createUser(h, userBody('noschemas@example.com'))
    const res = await h.scim(h.acme, 'PUT', `/Users/${created.id}`, {
      userName: 'noschemas@example.com',
      active: true,
      displayName: 'No Schemas',
    })
    expectScim(res, 200, 'PUT without schemas')
    assert.equal((await getUser(h, created.id)).displayName, 'No Schemas')
  })

  it('replaces a group name and member list with PUT /Groups/{id}, keeping the id', async (t) => {
    const h = await build(t)
    const a = await createUser(h, userBody('a@example.com'))
    const b = await createUser(h, userBody('b@example.com'))
    const c = await createUser(h, userBody('c@example.com'))
    const group = await createGroup(h, {
      schemas: [GROUP],
      displayName: 'Engineering',
      members: [{ value: a.id }, { value: b.id }],
    })
    assert.deepEqual(memberIds(group), [a.id, b.id].sort())
    const res = await h.scim(h.acme, 'PUT', `/Groups/${group.id}`, {
      schemas: [GROUP],
      id: group.id,
      displayName: 'Engineering Team',
      externalId: 'eng',
      members: [
        { value: b.id, display: 'b@example.com' },
        { value: c.id, display: 'c@example.com' },
      ],
    })
    expectScim(res, 200, 'PUT group')
    const body = await getGroup(h, group.id)
    assert.equal(body.id, group.id)
    assert.equal(body.displayName, 'Engineering Team')
    assert.equal(body.externalId, 'eng')
    assert.deepEqual(memberIds(body), [b.id, c.id].sort())
    expectScim(
      await h.scim(h.acme, 'PUT', `/Groups/${group.id}`, {
        schemas: [GROUP],
        displayName: 'Engineering Team',
        members: [],
      }),
      200,
      'PUT group with no members',
    )
    assert.deepEqual(memberIds(await getGroup(h, group.id)), [])
  })

  it('replaces a group member list with PATCH replace members, also with an empty list', async (t) => {
    const h = await build(t)
    const a = await createUser(h, userBody('a@example.com'))
    const b = await createUser(h, userBody('b@example.com'))
    const group = await createGroup(h, {
      schemas: [GROUP],
      displayName: 'Support',
      members: [{ value: a.id }],
    })
    const replace = (members: Json[]) =>
      h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, {
        schemas: [PATCH],
        Operations: [{ op: 'replace', path: 'members', value: members }],
      })
    expectScim(await replace([{ value: b.id }]), 204, 'replace with b')
    assert.deepEqual(memberIds(await getGroup(h, group.id)), [b.id])
    expectScim(await replace([{ value: a.id }, { value: b.id }]), 204, 'replace with a and b')
    assert.deepEqual(memberIds(await getGroup(h, group.id)), [a.id, b.id].sort())
    expectScim(await replace([]), 204, 'replace with nothing')
    assert.deepEqual(memberIds(await getGroup(h, group.id)), [])
  })

  it('adds and removes members with lower-case ops and a members value array', async (t) => {
    const h = await build(t)
    const a = await createUser(h, userBody('a@example.com'))
    const b = await createUser(h, userBody('b@example.com'))
    const group = await createGroup(h, { schemas: [GROUP], displayName: 'Ops' })
    const patch = (op: string, ids: string[]) =>
      h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, {
        schemas: [PATCH],
        Operations: [{ op, path: 'members', value: ids.map((value) => ({ value })) }],
      })
    expectScim(await patch('add', [a.id, b.id]), 204, 'add')
    expectScim(await patch('remove', [a.id]), 204, 'remove with value')
    assert.deepEqual(memberIds(await getGroup(h, group.id)), [b.id])
  })
})

describe('strict interop-profile mode (SPEC §7)', () => {
  it('omits interopProfileConformant by default and sends true once the tenant is strict', async (t) => {
    const h = await build(t)
    const lenient = expectScim(
      await h.scim(h.acme, 'GET', '/ServiceProviderConfig'),
      200,
      'lenient config',
    )
    assert.equal('interopProfileConformant' in lenient, false)
    await h.store.forTenant(h.acme.tenant.id).scim.setStrictProfile(true)
    const strict = expectScim(
      await h.scim(h.acme, 'GET', '/ServiceProviderConfig'),
      200,
      'strict config',
    )
    assert.equal(strict.interopProfileConformant, true)
    await h.store.forTenant(h.acme.tenant.id).scim.setStrictProfile(false)
    const back = expectScim(
      await h.scim(h.acme, 'GET', '/ServiceProviderConfig'),
      200,
      'lenient again',
    )
    assert.equal('interopProfileConformant' in back, false)
  })

  it('refuses path-less PATCH operations with 400 invalidSyntax and changes nothing', async (t) => {
    const h = await build(t)
    await h.store.forTenant(h.acme.tenant.id).scim.setStrictProfile(true)
    const user = await createUser(h, userBody('strict@example.com', { displayName: 'Before' }))
    const group = await createGroup(h, { schemas: [GROUP], displayName: 'Strict Group' })
    for (const [path, body] of [
      [`/Users/${user.id}`, entra('with-flag/replace-attributes.json')],
      [`/Users/${user.id}`, okta('deactivate-user.json')],
      [`/Groups/${group.id}`, okta('rename-group.json', { [OKTA_GROUP_ID]: group.id })],
      [
        `/Groups/${group.id}`,
        entra('validator/patch-group-replace-display-name.json', { '{{displayName}}': 'Renamed' }),
      ],
    ] as const) {
      const error = expectScim(
        await h.scim(h.acme, 'PATCH', path, body),
        400,
        `path-less PATCH ${path}`,
      )
      assert.equal(error.scimType, 'invalidSyntax')
      assert.match(error.detail, /path/)
    }
    const after = await getUser(h, user.id)
    assert.equal(after.displayName, 'Before')
    assert.equal(after.active, true)
    assert.equal((await getGroup(h, group.id)).displayName, 'Strict Group')
  })

  it('refuses string booleans in POST and PATCH with 400 and changes nothing', async (t) => {
    const h = await build(t)
    await h.store.forTenant(h.acme.tenant.id).scim.setStrictProfile(true)
    const post = expectScim(
      await h.scim(h.acme, 'POST', '/Users', {
        schemas: [USER],
        userName: 'str@example.com',
        active: 'True',
      }),
      400,
      'POST active "True"',
    )
    assert.equal(post.scimType, 'invalidValue')
    assert.match(post.detail, /boolean/)
    assert.equal(
      (await list(h, `/Users?filter=${q('userName eq "str@example.com"')}`)).totalResults,
      0,
    )
    const user = await createUser(h, userBody('bool@example.com'))
    const patch = expectScim(
      await h.scim(h.acme, 'PATCH', `/Users/${user.id}`, entra('without-flag/disable-user.json')),
      400,
      'PATCH active "False"',
    )
    assert.equal(patch.scimType, 'invalidValue')
    assert.equal((await getUser(h, user.id)).active, true)
  })

  it('refuses the ADSCIM group schema URN of Entra with 400', async (t) => {
    const h = await build(t)
    await h.store.forTenant(h.acme.tenant.id).scim.setStrictProfile(true)
    const error = expectScim(
      await h.scim(h.acme, 'POST', '/Groups', entra('tutorial/create-group.json')),
      400,
      'ADSCIM URN',
    )
    assert.equal(error.scimType, 'invalidSyntax')
    assert.ok(error.detail.includes(ADSCIM_GROUP), error.detail)
  })

  it('keeps the RFC forms working: paths, value-path filters, URN extension paths, members[value eq], boolean active, PUT', async (t) => {
    const h = await build(t)
    await h.store.forTenant(h.acme.tenant.id).scim.setStrictProfile(true)
    const user = await createUser(
      h,
      userBody('rfc@example.com', { name: { givenName: 'R', familyName: 'F' } }),
    )
    const member = await createUser(h, userBody('member@example.com'))
    expectPatched(
      await h.scim(h.acme, 'PATCH', `/Users/${user.id}`, entra('with-flag/add-nick-name.json')),
      'add nickName',
    )
    expectPatched(
      await h.scim(h.acme, 'PATCH', `/Users/${user.id}`, {
        schemas: [PATCH],
        Operations: [
          { op: 'replace', path: 'emails[type eq "work"].value', value: 'rfc.new@example.com' },
          { op: 'replace', path: 'name.givenName', value: 'Rita' },
          { op: 'replace', path: `${ENTERPRISE}:employeeNumber`, value: '7' },
        ],
      }),
      'RFC replaces',
    )
    expectPatched(
      await h.scim(h.acme, 'PATCH', `/Users/${user.id}`, entra('with-flag/disable-user.json')),
      'disable (boolean)',
    )
    const body = await getUser(h, user.id)
    assert.equal(body.nickName, 'Babs')
    assert.deepEqual(
      (body.emails as Json[]).filter((e) => e.type === 'work').map((e) => e.value),
      ['rfc.new@example.com'],
    )
    assert.equal(body.name.givenName, 'Rita')
    assert.equal(body[ENTERPRISE]?.employeeNumber, '7')
    assert.equal(body.active, false)

    const group = await createGroup(h, { schemas: [GROUP], displayName: 'RFC Group' })
    expectScim(
      await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, {
        schemas: [PATCH],
        Operations: [
          { op: 'add', path: 'members', value: [{ value: member.id }, { value: user.id }] },
        ],
      }),
      204,
      'add members',
    )
    const remove = entra('with-flag/remove-member.json', {
      '7f4bc1a3-285e-48ae-8202-5accb43efb0e': member.id,
    })
    expectScim(
      await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, remove),
      204,
      'remove members[value eq]',
    )
    assert.deepEqual(memberIds(await getGroup(h, group.id)), [user.id])

    expectScim(
      await h.scim(
        h.acme,
        'PUT',
        `/Users/${member.id}`,
        userBody('member@example.com', { displayName: 'Put' }),
      ),
      200,
      'PUT user',
    )
    assert.equal((await getUser(h, member.id)).displayName, 'Put')
    const oktaUser = expectScim(
      await h.scim(h.acme, 'POST', '/Users', okta('create-user.json')),
      201,
      'Okta create user (RFC form)',
    )
    assert.equal(oktaUser.active, true)
  })
})
