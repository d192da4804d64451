// Microsoft Entra ID provisioning replayed against Rollcall (SPEC §7, reference/entra-provisioning.md):
// every request of the "Develop and plan provisioning for a SCIM endpoint" tutorial (§3.1–§3.19),
// both PATCH dialects of the aadOptscim062020 flag (§4), the SCIM Validator checks (§6), the
// SCIMReferenceCode "garbage" tests (§7) and the Group description extension (SPEC G6).
// Request bodies are recorded in test/fixtures/idp/entra/; ids of the docs are swapped for real ones.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
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
  GROUP_EXTENSION,
  LIST,
  PATCH,
  USER,
  userBody,
  type Json,
} from '../../support/scim.ts'

/** A recorded Entra request body, with the placeholder or documentation ids replaced by real ones. */
const entraFixture = (name: string, ids: Readonly<Record<string, string>> = {}): Json =>
  fixture('entra', name, ids)

/** Entra URL-encodes filters with `+` for spaces (azure-docs#11784: `filter=externalId+eq+%22johnwong%22`). */
const q = (filter: string) => encodeURIComponent(filter).replace(/%20/g, '+')

async function listUsers(h: TestApp, query: string): Promise<Json> {
  const body = expectScim(
    await h.scim(h.acme, 'GET', `/Users?${query}`),
    200,
    `GET /Users?${query}`,
  )
  assert.deepEqual(body.schemas, [LIST])
  return body
}

async function listGroups(h: TestApp, query: string): Promise<Json> {
  const body = expectScim(
    await h.scim(h.acme, 'GET', `/Groups?${query}`),
    200,
    `GET /Groups?${query}`,
  )
  assert.deepEqual(body.schemas, [LIST])
  return body
}

function memberIds(group: Json): string[] {
  return ((group.members ?? []) as Json[]).map((m) => m.value as string).sort()
}

function workEmails(user: Json): Json[] {
  return ((user.emails ?? []) as Json[]).filter((e) => e.type === 'work')
}

describe('Entra ID tutorial: connection and discovery (L1 §3.1–§3.2)', () => {
  it('answers Test Connection with a random GUID with 200 and an empty ListResponse of exactly the five keys', async (t) => {
    const h = await build(t)
    const guid = randomUUID()
    for (const res of [
      await h.scim(h.acme, 'GET', `/Users?filter=${q(`userName eq "${guid}"`)}`),
      await h.scim(
        h.acme,
        'GET',
        `/Groups?excludedAttributes=members&filter=${q(`displayName eq "${guid}"`)}`,
      ),
    ]) {
      const body = expectScim(res, 200, 'Test Connection')
      assert.deepEqual(Object.keys(body).sort(), [
        'Resources',
        'itemsPerPage',
        'schemas',
        'startIndex',
        'totalResults',
      ])
      assert.deepEqual(body.schemas, [LIST])
      assert.equal(body.totalResults, 0)
      assert.deepEqual(body.Resources, [])
      assert.equal(body.startIndex, 1)
      assert.equal(typeof body.itemsPerPage, 'number')
    }
  })

  it('serves /Schemas as a ListResponse of the User, EnterpriseUser, Group and Group extension schemas with RFC 7643 §7 attribute characteristics', async (t) => {
    const h = await build(t)
    const body = expectScim(await h.scim(h.acme, 'GET', '/Schemas'), 200, 'GET /Schemas')
    assert.deepEqual(body.schemas, [LIST])
    const ids = (body.Resources as Json[]).map((s) => s.id)
    for (const id of [USER, ENTERPRISE, GROUP, GROUP_EXTENSION]) assert.ok(ids.includes(id), id)
    const mutabilities = new Set(['readOnly', 'readWrite', 'immutable', 'writeOnly'])
    for (const schema of body.Resources as Json[]) {
      assert.deepEqual(schema.schemas, ['urn:ietf:params:scim:schemas:core:2.0:Schema'])
      for (const attribute of schema.attributes as Json[]) {
        for (const key of ['name', 'type', 'multiValued', 'required', 'mutability', 'returned']) {
          assert.ok(key in attribute, `${schema.id} ${attribute.name} has ${key}`)
        }
        assert.ok(
          mutabilities.has(attribute.mutability),
          `${attribute.name}: ${attribute.mutability}`,
        )
      }
    }
    const user = (body.Resources as Json[]).find((s) => s.id === USER)
    const userName = (user.attributes as Json[]).find((a) => a.name === 'userName')
    assert.equal(userName.caseExact, false)
    assert.equal(userName.uniqueness, 'server')
    const enterprise = (body.Resources as Json[]).find((s) => s.id === ENTERPRISE)
    const manager = (enterprise.attributes as Json[]).find((a) => a.name === 'manager')
    assert.equal(manager.type, 'complex')
    const single = expectScim(
      await h.scim(h.acme, 'GET', `/Schemas/${USER}`),
      200,
      'GET /Schemas/User',
    )
    assert.equal(single.id, USER)
  })

  it('serves /ServiceProviderConfig with patch and filter supported and /ResourceTypes with both extensions', async (t) => {
    const h = await build(t)
    const config = expectScim(
      await h.scim(h.acme, 'GET', '/ServiceProviderConfig'),
      200,
      'GET /ServiceProviderConfig',
    )
    assert.equal(config.patch.supported, true)
    assert.equal(config.filter.supported, true)
    assert.ok(config.filter.maxResults > 0)
    const types = expectScim(
      await h.scim(h.acme, 'GET', '/ResourceTypes'),
      200,
      'GET /ResourceTypes',
    )
    const byName = new Map((types.Resources as Json[]).map((r) => [r.name, r]))
    assert.equal(byName.get('User').endpoint, '/Users')
    assert.equal(byName.get('Group').endpoint, '/Groups')
    assert.ok((byName.get('User').schemaExtensions as Json[]).some((e) => e.schema === ENTERPRISE))
    assert.ok(
      (byName.get('Group').schemaExtensions as Json[]).some((e) => e.schema === GROUP_EXTENSION),
    )
  })
})

describe('Entra ID content types (L1, entra-provisioning.md §1 and §9.2)', () => {
  it('accepts application/scim+json; charset=utf-8 and application/json request bodies', async (t) => {
    const h = await build(t)
    for (const [userName, type] of [
      ['charset@contoso.com', 'application/scim+json; charset=utf-8'],
      ['json@contoso.com', 'application/json'],
    ] as const) {
      const body = expectScim(
        await h.scim(h.acme, 'POST', '/Users', userBody(userName), { 'content-type': type }),
        201,
        type,
      )
      assert.equal(body.userName, userName)
    }
  })

  it('answers every kind of error as application/scim+json with the RFC 7644 §3.12 body', async (t) => {
    const h = await build(t)
    const wrongToken = await h.app.inject({
      method: 'GET',
      url: `${h.acme.base}/Users?filter=${q('userName eq "x"')}`,
      headers: { authorization: 'Bearer not-the-secret-token' },
    })
    expectScim(wrongToken, 401, 'wrong Secret Token')
    const noToken = await h.app.inject({ method: 'GET', url: `${h.acme.base}/Users` })
    expectScim(noToken, 401, 'missing token')
    expectScim(
      await h.scim(h.acme, 'GET', `/Users?filter=${q('userName xx "a"')}`),
      400,
      'invalid filter',
    )
    expectScim(await h.scim(h.acme, 'GET', '/NoSuchEndpoint'), 404, 'unknown endpoint')
    expectScim(
      await h.scim(h.acme, 'POST', '/Users', 'userName=x', { 'content-type': 'text/plain' }),
      415,
      'unsupported media type',
    )
    const user = await createUser(h, userBody('etag@contoso.com'))
    const stale = await h.scim(
      h.acme,
      'PATCH',
      `/Users/${user.id}`,
      entraFixture('tutorial/patch-user-disable.json'),
      { 'if-match': 'W/"999"' },
    )
    expectScim(stale, 412, 'stale If-Match')
  })
})

