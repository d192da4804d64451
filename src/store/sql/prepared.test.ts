import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DummyDriver,
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
  type CompiledQuery,
} from 'kysely'
import { PreparedQuery, PreparedShapes } from './prepared.ts'

interface Db {
  t: { a: string; b: string; c: string }
}

const db = new Kysely<Db>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new SqliteIntrospector(k),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
})

/** An executor that records the statement it is given. */
function recorder(): { executor: Kysely<unknown>; last: () => CompiledQuery | undefined } {
  let last: CompiledQuery | undefined
  const executor = {
    executeQuery: async (query: CompiledQuery) => {
      last = query
      return { rows: [] }
    },
  } as unknown as Kysely<unknown>
  return { executor, last: () => last }
}

describe('PreparedQuery', () => {
  it('binds each run’s values where the placeholders went, folded where the builder folded them', async () => {
    const prepared = PreparedQuery.build(3, (p) =>
      db
        .selectFrom('t')
        .selectAll()
        .where('a', '=', p.text(0).toLowerCase())
        .where('b', '=', p.text(1))
        .where('c', '=', 'constant')
        .limit(p.number(2)),
    )
    assert.ok(prepared)
    const { executor, last } = recorder()
    await prepared.execute(executor, ['MiXed', 'KeptAsIs', 7])
    assert.equal(last()?.sql, 'select * from "t" where "a" = ? and "b" = ? and "c" = ? limit ?')
    assert.deepEqual(last()?.parameters, ['mixed', 'KeptAsIs', 'constant', 7])
    await prepared.execute(executor, ['Other', 'Values', 1])
    assert.deepEqual(last()?.parameters, ['other', 'Values', 'constant', 1])
  })

  it('refuses shapes whose SQL depends on a value', () => {
    // Not bound: the builder decided on the value.
    assert.equal(
      PreparedQuery.build(1, (p) =>
        db
          .selectFrom('t')
          .selectAll()
          .where('a', '=', p.text(0) ? 'x' : 'y'),
      ),
      undefined,
    )
    // Rewritten otherwise than folded (a LIKE pattern around it).
    assert.equal(
      PreparedQuery.build(1, (p) =>
        db
          .selectFrom('t')
          .selectAll()
          .where('a', 'like', `%${p.text(0)}%`),
      ),
      undefined,
    )
    // Written into the SQL text.
    assert.equal(
      PreparedQuery.build(1, (p) =>
        db
          .selectFrom('t')
          .selectAll()
          .where(sql.lit(p.text(0)), '=', 'a'),
      ),
      undefined,
    )
    // The builder threw (an operand it refuses).
    assert.equal(
      PreparedQuery.build(1, () => {
        throw new Error('invalid filter')
      }),
      undefined,
    )
  })
})

describe('PreparedShapes', () => {
  it('builds a shape once, remembering shapes that cannot be prepared too', () => {
    const shapes = new PreparedShapes<unknown>(2)
    let builds = 0
    const build = () => {
      builds += 1
      return undefined
    }
    shapes.get('a', build)
    shapes.get('a', build)
    assert.equal(builds, 1)
    shapes.get('b', build)
    shapes.get('c', build) // past capacity: forgets the others
    shapes.get('a', build)
    assert.equal(builds, 4)
  })
})
