// Interop defects found with third-party clients (issue #7): a ServiceProviderConfig with only
// RFC 7643 §5 attributes, collections with a trailing slash, unquoted filter values (a named
// quirk, refused in strict mode) and queries at the service root (RFC 7644 §3.4.2.1, §3.4.3).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { build, type TestApp } from '../../helper.ts'
import {
  createGroup,
  createUser,
  expectScim,
  GROUP,
  LIST,
  USER,
  userBody,
  type Json,
} from '../../support/scim.ts'

const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest'

const filtered = (h: TestApp, path: string, filter: string, rest = '') =>
  h.scim(h.acme, 'GET', `${path}?filter=${encodeURIComponent(filter)}${rest}`)

const search = (h: TestApp, path: string, body: Json) =>
  h.scim(h.acme, 'POST', path, { schemas: [SEARCH], ...body })

const idsOf = (list: Json): string[] => (list.Resources as Json[]).map((r) => r.id as string)

describe('ServiceProviderConfig (RFC 7643 §5)', () => {
  const RFC_KEYS = [
    'authenticationSchemes',
    'bulk',
    'changePassword',
    'etag',
    'filter',
    'meta',
    'patch',
    'schemas',
    'sort',
  ]

  it('sends only RFC 7643 §5 attributes: no maxFilterLength, no interopProfileConformant false', async (t) => {
    const h = await build(t)
    const config = expectScim(await h.scim(h.acme, 'GET', '/ServiceProviderConfig'), 200, 'config')
    assert.deepEqual(Object.keys(config).sort(), RFC_KEYS)
    assert.deepEqual(Object.keys(config.filter).sort(), ['maxResults', 'supported'])
    assert.equal(config.filter.maxResults, h.config.scim.maxResults)
    for (const scheme of config.authenticationSchemes as Json[]) {
      assert.deepEqual(
        Object.keys(scheme).filter(
          (key) =>
            !['type', 'name', 'description', 'specUri', 'documentationUri', 'primary'].includes(
              key,
            ),
        ),
        [],
      )
    }
  })

  it('adds interopProfileConformant: true in strict profile mode only', async (t) => {
    const h = await build(t)
    await h.store.forTenant(h.acme.tenant.id).scim.setStrictProfile(true)
    const config = expectScim(await h.scim(h.acme, 'GET', '/ServiceProviderConfig'), 200, 'strict')
    assert.deepEqual(Object.keys(config).sort(), [...RFC_KEYS, 'interopProfileConformant'].sort())
    assert.equal(config.interopProfileConformant, true)
  })
})

describe('collections with a trailing slash (AzureAD/SCIMReferenceCode#44)', () => {
  it('answers GET /Users/?filter= and GET /Groups/?filter= as the collections', async (t) => {
    const h = await build(t)
    const user = await createUser(h, userBody('slash@example.com'))
    const group = await createGroup(h, { schemas: [GROUP], displayName: 'Slashers' })
    const users = expectScim(
      await filtered(h, '/Users/', 'userName eq "slash@example.com"'),
      200,
      'GET /Users/',
    )
    assert.deepEqual(users.schemas, [LIST])
    assert.deepEqual(idsOf(users), [user.id])
    const groups = expectScim(
      await filtered(h, '/Groups/', 'displayName eq "slashers"', '&excludedAttributes=members'),
      200,
      'GET /Groups/',
    )
    assert.deepEqual(idsOf(groups), [group.id])
    const all = expectScim(await h.scim(h.acme, 'GET', '/Users/'), 200, 'GET /Users/ unfiltered')
    assert.equal(all.totalResults, 1)
    const none = expectScim(await filtered(h, '/Users/', 'userName eq "nobody"'), 200, 'no match')
    assert.equal(none.totalResults, 0)
  })

  it('creates with POST /Users/ and POST /Groups/, and searches with POST /Users/.search/', async (t) => {
    const h = await build(t)
    const user = expectScim(
      await h.scim(h.acme, 'POST', '/Users/', userBody('posted@example.com')),
      201,
      'POST /Users/',
    )
    expectScim(await h.scim(h.acme, 'GET', `/Users/${user.id}`), 200, 'GET the created user')
    expectScim(
      await h.scim(h.acme, 'POST', '/Groups/', { schemas: [GROUP], displayName: 'Posted' }),
      201,
      'POST /Groups/',
    )
    for (const path of ['/Users/.search', '/Users/.search/']) {
      const found = expectScim(
        await search(h, path, { filter: 'userName eq "posted@example.com"' }),
        200,
        path,
      )
      assert.deepEqual(idsOf(found), [user.id], path)
    }
  })
})

