// The Store contract: API keys: created, found by id, listed, their use recorded at most once per
// interval, revoked once; tenant keys go with their tenant.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { UniqueViolation, type NewApiKey } from '../../../src/store/store.ts'
import { at, type Fresh } from './support.ts'

function key(id: string, overrides: Partial<NewApiKey> = {}): NewApiKey {
  return {
    id,
    tenantId: null,
    scope: 'read',
    name: `key ${id}`,
    keyHash: `hash-${id}`,
    createdAt: at(1),
    ...overrides,
  }
}

export function defineApiKeysContract(fresh: Fresh): void {
  describe('API keys', () => {
    it('creates operator and tenant keys and finds them by id', async (t) => {
      const { store, a } = await fresh(t)
      const operator = await store.apiKeys.create(key('op'))
      const tenant = await store.apiKeys.create(key('ten', { tenantId: a.id, scope: 'write' }))
      assert.deepEqual(operator, {
        ...key('op'),
        lastUsedAt: null,
        lastUsedAddress: null,
        revokedAt: null,
      })
      assert.equal(tenant.tenantId, a.id)
      assert.equal(tenant.scope, 'write')
      assert.deepEqual(await store.apiKeys.get('ten'), tenant)
      assert.equal(await store.apiKeys.get('nope'), undefined)
    })

    it('refuses a duplicate id with UniqueViolation', async (t) => {
      const { store } = await fresh(t)
      await store.apiKeys.create(key('k'))
      await assert.rejects(store.apiKeys.create(key('k')), UniqueViolation)
    })

    it('lists every key, oldest first', async (t) => {
      const { store, b } = await fresh(t)
      await store.apiKeys.create(key('second', { createdAt: at(2) }))
      await store.apiKeys.create(key('first', { createdAt: at(1), tenantId: b.id }))
      await store.apiKeys.revoke('second', at(3))
      assert.deepEqual(
        (await store.apiKeys.list()).map((k) => [k.id, k.revokedAt]),
        [
          ['first', null],
          ['second', at(3)],
        ],
      )
    })

    it('records a use, but not again before the interval has passed', async (t) => {
      const { store } = await fresh(t)
      await store.apiKeys.create(key('k'))
      assert.equal(await store.apiKeys.recordUse('k', at(10), '10.0.0.1', at(0)), true)
      // A use 30 s later, with a one-minute interval: the first stays recorded.
      assert.equal(await store.apiKeys.recordUse('k', at(40), '10.0.0.2', at(-20)), false)
      let stored = await store.apiKeys.get('k')
      assert.deepEqual([stored?.lastUsedAt, stored?.lastUsedAddress], [at(10), '10.0.0.1'])
      assert.equal(await store.apiKeys.recordUse('k', at(80), '10.0.0.3', at(20)), true)
      stored = await store.apiKeys.get('k')
      assert.deepEqual([stored?.lastUsedAt, stored?.lastUsedAddress], [at(80), '10.0.0.3'])
      assert.equal(await store.apiKeys.recordUse('nope', at(80), null, at(20)), false)
    })

    it('revokes once: the first revocation time stays; an unknown id says false', async (t) => {
      const { store } = await fresh(t)
      await store.apiKeys.create(key('k'))
      assert.equal(await store.apiKeys.revoke('k', at(5)), true)
      assert.equal(await store.apiKeys.revoke('k', at(9)), true)
      assert.equal((await store.apiKeys.get('k'))?.revokedAt, at(5))
      assert.equal(await store.apiKeys.revoke('nope', at(5)), false)
    })
  })
}
