// Unit tests of POST/PUT body normalisation (RFC 7643 §2, §7; RFC 7644 §3.3, §3.5.1), with the
// Entra request bodies of entra-provisioning.md §3.3 and §3.11.

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { ScimError } from '../errors.ts'
import {
  ENTERPRISE_USER_SCHEMA_URN,
  ENTRA_ADSCIM_GROUP_URN,
  GROUP_EXTENSION_SCHEMA_URN,
  GROUP_RESOURCE_TYPE,
  SCIM_GROUP_SCHEMA_URN,
  SCIM_USER_SCHEMA_URN,
  USER_RESOURCE_TYPE,
} from '../schemas/index.ts'
import { normalizeResource, validateDocument } from './normalize.ts'
import type { NormalizeMode } from './normalize.ts'
import { LENIENT_QUIRKS, STRICT_QUIRKS } from './quirks.ts'
import type { QuirkOptions } from './quirks.ts'

const createUser = (
  body: unknown,
  quirks: QuirkOptions = LENIENT_QUIRKS,
  mode: NormalizeMode = 'create',
) => normalizeResource(body, USER_RESOURCE_TYPE, { quirks, mode })

const createGroup = (
  body: unknown,
  quirks: QuirkOptions = LENIENT_QUIRKS,
  mode: NormalizeMode = 'create',
) => normalizeResource(body, GROUP_RESOURCE_TYPE, { quirks, mode })

/** Asserts a ScimError with this status/scimType whose detail contains every fragment. */
function rejects(fn: () => unknown, scimType: string, ...fragments: string[]): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ScimError, `expected a ScimError, got ${String(error)}`)
    assert.equal(error.status, 400)
    assert.equal(error.scimType, scimType)
    for (const fragment of fragments) {
      assert.ok(
        error.detail.includes(fragment),
        `detail ${JSON.stringify(error.detail)} lacks ${fragment}`,
      )
    }
    return true
  })
}

const CUSTOM_URN = 'urn:example:custom:2.0:User'

/** entra-provisioning.md §3.3, with the enterprise extension Entra adds when it is mapped. */
const ENTRA_CREATE_USER = {
  schemas: [SCIM_USER_SCHEMA_URN, ENTERPRISE_USER_SCHEMA_URN],
  externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
  userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
  active: true,
  emails: [
    {
      primary: true,
      type: 'work',
      value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com',
    },
  ],
  meta: { resourceType: 'User' },
  name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
  roles: [],
  [ENTERPRISE_USER_SCHEMA_URN]: { employeeNumber: '1234', department: 'Sales' },
}

/** entra-provisioning.md §3.11. */
const ENTRA_CREATE_GROUP = {
  schemas: [SCIM_GROUP_SCHEMA_URN, ENTRA_ADSCIM_GROUP_URN],
  externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
  displayName: 'displayName',
  meta: { resourceType: 'Group' },
}