describe('unquoted filter values (filter/quirks.ts readUnquotedValue)', () => {
  async function seed(h: TestApp): Promise<{ ok: Json; other: Json }> {
    const ok = await createUser(
      h,
      userBody('OEmployee@example.com', {
        externalId: '1234abc',
        name: { givenName: 'Olga', familyName: 'Employee' },
      }),
    )
    const other = await createUser(
      h,
      userBody('john@example.com', {
        externalId: '12',
        name: { givenName: 'John', familyName: 'Smith' },
      }),
    )
    return { ok, other }
  }

  it("reads them as strings, as Microsoft's reference code does", async (t) => {
    const h = await build(t)
    const { ok, other } = await seed(h)
    const cases: readonly [string, string[]][] = [
      ['userName sw O', [ok.id]],
      ['name.familyName eq Employee', [ok.id]],
      ['meta.created gt 2015-10-10T14:38:21.8617979-07:00', [ok.id, other.id]],
      ['meta.Created lt 2015-10-10T14:38:21.8617979-07:00', []],
      ['externalId eq 1234abc', [ok.id]],
      ['userName eq john@example.com and active eq true', [other.id]],
      ['emails[type eq work].value eq OEMPLOYEE@example.com', [ok.id]],
    ]
    for (const [filter, expected] of cases) {
      const list = expectScim(await filtered(h, '/Users', filter), 200, filter)
      assert.deepEqual(idsOf(list).sort(), [...expected].sort(), filter)
      const posted = expectScim(await search(h, '/Users/.search', { filter }), 200, filter)
      assert.deepEqual(idsOf(posted).sort(), [...expected].sort(), `POST ${filter}`)
    }
  })

  it('keeps a bare number a number: externalId eq 12 is the wrong type for a string', async (t) => {
    const h = await build(t)
    await seed(h)
    const body = expectScim(await filtered(h, '/Users', 'externalId eq 12'), 400, 'eq 12')
    assert.equal(body.scimType, 'invalidFilter')
    const quoted = expectScim(await filtered(h, '/Users', 'externalId eq "12"'), 200, 'eq "12"')
    assert.equal(quoted.totalResults, 1)
  })

  it('refuses them in strict profile mode with 400 invalidFilter saying to quote the value', async (t) => {
    const h = await build(t)
    await seed(h)
    await h.store.forTenant(h.acme.tenant.id).scim.setStrictProfile(true)
    for (const filter of [
      'userName sw O',
      'externalId eq 1234abc',
      'meta.created gt 2015-10-10T14:38:21.8617979-07:00',
    ]) {
      const body = expectScim(await filtered(h, '/Users', filter), 400, `strict ${filter}`)
      assert.equal(body.scimType, 'invalidFilter')
      assert.match(body.detail, /^unquoted value ".+" at position \d+: quote the value/)
      assert.match(body.detail, /strict interop-profile mode/)
    }
    const quoted = expectScim(await filtered(h, '/Users', 'userName sw "O"'), 200, 'strict quoted')
    assert.equal(quoted.totalResults, 1)
  })
})

