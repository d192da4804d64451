// POST /Bulk over HTTP (RFC 7644 §3.7): the examples of §3.7.2 and §3.7.3, bulkId references in
// any order, failOnErrors, per-operation errors, circular references (§3.7.1), limits (§3.7.4).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { build, type TestApp } from '../../helper.ts'

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error'
const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest'
const BULK_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse'
const BASE = 'https://rollcall.test/scim/v2/acme'

interface BulkResult {
  method?: string
  bulkId?: string
  version?: string
  location?: string
  status: string
  response?: { schemas: string[]; status: string; scimType?: string; detail: string }
}

const postUser = (bulkId: string, userName: string) => ({
  method: 'POST',
  path: '/Users',
  bulkId,
  data: { schemas: [USER], userName },
})

const postGroup = (bulkId: string, displayName: string, memberRefs: string[]) => ({
  method: 'POST',
  path: '/Groups',
  bulkId,
  data: {
    schemas: [GROUP],
    displayName,
    members: memberRefs.map((ref) => ({ type: 'User', value: `bulkId:${ref}` })),
  },
})

async function bulk(h: TestApp, body: Record<string, unknown>): Promise<BulkResult[]> {
  const res = await h.scim(h.acme, 'POST', '/Bulk', { schemas: [BULK_REQUEST], ...body })
  assert.equal(res.statusCode, 200, res.body)
  assert.match(res.headers['content-type'] as string, /^application\/scim\+json/)
  const json = res.json() as { schemas: string[]; Operations: BulkResult[] }
  assert.deepEqual(json.schemas, [BULK_RESPONSE])
  return json.Operations
}

const idOf = (location: string | undefined) => location?.split('/').at(-1) ?? ''

async function createUser(h: TestApp, userName: string): Promise<{ id: string; etag: string }> {
  const res = await h.scim(h.acme, 'POST', '/Users', { schemas: [USER], userName })
  assert.equal(res.statusCode, 201)
  return { id: res.json().id as string, etag: res.headers.etag as string }
}

async function count(h: TestApp, path: '/Users' | '/Groups'): Promise<number> {
  return (await h.scim(h.acme, 'GET', path)).json().totalResults as number
}