describe('normalizeResource for Users', () => {
  it("stores Entra's POST /Users body canonically, without meta or the empty roles", () => {
    const { doc, password } = createUser(ENTRA_CREATE_USER)
    assert.equal(password, undefined)
    assert.deepEqual(doc, {
      schemas: [SCIM_USER_SCHEMA_URN, ENTERPRISE_USER_SCHEMA_URN],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      active: true,
      emails: [
        {
          value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com',
          type: 'work',
          primary: true,
        },
      ],
      [ENTERPRISE_USER_SCHEMA_URN]: { employeeNumber: '1234', department: 'Sales' },
    })
  })

  it('matches attribute names case-insensitively and re-spells them as the schema does', () => {
    const { doc } = createUser({
      SCHEMAS: [SCIM_USER_SCHEMA_URN.toUpperCase()],
      USERNAME: 'bjensen',
      Name: { GivenName: 'Barbara' },
      Emails: [{ VALUE: 'b@example.com', Type: 'work' }],
      'URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER': { Department: 'R&D' },
    })
    assert.deepEqual(doc, {
      schemas: [SCIM_USER_SCHEMA_URN, ENTERPRISE_USER_SCHEMA_URN],
      userName: 'bjensen',
      name: { givenName: 'Barbara' },
      emails: [{ value: 'b@example.com', type: 'work' }],
      [ENTERPRISE_USER_SCHEMA_URN]: { department: 'R&D' },
    })
  })

  it('accepts fully qualified extension and core attribute names at the top level', () => {
    const { doc } = createUser({
      schemas: [SCIM_USER_SCHEMA_URN],
      [`${SCIM_USER_SCHEMA_URN}:userName`]: 'bjensen',
      [`${ENTERPRISE_USER_SCHEMA_URN}:employeeNumber`]: '701984',
      [ENTERPRISE_USER_SCHEMA_URN]: { costCenter: '4130' },
    })
    assert.deepEqual(doc, {
      schemas: [SCIM_USER_SCHEMA_URN, ENTERPRISE_USER_SCHEMA_URN],
      userName: 'bjensen',
      [ENTERPRISE_USER_SCHEMA_URN]: { employeeNumber: '701984', costCenter: '4130' },
    })
  })

  it('rejects an attribute given twice under different spellings', () => {
    rejects(
      () =>
        createUser({
          userName: 'a',
          [`${ENTERPRISE_USER_SCHEMA_URN}:department`]: 'x',
          [ENTERPRISE_USER_SCHEMA_URN]: { department: 'y' },
        }),
      'invalidSyntax',
      'department',
      'more than once',
    )
    rejects(() => createUser({ userName: 'a', USERNAME: 'b' }), 'invalidSyntax', 'userName')
  })

  it('ignores readOnly attributes (id, meta, groups, manager.displayName) unchecked', () => {
    const { doc } = createUser({
      id: 12,
      meta: 'not even an object',
      groups: [{ value: 'g1' }],
      userName: 'bjensen',
      [ENTERPRISE_USER_SCHEMA_URN]: { manager: { value: 'm1', displayName: 'Boss' } },
    })
    assert.deepEqual(doc, {
      schemas: [SCIM_USER_SCHEMA_URN, ENTERPRISE_USER_SCHEMA_URN],
      userName: 'bjensen',
      [ENTERPRISE_USER_SCHEMA_URN]: { manager: { value: 'm1' } },
    })
  })

  it('keeps externalId exactly as sent', () => {
    const { doc } = createUser({ userName: 'a', externalId: 'JYoung ' })
    assert.equal(doc['externalId'], 'JYoung ')
  })

  it('extracts password from the document', () => {
    const { doc, password } = createUser({ userName: 'a', password: 't1meMa$heen' })
    assert.equal(password, 't1meMa$heen')
    assert.equal('password' in doc, false)
  })

  it('tolerates a missing schemas array unless strict', () => {
    assert.equal(createUser({ userName: 'a' }).doc['userName'], 'a')
    rejects(() => createUser({ userName: 'a' }, STRICT_QUIRKS), 'invalidSyntax', 'schemas')
  })

  it('rejects a schemas array without the core schema', () => {
    rejects(
      () => createUser({ schemas: [ENTERPRISE_USER_SCHEMA_URN], userName: 'a' }),
      'invalidSyntax',
      SCIM_USER_SCHEMA_URN,
    )
    rejects(() => createUser({ schemas: 'x', userName: 'a' }), 'invalidSyntax', 'schemas')
  })

  it('rejects an unknown schema URN, naming it and the mapping to remove', () => {
    rejects(
      () => createUser({ schemas: [SCIM_USER_SCHEMA_URN, CUSTOM_URN], userName: 'a' }),
      'invalidSyntax',
      CUSTOM_URN,
      'mapping',
    )
    rejects(
      () =>
        createUser({ schemas: [SCIM_USER_SCHEMA_URN, GROUP_EXTENSION_SCHEMA_URN], userName: 'a' }),
      'invalidSyntax',
      GROUP_EXTENSION_SCHEMA_URN,
    )
  })

  it('rejects an unknown attribute, naming it and the mapping to remove', () => {
    rejects(
      () => createUser({ userName: 'a', favouriteColour: 'blue' }),
      'invalidSyntax',
      '"favouriteColour"',
      'mapping',
    )
    rejects(
      () => createUser({ userName: 'a', name: { nickname: 'B' } }),
      'invalidSyntax',
      'name.nickname',
    )
    rejects(
      () => createUser({ userName: 'a', [ENTERPRISE_USER_SCHEMA_URN]: { badge: '1' } }),
      'invalidSyntax',
      `${ENTERPRISE_USER_SCHEMA_URN}:badge`,
    )
    rejects(
      () =>
        createUser({
          userName: 'a',
          'urn:ietf:params:scim:schemas:extension:Custom:2.0:User:badge': '1',
        }),
      'invalidSyntax',
      'urn:ietf:params:scim:schemas:extension:Custom:2.0:User:badge',
    )
  })

  it('rejects an unqualified extension attribute and says how to qualify it', () => {
    rejects(
      () => createUser({ userName: 'a', department: 'Sales' }),
      'invalidSyntax',
      '"department"',
      `${ENTERPRISE_USER_SCHEMA_URN}:department`,
    )
  })

  it('rejects a dotted path used as a body key', () => {
    rejects(
      () => createUser({ userName: 'a', 'name.givenName': 'B' }),
      'invalidSyntax',
      'name.givenName',
    )
  })

  it('rejects a body that is not a JSON object', () => {
    rejects(() => createUser([{ userName: 'a' }]), 'invalidSyntax', 'JSON object')
    rejects(() => createUser(null), 'invalidSyntax', 'JSON object')
  })

  it('coerces Entra string booleans, including "primary": "True", unless strict', () => {
    const { doc } = createUser({
      userName: 'a',
      active: 'False',
      roles: [{ value: 'Admin', primary: 'True' }],
    })
    assert.equal(doc['active'], false)
    assert.deepEqual(doc['roles'], [{ value: 'Admin', primary: true }])
  })

  it('refuses string booleans in strict mode, naming the attribute', () => {
    rejects(
      () => {
        const body = { schemas: [SCIM_USER_SCHEMA_URN], userName: 'a', active: 'True' }
        return createUser(body, STRICT_QUIRKS)
      },
      'invalidValue',
      '"active"',
      'strict',
    )
  })

  it('accepts everything the profile allows in strict mode', () => {
    const { doc } = createUser(ENTRA_CREATE_USER, STRICT_QUIRKS)
    assert.equal(doc['active'], true)
  })

  it('rejects wrong types with invalidValue naming the attribute and the expected type', () => {
    rejects(() => createUser({ userName: 42 }), 'invalidValue', '"userName"', 'a string')
    rejects(
      () => createUser({ userName: 'a', active: 'yes' }),
      'invalidValue',
      '"active"',
      'boolean',
    )
    rejects(
      () => createUser({ userName: 'a', emails: { value: 'a@b.c' } }),
      'invalidValue',
      '"emails"',
      'array',
    )
    rejects(
      () => createUser({ userName: 'a', name: 'Barbara Jensen' }),
      'invalidValue',
      '"name"',
      'object',
    )
    rejects(() => createUser({ userName: 'a', emails: ['a@b.c'] }), 'invalidValue', '"emails[0]"')
    rejects(
      () => createUser({ userName: 'a', x509Certificates: [{ value: 'not base64!' }] }),
      'invalidValue',
      'x509Certificates[0].value',
      'base64',
    )
    rejects(
      () => createUser({ userName: 'a', [ENTERPRISE_USER_SCHEMA_URN]: { employeeNumber: 1234 } }),
      'invalidValue',
      `${ENTERPRISE_USER_SCHEMA_URN}:employeeNumber`,
    )
  })

  it('treats null values as absent and drops empty arrays and empty complex values', () => {
    const { doc } = createUser({
      userName: 'a',
      displayName: null,
      name: { givenName: null },
      emails: [null],
      phoneNumbers: [],
      [ENTERPRISE_USER_SCHEMA_URN]: { department: null },
    })
    assert.deepEqual(doc, { schemas: [SCIM_USER_SCHEMA_URN], userName: 'a' })
  })

  it('collapses identical values of a multi-valued attribute', () => {
    const { doc } = createUser({
      userName: 'a',
      emails: [
        { value: 'a@b.c', type: 'work' },
        { type: 'work', value: 'a@b.c' },
      ],
    })
    assert.deepEqual(doc['emails'], [{ value: 'a@b.c', type: 'work' }])
  })

  it('keeps several values of one type (Entra maps proxyAddresses to emails of type other)', () => {
    const { doc } = createUser({
      userName: 'a',
      emails: [
        { value: 'a@b.c', type: 'other' },
        { value: 'a@d.e', type: 'other' },
      ],
    })
    assert.equal((doc['emails'] as unknown[]).length, 2)
  })

  it('rejects more than one primary value of a multi-valued attribute', () => {
    rejects(
      () =>
        createUser({
          userName: 'a',
          emails: [
            { value: 'a@b.c', primary: true },
            { value: 'a@d.e', primary: 'True' },
          ],
        }),
      'invalidValue',
      '"emails"',
      'primary',
    )
  })

  it('requires a non-empty userName', () => {
    rejects(
      () => createUser({ schemas: [SCIM_USER_SCHEMA_URN] }),
      'invalidValue',
      'userName is required',
    )
    rejects(() => createUser({ userName: '  ' }), 'invalidValue', 'userName is required')
    rejects(
      () => createUser({ userName: null }, LENIENT_QUIRKS, 'replace'),
      'invalidValue',
      'userName is required',
    )
  })

  it('stores a manager sent as a bare id string as { value: id }', () => {
    const { doc } = createUser({ userName: 'a', [ENTERPRISE_USER_SCHEMA_URN]: { manager: 'm1' } })
    assert.deepEqual(doc[ENTERPRISE_USER_SCHEMA_URN], { manager: { value: 'm1' } })
  })

  it('reads an empty manager as no manager', () => {
    for (const manager of ['', { value: '' }]) {
      const { doc } = createUser({ userName: 'a', [ENTERPRISE_USER_SCHEMA_URN]: { manager } })
      assert.deepEqual(doc, { schemas: [SCIM_USER_SCHEMA_URN], userName: 'a' })
    }
  })
})

