// The Store contract: the user repository of a TenantStore: memberships, identities (D1), compare-
// and-set updates.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { newTenantId, newUserId, type UserId } from '../../../src/domain/ids.ts'
import { parseFilter } from '../../../src/scim/filter/parser.ts'
import {
  ENTERPRISE_USER_SCHEMA_URN,
  SCIM_USER_SCHEMA_URN,
} from '../../../src/scim/schemas/index.ts'
import {
  addGroup,
  addUser,
  at,
  type Fresh,
  groupIdsOf,
  ids,
  membersOf,
  query,
  rejectsUnique,
  users,
  userWrite,
} from './support.ts'

export function defineUsersContract(fresh: Fresh): void {
  describe('users', () => {
    it('reads back an inserted user with version 1 and the given columns, doc and membership', async (t) => {
      const { a, ta } = await fresh(t)
      const id = newUserId()
      await ta.users.insertIdentity(id, 'alice@example.com', at(1))
      const write = userWrite('Alice@Example.com', {
        externalId: 'ext-alice',
        displayName: 'Alice Smith',
        active: false,
        doc: {
          schemas: [SCIM_USER_SCHEMA_URN, ENTERPRISE_USER_SCHEMA_URN],
          userName: 'Alice@Example.com',
          name: { givenName: 'Alice', familyName: 'Smith' },
          [ENTERPRISE_USER_SCHEMA_URN]: { department: 'R&D', manager: { value: 'm-1' } },
        },
      })
      const inserted = await ta.users.insert(
        id,
        write,
        { origin: 'INTERNAL', role: 'Admin' },
        at(2),
      )
      assert.deepEqual(inserted, {
        tenantId: a.id,
        id,
        userName: 'Alice@Example.com',
        externalId: 'ext-alice',
        displayName: 'Alice Smith',
        active: false,
        origin: 'INTERNAL',
        role: 'Admin',
        doc: write.doc,
        version: 1,
        createdAt: at(2),
        updatedAt: at(2),
        lastSignInAt: null,
      })
      assert.deepEqual(await ta.users.get(id), inserted)
    })

    it('answers undefined for an unknown user id', async (t) => {
      const { ta } = await fresh(t)
      assert.equal(await ta.users.get(newUserId()), undefined)
    })

    it('refuses a second userName that differs only in case with UniqueViolation tenant_users_user_name', async (t) => {
      const { ta } = await fresh(t)
      const bob = await addUser(ta, 'bob@example.com')
      const other = newUserId()
      await ta.users.insertIdentity(other, null, at(2))
      await rejectsUnique(
        ta.users.insert(
          other,
          userWrite('BOB@Example.COM', { emails: [] }),
          { origin: 'SCIM', role: 'Viewer' },
          at(2),
        ),
        'tenant_users_user_name',
      )
      assert.equal(await ta.users.get(other), undefined)
      assert.equal(await ta.users.findIdByUserName('bob@example.com'), bob.id)
    })

    it('refuses a second identity with the same normalised email with UniqueViolation users_email', async (t) => {
      const { ta } = await fresh(t)
      const first = newUserId()
      await ta.users.insertIdentity(first, 'carol@example.com', at(1))
      await rejectsUnique(
        ta.users.insertIdentity(newUserId(), 'carol@example.com', at(2)),
        'users_email',
      )
      assert.equal((await ta.users.identityByEmail('carol@example.com'))?.userId, first)
    })

    it('allows any number of identities without an email', async (t) => {
      const { ta } = await fresh(t)
      await ta.users.insertIdentity(newUserId(), null, at(1))
      await ta.users.insertIdentity(newUserId(), null, at(1))
      const u1 = await addUser(ta, 'no-email-1')
      const u2 = await addUser(ta, 'no-email-2')
      assert.equal((await ta.users.get(u1.id))?.userName, 'no-email-1')
      assert.equal((await ta.users.get(u2.id))?.userName, 'no-email-2')
    })

    it('finds a user id by userName case-insensitively, and nothing for an unknown userName', async (t) => {
      const { ta } = await fresh(t)
      const dana = await addUser(ta, 'Dana.Scully@Example.com')
      assert.equal(await ta.users.findIdByUserName('dana.scully@example.com'), dana.id)
      assert.equal(await ta.users.findIdByUserName('DANA.SCULLY@EXAMPLE.COM'), dana.id)
      assert.equal(await ta.users.findIdByUserName('dana@example.com'), undefined)
    })

    describe('identityByEmail', () => {
      it('answers undefined for an email no person has', async (t) => {
        const { ta } = await fresh(t)
        await addUser(ta, 'someone@example.com')
        assert.equal(await ta.users.identityByEmail('nobody@example.com'), undefined)
      })

      it('reports a person without memberships as in no tenant', async (t) => {
        const { ta } = await fresh(t)
        const id = newUserId()
        await ta.users.insertIdentity(id, 'loner@example.com', at(1))
        assert.deepEqual(await ta.users.identityByEmail('loner@example.com'), {
          userId: id,
          inThisTenant: undefined,
          otherTenantCount: 0,
          scimControlledElsewhere: false,
        })
      })

      it('reports the membership here with its origin and counts the other tenants', async (t) => {
        const { store, ta, tb } = await fresh(t)
        const c = await store.tenants.create({
          id: newTenantId(),
          slug: 'initech',
          name: 'Initech',
          createdAt: at(0),
        })
        const tc = store.forTenant(c.id)
        const erin = await addUser(ta, 'erin@example.com', { origin: 'INTERNAL' })
        await addUser(tb, 'erin@example.com', { person: erin.id, origin: 'INTERNAL' })
        assert.deepEqual(await ta.users.identityByEmail('erin@example.com'), {
          userId: erin.id,
          inThisTenant: { origin: 'INTERNAL' },
          otherTenantCount: 1,
          scimControlledElsewhere: false,
        })
        assert.deepEqual(await tc.users.identityByEmail('erin@example.com'), {
          userId: erin.id,
          inThisTenant: undefined,
          otherTenantCount: 2,
          scimControlledElsewhere: false,
        })
      })

      it('tells whether the person is SCIM-controlled in another tenant, not counting this one', async (t) => {
        const { store, ta, tb } = await fresh(t)
        const c = await store.tenants.create({
          id: newTenantId(),
          slug: 'initech',
          name: 'Initech',
          createdAt: at(0),
        })
        const tc = store.forTenant(c.id)
        const finn = await addUser(ta, 'finn@example.com', { origin: 'SCIM' })
        await addUser(tb, 'finn@example.com', { person: finn.id, origin: 'INTERNAL' })
        assert.deepEqual(await ta.users.identityByEmail('finn@example.com'), {
          userId: finn.id,
          inThisTenant: { origin: 'SCIM' },
          otherTenantCount: 1,
          scimControlledElsewhere: false,
        })
        assert.deepEqual(await tb.users.identityByEmail('finn@example.com'), {
          userId: finn.id,
          inThisTenant: { origin: 'INTERNAL' },
          otherTenantCount: 1,
          scimControlledElsewhere: true,
        })
        assert.deepEqual(await tc.users.identityByEmail('finn@example.com'), {
          userId: finn.id,
          inThisTenant: undefined,
          otherTenantCount: 2,
          scimControlledElsewhere: true,
        })
      })
    })

    describe('updateUser', () => {
      it('applies a write whose version matches: new columns, doc and emails, version bumped, createdAt kept', async (t) => {
        const { ta } = await fresh(t)
        const dave = await addUser(ta, 'dave@example.com', {
          write: { displayName: 'Dave', externalId: 'ext-1' },
          at: at(1),
        })
        const write = userWrite('david@example.com', {
          displayName: 'David',
          externalId: 'ext-2',
          active: false,
          doc: { schemas: [SCIM_USER_SCHEMA_URN], userName: 'david@example.com', title: 'Boss' },
          emails: [
            { value: 'david@example.com', type: 'work', primary: true },
            { value: 'D@Home.example', type: 'home', primary: false },
          ],
        })
        const updated = await ta.users.update(dave.id, 1, write, at(9))
        assert.deepEqual(updated, {
          ...dave,
          userName: 'david@example.com',
          displayName: 'David',
          externalId: 'ext-2',
          active: false,
          doc: write.doc,
          version: 2,
          updatedAt: at(9),
        })
        assert.deepEqual(await ta.users.get(dave.id), updated)
        assert.equal(await ta.users.findIdByUserName('dave@example.com'), undefined)
        assert.equal(await ta.users.findIdByUserName('DAVID@example.com'), dave.id)
        const byEmail = async (email: string) =>
          ids(await ta.users.list(query({ filter: parseFilter(`emails.value eq "${email}"`) })))
        assert.deepEqual(await byEmail('dave@example.com'), [])
        assert.deepEqual(await byEmail('d@home.example'), [dave.id])
        assert.deepEqual(await byEmail('david@example.com'), [dave.id])
        const again = await ta.users.update(
          dave.id,
          2,
          userWrite('david@example.com', { emails: [] }),
          at(10),
        )
        assert.equal(again?.version, 3)
        assert.deepEqual(await byEmail('david@example.com'), [])
      })

      it('returns undefined and changes neither the user nor its emails when the version is stale', async (t) => {
        const { ta } = await fresh(t)
        const gil = await addUser(ta, 'gil@example.com')
        const changed = await ta.users.update(
          gil.id,
          1,
          userWrite('gil@example.com', { displayName: 'Gil' }),
          at(5),
        )
        assert.equal(changed?.version, 2)
        const stale = await ta.users.update(
          gil.id,
          1,
          userWrite('gilbert@example.com', { emails: [] }),
          at(6),
        )
        assert.equal(stale, undefined)
        assert.equal(
          await ta.users.update(gil.id, 7, userWrite('gilbert@example.com'), at(6)),
          undefined,
        )
        assert.deepEqual(await ta.users.get(gil.id), changed)
        const page = await ta.users.list(
          query({ filter: parseFilter('emails.value eq "gil@example.com"') }),
        )
        assert.deepEqual(ids(page), [gil.id])
      })

      it('returns undefined for a user that is not a member', async (t) => {
        const { ta } = await fresh(t)
        assert.equal(
          await ta.users.update(newUserId(), 1, userWrite('ghost@example.com'), at(5)),
          undefined,
        )
      })

      it('converts the origin when asked, and keeps it otherwise', async (t) => {
        const { ta } = await fresh(t)
        const hal = await addUser(ta, 'hal@example.com', { origin: 'INTERNAL', role: 'Editor' })
        const same = await ta.users.update(hal.id, 1, userWrite('hal@example.com'), at(2))
        assert.equal(same?.origin, 'INTERNAL')
        const converted = await ta.users.update(hal.id, 2, userWrite('hal@example.com'), at(3), {
          origin: 'SCIM',
        })
        assert.equal(converted?.origin, 'SCIM')
        assert.equal(converted?.role, 'Editor')
        assert.equal((await ta.users.get(hal.id))?.origin, 'SCIM')
      })

      it('refuses a userName another member has, case-insensitively, with UniqueViolation and changes nothing', async (t) => {
        const { ta } = await fresh(t)
        await addUser(ta, 'ivy@example.com')
        const jon = await addUser(ta, 'jon@example.com')
        await rejectsUnique(
          ta.users.update(jon.id, 1, userWrite('IVY@example.com'), at(3)),
          'tenant_users_user_name',
        )
        assert.deepEqual(await ta.users.get(jon.id), jon)
      })
    })

    it('points a person at another email, clears it, and refuses one another person has', async (t) => {
      const { ta } = await fresh(t)
      const gina = newUserId()
      await ta.users.insertIdentity(gina, 'gina@example.com', at(1))
      await ta.users.insertIdentity(newUserId(), 'hank@example.com', at(1))
      await ta.users.setIdentityEmail(gina, 'gina@new.example')
      assert.equal(await ta.users.identityByEmail('gina@example.com'), undefined)
      assert.equal((await ta.users.identityByEmail('gina@new.example'))?.userId, gina)
      await rejectsUnique(ta.users.setIdentityEmail(gina, 'hank@example.com'), 'users_email')
      assert.equal((await ta.users.identityByEmail('gina@new.example'))?.userId, gina)
      await ta.users.setIdentityEmail(gina, null)
      assert.equal(await ta.users.identityByEmail('gina@new.example'), undefined)
    })

    it('deletes a membership with its emails and group memberships, keeps the person, and returns false the second time', async (t) => {
      const { ta } = await fresh(t)
      const ivan = await addUser(ta, 'ivan@example.com')
      const other = await addUser(ta, 'other@example.com')
      const g1 = await addGroup(ta, 'One')
      const g2 = await addGroup(ta, 'Two')
      await ta.members.upsert(g1.id, users(ivan, other), 'SCIM', at(2))
      await ta.members.upsert(g2.id, users(ivan), 'INTERNAL', at(2))

      assert.equal(await ta.users.delete(ivan.id), true)
      assert.equal(await ta.users.get(ivan.id), undefined)
      assert.equal(await ta.users.findIdByUserName('ivan@example.com'), undefined)
      assert.deepEqual(
        (await membersOf(ta, g1.id)).map((m) => m[0]),
        [other.id],
      )
      assert.deepEqual(await membersOf(ta, g2.id), [])
      assert.deepEqual(await groupIdsOf(ta, ivan.id), [])
      assert.deepEqual(ids(await ta.users.list(query())), [other.id])
      assert.deepEqual(await ta.users.identityByEmail('ivan@example.com'), {
        userId: ivan.id,
        inThisTenant: undefined,
        otherTenantCount: 0,
        scimControlledElsewhere: false,
      })
      assert.equal(await ta.users.delete(ivan.id), false)

      // Back as a member without emails: the old email rows must be gone.
      await addUser(ta, 'ivan-again', { person: ivan.id, write: { emails: [] } })
      const page = await ta.users.list(
        query({ filter: parseFilter('emails.value eq "ivan@example.com"') }),
      )
      assert.deepEqual(ids(page), [])
      assert.deepEqual(await groupIdsOf(ta, ivan.id), [])
    })

    it('returns false when deleting a user that is not a member', async (t) => {
      const { ta } = await fresh(t)
      assert.equal(await ta.users.delete(newUserId()), false)
    })

    it('lists the direct groups of several users in one call', async (t) => {
      const { ta } = await fresh(t)
      const u1 = await addUser(ta, 'u1@example.com')
      const u2 = await addUser(ta, 'u2@example.com')
      const u3 = await addUser(ta, 'u3@example.com')
      const eng = await addGroup(ta, 'Engineering')
      const ops = await addGroup(ta, 'Ops')
      const parent = await addGroup(ta, 'Everyone')
      await ta.members.upsert(eng.id, users(u1, u2), 'SCIM', at(2))
      await ta.members.upsert(ops.id, users(u1), 'INTERNAL', at(2))
      await ta.members.upsert(parent.id, [{ id: eng.id, type: 'Group' }], 'SCIM', at(2))

      const groups = await ta.users.groupsOf([u1.id, u2.id, u3.id])
      const sorted = (id: UserId) =>
        [...(groups.get(id) ?? [])].sort((x, y) => x.groupId.localeCompare(y.groupId))
      assert.deepEqual(sorted(u1.id), [
        { groupId: eng.id, display: 'Engineering' },
        { groupId: ops.id, display: 'Ops' },
      ])
      assert.deepEqual(sorted(u2.id), [{ groupId: eng.id, display: 'Engineering' }])
      assert.deepEqual(sorted(u3.id), [])
      assert.deepEqual(await ta.users.groupsOf([]), new Map())
    })

    it('reads users with their groups (withGroups) as groupsOf gives them, one filter shape for many values', async (t) => {
      const { ta, tb } = await fresh(t)
      const u1 = await addUser(ta, 'Gw1@example.com')
      const u2 = await addUser(ta, 'gw2@example.com')
      await addUser(tb, 'gw1-other@example.com')
      const eng = await addGroup(ta, 'Engineering')
      const ops = await addGroup(ta, 'Ops')
      await ta.members.upsert(eng.id, users(u1, u2), 'SCIM', at(2))
      await ta.members.upsert(ops.id, users(u1), 'INTERNAL', at(2))
      const expected = await ta.users.groupsOf([u1.id, u2.id])
      const byUserName = (userName: string) =>
        query({
          filter: { kind: 'compare', path: { attr: 'userName' }, op: 'eq', value: userName },
          withGroups: true,
        })

      for (const [userName, user] of [
        ['GW1@EXAMPLE.COM', u1],
        ['gw2@example.com', u2],
      ] as const) {
        const page = await ta.users.list(byUserName(userName))
        assert.equal(page.totalResults, 1)
        assert.deepEqual(page.items[0], { ...user, groups: expected.get(user.id) })
      }
      assert.deepEqual(await ta.users.list(byUserName('nobody@example.com')), {
        totalResults: 0,
        items: [],
      })
      // Without withGroups, and for one that is in no group.
      const plain = await ta.users.list({ ...byUserName('gw2@example.com'), withGroups: false })
      assert.deepEqual(plain.items, [u2])
      assert.deepEqual(await ta.users.get(u1.id, { withGroups: true }), {
        ...u1,
        groups: expected.get(u1.id),
      })
      assert.deepEqual(await ta.users.get(u1.id), u1)
      const lonely = await addUser(ta, 'lonely@example.com')
      assert.deepEqual(await ta.users.get(lonely.id, { withGroups: true }), {
        ...lonely,
        groups: [],
      })
      assert.equal(await tb.users.get(u1.id, { withGroups: true }), undefined)
    })

    it('searches userName and displayName, filters by origin, role and active, and pages by id', async (t) => {
      const { ta, tb } = await fresh(t)
      const alice = await addUser(ta, 'alice@example.com', {
        origin: 'INTERNAL',
        role: 'Admin',
        write: { displayName: 'Alice 100%_Smith' },
      })
      const bob = await addUser(ta, 'bob@example.com', { role: 'Editor' })
      const carol = await addUser(ta, 'carol@example.com', { write: { active: false } })
      await addUser(tb, 'alice.other@example.com')
      const idsOf = (page: { items: readonly { id: string }[] }) => page.items.map((u) => u.id)

      assert.deepEqual(idsOf(await ta.users.search({ text: 'ALICE', limit: 10 })), [alice.id])
      assert.deepEqual(idsOf(await ta.users.search({ text: '100%_s', limit: 10 })), [alice.id])
      // The wildcards are literal: "e_c" would match "e.com" as a pattern.
      assert.deepEqual(idsOf(await ta.users.search({ text: '%', limit: 10 })), [alice.id])
      assert.deepEqual(idsOf(await ta.users.search({ text: 'e_c', limit: 10 })), [])
      assert.deepEqual(idsOf(await ta.users.search({ origin: 'SCIM', limit: 10 })), [
        bob.id,
        carol.id,
      ])
      assert.deepEqual(idsOf(await ta.users.search({ role: 'Editor', limit: 10 })), [bob.id])
      assert.deepEqual(idsOf(await ta.users.search({ active: false, limit: 10 })), [carol.id])

      const first = await ta.users.search({ limit: 2 })
      assert.deepEqual(idsOf(first), [alice.id, bob.id].sort())
      assert.equal(first.total, 3)
      assert.equal(first.hasMore, true)
      const last = first.items[1]
      assert.ok(last)
      const second = await ta.users.search({ limit: 2, after: last.id })
      assert.deepEqual(idsOf(second), [carol.id])
      assert.equal(second.total, 3)
      assert.equal(second.hasMore, false)
    })
  })
}