describe('POST /Bulk with bulkId references (RFC 7644 §3.7.2)', () => {
  it('creates a user and a group that has it as member (the §3.7.2 example)', async (t) => {
    const h = await build(t)
    const results = await bulk(h, {
      Operations: [
        postUser('qwerty', 'alice@example.com'),
        postGroup('ytrewq', 'Tour Guides', ['qwerty']),
      ],
    })
    assert.equal(results.length, 2)
    const [user, group] = results
    assert.equal(user?.method, 'POST')
    assert.equal(user?.bulkId, 'qwerty')
    assert.equal(user?.status, '201')
    assert.match(user?.location ?? '', new RegExp(`^${BASE}/Users/[^/]+$`))
    assert.equal(group?.bulkId, 'ytrewq')
    assert.equal(group?.status, '201')
    assert.match(group?.location ?? '', new RegExp(`^${BASE}/Groups/[^/]+$`))
    assert.equal(user?.response, undefined)

    const userId = idOf(user?.location)
    const stored = await h.scim(h.acme, 'GET', `/Groups/${idOf(group?.location)}`)
    assert.equal(stored.statusCode, 200)
    assert.equal(stored.json().displayName, 'Tour Guides')
    assert.equal(stored.headers.etag, group?.version)
    assert.deepEqual(
      stored.json().members.map((m: { value: string }) => m.value),
      [userId],
    )
    const alice = await h.scim(h.acme, 'GET', `/Users/${userId}`)
    assert.equal(alice.json().userName, 'alice@example.com')
    assert.equal(alice.headers.etag, user?.version)
  })

  it('creates the user first when the group that references it comes first', async (t) => {
    const h = await build(t)
    const results = await bulk(h, {
      Operations: [
        postGroup('ytrewq', 'Tour Guides', ['qwerty']),
        postUser('qwerty', 'alice@example.com'),
      ],
    })
    // Reported in request order, whatever the processing order.
    assert.deepEqual(
      results.map((r) => [r.bulkId, r.status]),
      [
        ['ytrewq', '201'],
        ['qwerty', '201'],
      ],
    )
    const group = await h.scim(h.acme, 'GET', `/Groups/${idOf(results[0]?.location)}`)
    assert.deepEqual(
      group.json().members.map((m: { value: string }) => m.value),
      [idOf(results[1]?.location)],
    )
  })

  it('replaces a bulkId in the enterprise manager and in a PATCH path', async (t) => {
    const h = await build(t)
    const results = await bulk(h, {
      Operations: [
        {
          method: 'PATCH',
          path: '/Groups/bulkId:g',
          data: {
            schemas: [PATCH],
            Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:bob' }] }],
          },
        },
        {
          method: 'POST',
          path: '/Users',
          bulkId: 'bob',
          data: {
            schemas: [USER, ENTERPRISE],
            userName: 'bob@example.com',
            [ENTERPRISE]: { employeeNumber: '11250', manager: { value: 'bulkId:alice' } },
          },
        },
        postUser('alice', 'alice@example.com'),
        postGroup('g', 'Managers', ['alice']),
      ],
    })
    assert.deepEqual(
      results.map((r) => r.status),
      ['204', '201', '201', '201'],
    )
    assert.equal(results[0]?.location, results[3]?.location)
    const bob = await h.scim(h.acme, 'GET', `/Users/${idOf(results[1]?.location)}`)
    assert.equal(bob.json()[ENTERPRISE].manager.value, idOf(results[2]?.location))
    const group = await h.scim(h.acme, 'GET', `/Groups/${idOf(results[3]?.location)}`)
    assert.deepEqual(
      group
        .json()
        .members.map((m: { value: string }) => m.value)
        .sort(),
      [idOf(results[1]?.location), idOf(results[2]?.location)].sort(),
    )
  })

  it('refuses circular references with 409 on each operation of the cycle (§3.7.1)', async (t) => {
    const h = await build(t)
    const group = (bulkId: string, other: string) => ({
      method: 'POST',
      path: '/Groups',
      bulkId,
      data: {
        schemas: [GROUP],
        displayName: `Group ${bulkId}`,
        members: [{ type: 'Group', value: `bulkId:${other}` }],
      },
    })
    const results = await bulk(h, {
      Operations: [
        group('qwerty', 'ytrewq'),
        group('ytrewq', 'qwerty'),
        postUser('u', 'u@example.com'),
      ],
    })
    for (const result of results.slice(0, 2)) {
      assert.equal(result.status, '409')
      assert.equal(result.location, undefined)
      assert.deepEqual(result.response?.schemas, [ERROR])
      assert.equal(result.response?.status, '409')
      assert.match(result.response?.detail ?? '', /Circular bulkId references/)
    }
    assert.equal(results[2]?.status, '201')
    assert.equal(await count(h, '/Groups'), 0)
    assert.equal(await count(h, '/Users'), 1)
  })

  it('answers 400 for a reference no POST declares, and 409 for one whose POST failed', async (t) => {
    const h = await build(t)
    const results = await bulk(h, {
      Operations: [
        postGroup('g1', 'Unknown', ['nobody']),
        { method: 'POST', path: '/Users', bulkId: 'broken', data: { schemas: [USER] } },
        postGroup('g2', 'Depends on broken', ['broken']),
      ],
    })
    assert.equal(results[0]?.status, '400')
    assert.equal(results[0]?.response?.scimType, 'invalidValue')
    assert.match(results[0]?.response?.detail ?? '', /bulkId:nobody/)
    assert.equal(results[1]?.status, '400')
    assert.equal(results[2]?.status, '409')
    assert.match(results[2]?.response?.detail ?? '', /bulkId:broken/)
    assert.equal(await count(h, '/Groups'), 0)
  })
})

