// The provisioning log: redaction, truncation, batching and retention.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  OTHER_SOURCES,
  ProvisioningLogWriter,
  redactBody,
} from '../../src/provisioning/log-writer.ts'
import { asTenantId } from '../../src/domain/ids.ts'
import type { ProvisioningLogEntry, Store } from '../../src/store/store.ts'
import { build } from '../helper.ts'

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest'

describe('redactBody', () => {
  it('redacts passwords in bodies and in PATCH operations on the password', () => {
    const text = redactBody(
      {
        userName: 'a@x.io',
        password: 'hunter2',
        Operations: [{ op: 'replace', path: 'password', value: 'hunter3' }],
      },
      4096,
    )
    assert.ok(text)
    assert.doesNotMatch(text, /hunter/)
    assert.match(text, /a@x\.io/)
  })

  it('cuts long bodies to the configured size and marks the cut', () => {
    const text = redactBody({ displayName: 'x'.repeat(10_000) }, 100)
    assert.ok(text && Buffer.byteLength(text) < 130)
    assert.match(text, /\[truncated\]$/)
    assert.equal(redactBody({ a: 1 }, 0), null)
  })
})

describe('provisioning log', () => {
  it('records every SCIM request of a tenant with its outcome, and prunes by count', async (t) => {
    const h = await build(t)
    await h.scim(h.acme, 'POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'log@x.io',
      password: 'secret-pass',
    })
    await h.scim(h.acme, 'GET', '/Users/does-not-exist')
    await h.app.inject({
      method: 'GET',
      url: `${h.acme.base}/Users`,
      headers: { authorization: 'Bearer nope' },
    })
    await h.log.flush()
    const entries = await h.store.forTenant(h.acme.tenant.id).provisioningLog.list({ limit: 10 })
    assert.deepEqual(
      entries.map((e) => [e.operation, e.status]),
      [
        ['Authenticate', 401],
        ['Get User', 404],
        ['Create User', 201],
      ],
    )
    const created = entries[2]
    assert.ok(created?.resourceId)
    assert.doesNotMatch(created?.requestBody ?? '', /secret-pass/)
    assert.match(entries[1]?.detail ?? '', /not found/)
    const failures = await h.store.forTenant(h.acme.tenant.id).provisioningLog.list({
      limit: 10,
      failuresOnly: true,
    })
    assert.equal(failures.length, 2)

    const deleted = await h.store.provisioningLog.prune('1970-01-01T00:00:00.000Z', 1)
    assert.equal(deleted, 2)
    assert.equal(
      (await h.store.forTenant(h.acme.tenant.id).provisioningLog.list({ limit: 10 })).length,
      1,
    )
    assert.equal(
      await h.store.provisioningLog.prune(new Date(Date.now() + 1000).toISOString(), 100),
      1,
    )
  })
})

