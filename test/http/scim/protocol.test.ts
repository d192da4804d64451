// RFC 7644 protocol behaviour over HTTP: errors (§3.12), paging (§3.4.2.4), projection
// (§3.4.2.5), ETags (§3.14), content types, authentication (SPEC §3), bad input (SPEC §9).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { issueScimToken } from '../../../src/credentials/scim-tokens.ts'
import { build } from '../../helper.ts'

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error'

const q = (filter: string) => encodeURIComponent(filter)

describe('SCIM authentication', () => {
  it('answers 401 with a SCIM error for a missing, malformed or foreign token', async (t) => {
    const h = await build(t)
    for (const authorization of [
      undefined,
      'Basic abc',
      'Bearer not.a.jwt',
      `Bearer ${h.acme.token}x`,
    ]) {
      const res = await h.app.inject({
        method: 'GET',
        url: `${h.acme.base}/Users`,
        headers: authorization === undefined ? {} : { authorization },
      })
      assert.equal(res.statusCode, 401, String(authorization))
      assert.deepEqual(res.json().schemas, [ERROR])
      assert.equal(res.json().status, '401')
      assert.match(res.json().detail, /Secret Token/)
    }
  })

  it('revokes the previous token at once when a new one is issued', async (t) => {
    const h = await build(t)
    assert.equal((await h.scim(h.acme, 'GET', '/Users')).statusCode, 200)
    const { token } = await issueScimToken(
      h.store,
      h.signingKey,
      h.acme.tenant,
      h.config.publicUrl,
      { force: true },
    )
    const old = await h.scim(h.acme, 'GET', '/Users')
    assert.equal(old.statusCode, 401)
    assert.match(old.json().detail, /revoked/)
    assert.equal((await h.scim({ ...h.acme, token }, 'GET', '/Users')).statusCode, 200)
  })

  it('does not reveal whether a tenant exists', async (t) => {
    const h = await build(t)
    const res = await h.app.inject({
      method: 'GET',
      url: '/scim/v2/nosuch/Users',
      headers: { authorization: `Bearer ${h.acme.token}` },
    })
    assert.equal(res.statusCode, 401)
  })
})

describe('SCIM bad input', () => {
  it('rejects malformed JSON with 400 invalidSyntax and writes nothing', async (t) => {
    const h = await build(t)
    const res = await h.scim(h.acme, 'POST', '/Users', '{"schemas": [', {})
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().scimType, 'invalidSyntax')
    assert.equal((await h.scim(h.acme, 'GET', '/Users')).json().totalResults, 0)
  })

  it('accepts application/json and application/scim+json; charset=utf-8', async (t) => {
    const h = await build(t)
    const a = await h.scim(
      h.acme,
      'POST',
      '/Users',
      { schemas: [USER], userName: 'a@x.io' },
      { 'content-type': 'application/json' },
    )
    assert.equal(a.statusCode, 201)
    const b = await h.scim(
      h.acme,
      'POST',
      '/Users',
      { schemas: [USER], userName: 'b@x.io' },
      { 'content-type': 'application/scim+json; charset=utf-8' },
    )
    assert.equal(b.statusCode, 201)
    assert.match(b.headers['content-type'] as string, /^application\/scim\+json/)
  })

  it('rejects a body over the configured limit with 413', async (t) => {
    const h = await build(t, { SCIM_MAX_BODY_BYTES: '2048' })
    const res = await h.scim(h.acme, 'POST', '/Users', {
      schemas: [USER],
      userName: 'big@x.io',
      displayName: 'x'.repeat(5000),
    })
    assert.equal(res.statusCode, 413)
    assert.deepEqual(res.json().schemas, [ERROR])
    assert.equal(res.json().status, '413')
  })

  it('rejects an unknown attribute naming it, and a missing userName', async (t) => {
    const h = await build(t)
    const unknown = await h.scim(h.acme, 'POST', '/Users', {
      schemas: [USER],
      userName: 'u@x.io',
      shoeSize: 42,
    })
    assert.equal(unknown.statusCode, 400)
    assert.equal(unknown.json().scimType, 'invalidSyntax')
    assert.match(unknown.json().detail, /shoeSize/)
    const missing = await h.scim(h.acme, 'POST', '/Users', {
      schemas: [USER],
      displayName: 'No Name',
    })
    assert.equal(missing.statusCode, 400)
    assert.match(missing.json().detail, /userName/)
    const noGroupName = await h.scim(h.acme, 'POST', '/Groups', { schemas: [GROUP] })
    assert.equal(noGroupName.statusCode, 400)
    assert.match(noGroupName.json().detail, /displayName/)
  })

  it('rejects an invalid or oversized filter with 400 invalidFilter', async (t) => {
    const h = await build(t)
    for (const filter of [
      'userName xx "a"',
      'userName eq',
      '(userName eq "a"',
      'shoeSize eq 1',
      '('.repeat(500) + 'userName eq "a"' + ')'.repeat(500),
    ]) {
      const res = await h.scim(h.acme, 'GET', `/Users?filter=${q(filter)}`)
      assert.equal(res.statusCode, 400, filter.slice(0, 40))
      assert.equal(res.json().scimType, 'invalidFilter')
    }
    const long = await h.scim(
      h.acme,
      'GET',
      `/Users?filter=${q(`userName eq "${'a'.repeat(5000)}"`)}`,
    )
    assert.equal(long.statusCode, 400)
    assert.equal(long.json().scimType, 'invalidFilter')
  })

  it('applies none of a half-valid PATCH', async (t) => {
    const h = await build(t)
    const user = (
      await h.scim(h.acme, 'POST', '/Users', {
        schemas: [USER],
        userName: 'p@x.io',
        displayName: 'Before',
      })
    ).json()
    const res = await h.scim(h.acme, 'PATCH', `/Users/${user.id}`, {
      schemas: [PATCH],
      Operations: [
        { op: 'replace', path: 'displayName', value: 'After' },
        { op: 'replace', path: 'shoeSize', value: 42 },
      ],
    })
    assert.equal(res.statusCode, 400)
    assert.equal((await h.scim(h.acme, 'GET', `/Users/${user.id}`)).json().displayName, 'Before')
  })

  it('lets exactly one of concurrent creates of the same userName win', async (t) => {
    const h = await build(t)
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        h.scim(h.acme, 'POST', '/Users', { schemas: [USER], userName: 'race@x.io' }),
      ),
    )
    const codes = results.map((r) => r.statusCode).sort()
    assert.deepEqual(codes, [201, 409, 409, 409, 409, 409, 409, 409])
    assert.equal(
      (await h.scim(h.acme, 'GET', `/Users?filter=${q('userName eq "race@x.io"')}`)).json()
        .totalResults,
      1,
    )
  })

  it('lets exactly one of concurrent creates of the same group name win', async (t) => {
    const h = await build(t)
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        h.scim(h.acme, 'POST', '/Groups', { schemas: [GROUP], displayName: 'Race' }),
      ),
    )
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [201, 409, 409, 409, 409, 409])
  })
})