describe('normalizeResource for Groups', () => {
  it("accepts Entra's POST /Groups body, dropping the ADSCIM schema URN and meta", () => {
    const result = createGroup(ENTRA_CREATE_GROUP)
    assert.deepEqual(result, {
      doc: {
        schemas: [SCIM_GROUP_SCHEMA_URN],
        externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
        displayName: 'displayName',
      },
    })
  })

  it('refuses the ADSCIM schema URN in strict mode, naming it', () => {
    rejects(
      () => createGroup(ENTRA_CREATE_GROUP, STRICT_QUIRKS),
      'invalidSyntax',
      ENTRA_ADSCIM_GROUP_URN,
      'strict',
    )
  })

  it('accepts the description extension as Entra admins map it', () => {
    const { doc } = createGroup({
      schemas: [SCIM_GROUP_SCHEMA_URN, GROUP_EXTENSION_SCHEMA_URN],
      displayName: 'Sales',
      [`${GROUP_EXTENSION_SCHEMA_URN}:description`]: 'All of sales',
    })
    assert.deepEqual(doc, {
      schemas: [SCIM_GROUP_SCHEMA_URN, GROUP_EXTENSION_SCHEMA_URN],
      displayName: 'Sales',
      [GROUP_EXTENSION_SCHEMA_URN]: { description: 'All of sales' },
    })
  })

  it('returns members apart from the document, accepting $ref: null and collapsing repeats', () => {
    const { doc, members } = createGroup({
      displayName: 'Sales',
      members: [
        { $ref: null, value: 'u1' },
        { value: 'g1', type: 'group', display: 'Nested' },
        { value: 'u1', type: 'User' },
        'u2',
      ],
    })
    assert.equal('members' in doc, false)
    assert.deepEqual(members, [
      { value: 'u1', type: 'User' },
      { value: 'g1', type: 'Group' },
      { value: 'u2' },
    ])
  })

  it('leaves members out when the body has none, and clears them on PUT with null', () => {
    assert.equal(createGroup({ displayName: 'Sales' }).members, undefined)
    assert.deepEqual(createGroup({ displayName: 'Sales', members: [] }).members, [])
    assert.equal(createGroup({ displayName: 'Sales', members: null }).members, undefined)
    assert.deepEqual(
      createGroup({ displayName: 'Sales', members: null }, LENIENT_QUIRKS, 'replace').members,
      [],
    )
  })

  it('requires a value on every member and a known member type', () => {
    rejects(
      () => createGroup({ displayName: 'S', members: [{ value: 'u1' }, { display: 'x' }] }),
      'invalidValue',
      'members[1].value',
    )
    rejects(
      () => createGroup({ displayName: 'S', members: [{ display: 'x', type: 'User' }] }),
      'invalidValue',
      'members[0].value',
    )
    rejects(
      () => createGroup({ displayName: 'S', members: [{ value: 'u1', type: 'Robot' }] }),
      'invalidValue',
      'members[0].type',
    )
  })

  it('requires a non-empty displayName', () => {
    rejects(
      () => createGroup({ schemas: [SCIM_GROUP_SCHEMA_URN] }),
      'invalidValue',
      'displayName is required',
    )
    rejects(() => createGroup({ displayName: '' }), 'invalidValue', 'displayName is required')
  })

  it('rejects User attributes and extensions on a Group', () => {
    rejects(() => createGroup({ displayName: 'S', userName: 'x' }), 'invalidSyntax', '"userName"')
    rejects(
      () => createGroup({ displayName: 'S', [ENTERPRISE_USER_SCHEMA_URN]: { department: 'x' } }),
      'invalidSyntax',
      ENTERPRISE_USER_SCHEMA_URN,
    )
  })
})