describe('Entra ID tutorial: users (L1 §3.3–§3.10)', () => {
  it('creates a user from the exact tutorial body (meta, roles: [], enterprise URN) with 201, id, Location, meta and application/scim+json', async (t) => {
    const h = await build(t)
    const request = entraFixture('tutorial/create-user.json')
    const res = await h.scim(h.acme, 'POST', '/Users', request)
    const body = expectScim(res, 201, 'Create User')
    assert.equal(typeof body.id, 'string')
    assert.ok(body.id.length > 0)
    assert.ok(body.schemas.includes(USER))
    assert.equal(body.userName, request.userName)
    assert.equal(body.externalId, request.externalId)
    assert.equal(body.active, true)
    assert.deepEqual(body.name, request.name)
    assert.deepEqual(
      (body.emails as Json[]).map((e) => [e.value, e.type, e.primary]),
      [[request.emails[0].value, 'work', true]],
    )
    assert.equal(body.meta.resourceType, 'User')
    assert.ok(!Number.isNaN(Date.parse(body.meta.created)), 'meta.created is a date')
    assert.ok(!Number.isNaN(Date.parse(body.meta.lastModified)), 'meta.lastModified is a date')
    assert.equal(res.headers.location, body.meta.location)
    assert.match(String(res.headers.location), new RegExp(`/scim/v2/acme/Users/${body.id}$`))
    assert.ok(
      body.roles === undefined || (Array.isArray(body.roles) && body.roles.length === 0),
      'roles: [] is unassigned',
    )
  })

  it('creates a user with the enterprise extension from Entra mappings and returns it with the extension URN in schemas', async (t) => {
    const h = await build(t)
    const request = entraFixture('tutorial/create-user-with-enterprise-mappings.json')
    const created = await createUser(h, request)
    const body = await getUser(h, created.id)
    assert.ok(body.schemas.includes(ENTERPRISE))
    assert.equal(body[ENTERPRISE].employeeNumber, '701984')
    assert.equal(body[ENTERPRISE].department, 'Tour Operations')
  })

  it('gets a user by id, and answers 404 with a SCIM error for an unknown id', async (t) => {
    const h = await build(t)
    const created = await createUser(h, entraFixture('tutorial/create-user.json'))
    const body = await getUser(h, created.id)
    assert.deepEqual(body, created)
    expectScim(await h.scim(h.acme, 'GET', '/Users/5d48a0a8e9f04aa38008'), 404, 'GET unknown user')
    expectScim(
      await h.scim(
        h.acme,
        'GET',
        `/Users/${encodeURIComponent('23B51B0E5D7AE9110A49411D@7cca31655d49f3640a494224')}`,
      ),
      404,
      'GET unknown user with the id of the L1 example',
    )
  })

  it('finds a user by userName eq, also in a different case, as a ListResponse', async (t) => {
    const h = await build(t)
    const request = entraFixture('tutorial/create-user.json')
    const created = await createUser(h, request)
    for (const userName of [
      request.userName,
      request.userName.toUpperCase(),
      request.userName.toLowerCase(),
    ]) {
      const list = await listUsers(h, `filter=${q(`userName eq "${userName}"`)}`)
      assert.equal(list.totalResults, 1, userName)
      assert.equal(list.startIndex, 1)
      assert.equal(list.itemsPerPage, 1)
      assert.equal(list.Resources[0].id, created.id)
    }
  })

  it('finds a user by externalId eq and by emails[type eq "work"].value eq', async (t) => {
    const h = await build(t)
    const request = entraFixture('tutorial/create-user.json')
    const created = await createUser(h, request)
    await createUser(h, userBody('other@contoso.com', { externalId: 'other' }))
    const byExternalId = await listUsers(h, `filter=${q(`externalId eq "${request.externalId}"`)}`)
    assert.deepEqual(
      (byExternalId.Resources as Json[]).map((r) => r.id),
      [created.id],
    )
    const byEmail = await listUsers(
      h,
      `filter=${q(`emails[type eq "work"].value eq "${request.emails[0].value}"`)}`,
    )
    assert.deepEqual(
      (byEmail.Resources as Json[]).map((r) => r.id),
      [created.id],
    )
    const none = await listUsers(
      h,
      `filter=${q('emails[type eq "work"].value eq "nobody@contoso.com"')}`,
    )
    assert.equal(none.totalResults, 0)
  })

  it('replaces emails[type eq "work"].value and name.familyName in one PATCH without adding a second work email', async (t) => {
    const h = await build(t)
    const created = await createUser(h, entraFixture('tutorial/create-user.json'))
    const res = await h.scim(
      h.acme,
      'PATCH',
      `/Users/${created.id}`,
      entraFixture('tutorial/patch-user-multi-valued.json'),
    )
    expectPatched(res, 'multi-valued PATCH')
    const body = await getUser(h, created.id)
    assert.deepEqual(
      workEmails(body).map((e) => e.value),
      ['updatedEmail@microsoft.com'],
    )
    assert.equal(body.emails.length, 1)
    assert.equal(body.name.familyName, 'updatedFamilyName')
    assert.equal(body.name.givenName, 'givenName', 'other sub-attributes are kept')
  })

  it('creates the work email when the user has none, and updates it in place afterwards', async (t) => {
    const h = await build(t)
    const created = await createUser(h, {
      schemas: [USER],
      userName: 'Test_User_no_email',
      emails: [{ type: 'home', value: 'home@example.com' }],
    })
    const patch = entraFixture('tutorial/patch-user-multi-valued.json')
    expectPatched(await h.scim(h.acme, 'PATCH', `/Users/${created.id}`, patch), 'first PATCH')
    let body = await getUser(h, created.id)
    assert.deepEqual(
      workEmails(body).map((e) => e.value),
      ['updatedEmail@microsoft.com'],
    )
    assert.deepEqual(
      (body.emails as Json[]).filter((e) => e.type === 'home').map((e) => e.value),
      ['home@example.com'],
    )
    patch.Operations[0].value = 'second@microsoft.com'
    expectPatched(await h.scim(h.acme, 'PATCH', `/Users/${created.id}`, patch), 'second PATCH')
    body = await getUser(h, created.id)
    assert.deepEqual(
      workEmails(body).map((e) => e.value),
      ['second@microsoft.com'],
    )
    assert.equal(body.emails.length, 2)
  })

  it('replaces the single-valued userName', async (t) => {
    const h = await build(t)
    const created = await createUser(h, entraFixture('tutorial/create-user.json'))
    expectPatched(
      await h.scim(
        h.acme,
        'PATCH',
        `/Users/${created.id}`,
        entraFixture('tutorial/patch-user-single-valued.json'),
      ),
      'userName PATCH',
    )
    const body = await getUser(h, created.id)
    assert.equal(body.userName, '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com')
    const found = await listUsers(
      h,
      `filter=${q('userName eq "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"')}`,
    )
    assert.equal(found.totalResults, 1)
    const old = await listUsers(h, `filter=${q(`userName eq "${created.userName}"`)}`)
    assert.equal(old.totalResults, 0)
  })

  it('disables with false and with "False", re-enables with "True", and keeps the user readable and filterable', async (t) => {
    const h = await build(t)
    const created = await createUser(h, entraFixture('tutorial/create-user.json'))
    const filterInactive = `filter=${q(`userName eq "${created.userName}" and active eq false`)}`
    expectPatched(
      await h.scim(
        h.acme,
        'PATCH',
        `/Users/${created.id}`,
        entraFixture('tutorial/patch-user-disable.json'),
      ),
      'disable (boolean)',
    )
    assert.equal((await getUser(h, created.id)).active, false)
    assert.equal((await listUsers(h, filterInactive)).totalResults, 1)
    expectPatched(
      await h.scim(
        h.acme,
        'PATCH',
        `/Users/${created.id}`,
        entraFixture('without-flag/enable-user.json'),
      ),
      're-enable ("True")',
    )
    assert.equal((await getUser(h, created.id)).active, true)
    assert.equal((await listUsers(h, filterInactive)).totalResults, 0)
    expectPatched(
      await h.scim(
        h.acme,
        'PATCH',
        `/Users/${created.id}`,
        entraFixture('without-flag/disable-user.json'),
      ),
      'disable ("False")',
    )
    const body = await getUser(h, created.id)
    assert.equal(body.active, false)
    assert.equal(body.userName, created.userName)
    assert.equal(
      (await listUsers(h, `filter=${q(`userName eq "${created.userName}"`)}`)).Resources[0].active,
      false,
    )
    assert.equal((await listUsers(h, filterInactive)).totalResults, 1)
  })

  it('deletes a user with 204, then answers 404 to GET and to a second DELETE', async (t) => {
    const h = await build(t)
    const created = await createUser(h, entraFixture('tutorial/create-user.json'))
    expectScim(await h.scim(h.acme, 'DELETE', `/Users/${created.id}`), 204, 'DELETE user')
    expectScim(await h.scim(h.acme, 'GET', `/Users/${created.id}`), 404, 'GET deleted user')
    expectScim(await h.scim(h.acme, 'DELETE', `/Users/${created.id}`), 404, 'second DELETE')
    assert.equal(
      (await listUsers(h, `filter=${q(`userName eq "${created.userName}"`)}`)).totalResults,
      0,
    )
  })

  it('accepts the manager as a bare string id, as {value}, and in the old array form, and returns it as the complex {value}', async (t) => {
    const h = await build(t)
    const boss = await createUser(h, userBody('boss@contoso.com'))
    const boss2 = await createUser(h, userBody('boss2@contoso.com'))
    const boss3 = await createUser(h, userBody('boss3@contoso.com'))
    const employee = await createUser(h, userBody('employee@contoso.com'))
    const managerOf = async () => (await getUser(h, employee.id))[ENTERPRISE]?.manager
    const assertManager = (manager: Json, id: string) => {
      assert.deepEqual(manager, { value: id })
    }

    const add = entraFixture('validator/patch-user-add-manager.json', { '{{managerId}}': boss.id })
    expectPatched(
      await h.scim(h.acme, 'PATCH', `/Users/${employee.id}`, add),
      'Add manager (bare id)',
    )
    assertManager(await managerOf(), boss.id)
    assert.ok((await getUser(h, employee.id)).schemas.includes(ENTERPRISE))

    const replace = entraFixture('validator/patch-user-replace-manager.json', {
      '{{managerId}}': boss2.id,
    })
    expectPatched(
      await h.scim(h.acme, 'PATCH', `/Users/${employee.id}`, replace),
      'Replace manager ({value})',
    )
    assertManager(await managerOf(), boss2.id)

    const old = entraFixture('tutorial/patch-user-add-manager-old-form.json', {
      '{{managerId}}': boss3.id,
    })
    expectPatched(
      await h.scim(h.acme, 'PATCH', `/Users/${employee.id}`, old),
      'Add manager (old array form, path "manager")',
    )
    assertManager(await managerOf(), boss3.id)
  })

  it('removes the manager with {"value": ""} and with an empty string', async (t) => {
    const h = await build(t)
    const boss = await createUser(h, userBody('boss@contoso.com'))
    const employee = await createUser(h, userBody('employee@contoso.com'))
    const add = entraFixture('validator/patch-user-add-manager.json', { '{{managerId}}': boss.id })
    const remove = entraFixture('validator/patch-user-remove-manager.json')
    expectPatched(await h.scim(h.acme, 'PATCH', `/Users/${employee.id}`, add), 'Add manager')
    expectPatched(
      await h.scim(h.acme, 'PATCH', `/Users/${employee.id}`, remove),
      'Remove manager ({value: ""})',
    )
    assert.equal((await getUser(h, employee.id))[ENTERPRISE]?.manager, undefined)

    expectPatched(await h.scim(h.acme, 'PATCH', `/Users/${employee.id}`, add), 'Add manager again')
    const emptyString = entraFixture('validator/patch-user-add-manager.json', {
      '{{managerId}}': '',
    })
    expectPatched(
      await h.scim(h.acme, 'PATCH', `/Users/${employee.id}`, emptyString),
      'Remove manager ("")',
    )
    assert.equal((await getUser(h, employee.id))[ENTERPRISE]?.manager, undefined)
  })

  it('filters by id eq "…" and manager eq "…" as Entra re-checks the reference', async (t) => {
    const h = await build(t)
    const boss = await createUser(h, userBody('boss@contoso.com'))
    const employee = await createUser(h, userBody('employee@contoso.com'))
    const other = await createUser(h, userBody('other@contoso.com'))
    const add = entraFixture('validator/patch-user-add-manager.json', { '{{managerId}}': boss.id })
    expectPatched(await h.scim(h.acme, 'PATCH', `/Users/${employee.id}`, add), 'Add manager')
    const hit = await listUsers(
      h,
      `filter=${q(`id eq "${employee.id}" and manager eq "${boss.id}"`)}`,
    )
    assert.deepEqual(
      (hit.Resources as Json[]).map((r) => r.id),
      [employee.id],
    )
    const miss = await listUsers(
      h,
      `filter=${q(`id eq "${employee.id}" and manager eq "${other.id}"`)}`,
    )
    assert.equal(miss.totalResults, 0)
    const byUrn = await listUsers(h, `filter=${q(`${ENTERPRISE}:manager.value eq "${boss.id}"`)}`)
    assert.deepEqual(
      (byUrn.Resources as Json[]).map((r) => r.id),
      [employee.id],
    )
  })
})

