// The Store contract: listing users and groups (RFC 7644 §3.4.2): SQL filters, sorting, pages and
// index-seek walks.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseFilter } from '../../../src/scim/filter/parser.ts'
import type {
  GroupRecord,
  ListQuery,
  Page,
  TenantStore,
  UserRecord,
} from '../../../src/store/store.ts'
import { addGroup, addUser, at, type Fresh, ids, query, users, userWrite } from './support.ts'

export function definePagingContract(fresh: Fresh): void {
  describe('listing users and groups', () => {
    /** Users created in this order (so their ids, the default order, follow it). */
    async function seedUsers(tenant: TenantStore, names: readonly string[]): Promise<UserRecord[]> {
      const out: UserRecord[] = []
      for (const [i, userName] of names.entries()) {
        out.push(await addUser(tenant, userName, { at: at(10 + i) }))
      }
      return out
    }

    it('filters users with a parsed SCIM filter, comparing userName case-insensitively', async (t) => {
      const { ta } = await fresh(t)
      const [alice, bob, carol] = await seedUsers(ta, [
        'alice@example.com',
        'bob@example.org',
        'carol@example.com',
      ])
      assert.ok(alice && bob && carol)
      await ta.users.update(
        bob.id,
        1,
        userWrite('bob@example.org', { active: false, displayName: 'Bob Smith' }),
        at(30),
      )
      const run = async (text: string) =>
        ids(await ta.users.list(query({ filter: parseFilter(text) })))
      assert.deepEqual(await run('userName eq "ALICE@Example.com"'), [alice.id])
      assert.deepEqual(await run('userName ew "example.com"'), [alice.id, carol.id])
      assert.deepEqual(await run('active eq false'), [bob.id])
      assert.deepEqual(await run('displayName co "smith"'), [bob.id])
      assert.deepEqual(await run('emails.value eq "carol@example.com"'), [carol.id])
      assert.deepEqual(await run('not (userName sw "a") and active eq true'), [carol.id])
      assert.deepEqual(await run('userName eq "nobody@example.com"'), [])
      const page = await ta.users.list(query({ filter: parseFilter('userName ew "example.com"') }))
      assert.equal(page.totalResults, 2)
    })

    it('filters users by the groups they belong to, and groups by their members', async (t) => {
      const { ta } = await fresh(t)
      const [hana, ian] = await seedUsers(ta, ['hana@example.com', 'ian@example.com'])
      assert.ok(hana && ian)
      const eng = await addGroup(ta, 'Engineering')
      const english = await addGroup(ta, 'English club')
      const sales = await addGroup(ta, 'Sales')
      await ta.members.upsert(eng.id, users(hana), 'SCIM', at(2))
      await ta.members.upsert(sales.id, users(hana, ian), 'SCIM', at(2))
      const usersIn = async (groupId: string) =>
        ids(await ta.users.list(query({ filter: parseFilter(`groups.value eq "${groupId}"`) })))
      assert.deepEqual(await usersIn(eng.id), [hana.id])
      assert.deepEqual(await usersIn(sales.id), [hana.id, ian.id])
      const groupsWith = async (text: string) =>
        ids(await ta.groups.list(query({ filter: parseFilter(text) })))
      assert.deepEqual(await groupsWith(`members.value eq "${ian.id}"`), [sales.id])
      assert.deepEqual(await groupsWith('displayName sw "ENG"'), [eng.id, english.id])
      assert.deepEqual(await groupsWith('displayName eq "sales"'), [sales.id])
    })

    it('pages by cursor (after): the filter applied, rows after the id in id order', async (t) => {
      const { ta, tb } = await fresh(t)
      const seeded = await seedUsers(ta, [
        'a@x.test',
        'b@y.test',
        'c@x.test',
        'd@x.test',
        'e@x.test',
      ])
      await seedUsers(tb, ['f@x.test'])
      const filter = parseFilter('userName ew "@x.test"')
      const first = await ta.users.list(query({ filter, after: '', count: 2 }))
      assert.deepEqual(ids(first), [seeded[0]?.id, seeded[2]?.id])
      const second = await ta.users.list(query({ filter, after: seeded[2]?.id, count: 2 }))
      assert.deepEqual(ids(second), [seeded[3]?.id, seeded[4]?.id])
      assert.equal(second.totalResults, 2)
      const last = await ta.users.list(query({ filter, after: seeded[4]?.id, count: 2 }))
      assert.deepEqual(ids(last), [])
      const group = await addGroup(ta, 'Ops')
      assert.deepEqual(ids(await ta.groups.list(query({ after: '', count: 5 }))), [group.id])
      assert.deepEqual(ids(await ta.groups.list(query({ after: group.id, count: 5 }))), [])
    })

    it('lists users and groups in creation order when no sortBy is given', async (t) => {
      const { ta } = await fresh(t)
      const created = await seedUsers(ta, [
        'zoe@example.com',
        'adam@example.com',
        'mia@example.com',
      ])
      assert.deepEqual(
        ids(await ta.users.list(query())),
        created.map((u) => u.id),
      )
      const groups = [
        await addGroup(ta, 'Zulu'),
        await addGroup(ta, 'Alpha'),
        await addGroup(ta, 'Mike'),
      ]
      assert.deepEqual(
        ids(await ta.groups.list(query())),
        groups.map((g) => g.id),
      )
    })

    it('sorts users by userName case-insensitively, ascending and descending', async (t) => {
      const { ta } = await fresh(t)
      const [carol, alice, bob] = await seedUsers(ta, [
        'carol@example.com',
        'Alice@example.com',
        'bob@example.com',
      ])
      assert.ok(carol && alice && bob)
      const sortBy = { attr: 'userName' }
      const ascending = await ta.users.list(query({ sortBy, sortOrder: 'ascending' }))
      assert.deepEqual(ids(ascending), [alice.id, bob.id, carol.id])
      const descending = await ta.users.list(query({ sortBy, sortOrder: 'descending' }))
      assert.deepEqual(ids(descending), [carol.id, bob.id, alice.id])
      assert.equal(descending.totalResults, 3)
    })

    it('sorts groups by displayName descending', async (t) => {
      const { ta } = await fresh(t)
      const b = await addGroup(ta, 'beta')
      const a = await addGroup(ta, 'Alpha')
      const c = await addGroup(ta, 'Gamma')
      const page = await ta.groups.list(
        query({ sortBy: { attr: 'displayName' }, sortOrder: 'descending' }),
      )
      assert.deepEqual(ids(page), [c.id, b.id, a.id])
    })

    it('returns the page at startIndex (1-based) of count rows with the total of all matches', async (t) => {
      const { ta } = await fresh(t)
      const created = await seedUsers(ta, ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'])
      const page = await ta.users.list(query({ startIndex: 3, count: 2 }))
      assert.deepEqual(
        ids(page),
        created.slice(2, 4).map((u) => u.id),
      )
      assert.equal(page.totalResults, 7)
      const last = await ta.users.list(query({ startIndex: 6, count: 5 }))
      assert.deepEqual(
        ids(last),
        created.slice(5).map((u) => u.id),
      )
      assert.equal(last.totalResults, 7)
    })

    async function walk<T extends { readonly id: string }>(
      list: (q: ListQuery) => Promise<Page<T>>,
      base: Partial<ListQuery>,
      count: number,
    ): Promise<{ seen: string[]; totals: number[] }> {
      const seen: string[] = []
      const totals: number[] = []
      for (let startIndex = 1; ; startIndex += count) {
        const page = await list(query({ ...base, startIndex, count }))
        totals.push(page.totalResults)
        seen.push(...ids(page))
        if (page.items.length < count || startIndex + count > page.totalResults) break
        assert.ok(totals.length < 100, 'paging does not end')
      }
      return { seen, totals }
    }

    it('walks every page in order: each user exactly once, the right total on every page', async (t) => {
      const { ta } = await fresh(t)
      const created = await seedUsers(
        ta,
        Array.from({ length: 10 }, (_, i) => `walker${i}@example.com`),
      )
      const { seen, totals } = await walk((q) => ta.users.list(q), {}, 3)
      assert.deepEqual(
        seen,
        created.map((u) => u.id),
      )
      assert.deepEqual(totals, [10, 10, 10, 10])
      // A second walk with another page size gives the same rows.
      assert.deepEqual(
        (await walk((q) => ta.users.list(q), {}, 4)).seen,
        created.map((u) => u.id),
      )
    })

    it('walks every page of a filtered, sorted listing', async (t) => {
      const { ta } = await fresh(t)
      const names = ['w-kim', 'x-lou', 'W-ann', 'w-zed', 'y-bo', 'w-eli', 'W-cy', 'z-al', 'w-dan']
      const created = await seedUsers(ta, names)
      const matching = created
        .filter((u) => u.userName.toLowerCase().startsWith('w'))
        .sort((x, y) => y.userName.toLowerCase().localeCompare(x.userName.toLowerCase()))
      const base: Partial<ListQuery> = {
        filter: parseFilter('userName sw "w"'),
        sortBy: { attr: 'userName' },
        sortOrder: 'descending',
      }
      const { seen, totals } = await walk((q) => ta.users.list(q), base, 2)
      assert.deepEqual(
        seen,
        matching.map((u) => u.id),
      )
      assert.deepEqual(totals, [6, 6, 6])
      // The same filter in creation order.
      const unsorted = await walk(
        (q) => ta.users.list(q),
        { filter: parseFilter('userName sw "w"') },
        4,
      )
      assert.deepEqual(
        unsorted.seen,
        created.filter((u) => u.userName.toLowerCase().startsWith('w')).map((u) => u.id),
      )
      assert.deepEqual(unsorted.totals, [6, 6])
    })

    it('walks every page of groups', async (t) => {
      const { ta } = await fresh(t)
      const created: GroupRecord[] = []
      for (let i = 0; i < 7; i++) created.push(await addGroup(ta, `Group ${i}`))
      const { seen, totals } = await walk((q) => ta.groups.list(q), {}, 2)
      assert.deepEqual(
        seen,
        created.map((g) => g.id),
      )
      assert.deepEqual(totals, [7, 7, 7, 7])
    })

    it('returns only the total when count is 0', async (t) => {
      const { ta } = await fresh(t)
      await seedUsers(ta, ['c1@example.com', 'c2@example.com', 'c3@example.org'])
      await addGroup(ta, 'Counted')
      assert.deepEqual(await ta.users.list(query({ count: 0 })), { totalResults: 3, items: [] })
      assert.deepEqual(
        await ta.users.list(query({ count: 0, filter: parseFilter('userName ew ".com"') })),
        { totalResults: 2, items: [] },
      )
      assert.deepEqual(await ta.groups.list(query({ count: 0, startIndex: 5 })), {
        totalResults: 1,
        items: [],
      })
    })

    it('returns an empty page with the right total when startIndex is past the end', async (t) => {
      const { ta } = await fresh(t)
      await seedUsers(ta, ['e1', 'e2', 'e3'])
      assert.deepEqual(await ta.users.list(query({ startIndex: 4, count: 2 })), {
        totalResults: 3,
        items: [],
      })
      assert.deepEqual(await ta.users.list(query({ startIndex: 50, count: 10 })), {
        totalResults: 3,
        items: [],
      })
      assert.deepEqual(await ta.groups.list(query({ startIndex: 2, count: 10 })), {
        totalResults: 0,
        items: [],
      })
    })

    it('continues after the last row of the previous page when a row on it was deleted meanwhile (no row skipped)', async (t) => {
      const { ta } = await fresh(t)
      const [s1, s2, s3, s4, s5, s6] = await seedUsers(ta, ['s1', 's2', 's3', 's4', 's5', 's6'])
      assert.ok(s1 && s2 && s3 && s4 && s5 && s6)
      assert.deepEqual(ids(await ta.users.list(query({ startIndex: 1, count: 2 }))), [s1.id, s2.id])
      await ta.users.delete(s1.id)
      // The client saw s1, s2: its next page starts after s2, whatever was deleted before it,
      // and tells the total of now.
      const page = await ta.users.list(query({ startIndex: 3, count: 2 }))
      assert.deepEqual({ ...page, items: ids(page) }, { totalResults: 5, items: [s3.id, s4.id] })
      const next = await ta.users.list(query({ startIndex: 5, count: 2 }))
      assert.deepEqual(ids(next), [s5.id, s6.id])
      // A page that is not full ends the walk and counts again: the total is exact there.
      const end = await ta.users.list(query({ startIndex: 7, count: 2 }))
      assert.deepEqual({ ...end, items: ids(end) }, { totalResults: 5, items: [] })
      // A startIndex that no page of this instance ended before is an offset into the rows now.
      const cold = await ta.users.list(query({ startIndex: 2, count: 2 }))
      assert.deepEqual(ids(cold), [s3.id, s4.id])
    })

    it('returns no rows for a startIndex past the end, even after an earlier page was read and rows were deleted', async (t) => {
      const { ta } = await fresh(t)
      const [r1, r2, r3, r4] = await seedUsers(ta, ['r1', 'r2', 'r3', 'r4'])
      assert.ok(r1 && r2 && r3 && r4)
      assert.deepEqual(ids(await ta.users.list(query({ startIndex: 1, count: 2 }))), [r1.id, r2.id])
      await ta.users.delete(r1.id)
      await ta.users.delete(r2.id)
      await ta.users.delete(r3.id)
      // Only r4 is left: startIndex 3 is past the end.
      const page = await ta.users.list(query({ startIndex: 3, count: 2 }))
      assert.deepEqual({ ...page, items: ids(page) }, { totalResults: 1, items: [] })
    })
  })
}