describe('validateDocument', () => {
  it('accepts a canonical document and returns it unchanged', () => {
    const { doc } = createUser(ENTRA_CREATE_USER)
    assert.deepEqual(validateDocument(doc, USER_RESOURCE_TYPE, LENIENT_QUIRKS).doc, doc)
  })

  it('does not require schemas, even in strict mode', () => {
    assert.equal(
      validateDocument({ userName: 'a' }, USER_RESOURCE_TYPE, STRICT_QUIRKS).doc['userName'],
      'a',
    )
  })

  it('catches what a PATCH could break: required attributes, primary uniqueness, types', () => {
    rejects(
      () => validateDocument({ displayName: 'x' }, USER_RESOURCE_TYPE, LENIENT_QUIRKS),
      'invalidValue',
      'userName is required',
    )
    rejects(
      () =>
        validateDocument(
          {
            userName: 'a',
            phoneNumbers: [
              { value: '1', primary: true },
              { value: '2', primary: true },
            ],
          },
          USER_RESOURCE_TYPE,
          LENIENT_QUIRKS,
        ),
      'invalidValue',
      'phoneNumbers',
    )
    rejects(
      () =>
        validateDocument({ userName: 'a', active: 'maybe' }, USER_RESOURCE_TYPE, LENIENT_QUIRKS),
      'invalidValue',
      'active',
    )
  })

  it('drops readOnly attributes from the returned document and separates members', () => {
    const result = validateDocument(
      { id: 'g1', meta: { version: 'W/"1"' }, displayName: 'S', members: [{ value: 'u1' }] },
      GROUP_RESOURCE_TYPE,
      LENIENT_QUIRKS,
    )
    assert.deepEqual(result, {
      doc: { schemas: [SCIM_GROUP_SCHEMA_URN], displayName: 'S' },
      members: [{ value: 'u1' }],
    })
  })
})