describe('Entra ID tutorial: groups (L1 §3.11–§3.17)', () => {
  it('creates a group with the ADSCIM schema URN with 201, an id, Location and members []', async (t) => {
    const h = await build(t)
    const res = await h.scim(h.acme, 'POST', '/Groups', entraFixture('tutorial/create-group.json'))
    const body = expectScim(res, 201, 'Create Group')
    assert.equal(typeof body.id, 'string')
    assert.equal(body.displayName, 'displayName')
    assert.equal(body.externalId, '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159')
    assert.deepEqual(body.members, [])
    assert.ok(body.schemas.includes(GROUP))
    assert.ok(
      !body.schemas.includes(
        'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group',
      ),
    )
    assert.equal(body.meta.resourceType, 'Group')
    assert.equal(res.headers.location, body.meta.location)
  })

  it('gets a group with excludedAttributes=members without members', async (t) => {
    const h = await build(t)
    const user = await createUser(h, userBody('member@contoso.com'))
    const group = await createGroup(h, entraFixture('tutorial/create-group.json'))
    const add = entraFixture('tutorial/patch-group-add-member.json', {
      f648f8d5ea4e4cd38e9c: user.id,
    })
    expectScim(await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, add), 204, 'add member')
    const body = expectScim(
      await h.scim(h.acme, 'GET', `/Groups/${group.id}?excludedAttributes=members`),
      200,
      'GET group',
    )
    assert.equal(body.members, undefined)
    assert.equal(body.id, group.id)
    assert.equal(body.displayName, 'displayName')
    expectScim(
      await h.scim(h.acme, 'GET', '/Groups/40734ae655284ad3abcc?excludedAttributes=members'),
      404,
      'unknown group',
    )
  })

  it('finds a group by displayName in a different case and by externalId, with excludedAttributes=members', async (t) => {
    const h = await build(t)
    const group = await createGroup(h, entraFixture('tutorial/create-group.json'))
    for (const filter of [
      'displayName eq "displayName"',
      'displayName eq "DISPLAYNAME"',
      'externalId eq "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159"',
    ]) {
      const list = await listGroups(h, `excludedAttributes=members&filter=${q(filter)}`)
      assert.equal(list.totalResults, 1, filter)
      assert.equal(list.Resources[0].id, group.id)
      assert.equal(list.Resources[0].members, undefined)
    }
    const none = await listGroups(
      h,
      `excludedAttributes=members&filter=${q('displayName eq "nonexistent"')}`,
    )
    assert.equal(none.totalResults, 0)
    assert.deepEqual(none.Resources, [])
  })

  it('replaces a group displayName with 204', async (t) => {
    const h = await build(t)
    const group = await createGroup(h, entraFixture('tutorial/create-group.json'))
    expectScim(
      await h.scim(
        h.acme,
        'PATCH',
        `/Groups/${group.id}`,
        entraFixture('tutorial/patch-group-display-name.json'),
      ),
      204,
      'Replace displayName',
    )
    assert.equal(
      (await getGroup(h, group.id)).displayName,
      '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName',
    )
  })

  it('adds members with "$ref": null, several in one operation, and does not duplicate a re-added member', async (t) => {
    const h = await build(t)
    const a = await createUser(h, userBody('a@contoso.com'))
    const b = await createUser(h, userBody('b@contoso.com'))
    const c = await createUser(h, userBody('c@contoso.com'))
    const group = await createGroup(h, entraFixture('tutorial/create-group.json'))
    const one = entraFixture('tutorial/patch-group-add-member.json', { f648f8d5ea4e4cd38e9c: a.id })
    expectScim(await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, one), 204, 'add one member')
    assert.deepEqual(memberIds(await getGroup(h, group.id)), [a.id])
    const several = entraFixture('tutorial/patch-group-add-member.json', {
      f648f8d5ea4e4cd38e9c: b.id,
    })
    several.Operations[0].value.push({ $ref: null, value: c.id }, { $ref: null, value: a.id })
    expectScim(
      await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, several),
      204,
      'add several members',
    )
    assert.deepEqual(memberIds(await getGroup(h, group.id)), [a.id, b.id, c.id].sort())
    expectScim(
      await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, one),
      204,
      're-add a member (retry)',
    )
    assert.deepEqual(memberIds(await getGroup(h, group.id)), [a.id, b.id, c.id].sort())
  })

  it('removes exactly the listed members in both dialects, never all of them', async (t) => {
    const h = await build(t)
    const users = [] as Json[]
    for (const name of ['a', 'b', 'c', 'd'])
      users.push(await createUser(h, userBody(`${name}@contoso.com`)))
    const [a, b, c, d] = users.map((u) => u.id as string) as [string, string, string, string]
    const group = await createGroup(h, entraFixture('tutorial/create-group.json'))
    const add = entraFixture('tutorial/patch-group-add-member.json', { f648f8d5ea4e4cd38e9c: a })
    add.Operations[0].value.push(
      { $ref: null, value: b },
      { $ref: null, value: c },
      { $ref: null, value: d },
    )
    expectScim(await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, add), 204, 'add four')

    const withoutFlag = entraFixture('tutorial/patch-group-remove-member.json', {
      f648f8d5ea4e4cd38e9c: a,
    })
    expectScim(
      await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, withoutFlag),
      204,
      'Remove + value (no flag)',
    )
    assert.deepEqual(memberIds(await getGroup(h, group.id)), [b, c, d].sort())

    const two = entraFixture('tutorial/patch-group-remove-member.json', { f648f8d5ea4e4cd38e9c: b })
    two.Operations[0].value.push({ $ref: null, value: c })
    expectScim(
      await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, two),
      204,
      'Remove + two values (no flag)',
    )
    assert.deepEqual(memberIds(await getGroup(h, group.id)), [d])

    expectScim(await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, add), 204, 'add four again')
    const withFlag = entraFixture('with-flag/remove-member.json', {
      '7f4bc1a3-285e-48ae-8202-5accb43efb0e': c,
    })
    expectScim(
      await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, withFlag),
      204,
      'remove members[value eq] (flag)',
    )
    assert.deepEqual(memberIds(await getGroup(h, group.id)), [a, b, d].sort())

    const absent = entraFixture('tutorial/patch-group-remove-member.json', {
      f648f8d5ea4e4cd38e9c: c,
    })
    expectScim(
      await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, absent),
      204,
      'remove a non-member (retry)',
    )
    assert.deepEqual(memberIds(await getGroup(h, group.id)), [a, b, d].sort())
  })

  it('deletes a group with 204, then answers 404 to GET and to a second DELETE', async (t) => {
    const h = await build(t)
    const group = await createGroup(h, entraFixture('tutorial/create-group.json'))
    expectScim(await h.scim(h.acme, 'DELETE', `/Groups/${group.id}`), 204, 'DELETE group')
    expectScim(await h.scim(h.acme, 'GET', `/Groups/${group.id}`), 404, 'GET deleted group')
    expectScim(await h.scim(h.acme, 'DELETE', `/Groups/${group.id}`), 404, 'second DELETE')
    expectScim(
      await h.scim(h.acme, 'DELETE', '/Groups/cdb1ce18f65944079d37'),
      404,
      'DELETE unknown group',
    )
    assert.equal(
      (await listGroups(h, `filter=${q('displayName eq "displayName"')}`)).totalResults,
      0,
    )
  })
})

