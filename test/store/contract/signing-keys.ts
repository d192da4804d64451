// The Store contract: the service signing key: one, the first stored wins.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { at, type Fresh, signingKey } from './support.ts'

export function defineSigningKeysContract(fresh: Fresh): void {
  describe('signing key', () => {
    it('has no signing key before one is inserted', async (t) => {
      const { store } = await fresh(t)
      assert.equal(await store.signingKeys.get(), undefined)
    })

    it('stores the first key and returns it', async (t) => {
      const { store } = await fresh(t)
      const key = signingKey('key-1', at(1))
      assert.deepEqual(await store.signingKeys.insert(key), key)
      assert.deepEqual(await store.signingKeys.get(), key)
    })

    it('keeps the first key when a second one is inserted, and returns the first', async (t) => {
      const { store } = await fresh(t)
      const first = signingKey('key-1', at(1))
      await store.signingKeys.insert(first)
      assert.deepEqual(await store.signingKeys.insert(signingKey('key-2', at(2))), first)
      assert.deepEqual(await store.signingKeys.get(), first)
    })

    it('keeps the first key even when the second one claims an earlier creation time', async (t) => {
      // Two processes starting together: the one that generated its key first may store it last.
      const { store } = await fresh(t)
      const first = signingKey('key-1', at(2))
      await store.signingKeys.insert(first)
      assert.deepEqual(await store.signingKeys.insert(signingKey('key-2', at(1))), first)
      assert.deepEqual(await store.signingKeys.get(), first)
    })
  })
}