describe('POST /Bulk operations and errors (RFC 7644 §3.7.3)', () => {
  it('adds, replaces, patches and removes users with versions, and stores the results', async (t) => {
    const h = await build(t)
    const bob = await createUser(h, 'bob@example.com')
    const dave = await createUser(h, 'dave@example.com')
    const eve = await createUser(h, 'eve@example.com')
    const results = await bulk(h, {
      failOnErrors: 1,
      Operations: [
        postUser('qwerty', 'alice@example.com'),
        {
          method: 'put',
          path: `/Users/${bob.id}`,
          version: bob.etag,
          data: { schemas: [USER], id: bob.id, userName: 'robert@example.com' },
        },
        {
          method: 'Patch',
          path: `/Users/${dave.id}`,
          version: dave.etag,
          data: {
            schemas: [PATCH],
            Operations: [{ op: 'replace', path: 'displayName', value: 'Dave' }],
          },
        },
        { method: 'DELETE', path: `/Users/${eve.id}`, version: eve.etag },
      ],
    })
    assert.deepEqual(
      results.map((r) => [r.method, r.status, r.location]),
      [
        ['POST', '201', results[0]?.location],
        ['PUT', '200', `${BASE}/Users/${bob.id}`],
        ['PATCH', '200', `${BASE}/Users/${dave.id}`],
        ['DELETE', '204', `${BASE}/Users/${eve.id}`],
      ],
    )
    assert.equal(results[3]?.version, undefined)

    const robert = await h.scim(h.acme, 'GET', `/Users/${bob.id}`)
    assert.equal(robert.json().userName, 'robert@example.com')
    assert.equal(robert.headers.etag, results[1]?.version)
    assert.notEqual(results[1]?.version, bob.etag)
    const patched = await h.scim(h.acme, 'GET', `/Users/${dave.id}`)
    assert.equal(patched.json().displayName, 'Dave')
    assert.equal(patched.headers.etag, results[2]?.version)
    assert.equal((await h.scim(h.acme, 'GET', `/Users/${eve.id}`)).statusCode, 404)
    const alice = await h.scim(h.acme, 'GET', `/Users/${idOf(results[0]?.location)}`)
    assert.equal(alice.json().userName, 'alice@example.com')
  })

  it('answers 412 on an operation whose version is stale and runs the others', async (t) => {
    const h = await build(t)
    const bob = await createUser(h, 'bob@example.com')
    const stale = bob.etag
    assert.equal(
      (
        await h.scim(h.acme, 'PATCH', `/Users/${bob.id}`, {
          schemas: [PATCH],
          Operations: [{ op: 'replace', path: 'displayName', value: 'Bob' }],
        })
      ).statusCode,
      200,
    )
    const results = await bulk(h, {
      Operations: [
        {
          method: 'PATCH',
          path: `/Users/${bob.id}`,
          version: stale,
          data: {
            schemas: [PATCH],
            Operations: [{ op: 'replace', path: 'displayName', value: 'Stale' }],
          },
        },
        { method: 'DELETE', path: `/Users/${bob.id}`, version: stale },
        postUser('a', 'alice@example.com'),
      ],
    })
    assert.deepEqual(
      results.map((r) => r.status),
      ['412', '412', '201'],
    )
    assert.equal(results[0]?.location, `${BASE}/Users/${bob.id}`)
    assert.equal(results[0]?.response?.status, '412')
    assert.match(results[0]?.response?.detail ?? '', /If-Match/)
    const stored = await h.scim(h.acme, 'GET', `/Users/${bob.id}`)
    assert.equal(stored.statusCode, 200)
    assert.equal(stored.json().displayName, 'Bob')
  })

  it('stops after failOnErrors errors and reports only what it processed', async (t) => {
    const h = await build(t)
    const one = await bulk(h, {
      failOnErrors: 1,
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'qwerty', data: { schemas: [USER] } },
        postUser('b', 'bob@example.com'),
      ],
    })
    assert.equal(one.length, 1)
    assert.equal(one[0]?.bulkId, 'qwerty')
    assert.equal(one[0]?.status, '400')
    assert.equal(one[0]?.location, undefined)
    assert.deepEqual(one[0]?.response?.schemas, [ERROR])
    assert.equal(await count(h, '/Users'), 0)

    const two = await bulk(h, {
      failOnErrors: 2,
      Operations: [
        postUser('a', 'alice@example.com'),
        { method: 'DELETE', path: '/Users/missing-1' },
        postUser('c', 'carol@example.com'),
        { method: 'DELETE', path: '/Users/missing-2' },
        postUser('d', 'dave@example.com'),
      ],
    })
    assert.deepEqual(
      two.map((r) => r.status),
      ['201', '404', '201', '404'],
    )
    assert.equal(await count(h, '/Users'), 2)
  })

  it('runs every operation without failOnErrors, each failure with its own error', async (t) => {
    const h = await build(t)
    await createUser(h, 'taken@example.com')
    const results = await bulk(h, {
      Operations: [
        { method: 'GET', path: '/Users' },
        { method: 'POST', path: '/Widgets', bulkId: 'w', data: {} },
        postUser('dup', 'taken@example.com'),
        {
          method: 'POST',
          path: '/Users',
          data: { schemas: [USER], userName: 'nobulkid@example.com' },
        },
        postUser('ok', 'ok@example.com'),
        postGroup('grp', 'Staff', ['ok']),
      ],
    })
    assert.deepEqual(
      results.map((r) => [r.method, r.status, r.response?.scimType]),
      [
        ['GET', '400', 'invalidValue'],
        ['POST', '400', 'invalidPath'],
        ['POST', '409', 'uniqueness'],
        ['POST', '400', 'invalidSyntax'],
        ['POST', '201', undefined],
        ['POST', '201', undefined],
      ],
    )
    assert.match(results[0]?.response?.detail ?? '', /method "GET"/)
    assert.match(results[1]?.response?.detail ?? '', /\/Widgets/)
    assert.equal(await count(h, '/Users'), 2)
    assert.equal(await count(h, '/Groups'), 1)
  })

  it('answers 204 for a group PATCH, as the single request would, with the new version', async (t) => {
    const h = await build(t)
    const alice = await createUser(h, 'alice@example.com')
    const created = await h.scim(h.acme, 'POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'Staff',
    })
    const groupId = created.json().id as string
    const results = await bulk(h, {
      Operations: [
        {
          method: 'PATCH',
          path: `/Groups/${groupId}`,
          version: created.headers.etag,
          data: {
            schemas: [PATCH],
            Operations: [{ op: 'add', path: 'members', value: [{ value: alice.id }] }],
          },
        },
      ],
    })
    assert.equal(results[0]?.status, '204')
    const group = await h.scim(h.acme, 'GET', `/Groups/${groupId}`)
    assert.equal(group.headers.etag, results[0]?.version)
    assert.deepEqual(
      group.json().members.map((m: { value: string }) => m.value),
      [alice.id],
    )
  })
})

