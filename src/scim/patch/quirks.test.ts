// Unit tests of the named PATCH client quirks (RFC 7644 §3.5.2; SPEC §7; entra-provisioning.md
// §3.6, §3.10, §3.16, §4, §7).

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { ScimError } from '../errors.ts'
import { parseFilter } from '../filter/parser.ts'
import { LENIENT_QUIRKS, STRICT_QUIRKS } from '../resources/quirks.ts'
import {
  ENTERPRISE_USER_SCHEMA,
  ENTERPRISE_USER_SCHEMA_URN,
  ID_ATTRIBUTE,
  SCIM_USER_SCHEMA,
  SCIM_USER_SCHEMA_URN,
  USER_RESOURCE_TYPE,
} from '../schemas/index.ts'
import type { AttributeDefinition } from '../schemas/types.ts'
import {
  acceptBareMemberIds,
  elementForUnmatchedFilter,
  expandPathlessValue,
  isAddOverwritingAttribute,
  isIgnoredPathlessKey,
  listedRemovalValues,
  normalizeOpName,
} from './quirks.ts'

function coreAttribute(name: string): AttributeDefinition {
  const found = SCIM_USER_SCHEMA.attributes.find((attribute) => attribute.name === name)
  assert.ok(found, name)
  return found
}

function subAttribute(parent: AttributeDefinition, name: string): AttributeDefinition {
  const found = parent.subAttributes?.find((attribute) => attribute.name === name)
  assert.ok(found, name)
  return found
}

describe('normalizeOpName', () => {
  it('reads Entra\'s capitalised "Add", "Replace" and "Remove" as the RFC ops', () => {
    assert.equal(normalizeOpName('Add'), 'add')
    assert.equal(normalizeOpName('Replace'), 'replace')
    assert.equal(normalizeOpName('Remove'), 'remove')
    assert.equal(normalizeOpName('REPLACE'), 'replace')
    assert.equal(normalizeOpName(' remove '), 'remove')
  })

  it('returns undefined for any other op or a non-string', () => {
    assert.equal(normalizeOpName('copy'), undefined)
    assert.equal(normalizeOpName('move'), undefined)
    assert.equal(normalizeOpName(''), undefined)
    assert.equal(normalizeOpName(1), undefined)
    assert.equal(normalizeOpName(undefined), undefined)
  })
})

describe('expandPathlessValue', () => {
  it("keeps Entra's dotted and URN-qualified keys as paths", () => {
    const entries = expandPathlessValue(
      {
        displayName: 'Bjfe',
        'name.givenName': 'Kkom',
        [`${ENTERPRISE_USER_SCHEMA_URN}:employeeNumber`]: 'Aklq',
      },
      USER_RESOURCE_TYPE,
    )
    assert.deepEqual(
      entries.map(({ path, value }) => [path, value]),
      [
        ['displayName', 'Bjfe'],
        ['name.givenName', 'Kkom'],
        [`${ENTERPRISE_USER_SCHEMA_URN}:employeeNumber`, 'Aklq'],
      ],
    )
  })

  it('expands an extension object into one qualified path per attribute', () => {
    const entries = expandPathlessValue(
      { [ENTERPRISE_USER_SCHEMA_URN]: { department: 'Tours', manager: { value: 'm1' } } },
      USER_RESOURCE_TYPE,
    )
    assert.deepEqual(
      entries.map(({ path, value }) => [path, value]),
      [
        [`${ENTERPRISE_USER_SCHEMA_URN}:department`, 'Tours'],
        [`${ENTERPRISE_USER_SCHEMA_URN}:manager`, { value: 'm1' }],
      ],
    )
  })

  it('matches the extension URN case-insensitively and unwraps the core schema URN', () => {
    const entries = expandPathlessValue(
      {
        [ENTERPRISE_USER_SCHEMA_URN.toUpperCase()]: { department: 'Tours' },
        [SCIM_USER_SCHEMA_URN]: { nickName: 'Babs' },
      },
      USER_RESOURCE_TYPE,
    )
    assert.deepEqual(
      entries.map(({ path }) => path),
      [`${ENTERPRISE_USER_SCHEMA_URN}:department`, 'nickName'],
    )
  })

  it('keeps an extension URN whose value is not an object as one entry', () => {
    const entries = expandPathlessValue({ [ENTERPRISE_USER_SCHEMA_URN]: null }, USER_RESOURCE_TYPE)
    assert.deepEqual(entries, [
      { key: ENTERPRISE_USER_SCHEMA_URN, path: ENTERPRISE_USER_SCHEMA_URN, value: null },
    ])
  })
})