describe('SCIM paging, sorting and projection', () => {
  it('pages with startIndex/count, reports totalResults, and clamps count to the maximum', async (t) => {
    const h = await build(t, { SCIM_MAX_RESULTS: '5' })
    for (let i = 0; i < 12; i++) {
      await h.scim(h.acme, 'POST', '/Users', {
        schemas: [USER],
        userName: `user${String(i).padStart(2, '0')}@x.io`,
      })
    }
    const seen: string[] = []
    for (let start = 1; start <= 12; start += 5) {
      const page = (await h.scim(h.acme, 'GET', `/Users?startIndex=${start}&count=5`)).json()
      assert.equal(page.totalResults, 12)
      assert.equal(page.startIndex, start)
      seen.push(...page.Resources.map((r: { userName: string }) => r.userName))
    }
    assert.equal(new Set(seen).size, 12, 'every user exactly once across pages')
    const clamped = (await h.scim(h.acme, 'GET', '/Users?count=50')).json()
    assert.equal(clamped.itemsPerPage, 5)
    const deep = (await h.scim(h.acme, 'GET', '/Users?startIndex=11&count=5')).json()
    assert.equal(deep.Resources.length, 2)
    const zero = (await h.scim(h.acme, 'GET', '/Users?count=0')).json()
    assert.equal(zero.totalResults, 12)
    assert.deepEqual(zero.Resources, [])
    assert.equal((await h.scim(h.acme, 'GET', '/Users?count=abc')).statusCode, 400)
  })

  it('sorts by userName in both orders', async (t) => {
    const h = await build(t)
    for (const name of ['b@x.io', 'C@x.io', 'a@x.io']) {
      await h.scim(h.acme, 'POST', '/Users', { schemas: [USER], userName: name })
    }
    const asc = (await h.scim(h.acme, 'GET', '/Users?sortBy=userName')).json()
    assert.deepEqual(
      asc.Resources.map((r: { userName: string }) => r.userName),
      ['a@x.io', 'b@x.io', 'C@x.io'],
    )
    const desc = (await h.scim(h.acme, 'GET', '/Users?sortBy=userName&sortOrder=descending')).json()
    assert.deepEqual(
      desc.Resources.map((r: { userName: string }) => r.userName),
      ['C@x.io', 'b@x.io', 'a@x.io'],
    )
  })

  it('returns only the requested attributes, plus id and schemas', async (t) => {
    const h = await build(t)
    const created = await h.scim(h.acme, 'POST', '/Users?attributes=userName', {
      schemas: [USER],
      userName: 'proj@x.io',
      displayName: 'P',
      emails: [{ value: 'proj@x.io', type: 'work', primary: true }],
    })
    assert.deepEqual(Object.keys(created.json()).sort(), ['id', 'schemas', 'userName'])
    const list = (await h.scim(h.acme, 'GET', '/Users?attributes=userName,emails.value')).json()
    assert.deepEqual(list.Resources[0].emails, [{ value: 'proj@x.io' }])
    const excluded = (
      await h.scim(h.acme, 'GET', `/Users/${created.json().id}?excludedAttributes=emails,meta`)
    ).json()
    assert.equal(excluded.emails, undefined)
    assert.equal(excluded.displayName, 'P')
  })

  it('omits members with excludedAttributes=members', async (t) => {
    const h = await build(t)
    const u = (
      await h.scim(h.acme, 'POST', '/Users', { schemas: [USER], userName: 'm@x.io' })
    ).json()
    const g = (
      await h.scim(h.acme, 'POST', '/Groups', {
        schemas: [GROUP],
        displayName: 'G1',
        members: [{ value: u.id }],
      })
    ).json()
    const one = (await h.scim(h.acme, 'GET', `/Groups/${g.id}?excludedAttributes=members`)).json()
    assert.equal(one.members, undefined)
    assert.equal(one.displayName, 'G1')
    const list = (
      await h.scim(
        h.acme,
        'GET',
        `/Groups?excludedAttributes=members&filter=${q('displayName eq "g1"')}`,
      )
    ).json()
    assert.equal(list.totalResults, 1)
    assert.equal(list.Resources[0].members, undefined)
  })

  it('serves POST /.search like GET with the same parameters', async (t) => {
    const h = await build(t)
    await h.scim(h.acme, 'POST', '/Users', { schemas: [USER], userName: 's1@x.io' })
    await h.scim(h.acme, 'POST', '/Users', { schemas: [USER], userName: 's2@x.io' })
    const res = await h.scim(h.acme, 'POST', '/Users/.search', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
      filter: 'userName sw "s1"',
      attributes: ['userName'],
    })
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().totalResults, 1)
    assert.deepEqual(Object.keys(res.json().Resources[0]).sort(), ['id', 'schemas', 'userName'])
  })
})