describe('Entra ID tutorial: listing and projection (L1 §3.18–§3.19)', () => {
  it('pages users with startIndex and count, reporting totalResults, itemsPerPage and startIndex', async (t) => {
    const h = await build(t)
    for (let i = 1; i <= 5; i++) await createUser(h, userBody(`page${i}@contoso.com`))
    const seen: string[] = []
    for (const start of [1, 3, 5]) {
      const page = await listUsers(h, `startIndex=${start}&count=2`)
      assert.equal(page.totalResults, 5)
      assert.equal(page.startIndex, start)
      assert.equal(page.itemsPerPage, page.Resources.length)
      assert.equal(page.Resources.length, start === 5 ? 1 : 2)
      seen.push(...(page.Resources as Json[]).map((r) => r.id as string))
    }
    assert.equal(new Set(seen).size, 5)
  })

  it('returns only userName and emails, plus id and schemas, with attributes=userName,emails', async (t) => {
    const h = await build(t)
    await createUser(h, entraFixture('tutorial/create-user.json'))
    const list = await listUsers(h, 'attributes=userName,emails')
    assert.equal(list.totalResults, 1)
    const [user] = list.Resources as Json[]
    assert.deepEqual(Object.keys(user).sort(), ['emails', 'id', 'schemas', 'userName'])
  })
})