describe('POST /Bulk request validation and limits (RFC 7644 §3.7, §3.7.4)', () => {
  it('answers 413 naming maxOperations when there are too many operations', async (t) => {
    const h = await build(t, { SCIM_BULK_MAX_OPERATIONS: '2' })
    const res = await h.scim(h.acme, 'POST', '/Bulk', {
      schemas: [BULK_REQUEST],
      Operations: [
        postUser('a', 'a@example.com'),
        postUser('b', 'b@example.com'),
        postUser('c', 'c@example.com'),
      ],
    })
    assert.equal(res.statusCode, 413)
    assert.deepEqual(res.json().schemas, [ERROR])
    assert.equal(res.json().status, '413')
    assert.match(res.json().detail, /at most 2/)
    assert.equal(await count(h, '/Users'), 0)
  })

  it('answers 413 naming the limit when the payload is larger than maxPayloadSize', async (t) => {
    const h = await build(t, { SCIM_MAX_BODY_BYTES: '1024' })
    const res = await h.scim(h.acme, 'POST', '/Bulk', {
      schemas: [BULK_REQUEST],
      Operations: Array.from({ length: 20 }, (_, i) => postUser(`u${i}`, `user${i}@example.com`)),
    })
    assert.equal(res.statusCode, 413)
    assert.equal(res.json().status, '413')
    assert.match(res.json().detail, /1024 bytes/)
  })

  it('answers 400 for a body that is not a BulkRequest, or a bad failOnErrors', async (t) => {
    const h = await build(t)
    const noSchema = await h.scim(h.acme, 'POST', '/Bulk', {
      Operations: [postUser('a', 'a@example.com')],
    })
    assert.equal(noSchema.statusCode, 400)
    assert.equal(noSchema.json().scimType, 'invalidSyntax')
    const noOperations = await h.scim(h.acme, 'POST', '/Bulk', { schemas: [BULK_REQUEST] })
    assert.equal(noOperations.statusCode, 400)
    const zero = await h.scim(h.acme, 'POST', '/Bulk', {
      schemas: [BULK_REQUEST],
      failOnErrors: 0,
      Operations: [postUser('a', 'a@example.com')],
    })
    assert.equal(zero.statusCode, 400)
    assert.equal(zero.json().scimType, 'invalidValue')
    assert.equal(await count(h, '/Users'), 0)
  })

  it('requires the tenant token', async (t) => {
    const h = await build(t)
    const res = await h.app.inject({
      method: 'POST',
      url: `${h.acme.base}/Bulk`,
      headers: { 'content-type': 'application/scim+json' },
      payload: JSON.stringify({
        schemas: [BULK_REQUEST],
        Operations: [postUser('a', 'a@example.com')],
      }),
    })
    assert.equal(res.statusCode, 401)
  })

  it('records the request in the provisioning log as operation Bulk', async (t) => {
    const h = await build(t)
    await bulk(h, { Operations: [postUser('a', 'a@example.com')] })
    await h.log.flush()
    const entries = await h.store.forTenant(h.acme.tenant.id).provisioningLog.list({ limit: 10 })
    const entry = entries.find((e) => e.path.endsWith('/Bulk'))
    assert.equal(entry?.operation, 'Bulk')
    assert.equal(entry?.status, 200)
  })
})
