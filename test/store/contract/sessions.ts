// The Store contract: sessions: created for a member, read by id hash, touched, ended (D9), pruned
// when expired.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { asConnectionId } from '../../../src/domain/ids.ts'
import type { SessionRecord } from '../../../src/store/store.ts'
import { addUser, at, type Fresh } from './support.ts'

export function defineSessionsContract(fresh: Fresh): void {
  describe('sessions', () => {
    it('stores sessions with their membership, touches, deletes them, and ends them with the membership', async (t) => {
      const { store, a, b, ta, tb } = await fresh(t)
      const user = await addUser(ta, 'sam@example.com', { origin: 'INTERNAL', role: 'Admin' })
      await addUser(tb, 'sam@example.com', { person: user.id, origin: 'INTERNAL' })
      const session: SessionRecord = {
        idHash: 's-1',
        userId: user.id,
        tenantId: a.id,
        createdAt: at(1),
        lastSeenAt: at(1),
        idleExpiresAt: at(100),
        absoluteExpiresAt: at(1000),
      }
      await store.forTenant(a.id).sessions.insert(session)
      await store.forTenant(a.id).sessions.insert({ ...session, idHash: 's-2' })
      await store.forTenant(b.id).sessions.insert({ ...session, idHash: 's-3' })
      assert.deepEqual(await store.sessions.get('s-1'), {
        ...session,
        tenantSlug: 'acme',
        userName: 'sam@example.com',
        role: 'Admin',
        active: true,
      })
      await store.sessions.touch('s-1', at(50), at(150))
      const touched = await store.sessions.get('s-1')
      assert.equal(touched?.lastSeenAt, at(50))
      assert.equal(touched?.idleExpiresAt, at(150))
      await store.sessions.delete('s-1')
      assert.equal(await store.sessions.get('s-1'), undefined)
      assert.equal(await store.forTenant(a.id).sessions.deleteOf(user.id), 1)
      assert.equal(await store.sessions.get('s-2'), undefined)
      assert.ok(await store.sessions.get('s-3'), "the other tenant's session stays")
      // A deleted membership takes its sessions with it.
      assert.equal(await tb.users.delete(user.id), true)
      assert.equal(await store.sessions.get('s-3'), undefined)
    })

    it("records a session's start as its membership's last sign-in, in that tenant only", async (t) => {
      const { store, a, ta, tb } = await fresh(t)
      const user = await addUser(ta, 'lee@example.com', { origin: 'INTERNAL', role: 'Admin' })
      await addUser(tb, 'lee@example.com', { person: user.id, origin: 'INTERNAL' })
      assert.equal((await ta.users.get(user.id))?.lastSignInAt, null)
      const session: SessionRecord = {
        idHash: 'l-1',
        userId: user.id,
        tenantId: a.id,
        createdAt: at(5),
        lastSeenAt: at(5),
        idleExpiresAt: at(100),
        absoluteExpiresAt: at(1000),
      }
      await store.transaction((trx) => trx.forTenant(a.id).sessions.insert(session))
      const signedIn = await ta.users.get(user.id)
      assert.equal(signedIn?.lastSignInAt, at(5))
      assert.equal(signedIn?.version, user.version, 'the SCIM version stays')
      assert.equal(signedIn?.updatedAt, user.updatedAt, 'so does lastModified')
      assert.equal((await tb.users.get(user.id))?.lastSignInAt, null, 'the other membership')
      await store.forTenant(a.id).sessions.insert({ ...session, idHash: 'l-2', createdAt: at(9) })
      assert.equal((await ta.users.get(user.id))?.lastSignInAt, at(9))
      const listed = await ta.users.search({ limit: 10 })
      assert.deepEqual(
        listed.items.map((u) => u.lastSignInAt),
        [at(9)],
      )
    })

    it('prunes expired states, tokens, sessions and old login failures', async (t) => {
      const { store, a, ta } = await fresh(t)
      const user = await addUser(ta, 'pat@example.com', { origin: 'INTERNAL' })
      const base = {
        tenantId: a.id,
        connectionId: asConnectionId('c'),
        purpose: 'login' as const,
        nonce: 'n',
        codeVerifier: 'v',
        bindingHash: 'b',
        createdAt: at(0),
      }
      await store
        .forTenant(a.id)
        .authorizationStates.insert({ ...base, state: 'old', expiresAt: at(5) })
      await store
        .forTenant(a.id)
        .authorizationStates.insert({ ...base, state: 'new', expiresAt: at(50) })
      const session = { userId: user.id, tenantId: a.id, createdAt: at(0), lastSeenAt: at(0) }
      await store.forTenant(a.id).sessions.insert({
        ...session,
        idHash: 'idle',
        idleExpiresAt: at(5),
        absoluteExpiresAt: at(50),
      })
      await store.forTenant(a.id).sessions.insert({
        ...session,
        idHash: 'live',
        idleExpiresAt: at(50),
        absoluteExpiresAt: at(50),
      })
      await store.loginFailures.record(['k'], at(1))
      await store.loginFailures.record(['k'], at(20))
      await store.authorizationStates.pruneExpired(at(10))
      await store.oneTimeTokens.pruneExpired(at(10))
      await store.sessions.pruneExpired(at(10))
      await store.loginFailures.pruneBefore(at(10))
      assert.equal(await store.authorizationStates.consume('old', at(0)), undefined)
      assert.ok(await store.authorizationStates.consume('new', at(0)))
      assert.equal(await store.sessions.get('idle'), undefined)
      assert.ok(await store.sessions.get('live'))
      assert.equal((await store.loginFailures.count('k', at(0))).count, 1)
    })
  })
}