const DIALECTS = [
  { name: 'without aadOptscim062020', dir: 'without-flag', memberId: 'u1091' },
  {
    name: 'with aadOptscim062020',
    dir: 'with-flag',
    memberId: '7f4bc1a3-285e-48ae-8202-5accb43efb0e',
  },
] as const

for (const dialect of DIALECTS) {
  describe(`Entra PATCH dialect ${dialect.name} (L2, entra-provisioning.md §4)`, () => {
    it('disables a user and enables it again', async (t) => {
      const h = await build(t)
      const user = await createUser(h, userBody('babs@contoso.com'))
      expectPatched(
        await h.scim(
          h.acme,
          'PATCH',
          `/Users/${user.id}`,
          entraFixture(`${dialect.dir}/disable-user.json`),
        ),
        'disable',
      )
      assert.equal((await getUser(h, user.id)).active, false)
      expectPatched(
        await h.scim(
          h.acme,
          'PATCH',
          `/Users/${user.id}`,
          entraFixture(`${dialect.dir}/enable-user.json`),
        ),
        'enable',
      )
      assert.equal((await getUser(h, user.id)).active, true)
    })

    it('adds a single-valued string attribute', async (t) => {
      const h = await build(t)
      const user = await createUser(h, userBody('babs@contoso.com'))
      expectPatched(
        await h.scim(
          h.acme,
          'PATCH',
          `/Users/${user.id}`,
          entraFixture(`${dialect.dir}/add-nick-name.json`),
        ),
        'add nickName',
      )
      assert.equal((await getUser(h, user.id)).nickName, 'Babs')
    })

    it('replaces displayName, the work email, given and family name and the enterprise employeeNumber', async (t) => {
      const h = await build(t)
      const user = await createUser(
        h,
        userBody('bjfe@contoso.com', {
          displayName: 'Before',
          externalId: 'before',
          name: { givenName: 'Old', familyName: 'Name', formatted: 'Old Name' },
        }),
      )
      const res = await h.scim(
        h.acme,
        'PATCH',
        `/Users/${user.id}`,
        entraFixture(`${dialect.dir}/replace-attributes.json`),
      )
      expectPatched(res, 'replace several attributes')
      const body = await getUser(h, user.id)
      assert.equal(body.displayName, 'Bjfe')
      assert.equal(body.name.givenName, 'Kkom')
      assert.equal(body.name.familyName, 'Unua')
      assert.equal(body.name.formatted, 'Old Name', 'sub-attributes not named are kept')
      assert.deepEqual(
        workEmails(body).map((e) => e.value),
        ['Bjfe@contoso.com'],
      )
      assert.equal(body[ENTERPRISE]?.employeeNumber, 'Aklq')
      assert.ok(body.schemas.includes(ENTERPRISE))
      assert.equal(body.externalId, dialect.dir === 'without-flag' ? 'Bjfe' : 'before')
      assert.equal(body.userName, 'bjfe@contoso.com')
      for (const key of ['name.givenName', 'name.familyName', `${ENTERPRISE}:employeeNumber`]) {
        assert.equal(body[key], undefined, `"${key}" is resolved as a path, not stored as a key`)
      }
      const found = await listUsers(h, `filter=${q(`${ENTERPRISE}:employeeNumber eq "Aklq"`)}`)
      assert.deepEqual(
        (found.Resources as Json[]).map((r) => r.id),
        [user.id],
      )
    })

    it('removes one group member and keeps the others', async (t) => {
      const h = await build(t)
      const keep = await createUser(h, userBody('keep@contoso.com'))
      const gone = await createUser(h, userBody('gone@contoso.com'))
      const group = await createGroup(h, entraFixture('tutorial/create-group.json'))
      const add = entraFixture('tutorial/patch-group-add-member.json', {
        f648f8d5ea4e4cd38e9c: keep.id,
      })
      add.Operations[0].value.push({ $ref: null, value: gone.id })
      expectScim(await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, add), 204, 'add two')
      const remove = entraFixture(`${dialect.dir}/remove-member.json`, {
        [dialect.memberId]: gone.id,
      })
      expectScim(await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, remove), 204, 'remove member')
      assert.deepEqual(memberIds(await getGroup(h, group.id)), [keep.id])
    })
  })
}

describe('Entra tenant URL with the aadOptscim062020 query string', () => {
  it('serves requests whose URL still carries ?aadOptscim062020', async (t) => {
    const h = await build(t)
    const user = await createUser(h, userBody('flag@contoso.com'))
    const list = expectScim(
      await h.scim(
        h.acme,
        'GET',
        `/Users?aadOptscim062020&filter=${q('userName eq "flag@contoso.com"')}`,
      ),
      200,
      'GET with the flag in the query',
    )
    assert.equal(list.totalResults, 1)
    expectPatched(
      await h.scim(
        h.acme,
        'PATCH',
        `/Users/${user.id}?aadOptscim062020`,
        entraFixture('with-flag/disable-user.json'),
      ),
      'PATCH with the flag in the query',
    )
    assert.equal((await getUser(h, user.id)).active, false)
  })
})