describe('provisioning log redaction over HTTP', () => {
  it('stores no password sent URN-qualified, in Entra-cased PATCH operations or in /Bulk', async (t) => {
    const h = await build(t)
    const created = await h.scim(h.acme, 'POST', '/Users', {
      schemas: [USER],
      userName: 'pw@x.io',
      [`${USER}:password`]: 'hunter-create',
    })
    assert.equal(created.statusCode, 201)
    const id = (created.json() as { id: string }).id
    const patches = [
      [{ op: 'Replace', Path: 'password', Value: 'hunter-path' }],
      [{ op: 'Replace', path: `${USER}:password`, value: 'hunter-urn' }],
      [{ op: 'Replace', value: { [`${USER}:password`]: 'hunter-pathless' } }],
      [{ op: 'Replace', value: { [USER]: { password: 'hunter-wrapped' } } }],
    ]
    for (const Operations of patches) {
      const res = await h.scim(h.acme, 'PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations })
      assert.equal(res.statusCode, 200, res.body)
    }
    const bulk = await h.scim(h.acme, 'POST', '/Bulk', {
      schemas: [BULK],
      Operations: [
        {
          method: 'POST',
          path: '/Users',
          bulkId: 'b1',
          data: { schemas: [USER], userName: 'bulk@x.io', [`${USER}:password`]: 'hunter-bulk' },
        },
        {
          method: 'PATCH',
          path: `/Users/${id}`,
          data: {
            schemas: [PATCH_OP],
            Operations: [{ op: 'Replace', Path: 'password', Value: 'hunter-bulk-patch' }],
          },
        },
      ],
    })
    assert.equal(bulk.statusCode, 200)
    await h.log.flush()
    const entries = await h.store.forTenant(h.acme.tenant.id).provisioningLog.list({ limit: 20 })
    assert.equal(entries.length, 6)
    for (const entry of entries) {
      assert.doesNotMatch(`${entry.requestBody} ${entry.responseBody}`, /hunter/)
      assert.match(entry.requestBody ?? '', /\[redacted\]/)
    }
  })

  it('writes the entry of a successful and of a refused write nested 100,000 deep', async (t) => {
    const h = await build(t)
    const deep = '{"a":'.repeat(100_000) + '"hunter2"' + '}'.repeat(100_000)
    const body = (userName: string, key: string) =>
      `{"schemas":["${USER}"],"userName":"${userName}","${key}":${deep}}`
    // readOnly content is ignored on input (RFC 7643 §2.2), an unknown attribute is refused; a
    // body parser with a depth limit may refuse both: either way the request is in the log.
    const accepted = await h.scim(h.acme, 'POST', '/Users', body('deep@x.io', 'meta'))
    const refused = await h.scim(h.acme, 'POST', '/Users', body('deeper@x.io', 'junk'))
    assert.ok(refused.statusCode >= 400)
    await h.log.flush()
    const entries = await h.store.forTenant(h.acme.tenant.id).provisioningLog.list({ limit: 10 })
    assert.deepEqual(
      entries.map((entry) => entry.status),
      [refused.statusCode, accepted.statusCode],
    )
    for (const entry of entries) assert.doesNotMatch(entry.requestBody ?? '', /hunter2/)
  })
})

describe('unauthenticated requests in the provisioning log', () => {
  const entry = (tenantId: string, detail = 'Invalid token'): ProvisioningLogEntry => ({
    tenantId: asTenantId(tenantId),
    at: new Date().toISOString(),
    requestId: 'r',
    method: 'GET',
    path: '/scim/v2/acme/Users',
    operation: 'Authenticate',
    resourceType: null,
    resourceId: null,
    status: 401,
    scimType: null,
    detail,
    durationMs: 1,
    client: null,
    address: null,
    requestBody: null,
    responseBody: null,
  })
  const recorder = (t: { after: (fn: () => Promise<void>) => void }, options = {}) => {
    const written: ProvisioningLogEntry[] = []
    const provisioningLog = {
      append: async (batch: readonly ProvisioningLogEntry[]) => {
        written.push(...batch)
      },
    }
    const store = {
      transaction: (fn: (store: Store) => Promise<unknown>) => fn(store),
      forTenant: () => ({ provisioningLog }),
      provisioningLog: { prune: async () => 0 },
      signInLog: { prune: async () => undefined },
    } as unknown as Store
    let now = Date.parse('2030-01-01T00:00:00.000Z')
    const writer = new ProvisioningLogWriter(store, {
      retentionDays: 30,
      maxRowsPerTenant: 100,
      onError: (error) => {
        throw error
      },
      now: () => now,
      ...options,
    })
    t.after(() => writer.close())
    return { writer, written, advance: (ms: number) => (now += ms) }
  }

  it('logs the first request of a source at once and the rest of its window as one count', async (t) => {
    const { writer, written, advance } = recorder(t, { unauthenticatedWindowMs: 60_000 })
    for (let i = 0; i < 50; i++) {
      writer.recordUnauthenticated(entry('t1'), '203.0.113.7')
      advance(100)
    }
    writer.recordUnauthenticated(entry('t1'), '198.51.100.1')
    writer.recordUnauthenticated(entry('t2'), '203.0.113.7')
    await writer.flush()
    assert.deepEqual(
      written.map((e) => [e.tenantId, e.detail?.match(/from [^;]+/)?.[0]]),
      [
        ['t1', 'from 203.0.113.7'],
        ['t1', 'from 198.51.100.1'],
        ['t2', 'from 203.0.113.7'],
      ],
    )
    advance(60_000)
    await writer.flush()
    assert.equal(written.length, 4)
    assert.match(
      written[3]?.detail ?? '',
      /^49 more unauthenticated requests from 203\.0\.113\.7 between 2030-01-01T00:00:00\.100Z and 2030-01-01T00:00:04\.900Z; the last one: Invalid token$/,
    )
    // A new window starts with a logged request again.
    writer.recordUnauthenticated(entry('t1'), '203.0.113.7')
    await writer.flush()
    assert.equal(written.length, 5)
  })

  it('tracks a bounded number of sources, the others in one bucket per tenant', async (t) => {
    const { writer, written } = recorder(t, { maxUnauthenticatedSources: 3 })
    for (let i = 0; i < 1000; i++)
      writer.recordUnauthenticated(entry('t1'), `10.0.${i >> 8}.${i & 255}`)
    await writer.close()
    assert.equal(written.length, 5)
    assert.match(written[3]?.detail ?? '', new RegExp(`from ${OTHER_SOURCES};`))
    assert.match(
      written[4]?.detail ?? '',
      new RegExp(`^996 more unauthenticated requests from ${OTHER_SOURCES} `),
    )
  })

  it('keeps 200 anonymous GETs to a few entries with their count, and the real trail', async (t) => {
    const h = await build(t)
    await h.scim(h.acme, 'POST', '/Users', { schemas: [USER], userName: 'kept@x.io' })
    for (let i = 0; i < 200; i++) {
      await h.app.inject({
        method: 'GET',
        url: `${h.acme.base}/Users`,
        remoteAddress: '203.0.113.7',
        headers: i % 2 === 0 ? {} : { authorization: 'Bearer nope' },
      })
    }
    await h.scim(h.acme, 'GET', '/Users')
    await h.log.close()
    const entries = await h.store.forTenant(h.acme.tenant.id).provisioningLog.list({ limit: 1000 })
    assert.deepEqual(
      entries.map((e) => [e.operation, e.status]),
      [
        ['Authenticate', 401],
        ['List Users', 200],
        ['Authenticate', 401],
        ['Create User', 201],
      ],
    )
    assert.match(
      entries[0]?.detail ?? '',
      /^199 more unauthenticated requests from 203\.0\.113\.7 /,
    )
    assert.match(entries[2]?.detail ?? '', /from 203\.0\.113\.7;/)
    // The per-tenant row cap no longer lets a flood push the real entries out.
    await h.store.provisioningLog.prune('1970-01-01T00:00:00.000Z', 10)
    const kept = await h.store.forTenant(h.acme.tenant.id).provisioningLog.list({ limit: 10 })
    assert.ok(kept.some((e) => e.operation === 'Create User'))
  })
})