describe('SCIM versioning', () => {
  it('returns an ETag and meta.version, honours If-None-Match and refuses a stale If-Match with 412', async (t) => {
    const h = await build(t)
    const created = await h.scim(h.acme, 'POST', '/Users', { schemas: [USER], userName: 'v@x.io' })
    const etag = created.headers.etag as string
    assert.equal(created.json().meta.version, etag)
    assert.match(
      created.headers.location as string,
      /^https:\/\/rollcall\.test\/scim\/v2\/acme\/Users\//,
    )
    const id = created.json().id
    assert.equal(
      (await h.scim(h.acme, 'GET', `/Users/${id}`, undefined, { 'if-none-match': etag }))
        .statusCode,
      304,
    )
    const patch = {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'displayName', value: 'V' }],
    }
    const ok = await h.scim(h.acme, 'PATCH', `/Users/${id}`, patch, { 'if-match': etag })
    assert.equal(ok.statusCode, 200)
    assert.notEqual(ok.headers.etag, etag)
    const stale = await h.scim(h.acme, 'PATCH', `/Users/${id}`, patch, { 'if-match': etag })
    assert.equal(stale.statusCode, 412)
  })
})

describe('SCIM overload', () => {
  it('answers 429 with Retry-After when a tenant has too many requests in flight', async (t) => {
    const h = await build(t, { SCIM_MAX_INFLIGHT_PER_TENANT: '2' })
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        h.scim(h.acme, 'POST', '/Users', { schemas: [USER], userName: `load${i}@x.io` }),
      ),
    )
    const limited = results.filter((r) => r.statusCode === 429)
    assert.ok(limited.length > 0, 'some requests are refused')
    assert.equal(limited[0]?.headers['retry-after'], '2')
    assert.equal(limited[0]?.json().status, '429')
    assert.ok(results.some((r) => r.statusCode === 201))
    // Slots are released: a later request goes through.
    assert.equal((await h.scim(h.acme, 'GET', '/Users')).statusCode, 200)
  })
})