describe('Microsoft SCIM Validator checks (entra-provisioning.md §6)', () => {
  it('answers a duplicate user with 409 uniqueness and a detail, also when userName differs in case', async (t) => {
    const h = await build(t)
    const request = entraFixture('tutorial/create-user.json')
    await createUser(h, request)
    const same = expectScim(await h.scim(h.acme, 'POST', '/Users', request), 409, 'duplicate user')
    assert.equal(same.scimType, 'uniqueness')
    assert.ok(typeof same.detail === 'string' && same.detail.length > 0)
    const upper = expectScim(
      await h.scim(h.acme, 'POST', '/Users', {
        ...request,
        userName: request.userName.toUpperCase(),
      }),
      409,
      'duplicate user, other case',
    )
    assert.equal(upper.scimType, 'uniqueness')
    assert.equal((await listUsers(h, '')).totalResults, 1)
  })

  it('answers a duplicate group with 409 uniqueness, also when displayName differs in case', async (t) => {
    const h = await build(t)
    const request = entraFixture('tutorial/create-group.json')
    await createGroup(h, request)
    const same = expectScim(
      await h.scim(h.acme, 'POST', '/Groups', request),
      409,
      'duplicate group',
    )
    assert.equal(same.scimType, 'uniqueness')
    const upper = expectScim(
      await h.scim(h.acme, 'POST', '/Groups', { ...request, displayName: 'DISPLAYNAME' }),
      409,
      'duplicate group, other case',
    )
    assert.equal(upper.scimType, 'uniqueness')
  })

  it('adds then removes the same member in one PATCH ("Multiple Ops same attribute"), leaving it out', async (t) => {
    const h = await build(t)
    const stays = await createUser(h, userBody('stays@contoso.com'))
    const member = await createUser(h, userBody('member@contoso.com'))
    const group = await createGroup(h, entraFixture('tutorial/create-group.json'))
    const add = entraFixture('tutorial/patch-group-add-member.json', {
      f648f8d5ea4e4cd38e9c: stays.id,
    })
    expectScim(await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, add), 204, 'add')
    const ops = entraFixture('validator/patch-group-multiple-ops-same-member.json', {
      '{{memberId}}': member.id,
    })
    expectScim(await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, ops), 204, 'add then remove')
    assert.deepEqual(memberIds(await getGroup(h, group.id)), [stays.id])
  })

  it('applies several operations on the same and on different user attributes in order', async (t) => {
    const h = await build(t)
    const user = await createUser(h, userBody('ops@contoso.com', { displayName: 'Start' }))
    const res = await h.scim(h.acme, 'PATCH', `/Users/${user.id}`, {
      schemas: [PATCH],
      Operations: [
        { op: 'replace', path: 'displayName', value: 'First' },
        { op: 'replace', path: 'displayName', value: 'Second' },
        { op: 'replace', path: 'title', value: 'Engineer' },
        { op: 'add', path: 'nickName', value: 'Ops' },
      ],
    })
    expectPatched(res, 'multiple ops')
    const body = await getUser(h, user.id)
    assert.equal(body.displayName, 'Second')
    assert.equal(body.title, 'Engineer')
    assert.equal(body.nickName, 'Ops')
  })

  it('applies a verbose list of replace operations on the default Entra mappings', async (t) => {
    const h = await build(t)
    const user = await createUser(h, entraFixture('tutorial/create-user.json'))
    const ops = [
      ['displayName', 'Verbose User'],
      ['title', 'Director'],
      ['preferredLanguage', 'en-US'],
      ['locale', 'en-GB'],
      ['timezone', 'Europe/London'],
      ['userType', 'Employee'],
      ['nickName', 'Verb'],
      ['emails[type eq "work"].value', 'verbose@contoso.com'],
      ['emails[type eq "other"].value', 'proxy@contoso.com'],
      ['phoneNumbers[type eq "work"].value', '+1 425 555 0100'],
      ['phoneNumbers[type eq "mobile"].value', '+1 425 555 0101'],
      ['phoneNumbers[type eq "fax"].value', '+1 425 555 0102'],
      ['addresses[type eq "work"].streetAddress', '1 Microsoft Way'],
      ['addresses[type eq "work"].locality', 'Redmond'],
      ['addresses[type eq "work"].region', 'WA'],
      ['addresses[type eq "work"].postalCode', '98052'],
      ['addresses[type eq "work"].country', 'US'],
      ['addresses[type eq "other"].formatted', 'Building 92'],
      ['name.givenName', 'Verbose'],
      ['name.familyName', 'User'],
      [`${ENTERPRISE}:employeeNumber`, '42'],
      [`${ENTERPRISE}:department`, 'Research'],
      [`${ENTERPRISE}:costCenter`, 'CC-1'],
      [`${ENTERPRISE}:organization`, 'Contoso'],
      [`${ENTERPRISE}:division`, 'Cloud'],
    ] as const
    const res = await h.scim(h.acme, 'PATCH', `/Users/${user.id}`, {
      schemas: [PATCH],
      Operations: ops.map(([path, value]) => ({ op: 'replace', path, value })),
    })
    expectPatched(res, 'verbose replace')
    const body = await getUser(h, user.id)
    assert.equal(body.displayName, 'Verbose User')
    assert.equal(body.title, 'Director')
    assert.equal(body.preferredLanguage, 'en-US')
    assert.equal(body.locale, 'en-GB')
    assert.equal(body.timezone, 'Europe/London')
    assert.equal(body.userType, 'Employee')
    assert.equal(body.nickName, 'Verb')
    const byType = (list: Json[] | undefined, type: string) =>
      (list ?? []).filter((x) => x.type === type)
    assert.deepEqual(
      byType(body.emails, 'work').map((e) => e.value),
      ['verbose@contoso.com'],
    )
    assert.deepEqual(
      byType(body.emails, 'other').map((e) => e.value),
      ['proxy@contoso.com'],
    )
    assert.deepEqual(
      byType(body.phoneNumbers, 'work').map((p) => p.value),
      ['+1 425 555 0100'],
    )
    assert.deepEqual(
      byType(body.phoneNumbers, 'mobile').map((p) => p.value),
      ['+1 425 555 0101'],
    )
    assert.deepEqual(
      byType(body.phoneNumbers, 'fax').map((p) => p.value),
      ['+1 425 555 0102'],
    )
    const [work] = byType(body.addresses, 'work')
    assert.equal(byType(body.addresses, 'work').length, 1)
    assert.equal(work.streetAddress, '1 Microsoft Way')
    assert.equal(work.locality, 'Redmond')
    assert.equal(work.region, 'WA')
    assert.equal(work.postalCode, '98052')
    assert.equal(work.country, 'US')
    assert.deepEqual(
      byType(body.addresses, 'other').map((a) => a.formatted),
      ['Building 92'],
    )
    assert.equal(body.name.givenName, 'Verbose')
    assert.equal(body.name.familyName, 'User')
    assert.deepEqual(
      { ...body[ENTERPRISE] },
      {
        employeeNumber: '42',
        department: 'Research',
        costCenter: 'CC-1',
        organization: 'Contoso',
        division: 'Cloud',
      },
    )
  })

  it('answers 404 to deleting a non-existent user and to deleting the same user twice', async (t) => {
    const h = await build(t)
    expectScim(
      await h.scim(h.acme, 'DELETE', '/Users/5171a35d82074e068ce2'),
      404,
      'DELETE non-existent user',
    )
    const user = await createUser(h, userBody('twice@contoso.com'))
    expectScim(await h.scim(h.acme, 'DELETE', `/Users/${user.id}`), 204, 'first DELETE')
    expectScim(await h.scim(h.acme, 'DELETE', `/Users/${user.id}`), 404, 'second DELETE')
  })

  it('answers 404 to deleting a non-existent group and to deleting the same group twice', async (t) => {
    const h = await build(t)
    expectScim(
      await h.scim(h.acme, 'DELETE', '/Groups/cdb1ce18f65944079d37'),
      404,
      'DELETE non-existent group',
    )
    const group = await createGroup(h, entraFixture('tutorial/create-group.json'))
    expectScim(await h.scim(h.acme, 'DELETE', `/Groups/${group.id}`), 204, 'first DELETE')
    expectScim(await h.scim(h.acme, 'DELETE', `/Groups/${group.id}`), 404, 'second DELETE')
  })

  it('replaces a group displayName and externalId with path-less replace operations', async (t) => {
    const h = await build(t)
    const member = await createUser(h, userBody('member@contoso.com'))
    const group = await createGroup(h, entraFixture('tutorial/create-group.json'))
    const add = entraFixture('tutorial/patch-group-add-member.json', {
      f648f8d5ea4e4cd38e9c: member.id,
    })
    expectScim(await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, add), 204, 'add member')
    const rename = entraFixture('validator/patch-group-replace-display-name.json', {
      '{{displayName}}': 'Validator Renamed',
    })
    expectScim(
      await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, rename),
      204,
      'path-less displayName',
    )
    const external = entraFixture('validator/patch-group-replace-external-id.json', {
      '{{externalId}}': 'c9b2f1de-0000-4000-8000-000000000001',
    })
    expectScim(
      await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, external),
      204,
      'path-less externalId',
    )
    const body = await getGroup(h, group.id)
    assert.equal(body.displayName, 'Validator Renamed')
    assert.equal(body.externalId, 'c9b2f1de-0000-4000-8000-000000000001')
    assert.deepEqual(memberIds(body), [member.id], 'members are untouched')
  })

  it('replaces the member list with op replace and path members', async (t) => {
    const h = await build(t)
    const a = await createUser(h, userBody('a@contoso.com'))
    const b = await createUser(h, userBody('b@contoso.com'))
    const group = await createGroup(h, entraFixture('tutorial/create-group.json'))
    const add = entraFixture('tutorial/patch-group-add-member.json', { f648f8d5ea4e4cd38e9c: a.id })
    expectScim(await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, add), 204, 'add a')
    const replace = entraFixture('validator/patch-group-replace-members.json', {
      '{{memberId}}': b.id,
    })
    expectScim(
      await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, replace),
      204,
      'replace members',
    )
    assert.deepEqual(memberIds(await getGroup(h, group.id)), [b.id])
    const remove = entraFixture('validator/patch-group-remove-member.json', {
      '{{memberId}}': b.id,
    })
    expectScim(
      await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, remove),
      204,
      'remove members[value eq]',
    )
    assert.deepEqual(memberIds(await getGroup(h, group.id)), [])
  })
})

