// The Store contract: the OpenID Provider's storage. Models found by id, uid and user code until
// they expire, replaced on upsert, consumed once, revoked by grant across kinds, pruned; clients
// listed oldest first and deleted; signing keys created once even by concurrent starters, and
// rotated with the previous keys published until they retire.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { OidcKeyRecord, OidcModelRecord } from '../../../src/store/store.ts'
import { at, type Fresh } from './support.ts'

const model = (overrides: Partial<OidcModelRecord> = {}): OidcModelRecord => ({
  kind: 'AuthorizationCode',
  id: 'code-1',
  payload: JSON.stringify({ accountId: 'a', grantId: 'g1' }),
  grantId: 'g1',
  userCode: null,
  uid: null,
  expiresAt: at(600),
  ...overrides,
})

const key = (id: string, createdAt: string): OidcKeyRecord => ({
  id,
  privateJwkSealed: `sealed-${id}`,
  createdAt,
  retiresAt: null,
})

export function defineOidcProviderContract(fresh: Fresh): void {
  describe('OpenID Provider storage', () => {
    it('finds a model by id, uid and user code until it expires; kinds stay apart', async (t) => {
      const { store } = await fresh(t)
      await store.oidcModels.upsert(model())
      await store.oidcModels.upsert(
        model({ kind: 'Interaction', id: 'i-1', uid: 'uid-1', grantId: null, payload: '{"x":1}' }),
      )
      await store.oidcModels.upsert(
        model({ kind: 'DeviceCode', id: 'd-1', userCode: 'ABCD', expiresAt: null }),
      )
      assert.deepEqual(await store.oidcModels.find('AuthorizationCode', 'code-1', at(1)), {
        payload: model().payload,
        consumed: null,
      })
      assert.equal(await store.oidcModels.find('AccessToken', 'code-1', at(1)), undefined)
      assert.equal(
        (await store.oidcModels.findByUid('Interaction', 'uid-1', at(1)))?.payload,
        '{"x":1}',
      )
      assert.equal(await store.oidcModels.findByUid('Session', 'uid-1', at(1)), undefined)
      assert.ok(await store.oidcModels.findByUserCode('DeviceCode', 'ABCD', at(10_000)))
      // Expired at its expiry: gone for every lookup, though not yet pruned.
      assert.equal(await store.oidcModels.find('AuthorizationCode', 'code-1', at(600)), undefined)
      assert.equal(await store.oidcModels.findByUid('Interaction', 'uid-1', at(601)), undefined)
    })

    it('replaces a model on upsert, and consumes it (kept with the time) until replaced', async (t) => {
      const { store } = await fresh(t)
      await store.oidcModels.upsert(model())
      assert.equal(
        await store.oidcModels.consume('AuthorizationCode', 'code-1', 1_735_689_601),
        true,
      )
      assert.equal(await store.oidcModels.consume('AuthorizationCode', 'nope', 1), false)
      assert.deepEqual(await store.oidcModels.find('AuthorizationCode', 'code-1', at(1)), {
        payload: model().payload,
        consumed: 1_735_689_601,
      })
      await store.oidcModels.upsert(model({ payload: '{"v":2}' }))
      assert.deepEqual(await store.oidcModels.find('AuthorizationCode', 'code-1', at(1)), {
        payload: '{"v":2}',
        consumed: null,
      })
      await store.oidcModels.destroy('AuthorizationCode', 'code-1')
      assert.equal(await store.oidcModels.find('AuthorizationCode', 'code-1', at(1)), undefined)
    })

    it('revokes every model of a grant, of any kind, and prunes expired rows only', async (t) => {
      const { store } = await fresh(t)
      await store.oidcModels.upsert(model())
      await store.oidcModels.upsert(
        model({ kind: 'RefreshToken', id: 'rt-1', expiresAt: at(9000) }),
      )
      await store.oidcModels.upsert(model({ kind: 'AccessToken', id: 'at-2', grantId: 'g2' }))
      await store.oidcModels.upsert(
        model({ kind: 'Session', id: 's-1', grantId: null, expiresAt: at(5) }),
      )
      await store.oidcModels.revokeByGrantId('g1')
      assert.equal(await store.oidcModels.find('AuthorizationCode', 'code-1', at(1)), undefined)
      assert.equal(await store.oidcModels.find('RefreshToken', 'rt-1', at(1)), undefined)
      assert.ok(await store.oidcModels.find('AccessToken', 'at-2', at(1)))
      assert.equal(await store.oidcModels.pruneExpired(at(10)), 1)
      assert.equal(await store.oidcModels.find('Session', 's-1', at(1)), undefined)
      assert.ok(await store.oidcModels.find('AccessToken', 'at-2', at(1)))
    })

    it('stores clients, lists them oldest first, and deletes them', async (t) => {
      const { store } = await fresh(t)
      const client = (id: string, createdAt: string) => ({
        id,
        name: `App ${id}`,
        secretSealed: `sealed-${id}`,
        redirectUris: ['https://a.test/cb', 'http://localhost:3000/cb'],
        createdAt,
      })
      await store.oidcClients.insert(client('b', at(2)))
      await store.oidcClients.insert(client('a', at(1)))
      assert.deepEqual(await store.oidcClients.get('b'), client('b', at(2)))
      assert.equal(await store.oidcClients.get('c'), undefined)
      assert.deepEqual(
        (await store.oidcClients.list()).map((c) => c.id),
        ['a', 'b'],
      )
      assert.equal(await store.oidcClients.delete('a'), true)
      assert.equal(await store.oidcClients.delete('a'), false)
      assert.deepEqual(
        (await store.oidcClients.list()).map((c) => c.id),
        ['b'],
      )
    })

    it('creates the first signing key once, even when two starters race', async (t) => {
      const { store } = await fresh(t)
      assert.deepEqual(await store.oidcKeys.live(at(0)), [])
      const [one, two] = await Promise.all([
        store.oidcKeys.insertFirst(key('k1', at(1)), at(1)),
        store.oidcKeys.insertFirst(key('k2', at(1)), at(1)),
      ])
      assert.equal(one.length, 1)
      assert.deepEqual(one, two)
      assert.deepEqual(await store.oidcKeys.live(at(2)), one)
    })

    it('rotates: the new key first, the previous published until it retires, then deleted', async (t) => {
      const { store } = await fresh(t)
      await store.oidcKeys.insertFirst(key('k1', at(1)), at(1))
      const afterFirst = await store.oidcKeys.rotate(key('k2', at(10)), at(100), at(10))
      assert.deepEqual(
        afterFirst.map((k) => [k.id, k.retiresAt]),
        [
          ['k2', null],
          ['k1', at(100)],
        ],
      )
      assert.deepEqual(
        (await store.oidcKeys.live(at(100))).map((k) => k.id),
        ['k2'],
      )
      // A later rotation deletes the retired key and keeps the one retiring later.
      const afterSecond = await store.oidcKeys.rotate(key('k3', at(200)), at(300), at(200))
      assert.deepEqual(
        afterSecond.map((k) => [k.id, k.retiresAt]),
        [
          ['k3', null],
          ['k2', at(300)],
        ],
      )
      assert.deepEqual(
        (await store.oidcKeys.live(at(0))).map((k) => k.id),
        ['k3', 'k2'],
      )
    })
  })
}
