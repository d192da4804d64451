// Tests of the filter and PATCH path parser (RFC 7644 §3.4.2.2 figure 1, §3.5.2).

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ScimError } from '../errors.ts'
import type { AttributePath, CompareOperator, Filter, FilterValue } from './ast.ts'
import { STRICT_QUIRKS } from '../resources/quirks.ts'
import { parseFilter, parseFilterResult, parsePatchPath } from './parser.ts'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User'

const path = (attr: string, sub?: string, uri?: string): AttributePath => ({
  ...(uri === undefined ? {} : { uri }),
  attr,
  ...(sub === undefined ? {} : { sub }),
})
const compare = (p: AttributePath, op: CompareOperator, value: FilterValue): Filter => ({
  kind: 'compare',
  path: p,
  op,
  value,
})
const present = (p: AttributePath): Filter => ({ kind: 'present', path: p })
const and = (left: Filter, right: Filter): Filter => ({ kind: 'and', left, right })
const or = (left: Filter, right: Filter): Filter => ({ kind: 'or', left, right })
const not = (filter: Filter): Filter => ({ kind: 'not', filter })
const valuePath = (p: AttributePath, filter: Filter): Filter => ({
  kind: 'valuePath',
  path: p,
  filter,
})

/** Asserts `text` is rejected with invalidFilter and a detail matching `detail` and a position. */
function assertInvalidFilter(text: string, detail?: RegExp): void {
  assert.throws(
    () => parseFilter(text),
    (error: unknown) => {
      assert.ok(error instanceof ScimError, `expected ScimError for ${text}`)
      assert.equal(error.status, 400)
      assert.equal(error.scimType, 'invalidFilter')
      if (detail !== undefined) assert.match(error.detail, detail)
      return true
    },
  )
}