describe('isIgnoredPathlessKey', () => {
  it("skips Okta's schemas and readOnly keys such as id", () => {
    assert.equal(isIgnoredPathlessKey('schemas', undefined), true)
    assert.equal(isIgnoredPathlessKey('Schemas', undefined), true)
    assert.equal(isIgnoredPathlessKey('id', ID_ATTRIBUTE), true)
    assert.equal(isIgnoredPathlessKey('groups', coreAttribute('groups')), true)
  })

  it('keeps writable attributes', () => {
    assert.equal(isIgnoredPathlessKey('displayName', coreAttribute('displayName')), false)
    assert.equal(isIgnoredPathlessKey('displayName', undefined), false)
  })
})

describe('listedRemovalValues', () => {
  it('returns undefined when the remove carries no value (remove all, RFC 7644 §3.5.2.2)', () => {
    assert.equal(listedRemovalValues(undefined), undefined)
    assert.equal(listedRemovalValues(null), undefined)
  })

  it("returns Entra's value array as the exact values to remove", () => {
    const value = [{ $ref: null, value: 'f648f8d5ea4e4cd38e9c' }]
    assert.deepEqual(listedRemovalValues(value), value)
    assert.deepEqual(listedRemovalValues([]), [])
  })

  it('wraps a single element or bare id in an array', () => {
    assert.deepEqual(listedRemovalValues({ value: 'u1' }), [{ value: 'u1' }])
    assert.deepEqual(listedRemovalValues('u1'), ['u1'])
  })
})

describe('acceptBareMemberIds', () => {
  it('lets bare ids through when not strict (SCIMReferenceCode garbage test)', () => {
    assert.equal(acceptBareMemberIds('u1', 'members', LENIENT_QUIRKS), 'u1')
    assert.deepEqual(acceptBareMemberIds(['u1', { value: 'u2' }], 'members', LENIENT_QUIRKS), [
      'u1',
      { value: 'u2' },
    ])
  })

  it('refuses bare ids in strict mode with invalidSyntax', () => {
    for (const value of ['u1', ['u1']]) {
      assert.throws(
        () => acceptBareMemberIds(value, 'members', STRICT_QUIRKS),
        (error: unknown) =>
          error instanceof ScimError &&
          error.scimType === 'invalidSyntax' &&
          error.detail.includes('strict'),
      )
    }
  })

  it('accepts member objects in strict mode', () => {
    const value = [{ value: 'u1' }]
    assert.equal(acceptBareMemberIds(value, 'members', STRICT_QUIRKS), value)
  })
})

describe('isAddOverwritingAttribute', () => {
  it('is true for the enterprise manager only', () => {
    const manager = ENTERPRISE_USER_SCHEMA.attributes.find(({ name }) => name === 'manager')
    assert.ok(manager)
    assert.equal(isAddOverwritingAttribute(manager), true)
    assert.equal(isAddOverwritingAttribute(coreAttribute('name')), false)
    assert.equal(isAddOverwritingAttribute(coreAttribute('emails')), false)
  })
})

describe('elementForUnmatchedFilter', () => {
  const emails = coreAttribute('emails')
  const roles = coreAttribute('roles')

  it('builds {type: "work"} from Entra\'s emails[type eq "work"]', () => {
    const filter = parseFilter('type eq "work"')
    assert.deepEqual(elementForUnmatchedFilter(filter, emails, subAttribute(emails, 'value')), {
      type: 'work',
    })
  })

  it('keeps the literal of roles[primary eq "True"] for the caller to coerce', () => {
    const filter = parseFilter('primary eq "True"')
    assert.deepEqual(elementForUnmatchedFilter(filter, roles, subAttribute(roles, 'value')), {
      primary: 'True',
    })
  })

  it('combines eq comparisons joined by and, spelling names as the schema does', () => {
    const filter = parseFilter('TYPE eq "work" and primary eq true')
    assert.deepEqual(elementForUnmatchedFilter(filter, emails, undefined), {
      type: 'work',
      primary: true,
    })
  })

  it('returns undefined for or, not, other operators, null and repeated names', () => {
    for (const text of [
      'type eq "work" or type eq "home"',
      'not (type eq "work")',
      'value ew "example.com"',
      'type pr',
      'type eq null',
      'type eq "work" and type eq "home"',
    ]) {
      assert.equal(elementForUnmatchedFilter(parseFilter(text), emails, undefined), undefined, text)
    }
  })

  it('returns undefined when the filter names the sub-attribute being set', () => {
    const filter = parseFilter('value eq "a@example.com"')
    const value = subAttribute(emails, 'value')
    assert.equal(elementForUnmatchedFilter(filter, emails, value), undefined)
  })
})