/** The five users of SCIMReferenceCode's UserAndGroupTestsWithGarbage, created as its tests do. */
async function seedReferenceUsers(h: TestApp): Promise<Record<string, string>> {
  const ids: Record<string, string> = {}
  for (const name of ['omalley', 'emp1', 'emp2', 'emp3', 'enterprise']) {
    const body = entraFixture(`reference-code/user-${name}.json`)
    const created = expectScim(
      await h.scim(h.acme, 'POST', '/Users', body, { 'content-type': 'application/json' }),
      201,
      `POST ${name}`,
    )
    ids[name] = created.id
  }
  return ids
}

describe('SCIMReferenceCode tests with garbage (entra-provisioning.md §7)', () => {
  it('creates a user whose active is the string "True" with 201 and active true', async (t) => {
    const h = await build(t)
    const res = await h.scim(
      h.acme,
      'POST',
      '/Users',
      entraFixture('reference-code/user-emp1.json'),
      { 'content-type': 'application/json' },
    )
    const body = expectScim(res, 201, 'POST emp1')
    assert.equal(body.userName, 'emp1')
    assert.equal(body.active, true)
    assert.equal((await getUser(h, body.id)).active, true)
  })

  it('creates the recorded users, ignoring meta and null sub-attributes, and reads the enterprise extension case-insensitively', async (t) => {
    const h = await build(t)
    const ids = await seedReferenceUsers(h)
    const omalley = await getUser(h, ids.omalley as string)
    assert.equal(omalley.userName, 'OMalley')
    assert.notEqual(
      omalley.meta.created,
      '2019-09-18T18:15:26.5788954+00:00',
      'meta from the request is ignored',
    )
    assert.equal((omalley.addresses as Json[]).length, 2)
    const other = (omalley.addresses as Json[]).find((a) => a.type === 'other')
    assert.equal(other.formatted, '18522 Lisa Unions\nEast Gregory, CT 52311')
    assert.equal(other.country, undefined, 'null is unassigned (RFC 7643 §2.5)')
    const enterprise = await getUser(h, ids.enterprise as string)
    assert.equal(enterprise[ENTERPRISE]?.department, 'some department')
  })

  it('rejects a user without userName with 400 and writes nothing', async (t) => {
    const h = await build(t)
    const body = expectScim(
      await h.scim(h.acme, 'POST', '/Users', entraFixture('reference-code/user-noname.json'), {
        'content-type': 'application/json',
      }),
      400,
      'POST without userName',
    )
    assert.match(body.detail, /userName/)
    assert.equal((await listUsers(h, '')).totalResults, 0)
  })

  it('rejects the malformed JSON of user_junk.json with 400 invalidSyntax', async (t) => {
    const h = await build(t)
    const junk =
      '{\n  "acve": tre,\n  "adadfdresses": [\n    {\n      "coudftry": "Beruda",\n      "type": "work",\n' +
      '      "primary": false\n    },\n    {\n      "country": null,\n      "locality": null,\n      les": [],\n' +
      '      "title": "Site engineer",\n      "externalId": "22fbc523-6032-4c5f-939d-5d4850cf3e52",\n' +
      '      "schemas": [\n        "urn:ietf:params:scim:schemas:core:2.0:User"\n      ]\n    }\n'
    const body = expectScim(
      await h.scim(h.acme, 'POST', '/Users', junk, { 'content-type': 'application/json' }),
      400,
      'POST junk',
    )
    assert.equal(body.scimType, 'invalidSyntax')
    assert.equal((await listUsers(h, '')).totalResults, 0)
  })

  it('answers a second create of emp3 with 409 and a detail', async (t) => {
    const h = await build(t)
    await seedReferenceUsers(h)
    const body = expectScim(
      await h.scim(h.acme, 'POST', '/Users', entraFixture('reference-code/user-emp3.json'), {
        'content-type': 'application/json',
      }),
      409,
      'POST emp3 again',
    )
    assert.equal(body.scimType, 'uniqueness')
    assert.ok(typeof body.detail === 'string' && body.detail.length > 0)
  })

  it('replaces userName with "op":"Replace" and active with a boolean, then reads them back', async (t) => {
    const h = await build(t)
    const ids = await seedReferenceUsers(h)
    const id = ids.omalley as string
    expectPatched(
      await h.scim(
        h.acme,
        'PATCH',
        `/Users/${id}`,
        entraFixture('reference-code/patch-omalley-uname.json'),
        { 'content-type': 'application/json' },
      ),
      'PATCH userName',
    )
    expectPatched(
      await h.scim(
        h.acme,
        'PATCH',
        `/Users/${id}`,
        entraFixture('reference-code/patch-omalley-active.json'),
        { 'content-type': 'application/json' },
      ),
      'PATCH active',
    )
    const body = await getUser(h, id)
    assert.equal(body.userName, 'newusername')
    assert.equal(body.active, false)
  })

  it('pages with startIndex=1&count=2 and projects with attributes=userName,emails', async (t) => {
    const h = await build(t)
    const ids = await seedReferenceUsers(h)
    const page = await listUsers(h, 'startIndex=1&count=2')
    assert.equal(page.totalResults, 5)
    assert.equal(page.itemsPerPage, 2)
    assert.equal(page.startIndex, 1)
    assert.equal(page.Resources.length, 2)
    for (const r of page.Resources as Json[]) assert.ok(Object.values(ids).includes(r.id))
    const projected = await listUsers(h, 'attributes=userName,emails')
    assert.equal(projected.totalResults, 5)
    for (const r of projected.Resources as Json[]) {
      assert.deepEqual(
        Object.keys(r).filter((k) => !['id', 'schemas', 'userName', 'emails'].includes(k)),
        [],
      )
      assert.ok(Array.isArray(r.emails))
    }
  })

  it('filters with and (… co … or … co …), sw and meta.created gt', async (t) => {
    const h = await build(t)
    const ids = await seedReferenceUsers(h)
    const idsOf = (list: Json) => (list.Resources as Json[]).map((r) => r.id as string).sort()
    const employees = await listUsers(
      h,
      `filter=${q('name.FamilyName eq "Employee" and (emails.Value co "example.com" or emails.Value co "example.org")')}`,
    )
    assert.deepEqual(idsOf(employees), [ids.emp1, ids.emp2, ids.emp3, ids.enterprise].sort())
    const startsWith = await listUsers(h, `filter=${q('userName sw "O"')}`)
    assert.deepEqual(idsOf(startsWith), [ids.omalley])
    const created = await listUsers(
      h,
      `filter=${q('meta.Created gt "2015-10-10T14:38:21.8617979-07:00"')}`,
    )
    assert.deepEqual(idsOf(created), Object.values(ids).sort())
    const future = await listUsers(h, `filter=${q('meta.created gt "2999-01-01T00:00:00Z"')}`)
    assert.equal(future.totalResults, 0)
  })

  it('answers the recorded unquoted filters either with the right users or with 400 invalidFilter', async (t) => {
    const h = await build(t)
    const ids = await seedReferenceUsers(h)
    for (const [filter, expected] of [
      [
        'name.FamilyName eq Employee and (emails.Value co example.com or emails.Value co example.org)',
        [ids.emp1, ids.emp2, ids.emp3, ids.enterprise],
      ],
      ['userName sw O', [ids.omalley]],
      ['meta.Created gt 2015-10-10T14:38:21.8617979-07:00', Object.values(ids)],
    ] as const) {
      const res = await h.scim(h.acme, 'GET', `/Users?filter=${encodeURIComponent(filter)}`)
      if (res.statusCode === 400) {
        assert.equal(expectScim(res, 400, filter).scimType, 'invalidFilter')
      } else {
        const body = expectScim(res, 200, filter)
        assert.deepEqual((body.Resources as Json[]).map((r) => r.id).sort(), [...expected].sort())
      }
    }
  })

  it('adds a member given as a bare string value with 204, and omits members with excludedAttributes=members', async (t) => {
    const h = await build(t)
    const ids = await seedReferenceUsers(h)
    const group = expectScim(
      await h.scim(h.acme, 'POST', '/Groups', entraFixture('reference-code/group1-garbage.json'), {
        'content-type': 'application/json',
      }),
      201,
      'POST Group 1',
    )
    for (const member of [ids.emp1, ids.emp2] as string[]) {
      const patch = entraFixture('reference-code/patch-add-junk-user-group.json', {
        '{{1stgroupid}}': group.id,
        '{{junkuserid}}': member,
      })
      expectScim(
        await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, patch, {
          'content-type': 'application/json',
        }),
        204,
        'add bare string member',
      )
    }
    const body = await getGroup(h, group.id)
    assert.equal(body.displayName, 'Group 1')
    assert.deepEqual(memberIds(body), [ids.emp1, ids.emp2].sort())
    const excluded = expectScim(
      await h.scim(h.acme, 'GET', `/Groups/${group.id}?excludedAttributes=members`),
      200,
      'GET excluded',
    )
    assert.equal(excluded.members, undefined)
  })
})

