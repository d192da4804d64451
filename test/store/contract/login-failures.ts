// The Store contract: login failures: counted per key within a window, cleared, pruned.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { at, type Fresh } from './support.ts'

export function defineLoginFailuresContract(fresh: Fresh): void {
  describe('login failures', () => {
    it('counts login failures per key within a window and forgets them when cleared', async (t) => {
      const { store } = await fresh(t)
      await store.loginFailures.record(['account:x', 'address:1'], at(1))
      await store.loginFailures.record(['account:x', 'address:1'], at(5))
      await store.loginFailures.record(['address:1'], at(9))
      await store.loginFailures.record([], at(9))
      assert.deepEqual(await store.loginFailures.count('account:x', at(0)), {
        count: 2,
        oldestAt: at(1),
        latestAt: at(5),
      })
      assert.deepEqual(await store.loginFailures.count('account:x', at(2)), {
        count: 1,
        oldestAt: at(5),
        latestAt: at(5),
      })
      assert.deepEqual(await store.loginFailures.count('address:1', at(0)), {
        count: 3,
        oldestAt: at(1),
        latestAt: at(9),
      })
      assert.deepEqual(await store.loginFailures.count('other', at(0)), {
        count: 0,
        oldestAt: null,
        latestAt: null,
      })
      await store.loginFailures.clear('account:x')
      assert.equal((await store.loginFailures.count('account:x', at(0))).count, 0)
      assert.equal((await store.loginFailures.count('address:1', at(0))).count, 3)
    })
  })
}