describe('parseFilter', () => {
  describe('the examples of RFC 7644 §3.4.2.2', () => {
    const examples: readonly [string, Filter][] = [
      ['userName eq "bjensen"', compare(path('userName'), 'eq', 'bjensen')],
      ['name.familyName co "O\'Malley"', compare(path('name', 'familyName'), 'co', "O'Malley")],
      ['userName sw "J"', compare(path('userName'), 'sw', 'J')],
      [`${CORE}:userName sw "J"`, compare(path('userName', undefined, CORE), 'sw', 'J')],
      ['title pr', present(path('title'))],
      [
        'meta.lastModified gt "2011-05-13T04:42:34Z"',
        compare(path('meta', 'lastModified'), 'gt', '2011-05-13T04:42:34Z'),
      ],
      [
        'meta.lastModified ge "2011-05-13T04:42:34Z"',
        compare(path('meta', 'lastModified'), 'ge', '2011-05-13T04:42:34Z'),
      ],
      [
        'meta.lastModified lt "2011-05-13T04:42:34Z"',
        compare(path('meta', 'lastModified'), 'lt', '2011-05-13T04:42:34Z'),
      ],
      [
        'meta.lastModified le "2011-05-13T04:42:34Z"',
        compare(path('meta', 'lastModified'), 'le', '2011-05-13T04:42:34Z'),
      ],
      [
        'title pr and userType eq "Employee"',
        and(present(path('title')), compare(path('userType'), 'eq', 'Employee')),
      ],
      [
        'title pr or userType eq "Intern"',
        or(present(path('title')), compare(path('userType'), 'eq', 'Intern')),
      ],
      [`schemas eq "${ENTERPRISE}"`, compare(path('schemas'), 'eq', ENTERPRISE)],
      [
        'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
        and(
          compare(path('userType'), 'eq', 'Employee'),
          or(
            compare(path('emails'), 'co', 'example.com'),
            compare(path('emails', 'value'), 'co', 'example.org'),
          ),
        ),
      ],
      [
        'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
        and(
          compare(path('userType'), 'ne', 'Employee'),
          not(
            or(
              compare(path('emails'), 'co', 'example.com'),
              compare(path('emails', 'value'), 'co', 'example.org'),
            ),
          ),
        ),
      ],
      [
        'userType eq "Employee" and (emails.type eq "work")',
        and(
          compare(path('userType'), 'eq', 'Employee'),
          compare(path('emails', 'type'), 'eq', 'work'),
        ),
      ],
      [
        'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
        and(
          compare(path('userType'), 'eq', 'Employee'),
          valuePath(
            path('emails'),
            and(compare(path('type'), 'eq', 'work'), compare(path('value'), 'co', '@example.com')),
          ),
        ),
      ],
      [
        'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
        or(
          valuePath(
            path('emails'),
            and(compare(path('type'), 'eq', 'work'), compare(path('value'), 'co', '@example.com')),
          ),
          valuePath(
            path('ims'),
            and(compare(path('type'), 'eq', 'xmpp'), compare(path('value'), 'co', '@foo.com')),
          ),
        ),
      ],
    ]
    for (const [text, expected] of examples) {
      it(`parses ${text}`, () => {
        assert.deepEqual(parseFilter(text), expected)
      })
    }
  })

  describe('paths', () => {
    it('parses the core URN prefix with a sub-attribute from the first line of §3.4.2.2', () => {
      assert.deepEqual(
        parseFilter(`${CORE}:name.familyName co "O'Malley"`),
        compare(path('name', 'familyName', CORE), 'co', "O'Malley"),
      )
    })

    it('splits an extension URN at its last colon, keeping the dots of 2.0 in the URN', () => {
      assert.deepEqual(
        parseFilter(`${ENTERPRISE}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`),
        compare(path('manager', 'value', ENTERPRISE), 'eq', '26118915-6090-4610-87e4-49d8ca9f808d'),
      )
      assert.deepEqual(
        parseFilter(`${ENTERPRISE}:employeeNumber eq "701984"`),
        compare(path('employeeNumber', undefined, ENTERPRISE), 'eq', '701984'),
      )
    })

    it('keeps the client spelling of attribute names', () => {
      assert.deepEqual(parseFilter('USERNAME eq "x"'), compare(path('USERNAME'), 'eq', 'x'))
    })

    it('accepts $ref as a sub-attribute name', () => {
      assert.deepEqual(parseFilter('members.$ref pr'), present(path('members', '$ref')))
    })

    it('reads Entra\'s emails[type eq "work"].value eq "x" as a value path with both tests', () => {
      assert.deepEqual(
        parseFilter('emails[type eq "work"].value eq "a@example.com"'),
        valuePath(
          path('emails'),
          and(compare(path('type'), 'eq', 'work'), compare(path('value'), 'eq', 'a@example.com')),
        ),
      )
    })

    it('reads roles[primary eq "True"].value pr as a value path', () => {
      assert.deepEqual(
        parseFilter('roles[primary eq "True"].value pr'),
        valuePath(
          path('roles'),
          and(compare(path('primary'), 'eq', 'True'), present(path('value'))),
        ),
      )
    })
  })

  describe('operators and precedence', () => {
    it('accepts every comparison operator in any case', () => {
      for (const op of ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'] as const) {
        assert.deepEqual(
          parseFilter(`title ${op.toUpperCase()} "x"`),
          compare(path('title'), op, 'x'),
        )
      }
      assert.deepEqual(parseFilter('title PR'), present(path('title')))
    })

    it('accepts and, or and not in any case', () => {
      assert.deepEqual(
        parseFilter('a pr AND b pr Or NOT (c pr)'),
        or(and(present(path('a')), present(path('b'))), not(present(path('c')))),
      )
    })

    it('binds and tighter than or on both sides', () => {
      assert.deepEqual(
        parseFilter('a pr or b pr and c pr or d pr'),
        or(or(present(path('a')), and(present(path('b')), present(path('c')))), present(path('d'))),
      )
    })

    it('builds chains left-associatively', () => {
      assert.deepEqual(
        parseFilter('a pr and b pr and c pr'),
        and(and(present(path('a')), present(path('b'))), present(path('c'))),
      )
    })

    it('lets parentheses override precedence', () => {
      assert.deepEqual(
        parseFilter('(a pr or b pr) and c pr'),
        and(or(present(path('a')), present(path('b'))), present(path('c'))),
      )
    })

    it('accepts redundant parentheses and no spaces around them', () => {
      assert.deepEqual(parseFilter('((title pr))'), present(path('title')))
      assert.deepEqual(parseFilter('not(title pr)'), not(present(path('title'))))
    })

    it('accepts not inside a value filter', () => {
      assert.deepEqual(
        parseFilter('emails[not (type eq "work")]'),
        valuePath(path('emails'), not(compare(path('type'), 'eq', 'work'))),
      )
    })
  })

  describe('literals', () => {
    it('decodes JSON string escapes', () => {
      assert.deepEqual(
        parseFilter(String.raw`title eq "a\"b\\c\/d\n\u00e9\u0041"`),
        compare(path('title'), 'eq', 'a"b\\c/d\néA'),
      )
    })

    it('parses integers, decimals, exponents and negative numbers', () => {
      const cases: readonly [string, number][] = [
        ['0', 0],
        ['42', 42],
        ['-7', -7],
        ['3.25', 3.25],
        ['1e3', 1000],
        ['-1.5E-2', -0.015],
      ]
      for (const [text, value] of cases) {
        assert.deepEqual(parseFilter(`n eq ${text}`), compare(path('n'), 'eq', value))
      }
    })

    it('parses true, false and null in any case', () => {
      assert.deepEqual(parseFilter('active eq true'), compare(path('active'), 'eq', true))
      assert.deepEqual(parseFilter('active eq FALSE'), compare(path('active'), 'eq', false))
      assert.deepEqual(parseFilter('title eq Null'), compare(path('title'), 'eq', null))
    })

    it('keeps dates as strings', () => {
      assert.deepEqual(
        parseFilter('meta.created lt "2024-01-01T00:00:00.000Z"'),
        compare(path('meta', 'created'), 'lt', '2024-01-01T00:00:00.000Z'),
      )
    })
  })

  describe('malformed filters', () => {
    const cases: readonly [string, string, RegExp][] = [
      ['an empty filter', '', /empty/],
      ['a blank filter', '   ', /empty/],
      ['a missing value', 'userName eq', /missing value after "eq" at position 12/],
      ['a missing value before and', 'userName eq and title pr', /unexpected "and" at position 13/],
      [
        'an unknown operator',
        'userName xx "bjensen"',
        /unexpected "xx" at position 10: expected a comparison operator \(eq, ne, co, sw, ew, gt, ge, lt, le\) or pr/,
      ],
      [
        'a missing operator',
        'userName "bjensen"',
        /at position 10: expected a comparison operator/,
      ],
      [
        'an unclosed parenthesis',
        '(title pr',
        /end of input at position 10.*"\)" to close the "\(" at position 1/,
      ],
      ['an extra closing parenthesis', 'title pr)', /unexpected "\)" at position 9/],
      ['an unclosed bracket', 'emails[type eq "work"', /"\]" to close the "\[" at position 7/],
      ['an extra closing bracket', 'title pr]', /unexpected "\]" at position 9/],
      ['an unterminated string', 'title eq "abc', /unterminated string starting at position 10/],
      ['an invalid escape', String.raw`title eq "a\qb"`, /invalid escape \\q at position 12/],
      [
        'a short unicode escape',
        String.raw`title eq "\u12"`,
        /invalid escape \\u12" at position 11/,
      ],
      [
        'a raw control character in a string',
        'title eq "a\tb"',
        /control character in string at position 12/,
      ],
      ['not without parentheses', 'not title pr', /at position 5: expected "\(" after "not"/],
      [
        'a nested value path',
        'emails[type[value eq "x"] pr]',
        /nested value filter at position 12/,
      ],
      [
        'a nested value path with a valid path',
        'a[b[c eq 1]]',
        /nested value filter at position 4/,
      ],
      [
        'trailing garbage',
        'title pr garbage',
        /unexpected "garbage" at position 10: expected and, or/,
      ],
      ['two trailing values', 'title eq "a" "b"', /unexpected "b" at position 14/],
      ['a dangling and', 'title pr and', /unexpected end of input at position 13/],
      ['a leading or', 'or title pr', /expected a comparison operator/],
      ['an empty value filter', 'emails[]', /unexpected "\]" at position 8/],
      ['empty parentheses', '()', /unexpected "\)" at position 2/],
      ['an unexpected character', 'title pr @', /unexpected character "@" at position 10/],
      ['a bad number', '01 pr', /invalid number "01" at position 1/],
      ['a number glued to a word', 'title pr and 1abc pr', /invalid number "1abc" at position 14/],
      [
        'an empty path segment',
        'name..familyName pr',
        /invalid attribute path "name..familyName" at position 1/,
      ],
      ['a path with two dots', 'name.familyName.x pr', /invalid attribute path/],
      ['an attribute with an invalid character', 'a:b:_c pr', /invalid attribute path/],
      [
        'a sub-attribute inside a value filter',
        'emails[emails.type eq "work"]',
        /inside \[ \] name a sub-attribute/,
      ],
      [
        'a value path after a sub-attribute',
        'name.givenName[value eq "x"]',
        /a value filter follows a multi-valued attribute/,
      ],
      [
        'a comparison with a value path as the value',
        'userName eq emails[type eq "x"]',
        /unexpected "\[" at position 19: expected and, or, or the end of the filter$/,
      ],
    ]
    for (const [name, text, detail] of cases) {
      it(`rejects ${name} (${JSON.stringify(text)}) with scimType invalidFilter`, () => {
        assertInvalidFilter(text, detail)
      })
    }

    it('reports the 0-based position in the result form', () => {
      const result = parseFilterResult('userName xx "a"')
      assert.equal(result.ok, false)
      if (!result.ok) assert.equal(result.error.position, 9)
    })
  })

  describe('unquoted values (filter/quirks.ts readUnquotedValue)', () => {
    const strict = { quirks: STRICT_QUIRKS }
    const lenient: readonly [string, Filter][] = [
      // Microsoft's SCIMReferenceCode Postman collection, "User tests with garbage"
      ['userName sw O', compare(path('userName'), 'sw', 'O')],
      ['name.familyName eq Employee', compare(path('name', 'familyName'), 'eq', 'Employee')],
      [
        'meta.Created gt 2015-10-10T14:38:21.8617979-07:00',
        compare(path('meta', 'Created'), 'gt', '2015-10-10T14:38:21.8617979-07:00'),
      ],
      // the Entra tutorial's query by externalId
      ['externalId eq jyoung', compare(path('externalId'), 'eq', 'jyoung')],
      ['externalId eq 1234abc', compare(path('externalId'), 'eq', '1234abc')],
      ['externalId eq 01', compare(path('externalId'), 'eq', '01')],
      ['externalId eq 12', compare(path('externalId'), 'eq', 12)],
      ['n ge -1.5e3', compare(path('n'), 'ge', -1500)],
      ['userName eq john@example.com', compare(path('userName'), 'eq', 'john@example.com')],
      ['userName ew .com', compare(path('userName'), 'ew', '.com')],
      ['title eq @', compare(path('title'), 'eq', '@')],
      [
        'userName eq john and active eq true',
        and(compare(path('userName'), 'eq', 'john'), compare(path('active'), 'eq', true)),
      ],
      [
        'userName EQ john OR (displayName co Smith)',
        or(compare(path('userName'), 'eq', 'john'), compare(path('displayName'), 'co', 'Smith')),
      ],
      [
        'emails[type eq work].value eq a@example.com',
        valuePath(
          path('emails'),
          and(compare(path('type'), 'eq', 'work'), compare(path('value'), 'eq', 'a@example.com')),
        ),
      ],
      [
        `${ENTERPRISE}:manager eq 26118915-6090-4610-87e4-49d8ca9f808d`,
        compare(
          path('manager', undefined, ENTERPRISE),
          'eq',
          '26118915-6090-4610-87e4-49d8ca9f808d',
        ),
      ],
      ['active eq TRUE', compare(path('active'), 'eq', true)],
      ['title eq Null', compare(path('title'), 'eq', null)],
    ]
    for (const [text, expected] of lenient) {
      it(`reads ${JSON.stringify(text)} as the quoted form would be read`, () => {
        assert.deepEqual(parseFilter(text), expected)
      })
    }

    it('parses the same AST as the quoted form', () => {
      assert.deepEqual(
        parseFilter('userName sw O and externalId eq 1234abc'),
        parseFilter('userName sw "O" and externalId eq "1234abc"'),
      )
    })

    it('still reports a missing value when and/or/not follow the operator', () => {
      assertInvalidFilter('userName eq and title pr', /unexpected "and" at position 13/)
      assertInvalidFilter('userName eq or title pr', /unexpected "or" at position 13/)
    })

    it('says to quote a value that contains spaces', () => {
      assertInvalidFilter(
        'name.familyName eq Van Dyke',
        /unexpected "Dyke" at position 24: .*quote a value that contains spaces/,
      )
      assertInvalidFilter('(title eq a b)', /"\)" to close .*quote a value that contains spaces/)
    })

    const unquoted: readonly [string, string, number][] = [
      ['userName sw O', 'O', 13],
      ['name.familyName eq Employee', 'Employee', 20],
      [
        'meta.created gt 2015-10-10T14:38:21.8617979-07:00',
        '2015-10-10T14:38:21.8617979-07:00',
        17,
      ],
      ['externalId eq 1234abc', '1234abc', 15],
      ['userName eq john and active eq true', 'john', 13],
      ['emails[type eq work]', 'work', 16],
      ['title eq @', '@', 10],
    ]
    for (const [text, value, position] of unquoted) {
      it(`refuses ${JSON.stringify(text)} in strict mode, saying to quote the value`, () => {
        assert.throws(
          () => parseFilter(text, strict),
          (error: unknown) => {
            assert.ok(error instanceof ScimError)
            assert.equal(error.scimType, 'invalidFilter')
            assert.equal(
              error.detail.startsWith(
                `unquoted value ${JSON.stringify(value)} at position ${position}: quote the value`,
              ),
              true,
              error.detail,
            )
            assert.match(error.detail, /strict interop-profile mode/)
            return true
          },
        )
      })
    }

    it('accepts quoted values, numbers and literals in strict mode', () => {
      assert.deepEqual(
        parseFilter('externalId eq "1234abc" and n eq 12 and active eq true', strict),
        and(
          and(compare(path('externalId'), 'eq', '1234abc'), compare(path('n'), 'eq', 12)),
          compare(path('active'), 'eq', true),
        ),
      )
    })

    it('reports the 0-based position of a refused value in the result form', () => {
      const result = parseFilterResult('userName eq john', strict)
      assert.equal(result.ok, false)
      if (!result.ok) assert.equal(result.error.position, 12)
    })

    it('is never accepted in a PATCH path', () => {
      for (const text of ['emails[type eq work].value', 'members[value eq 1234abc]']) {
        assert.throws(
          () => parsePatchPath(text),
          (error: unknown) =>
            error instanceof ScimError &&
            error.scimType === 'invalidPath' &&
            /expected a value/.test(error.detail),
          text,
        )
      }
    })
  })

  describe('limits on hostile input', () => {
    it('rejects a filter longer than 4096 characters', () => {
      const text = `title eq "${'a'.repeat(4100)}"`
      assertInvalidFilter(text, /longer than 4096 characters/)
    })

    it('honours a custom maxLength', () => {
      assert.throws(() => parseFilter('title pr', { maxLength: 4 }), /longer than 4 characters/)
    })

    it('fails fast on 10,000 nested parentheses without overflowing the stack', () => {
      const text = `${'('.repeat(10_000)}title pr${')'.repeat(10_000)}`
      assertInvalidFilter(text, /longer than/)
      assert.throws(
        () => parseFilter(text, { maxLength: 1_000_000 }),
        (error: unknown) =>
          error instanceof ScimError &&
          error.scimType === 'invalidFilter' &&
          /nesting deeper than 32 levels at position 33/.test(error.detail),
      )
    })

    it('fails fast on deeply nested not', () => {
      const text = `${'not ('.repeat(5_000)}title pr${')'.repeat(5_000)}`
      assert.throws(() => parseFilter(text, { maxLength: 1_000_000 }), /nesting deeper than 32/)
    })

    it('accepts nesting up to maxDepth and rejects one more level', () => {
      const nested = (depth: number): string => `${'('.repeat(depth)}title pr${')'.repeat(depth)}`
      assert.deepEqual(parseFilter(nested(32)), present(path('title')))
      assertInvalidFilter(nested(33), /nesting deeper than 32 levels/)
      assert.deepEqual(parseFilter(nested(3), { maxDepth: 3 }), present(path('title')))
      assert.throws(() => parseFilter(nested(4), { maxDepth: 3 }), /nesting deeper than 3 levels/)
    })

    it('counts a value path as a level of nesting', () => {
      assert.throws(
        () => parseFilter('(emails[type pr])', { maxDepth: 1 }),
        /nesting deeper than 1/,
      )
      assert.deepEqual(
        parseFilter('emails[type pr]', { maxDepth: 1 }),
        valuePath(path('emails'), present(path('type'))),
      )
    })

    it('parses a chain of 200 or terms and rejects 201', () => {
      const chain = (n: number): string =>
        Array.from({ length: n }, (_, i) => `a eq ${i}`).join(' or ')
      const filter = parseFilter(chain(200), { maxLength: 100_000 })
      assert.equal(filter.kind, 'or')
      assert.throws(
        () => parseFilter(chain(201), { maxLength: 100_000 }),
        (error: unknown) =>
          error instanceof ScimError &&
          error.scimType === 'invalidFilter' &&
          /more than 200 comparisons/.test(error.detail),
      )
    })

    it('builds a long and chain without recursing once per term', () => {
      const text = Array.from({ length: 5_000 }, () => 'a pr').join(' and ')
      const filter = parseFilter(text, { maxLength: 1_000_000, maxTerms: 5_000 })
      let depth = 0
      let node: Filter = filter
      while (node.kind === 'and') {
        depth += 1
        node = node.left
      }
      assert.equal(depth, 4_999)
    })

    it('counts terms inside value paths', () => {
      assert.throws(
        () => parseFilter('emails[type pr and value pr] and title pr', { maxTerms: 2 }),
        /more than 2 comparisons/,
      )
    })
  })
})