describe('Group description extension (SPEC G6)', () => {
  it('accepts the description in the extension on create and returns it with the extension URN in schemas', async (t) => {
    const h = await build(t)
    const created = await createGroup(h, entraFixture('group-extension/create-group.json'))
    assert.equal(created[GROUP_EXTENSION]?.description, 'Everyone in the finance department')
    const body = await getGroup(h, created.id)
    assert.ok(body.schemas.includes(GROUP))
    assert.ok(body.schemas.includes(GROUP_EXTENSION))
    assert.equal(body[GROUP_EXTENSION]?.description, 'Everyone in the finance department')
  })

  it('replaces the description through the extension URN path with "op":"Replace"', async (t) => {
    const h = await build(t)
    const created = await createGroup(h, entraFixture('tutorial/create-group.json'))
    const res = await h.scim(
      h.acme,
      'PATCH',
      `/Groups/${created.id}`,
      entraFixture('group-extension/patch-group-description.json'),
    )
    expectScim(res, 204, 'PATCH description')
    const body = await getGroup(h, created.id)
    assert.ok(body.schemas.includes(GROUP_EXTENSION))
    assert.equal(body[GROUP_EXTENSION]?.description, 'Finance and controlling')
    assert.equal(body.displayName, 'displayName')
  })
})
