// Tests of the SCIM sortBy compiler (RFC 7644 §3.4.2.3): the SQL and the bound parameters for
// each dialect. test/store/filter-sql.test.ts sorts real rows with the same keys.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { render } from '../../../../test/support/compiled-sql.ts'
import { ScimError } from '../../../scim/errors.ts'
import type { AttributePath } from '../../../scim/filter/ast.ts'
import { postgresDialect } from '../../postgres/dialect.ts'
import { sqliteDialect } from '../../sqlite/dialect.ts'
import { compileSortKey } from './compile-sort.ts'
import type { SqlDialect } from './sql-dialect.ts'

describe('compileSortKey', () => {
  const sortKey = (path: AttributePath, dialect: SqlDialect, target: 'User' | 'Group' = 'User') =>
    render(compileSortKey(path, target, dialect), dialect)

  it('sorts userName by its lower-cased column, by code point', () => {
    assert.deepEqual(sortKey({ attr: 'userName' }, sqliteDialect), {
      sql: '"u"."user_name_norm"',
      parameters: [],
    })
    assert.deepEqual(sortKey({ attr: 'userName' }, postgresDialect), {
      sql: '("u"."user_name_norm" collate "C")',
      parameters: [],
    })
  })

  it('sorts meta.lastModified by its column and a document string lower-cased', () => {
    assert.deepEqual(sortKey({ attr: 'meta', sub: 'lastModified' }, sqliteDialect), {
      sql: '"u"."updated_at"',
      parameters: [],
    })
    assert.deepEqual(sortKey({ attr: 'name', sub: 'familyName' }, postgresDialect), {
      sql: '(lower(("u"."doc" #>> $1::text[])) collate "C")',
      parameters: [['name', 'familyName']],
    })
  })

  it('sorts a multi-valued attribute by its primary value, else its first', () => {
    assert.deepEqual(sortKey({ attr: 'emails' }, sqliteDialect), {
      sql:
        '(select lower(json_extract("u"."doc", ("e1"."fullkey" || ?))) ' +
        'from json_each("u"."doc", ?) as "e1" ' +
        'where lower(json_extract("u"."doc", ("e1"."fullkey" || ?))) is not null order by ' +
        `case when (case lower("u"."doc" -> ("e1"."fullkey" || ?)) ` +
        `when 'true' then 1 when '"true"' then 1 when 'false' then 0 when '"false"' then 0 end) ` +
        `= 1 then 0 else 1 end, "e1"."key" limit 1)`,
      parameters: ['."value"', '$."emails"', '."value"', '."primary"'],
    })
  })

  it('rejects unknown and complex attributes with scimType invalidValue', () => {
    for (const path of [{ attr: 'nope' }, { attr: 'name' }, { attr: 'password' }]) {
      assert.throws(
        () => compileSortKey(path, 'User', sqliteDialect),
        (error: unknown) => error instanceof ScimError && error.scimType === 'invalidValue',
        path.attr,
      )
    }
  })
})
