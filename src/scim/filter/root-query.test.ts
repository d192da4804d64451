// Tests of root-query filters (RFC 7644 §3.4.2.1, §3.4.2.2): one filter per resource type, where
// attributes of other types are absent.

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ScimError } from '../errors.ts'
import {
  ENTERPRISE_USER_SCHEMA_URN,
  GROUP_RESOURCE_TYPE,
  USER_RESOURCE_TYPE,
} from '../schemas/index.ts'
import { parseFilter } from './parser.ts'
import { definesAttribute, filtersForResourceTypes } from './root-query.ts'
import type { TypeFilter } from './root-query.ts'

const TYPES = [USER_RESOURCE_TYPE, GROUP_RESOURCE_TYPE]
const split = (text: string): TypeFilter[] => filtersForResourceTypes(parseFilter(text), TYPES)
const same = (text: string): TypeFilter => ({ kind: 'filter', filter: parseFilter(text) })
const ALL: TypeFilter = { kind: 'all' }
const NONE: TypeFilter = { kind: 'none' }

const isInvalidFilter = (detail: RegExp) => (error: unknown) =>
  error instanceof ScimError && error.scimType === 'invalidFilter' && detail.test(error.detail)

describe('filtersForResourceTypes', () => {
  const cases: readonly [string, TypeFilter, TypeFilter][] = [
    ['userName eq "bjensen"', same('userName eq "bjensen"'), NONE],
    ['members pr', NONE, same('members pr')],
    ['members[type eq "User"]', NONE, same('members[type eq "User"]')],
    ['emails.value co "@example.com"', same('emails.value co "@example.com"'), NONE],
    ['displayName co "ops"', same('displayName co "ops"'), same('displayName co "ops"')],
    [
      'meta.resourceType eq "Group"',
      same('meta.resourceType eq "Group"'),
      same('meta.resourceType eq "Group"'),
    ],
    ['userName ne "bjensen"', same('userName ne "bjensen"'), ALL],
    ['not (userName pr)', same('not (userName pr)'), ALL],
    ['userName eq null', same('userName eq null'), ALL],
    ['userName ne null', same('userName ne null'), NONE],
    [
      'userName eq "bjensen" or displayName eq "Ops"',
      same('userName eq "bjensen" or displayName eq "Ops"'),
      same('displayName eq "Ops"'),
    ],
    [
      'userName eq "bjensen" and displayName eq "Ops"',
      same('userName eq "bjensen" and displayName eq "Ops"'),
      NONE,
    ],
    [
      '(members pr or userName sw "a") and externalId pr',
      same('userName sw "a" and externalId pr'),
      same('members pr and externalId pr'),
    ],
    [
      `${ENTERPRISE_USER_SCHEMA_URN}:department eq "hr"`,
      same(`${ENTERPRISE_USER_SCHEMA_URN}:department eq "hr"`),
      NONE,
    ],
    ['description pr', NONE, same('description pr')],
  ]
  for (const [text, user, group] of cases) {
    it(`gives ${JSON.stringify(text)} to Users and Groups as an absent attribute would`, () => {
      assert.deepEqual(split(text), [user, group])
    })
  }

  it('refuses an attribute that no resource type defines', () => {
    assert.throws(
      () => split('nickname eq "x" or foo pr'),
      isInvalidFilter(/unknown attribute "foo".*User, Group/),
    )
  })

  it('refuses an unknown sub-attribute of an attribute one type defines', () => {
    assert.throws(() => split('name.nope eq "x"'), isInvalidFilter(/name\.nope/))
  })

  it('refuses what the type that defines the attribute refuses', () => {
    assert.throws(() => split('active gt true'), isInvalidFilter(/active/))
    const nullOrder = isInvalidFilter(/only eq and ne compare with null/)
    assert.throws(() => split('members.value gt null'), nullOrder)
    assert.throws(() => split('userName gt null'), nullOrder)
  })
})

describe('definesAttribute', () => {
  it('looks at the top-level attribute only, with or without its schema URN', () => {
    assert.equal(definesAttribute({ attr: 'name', sub: 'nope' }, USER_RESOURCE_TYPE), true)
    assert.equal(definesAttribute({ attr: 'userName' }, GROUP_RESOURCE_TYPE), false)
    const manager = { uri: ENTERPRISE_USER_SCHEMA_URN, attr: 'manager' }
    assert.equal(definesAttribute({ ...manager, sub: 'value' }, USER_RESOURCE_TYPE), true)
    assert.equal(definesAttribute(manager, GROUP_RESOURCE_TYPE), false)
  })
})
