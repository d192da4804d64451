// The provisioning log: redaction, truncation, batching and retention.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { redactBody } from '../../src/provisioning/log-writer.ts'
import { build } from '../helper.ts'

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
    await h.app.inject({ method: 'GET', url: `${h.acme.base}/Users`, headers: { authorization: 'Bearer nope' } })
    await h.log.flush()
    const entries = await h.store.listProvisioningLog(h.acme.tenant.id, { limit: 10 })
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
    const failures = await h.store.listProvisioningLog(h.acme.tenant.id, { limit: 10, failuresOnly: true })
    assert.equal(failures.length, 2)

    const deleted = await h.store.pruneProvisioningLog('1970-01-01T00:00:00.000Z', 1)
    assert.equal(deleted, 2)
    assert.equal((await h.store.listProvisioningLog(h.acme.tenant.id, { limit: 10 })).length, 1)
    assert.equal(await h.store.pruneProvisioningLog(new Date(Date.now() + 1000).toISOString(), 100), 1)
  })
})
