// /api/v1 authentication: an API key on every request (401 problem+json with WWW-Authenticate
// otherwise), revoked keys refused at once, read keys refused on writes (403), the last use
// recorded (not on every request), and no cookie or same-origin check for bearer keys.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { revokeApiKey } from '../../../src/credentials/api-keys.ts'
import { buildV1, json } from './support.ts'

const keyIdOf = (key: string) => key.split('_')[1] ?? ''

describe('/api/v1 authentication', () => {
  it('answers 401 problem+json with WWW-Authenticate without a valid key', async (t) => {
    const h = await buildV1(t)
    const wrongSecret =
      h.keys.acmeRead.slice(0, -4) + (h.keys.acmeRead.endsWith('AAAA') ? 'BBBB' : 'AAAA')
    for (const [key, challenge] of [
      [undefined, /^Bearer realm="rollcall"$/],
      ['', /invalid_token/],
      ['rk_nope', /invalid_token/],
      [wrongSecret, /invalid_token/],
      [`rk_${'0'.repeat(20)}_${'A'.repeat(43)}`, /invalid_token/],
    ] as const) {
      const res = await h.call(key, 'GET', '/api/v1/tenants')
      assert.equal(res.statusCode, 401, String(key))
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/)
      assert.match(String(res.headers['www-authenticate']), challenge)
      assert.equal(json(res).code, 'unauthenticated')
    }
    const basic = await h.app.inject({
      method: 'GET',
      url: '/api/v1/tenants',
      headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
    })
    assert.equal(basic.statusCode, 401)
    assert.equal((await h.call(h.keys.acmeRead, 'GET', '/api/v1/tenants')).statusCode, 200)
  })

  it('refuses a revoked key at once', async (t) => {
    const h = await buildV1(t)
    assert.equal((await h.call(h.keys.operatorRead, 'GET', '/api/v1/tenants')).statusCode, 200)
    await revokeApiKey(h.store, keyIdOf(h.keys.operatorRead))
    const res = await h.call(h.keys.operatorRead, 'GET', '/api/v1/tenants')
    assert.equal(res.statusCode, 401)
    assert.match(String(res.headers['www-authenticate']), /invalid_token/)
  })

  it('refuses every write with a read key (403) and allows it with a write key', async (t) => {
    const h = await buildV1(t)
    const writes = [
      ['POST', '/api/v1/tenants/acme/users', { email: 'new@acme.test' }],
      ['PATCH', '/api/v1/tenants/acme/users/x', { active: false }],
      ['DELETE', '/api/v1/tenants/acme/users/x', undefined],
      ['POST', '/api/v1/tenants/acme/groups', { displayName: 'Ops' }],
      ['PATCH', '/api/v1/tenants/acme/groups/x', { displayName: 'Ops' }],
      ['DELETE', '/api/v1/tenants/acme/groups/x', undefined],
      ['POST', '/api/v1/tenants/acme/groups/x/members', { userId: 'y' }],
      ['DELETE', '/api/v1/tenants/acme/groups/x/members/y', undefined],
    ] as const
    for (const key of [h.keys.acmeRead, h.keys.operatorRead]) {
      for (const [method, url, body] of writes) {
        const res = await h.call(key, method, url, body)
        assert.equal(res.statusCode, 403, `${method} ${url}`)
        assert.equal(json(res).code, 'forbidden')
      }
    }
    assert.equal(
      (
        await h.store
          .forTenant(h.acme.tenant.id)
          .users.list({ sortOrder: 'ascending', startIndex: 1, count: 10 })
      ).items.length,
      0,
    )
    const created = await h.call(h.keys.acmeWrite, 'POST', '/api/v1/tenants/acme/groups', {
      displayName: 'Ops',
    })
    assert.equal(created.statusCode, 201, created.body)
  })

  it('records the last use with its address, at most once a minute', async (t) => {
    const h = await buildV1(t)
    const id = keyIdOf(h.keys.acmeRead)
    assert.equal((await h.store.apiKeys.get(id))?.lastUsedAt, null)
    await h.call(h.keys.acmeRead, 'GET', '/api/v1/tenants')
    const first = await h.store.apiKeys.get(id)
    assert.ok(first?.lastUsedAt)
    assert.equal(first.lastUsedAddress, '127.0.0.1')
    await h.call(h.keys.acmeRead, 'GET', '/api/v1/tenants/acme')
    assert.equal((await h.store.apiKeys.get(id))?.lastUsedAt, first.lastUsedAt)
    // Another key's use is its own.
    assert.equal((await h.store.apiKeys.get(keyIdOf(h.keys.acmeWrite)))?.lastUsedAt, null)
  })

  it('needs no cookie and no same-origin header for a write with a key', async (t) => {
    const h = await buildV1(t)
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/tenants/acme/groups',
      headers: {
        authorization: `Bearer ${h.keys.acmeWrite}`,
        'content-type': 'application/json',
        origin: 'https://elsewhere.example',
      },
      payload: JSON.stringify({ displayName: 'Ops' }),
    })
    assert.equal(res.statusCode, 201, res.body)
    assert.equal(res.headers['set-cookie'], undefined)
  })

  it('answers an unknown /api/v1 route 404 problem+json, after authentication', async (t) => {
    const h = await buildV1(t)
    const res = await h.call(h.keys.acmeRead, 'GET', '/api/v1/nothing-here')
    assert.equal(res.statusCode, 404)
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/)
  })

  it('is in the OpenAPI document with the bearer scheme; the admin API keeps the session', async (t) => {
    const h = await buildV1(t)
    const document = json<{
      components: { securitySchemes: Record<string, { type: string; scheme?: string }> }
      paths: Record<string, Record<string, { security?: unknown }>>
    }>(await h.app.inject({ method: 'GET', url: '/api/openapi.json' }))
    assert.deepEqual(
      [
        document.components.securitySchemes.apiKey?.type,
        document.components.securitySchemes.apiKey?.scheme,
      ],
      ['http', 'bearer'],
    )
    const v1 = Object.entries(document.paths).filter(([path]) => path.startsWith('/api/v1/'))
    assert.ok(v1.length >= 11, v1.map(([path]) => path).join('\n'))
    for (const [path, item] of v1) {
      for (const [method, operation] of Object.entries(item)) {
        assert.deepEqual(operation.security, [{ apiKey: [] }], `${method} ${path}`)
      }
    }
    assert.equal(document.paths['/api/tenants/{tenant}/users']?.get?.security, undefined)
  })
})