describe('queries at the service root (RFC 7644 §3.4.2.1, §3.4.3)', () => {
  // Users a@, b@, c@ (created in that order), Groups Alpha, Beta with a@ as member of Alpha.
  async function seed(h: TestApp): Promise<{ users: Json[]; groups: Json[] }> {
    const users: Json[] = []
    for (const name of ['a', 'b', 'c']) {
      users.push(
        await createUser(h, userBody(`${name}@example.com`, { displayName: `User ${name}` })),
      )
    }
    const alpha = await createGroup(h, {
      schemas: [GROUP],
      displayName: 'Alpha',
      members: [{ value: users[0].id }],
    })
    const beta = await createGroup(h, { schemas: [GROUP], displayName: 'Beta' })
    return { users, groups: [alpha, beta] }
  }

  it('lists Users then Groups, each with its schemas and meta.resourceType', async (t) => {
    const h = await build(t)
    const { users, groups } = await seed(h)
    const list = expectScim(await search(h, '/.search', {}), 200, 'POST /.search')
    assert.deepEqual(list.schemas, [LIST])
    assert.equal(list.totalResults, 5)
    assert.equal(list.itemsPerPage, 5)
    assert.equal(list.startIndex, 1)
    assert.deepEqual(
      idsOf(list),
      [...users, ...groups].map((r) => r.id),
    )
    const resources = list.Resources as Json[]
    assert.deepEqual(
      resources.map((r) => [r.schemas[0], r.meta.resourceType]),
      [
        [USER, 'User'],
        [USER, 'User'],
        [USER, 'User'],
        [GROUP, 'Group'],
        [GROUP, 'Group'],
      ],
    )
    assert.deepEqual(
      resources[3].members.map((m: Json) => m.value),
      [users[0].id],
    )
  })

  it("matches a filter on one type's attributes against that type only", async (t) => {
    const h = await build(t)
    const { users, groups } = await seed(h)
    const [a, b] = users
    const [alpha, beta] = groups
    const cases: readonly [string, Json[]][] = [
      ['userName sw "a"', [a]],
      ['members pr', [alpha]],
      [`members.value eq "${a.id}"`, [alpha]],
      [`groups.value eq "${alpha.id}"`, [a]],
      ['displayName co "a"', users.concat(alpha, beta).filter((r) => /a/i.test(r.displayName))],
      ['meta.resourceType eq "Group"', [alpha, beta]],
      ['userName eq "b@example.com" or displayName eq "beta"', [b, beta]],
      ['userName eq "b@example.com" and displayName eq "beta"', []],
      ['not (userName pr)', [alpha, beta]],
      ['userName sw a', [a]],
    ]
    for (const [filter, expected] of cases) {
      const list = expectScim(await search(h, '/.search', { filter }), 200, filter)
      assert.deepEqual(
        idsOf(list),
        expected.map((r) => r.id),
        filter,
      )
      assert.equal(list.totalResults, expected.length, filter)
    }
  })

  it('refuses a filter attribute that no resource type defines with 400 invalidFilter', async (t) => {
    const h = await build(t)
    const body = expectScim(await search(h, '/.search', { filter: 'nope eq "x"' }), 400, 'nope')
    assert.equal(body.scimType, 'invalidFilter')
    assert.match(body.detail, /unknown attribute "nope"/)
  })

  it('pages across the two types: startIndex and count over Users then Groups', async (t) => {
    const h = await build(t)
    const { users, groups } = await seed(h)
    const all = [...users, ...groups].map((r) => r.id)
    for (const [startIndex, count] of [
      [1, 2],
      [2, 3],
      [3, 1],
      [4, 10],
      [5, 1],
      [6, 3],
      [1, 0],
    ] as const) {
      const list = expectScim(
        await search(h, '/.search', { startIndex, count }),
        200,
        `startIndex ${startIndex} count ${count}`,
      )
      assert.equal(list.totalResults, 5)
      assert.equal(list.startIndex, startIndex)
      assert.deepEqual(idsOf(list), all.slice(startIndex - 1, startIndex - 1 + count))
      assert.equal(list.itemsPerPage, idsOf(list).length)
    }
  })

  it('sorts each type by sortBy where the type has the attribute', async (t) => {
    const h = await build(t)
    const { users, groups } = await seed(h)
    const list = expectScim(
      await search(h, '/.search', { sortBy: 'userName', sortOrder: 'descending' }),
      200,
      'sortBy userName',
    )
    assert.deepEqual(
      idsOf(list),
      [...[...users].reverse(), ...groups].map((r) => r.id),
    )
    const byName = expectScim(
      await search(h, '/.search', { sortBy: 'displayName', sortOrder: 'descending' }),
      200,
      'sortBy displayName',
    )
    assert.deepEqual(
      idsOf(byName),
      [...[...users].reverse(), ...[...groups].reverse()].map((r) => r.id),
    )
    const unknown = expectScim(await search(h, '/.search', { sortBy: 'nope' }), 400, 'sortBy nope')
    assert.equal(unknown.scimType, 'invalidValue')
  })

  it('applies attributes and excludedAttributes per type, keeping schemas and meta.resourceType', async (t) => {
    const h = await build(t)
    const { users, groups } = await seed(h)
    const list = expectScim(
      await search(h, '/.search', {
        attributes: ['userName'],
        filter: 'userName eq "a@example.com" or displayName eq "Alpha"',
      }),
      200,
      'attributes userName',
    )
    assert.deepEqual(list.Resources, [
      {
        schemas: [USER],
        id: users[0].id,
        userName: 'a@example.com',
        meta: { resourceType: 'User' },
      },
      { schemas: [GROUP], id: groups[0].id, meta: { resourceType: 'Group' } },
    ])
    const excluded = expectScim(
      await search(h, '/.search', {
        excludedAttributes: ['members', 'emails'],
        filter: 'displayName co "a"',
      }),
      200,
      'excludedAttributes members',
    )
    for (const resource of excluded.Resources as Json[]) {
      assert.equal(resource.members, undefined)
      assert.equal(resource.emails, undefined)
      assert.ok(resource.displayName)
    }
    const unknown = expectScim(await search(h, '/.search', { attributes: ['nope'] }), 400, 'nope')
    assert.equal(unknown.scimType, 'invalidValue')
  })

  it('answers GET /?filter= the same way, with or without the trailing slash', async (t) => {
    const h = await build(t)
    const { groups } = await seed(h)
    for (const path of ['/', '']) {
      const list = expectScim(await filtered(h, path, 'members pr'), 200, `GET ${path}?filter=`)
      assert.deepEqual(idsOf(list), [groups[0].id])
    }
    const everything = expectScim(await h.scim(h.acme, 'GET', '/'), 200, 'GET / unfiltered')
    assert.equal(everything.totalResults, 5)
  })

  it('needs a SearchRequest body and keeps to the tenant', async (t) => {
    const h = await build(t)
    await seed(h)
    const bad = expectScim(
      await h.scim(h.acme, 'POST', '/.search', { filter: 'userName pr' }),
      400,
      'no schemas',
    )
    assert.equal(bad.scimType, 'invalidSyntax')
    const other = await h.addTenant('globex')
    const res = await h.scim(other, 'POST', '/.search', { schemas: [SEARCH] })
    assert.equal(expectScim(res, 200, 'other tenant').totalResults, 0)
  })

  it('refuses unquoted values at the root too in strict profile mode', async (t) => {
    const h = await build(t)
    await seed(h)
    const lenient = expectScim(
      await search(h, '/.search', { filter: 'displayName eq Beta' }),
      200,
      'lenient',
    )
    assert.equal(lenient.totalResults, 1)
    await h.store.forTenant(h.acme.tenant.id).scim.setStrictProfile(true)
    const strict = expectScim(
      await search(h, '/.search', { filter: 'displayName eq Beta' }),
      400,
      'strict',
    )
    assert.equal(strict.scimType, 'invalidFilter')
  })
})
