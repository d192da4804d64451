// Tests of the SCIM filter compiler (RFC 7644 §3.4.2.2): the SQL and the bound parameters for
// each dialect. test/store/filter-sql.test.ts runs the same filters on real rows.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DIALECTS, render, type Compiled } from '../../../../test/support/compiled-sql.ts'
import { ScimError } from '../../../scim/errors.ts'
import { parseFilter } from '../../../scim/filter/parser.ts'
import { postgresDialect } from '../../postgres/dialect.ts'
import { sqliteDialect } from '../../sqlite/dialect.ts'
import { compileFilter } from './compile-filter.ts'
import type { SqlDialect } from './sql-dialect.ts'

function compile(text: string, dialect: SqlDialect, target: 'User' | 'Group' = 'User'): Compiled {
  return render(compileFilter(parseFilter(text), target, dialect), dialect)
}

type Expected = { readonly sqlite: Compiled; readonly postgres: Compiled }

function assertCompiles(text: string, expected: Expected, target: 'User' | 'Group' = 'User'): void {
  for (const dialect of DIALECTS) {
    const actual = compile(text, dialect, target)
    assert.deepEqual(actual, expected[dialect.name], `${dialect.name}: ${text}`)
  }
}

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const compileUser = (text: string) => compileFilter(parseFilter(text), 'User', sqliteDialect)
const isInvalidFilter = (error: unknown): boolean =>
  error instanceof ScimError && error.scimType === 'invalidFilter'