describe('parsePatchPath', () => {
  it('parses a simple attribute', () => {
    assert.deepEqual(parsePatchPath('userName'), { path: path('userName') })
  })

  it('parses a sub-attribute', () => {
    assert.deepEqual(parsePatchPath('name.familyName'), { path: path('name', 'familyName') })
  })

  it('parses a value filter on members', () => {
    assert.deepEqual(parsePatchPath('members[value eq "2819c223"]'), {
      path: path('members'),
      filter: compare(path('value'), 'eq', '2819c223'),
    })
  })

  it('parses a value filter followed by a sub-attribute', () => {
    assert.deepEqual(parsePatchPath('emails[type eq "work"].value'), {
      path: path('emails'),
      filter: compare(path('type'), 'eq', 'work'),
      sub: 'value',
    })
  })

  it('parses a complex value filter', () => {
    assert.deepEqual(
      parsePatchPath('addresses[type eq "work" and not (primary eq false)].streetAddress'),
      {
        path: path('addresses'),
        filter: and(
          compare(path('type'), 'eq', 'work'),
          not(compare(path('primary'), 'eq', false)),
        ),
        sub: 'streetAddress',
      },
    )
  })

  it('parses Entra\'s roles[primary eq "True"].value', () => {
    assert.deepEqual(parsePatchPath('roles[primary eq "True"].value'), {
      path: path('roles'),
      filter: compare(path('primary'), 'eq', 'True'),
      sub: 'value',
    })
  })

  it('parses enterprise extension paths', () => {
    assert.deepEqual(parsePatchPath(`${ENTERPRISE}:manager`), {
      path: path('manager', undefined, ENTERPRISE),
    })
    assert.deepEqual(parsePatchPath(`${ENTERPRISE}:employeeNumber`), {
      path: path('employeeNumber', undefined, ENTERPRISE),
    })
    assert.deepEqual(parsePatchPath(`${ENTERPRISE}:manager.value`), {
      path: path('manager', 'value', ENTERPRISE),
    })
  })

  it('parses the Group description extension path', () => {
    const group = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:Group'
    assert.deepEqual(parsePatchPath(`${group}:description`), {
      path: path('description', undefined, group),
    })
  })

  it('parses a core URN path', () => {
    assert.deepEqual(parsePatchPath(`${CORE}:name.givenName`), {
      path: path('name', 'givenName', CORE),
    })
  })

  const invalid: readonly [string, RegExp][] = [
    ['', /empty/],
    ['userName eq "x"', /unexpected "eq" at position 10/],
    ['emails[type eq "work"', /"\]" to close/],
    ['emails[type eq "work"].', /end of input at position 24: expected a sub-attribute/],
    ['emails[type eq "work"].value.display', /unexpected "value.display"/],
    ['emails[type eq "work"]value', /unexpected "value" at position 23/],
    ['emails[type[value eq "x"]]', /nested value filter/],
    ['name..givenName', /invalid attribute path/],
    ['(userName)', /unexpected "\(" at position 1: expected an attribute name/],
    ['emails[type xx "work"]', /expected a comparison operator/],
  ]
  for (const [text, detail] of invalid) {
    it(`rejects ${JSON.stringify(text)} with scimType invalidPath`, () => {
      assert.throws(
        () => parsePatchPath(text),
        (error: unknown) => {
          assert.ok(error instanceof ScimError)
          assert.equal(error.scimType, 'invalidPath')
          assert.match(error.detail, detail)
          return true
        },
      )
    })
  }
})