describe('compileFilter on index-backed columns', () => {
  it('compiles "userName eq" to the lower-cased column with the operand folded in JS', () => {
    assertCompiles('userName eq "Bob@Example.COM"', {
      sqlite: { sql: '"u"."user_name_norm" = ?', parameters: ['bob@example.com'] },
      postgres: { sql: '"u"."user_name_norm" = $1::text', parameters: ['bob@example.com'] },
    })
  })

  it('compiles "userName ne" to the negation of eq', () => {
    assertCompiles('userName ne "Bob"', {
      sqlite: { sql: '(not ("u"."user_name_norm" = ?))', parameters: ['bob'] },
      postgres: { sql: '(not ("u"."user_name_norm" = $1::text))', parameters: ['bob'] },
    })
  })

  it('compiles co, sw and ew with portable string functions and the needle length bound', () => {
    assertCompiles('userName co "Ob"', {
      sqlite: { sql: 'instr("u"."user_name_norm", ?) > 0', parameters: ['ob'] },
      postgres: { sql: 'strpos("u"."user_name_norm", $1::text) > 0', parameters: ['ob'] },
    })
    assertCompiles('userName sw "Öb"', {
      sqlite: { sql: 'substr("u"."user_name_norm", 1, ?) = ?', parameters: [2, 'öb'] },
      postgres: { sql: 'left("u"."user_name_norm", $1::int) = $2::text', parameters: [2, 'öb'] },
    })
    assertCompiles('userName ew "Ob"', {
      sqlite: { sql: 'substr("u"."user_name_norm", ?) = ?', parameters: [-2, 'ob'] },
      postgres: { sql: 'right("u"."user_name_norm", $1::int) = $2::text', parameters: [2, 'ob'] },
    })
  })

  it('compiles gt, ge, lt and le by code point (COLLATE "C" on PostgreSQL)', () => {
    for (const [op, symbol] of [
      ['gt', '>'],
      ['ge', '>='],
      ['lt', '<'],
      ['le', '<='],
    ] as const) {
      assertCompiles(`userName ${op} "M"`, {
        sqlite: { sql: `"u"."user_name_norm" ${symbol} ?`, parameters: ['m'] },
        postgres: {
          sql: `("u"."user_name_norm" collate "C") ${symbol} $1::text`,
          parameters: ['m'],
        },
      })
    }
  })

  it('compiles "pr" on a required column to a non-empty test, co "" to "has a value"', () => {
    assertCompiles('userName pr', {
      sqlite: { sql: `"u"."user_name_norm" <> ''`, parameters: [] },
      postgres: { sql: `"u"."user_name_norm" <> ''`, parameters: [] },
    })
    assertCompiles('userName co ""', {
      sqlite: { sql: '"u"."user_name_norm" is not null', parameters: [] },
      postgres: { sql: '"u"."user_name_norm" is not null', parameters: [] },
    })
  })

  it('compiles "externalId eq" case-exactly, two-valued on the nullable column', () => {
    assertCompiles('externalId eq "Ext-1"', {
      sqlite: {
        sql: '("u"."external_id" is not null and "u"."external_id" = ?)',
        parameters: ['Ext-1'],
      },
      postgres: {
        sql: '("u"."external_id" is not null and "u"."external_id" = $1::text)',
        parameters: ['Ext-1'],
      },
    })
  })

  it('compiles "id eq" to the key column, case-exactly', () => {
    assertCompiles('id eq "A1"', {
      sqlite: { sql: '"u"."user_id" = ?', parameters: ['A1'] },
      postgres: { sql: '"u"."user_id" = $1::text', parameters: ['A1'] },
    })
    assertCompiles(
      'id eq "G1"',
      {
        sqlite: { sql: '"g"."id" = ?', parameters: ['G1'] },
        postgres: { sql: '"g"."id" = $1::text', parameters: ['G1'] },
      },
      'Group',
    )
  })

  it('compiles "displayName eq" to display_name_norm for users and groups', () => {
    assertCompiles('displayName eq "Ann Lee"', {
      sqlite: {
        sql: '("u"."display_name_norm" is not null and "u"."display_name_norm" = ?)',
        parameters: ['ann lee'],
      },
      postgres: {
        sql: '("u"."display_name_norm" is not null and "u"."display_name_norm" = $1::text)',
        parameters: ['ann lee'],
      },
    })
    assertCompiles(
      'displayName eq "Admins"',
      {
        sqlite: { sql: '"g"."display_name_norm" = ?', parameters: ['admins'] },
        postgres: { sql: '"g"."display_name_norm" = $1::text', parameters: ['admins'] },
      },
      'Group',
    )
  })

  it('reads a user displayName from the document when the test holds for "" (NULL column)', () => {
    assert.match(compile('displayName eq ""', sqliteDialect).sql, /json_extract\("u"\."doc", \?\)/)
    assert.match(compile('displayName lt "b"', sqliteDialect).sql, /json_extract/)
  })

  it('compiles "active eq" to the 0/1 column, accepting Entra\'s "True"', () => {
    for (const text of ['active eq true', 'active eq "True"']) {
      assertCompiles(text, {
        sqlite: { sql: '"u"."active" = ?', parameters: [1] },
        postgres: { sql: '"u"."active" = $1', parameters: [1] },
      })
    }
  })

  it('compiles meta.lastModified to its column with the operand as stored (UTC, ms)', () => {
    assertCompiles('meta.lastModified gt "2011-05-13T04:42:34+02:00"', {
      sqlite: { sql: '"u"."updated_at" > ?', parameters: ['2011-05-13T02:42:34.000Z'] },
      postgres: { sql: '"u"."updated_at" > $1::text', parameters: ['2011-05-13T02:42:34.000Z'] },
    })
    assertCompiles('meta.created le "2020-02-03"', {
      sqlite: { sql: '"u"."created_at" <= ?', parameters: ['2020-02-03T00:00:00.000Z'] },
      postgres: { sql: '"u"."created_at" <= $1::text', parameters: ['2020-02-03T00:00:00.000Z'] },
    })
  })

  it('compiles meta.resourceType (case-exact) when compiling, meta.version as the ETag', () => {
    assertCompiles('meta.resourceType eq "User"', {
      sqlite: { sql: 'true', parameters: [] },
      postgres: { sql: 'true', parameters: [] },
    })
    assertCompiles('meta.resourceType eq "user"', {
      sqlite: { sql: 'false', parameters: [] },
      postgres: { sql: 'false', parameters: [] },
    })
    assertCompiles(
      'meta.resourceType eq "User"',
      { sqlite: { sql: 'false', parameters: [] }, postgres: { sql: 'false', parameters: [] } },
      'Group',
    )
    assertCompiles('meta.version eq "W/\\"3\\""', {
      sqlite: { sql: `('W/"' || "u"."version" || '"') = ?`, parameters: ['W/"3"'] },
      postgres: { sql: `('W/"' || "u"."version" || '"') = $1::text`, parameters: ['W/"3"'] },
    })
  })
})

describe('compileFilter on the document', () => {
  it('compares caseExact=false attributes with lower() on both sides, two-valued', () => {
    assertCompiles('title eq "Tour Guide"', {
      sqlite: {
        sql: 'coalesce(lower(json_extract("u"."doc", ?)) = lower(?), false)',
        parameters: ['$."title"', 'Tour Guide'],
      },
      postgres: {
        sql: 'coalesce(lower(("u"."doc" #>> $1::text[])) = lower($2::text), false)',
        parameters: [['title'], 'Tour Guide'],
      },
    })
  })

  it('compiles "eq null" as not present and "ne null" as present', () => {
    assertCompiles('title eq null', {
      sqlite: {
        sql: `(not (coalesce(json_extract("u"."doc", ?) <> '', false)))`,
        parameters: ['$."title"'],
      },
      postgres: {
        sql: `(not (coalesce(("u"."doc" #>> $1::text[]) <> '', false)))`,
        parameters: [['title']],
      },
    })
    assertCompiles('title ne null', {
      sqlite: {
        sql: `coalesce(json_extract("u"."doc", ?) <> '', false)`,
        parameters: ['$."title"'],
      },
      postgres: {
        sql: `coalesce(("u"."doc" #>> $1::text[]) <> '', false)`,
        parameters: [['title']],
      },
    })
  })

  it('binds sub-attribute and extension URN paths, quoting keys that hold ":" and "."', () => {
    assertCompiles(`${ENT}:manager.value eq "m1"`, {
      sqlite: {
        sql: 'coalesce(json_extract("u"."doc", ?) = ?, false)',
        parameters: [`$."${ENT}"."manager"."value"`, 'm1'],
      },
      postgres: {
        sql: 'coalesce(("u"."doc" #>> $1::text[]) = $2::text, false)',
        parameters: [[ENT, 'manager', 'value'], 'm1'],
      },
    })
    assertCompiles('name.familyName co "x"', {
      sqlite: {
        sql: 'coalesce(instr(lower(json_extract("u"."doc", ?)), lower(?)) > 0, false)',
        parameters: ['$."name"."familyName"', 'x'],
      },
      postgres: {
        sql: 'coalesce(strpos(lower(("u"."doc" #>> $1::text[])), lower($2::text)) > 0, false)',
        parameters: [['name', 'familyName'], 'x'],
      },
    })
  })

  it('compiles a value path to EXISTS over the array, skipping non-objects', () => {
    assertCompiles('phoneNumbers[type eq "work"]', {
      sqlite: {
        sql:
          'exists (select 1 from json_each("u"."doc", ?) as "e1" where ' +
          `(coalesce(json_type("u"."doc", "e1"."fullkey") = 'object', false) and ` +
          'coalesce(lower(json_extract("u"."doc", ("e1"."fullkey" || ?))) = lower(?), false)))',
        parameters: ['$."phoneNumbers"', '."type"', 'work'],
      },
      postgres: {
        sql:
          `exists (select 1 from jsonb_path_query("u"."doc" #> $1::text[], 'lax $[*]') ` +
          'with ordinality as "e1"(value, position) where ' +
          `(coalesce(jsonb_typeof("e1"."value" #> $2::text[]) = 'object', false) and ` +
          'coalesce(lower(("e1"."value" #>> $3::text[])) = lower($4::text), false)))',
        parameters: [['phoneNumbers'], [], ['type'], 'work'],
      },
    })
  })

  it('compiles a JSON boolean so that true and "True" both match', () => {
    const { sql, parameters } = compile('roles.primary eq "TRUE"', sqliteDialect)
    assert.match(
      sql,
      /case lower\("u"\."doc" -> \("e1"\."fullkey" \|\| \?\)\) when 'true' then 1 when '"true"'/,
    )
    assert.deepEqual(parameters, ['$."roles"', '."primary"', 1])
  })

  it('compiles "pr" on a complex value to "some scalar below is neither null nor empty"', () => {
    assert.match(
      compile('name pr', sqliteDialect).sql,
      /exists \(select 1 from json_tree\("u"\."doc", \?\)/,
    )
    assert.match(
      compile('name pr', postgresDialect).sql,
      /jsonb_path_exists\("u"\."doc" #> \$1::text\[\], 'strict \$\.\*\*/,
    )
  })
})

describe('compileFilter on element tables', () => {
  it('compiles "emails.value eq" to user_emails(tenant_id, value_norm)', () => {
    assertCompiles('emails.value eq "A@Example.com"', {
      sqlite: {
        sql:
          '"u"."user_id" in (select "ue1"."user_id" from "user_emails" as "ue1" where ' +
          '"ue1"."tenant_id" = "u"."tenant_id" and "ue1"."value_norm" = ?)',
        parameters: ['a@example.com'],
      },
      postgres: {
        sql:
          'exists (select 1 from "user_emails" as "ue1" where ' +
          '"ue1"."tenant_id" = "u"."tenant_id" and "ue1"."user_id" = "u"."user_id" and ' +
          '"ue1"."value_norm" = $1::text)',
        parameters: ['a@example.com'],
      },
    })
  })

  it('compiles Entra\'s emails[type eq "work"].value eq to the same rows', () => {
    assertCompiles('emails[type eq "work"].value eq "A@x.io"', {
      sqlite: {
        sql:
          '"u"."user_id" in (select "ue1"."user_id" from "user_emails" as "ue1" where ' +
          '"ue1"."tenant_id" = "u"."tenant_id" and (("ue1"."type" is not null and ' +
          'lower("ue1"."type") = lower(?)) and "ue1"."value_norm" = ?))',
        parameters: ['work', 'a@x.io'],
      },
      postgres: {
        sql:
          'exists (select 1 from "user_emails" as "ue1" where ' +
          '"ue1"."tenant_id" = "u"."tenant_id" and "ue1"."user_id" = "u"."user_id" and ' +
          '(("ue1"."type" is not null and ' +
          'lower("ue1"."type") = lower($1::text)) and "ue1"."value_norm" = $2::text))',
        parameters: ['work', 'a@x.io'],
      },
    })
  })

  it('reads emails from the document when the rows cannot answer (no value, primary false)', () => {
    for (const text of [
      'emails[type eq "work"]',
      'emails.primary eq false',
      'emails[primary eq false and value pr]',
    ]) {
      assert.match(compile(text, sqliteDialect).sql, /json_each/, text)
    }
    assert.match(compile('emails[primary eq true and value pr]', sqliteDialect).sql, /user_emails/)
  })

  it('compiles groups and members through group_members', () => {
    assertCompiles('groups.value eq "G1"', {
      sqlite: {
        sql:
          '"u"."user_id" in (select "gm1"."member_id" from "group_members" as "gm1" where ' +
          '"gm1"."tenant_id" = "u"."tenant_id" and "gm1"."group_id" = ?)',
        parameters: ['G1'],
      },
      postgres: {
        sql:
          'exists (select 1 from "group_members" as "gm1" where ' +
          '"gm1"."tenant_id" = "u"."tenant_id" and "gm1"."member_id" = "u"."user_id" and ' +
          '"gm1"."group_id" = $1::text)',
        parameters: ['G1'],
      },
    })
    assertCompiles(
      'members[value eq "u1" and type eq "User"]',
      {
        sqlite: {
          sql:
            '"g"."id" in (select "gm1"."group_id" from "group_members" as "gm1" where ' +
            '"gm1"."tenant_id" = "g"."tenant_id" and ("gm1"."member_id" = ? and ' +
            'lower("gm1"."member_type") = lower(?)))',
          parameters: ['u1', 'User'],
        },
        postgres: {
          sql:
            'exists (select 1 from "group_members" as "gm1" where ' +
            '"gm1"."tenant_id" = "g"."tenant_id" and "gm1"."group_id" = "g"."id" and ' +
            '("gm1"."member_id" = $1::text and ' +
            'lower("gm1"."member_type") = lower($2::text)))',
          parameters: ['u1', 'User'],
        },
      },
      'Group',
    )
  })

  it('compiles groups.type when compiling: every membership is "direct"', () => {
    assertCompiles('groups.type eq "indirect"', {
      sqlite: {
        sql:
          '"u"."user_id" in (select "gm1"."member_id" from "group_members" as "gm1" where ' +
          '"gm1"."tenant_id" = "u"."tenant_id" and false)',
        parameters: [],
      },
      postgres: {
        sql:
          'exists (select 1 from "group_members" as "gm1" where ' +
          '"gm1"."tenant_id" = "u"."tenant_id" and "gm1"."member_id" = "u"."user_id" and false)',
        parameters: [],
      },
    })
  })
})

describe('compileFilter logic and safety', () => {
  it('keeps and/or/not nesting with every operand two-valued', () => {
    assertCompiles('not (externalId eq "x") or userName sw "a" and active eq false', {
      sqlite: {
        sql:
          '((not (("u"."external_id" is not null and "u"."external_id" = ?))) or ' +
          '(substr("u"."user_name_norm", 1, ?) = ? and "u"."active" = ?))',
        parameters: ['x', 1, 'a', 0],
      },
      postgres: {
        sql:
          '((not (("u"."external_id" is not null and "u"."external_id" = $1::text))) or ' +
          '(left("u"."user_name_norm", $2::int) = $3::text and "u"."active" = $4))',
        parameters: ['x', 1, 'a', 0],
      },
    })
  })

  it('binds every client value: a hostile operand appears only among the parameters', () => {
    const hostile = `x'); drop table tenant_users; --`
    for (const dialect of DIALECTS) {
      for (const text of [
        `title eq "${hostile}"`,
        `emails[type eq "${hostile}"].value co "${hostile}"`,
        `${ENT}:department sw "${hostile}"`,
        `groups.display ew "${hostile}"`,
      ]) {
        const compiled = compile(text, dialect)
        assert.doesNotMatch(compiled.sql, /drop table/, text)
        assert.ok(compiled.parameters.includes(hostile), text)
      }
    }
  })

  it('uses schema spellings only: names in any case compile like canonical ones', () => {
    for (const dialect of DIALECTS) {
      assert.deepEqual(
        compile('EMAILS[TYPE eq "work"].VALUE eq "a@x"', dialect),
        compile('emails[type eq "work"].value eq "a@x"', dialect),
      )
      assert.deepEqual(
        compile(`${ENT.toUpperCase()}:DEPARTMENT eq "x"`, dialect),
        compile(`${ENT}:department eq "x"`, dialect),
      )
    }
  })

  it('rejects what the evaluator rejects ("foo eq 1", …) with scimType invalidFilter', () => {
    for (const text of [
      'foo eq "x"',
      'userName eq 1',
      'active gt true',
      'password eq "p"',
      'meta.created gt "soon"',
    ]) {
      assert.throws(() => compileUser(text), isInvalidFilter, text)
    }
  })

  it('rejects comparisons on meta.location and $ref (not stored) but accepts "pr"', () => {
    for (const text of ['meta.location eq "https://x/Users/1"', 'groups.$ref co "Groups"']) {
      assert.throws(() => compileUser(text), isInvalidFilter, text)
    }
    assertCompiles('meta.location pr', {
      sqlite: { sql: 'true', parameters: [] },
      postgres: { sql: 'true', parameters: [] },
    })
  })
})
