// Tests of the PATCH engine (RFC 7644 §3.5.2): every example of the RFC, every Entra ID form of
// entra-provisioning.md §3.6–3.16 and §4 in both dialects, strict-mode refusals, atomicity.

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { ScimError } from '../errors.ts'
import type { ScimType } from '../errors.ts'
import { parseFilter } from '../filter/parser.ts'
import { LENIENT_QUIRKS, STRICT_QUIRKS } from '../resources/quirks.ts'
import type { QuirkOptions } from '../resources/quirks.ts'
import { defineAttribute } from '../schemas/define.ts'
import {
  ENTERPRISE_USER_SCHEMA_URN,
  GROUP_EXTENSION_SCHEMA_URN,
  GROUP_RESOURCE_TYPE,
  PATCH_OP_URN,
  SCIM_USER_SCHEMA_URN,
  USER_RESOURCE_TYPE,
} from '../schemas/index.ts'
import type { ResourceTypeDefinition } from '../schemas/types.ts'
import { applyPatch } from './apply-patch.ts'
import type { PatchResult } from './apply-patch.ts'

const ENTERPRISE = ENTERPRISE_USER_SCHEMA_URN
const MANAGER = `${ENTERPRISE}:manager`
const BOTH_MODES: readonly [string, QuirkOptions][] = [
  ['lenient', LENIENT_QUIRKS],
  ['strict', STRICT_QUIRKS],
]

type Doc = Record<string, unknown>

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner)
    Object.freeze(value)
  }
  return value
}

const CERTIFICATE = 'MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMCVVMx'
const MANAGER_ID = '26118915-6090-4610-87e4-49d8ca9f808d'

const USER: Readonly<Doc> = deepFreeze({
  userName: 'bjensen@example.com',
  name: { familyName: 'Jensen', givenName: 'Barbara' },
  displayName: 'Babs Jensen',
  active: true,
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  addresses: [
    {
      streetAddress: '100 Universal City Plaza',
      locality: 'Hollywood',
      region: 'CA',
      postalCode: '91608',
      country: 'USA',
      type: 'work',
      primary: true,
    },
    { streetAddress: '456 Hollywood Blvd', locality: 'Hollywood', type: 'home' },
  ],
  x509Certificates: [{ value: CERTIFICATE }],
  [ENTERPRISE]: {
    employeeNumber: '701984',
    department: 'Tour Operations',
    manager: { value: MANAGER_ID },
  },
})

const GROUP: Readonly<Doc> = deepFreeze({
  displayName: 'Tour Guides',
  externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
})

/** A minimal user, for tests that build attributes from nothing. */
const BARE_USER: Readonly<Doc> = deepFreeze({ userName: 'a@example.com' })

function body(...operations: unknown[]): unknown {
  return { schemas: [PATCH_OP_URN], Operations: operations }
}

function patchUser(
  operations: unknown[],
  doc: Readonly<Doc> = USER,
  quirks: QuirkOptions = LENIENT_QUIRKS,
): PatchResult {
  return applyPatch(body(...operations), doc, USER_RESOURCE_TYPE, quirks)
}

function patchGroup(
  operations: unknown[],
  doc: Readonly<Doc> = GROUP,
  quirks: QuirkOptions = LENIENT_QUIRKS,
): PatchResult {
  return applyPatch(body(...operations), doc, GROUP_RESOURCE_TYPE, quirks)
}

function enterprise(result: PatchResult): Doc {
  return result.doc[ENTERPRISE] as Doc
}

function list(result: PatchResult, name: string): Doc[] {
  return result.doc[name] as Doc[]
}

/** Asserts a ScimError with status 400, the scimType, and every fragment in its detail. */
function assertRejects(run: () => unknown, scimType: ScimType, ...fragments: string[]): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof ScimError, `expected a ScimError, got ${String(error)}`)
    assert.equal(error.status, 400)
    assert.equal(error.scimType, scimType, error.detail)
    for (const fragment of fragments) {
      assert.ok(error.detail.includes(fragment), `"${error.detail}" should mention "${fragment}"`)
    }
    return true
  })
}

/** {@link assertRejects} for one lenient PATCH of {@link USER}. */
function rejectsUser(operations: unknown[], scimType: ScimType, ...fragments: string[]): void {
  assertRejects(() => patchUser(operations), scimType, ...fragments)
}

/** {@link assertRejects} for one lenient PATCH of {@link GROUP}. */
function rejectsGroup(operations: unknown[], scimType: ScimType, ...fragments: string[]): void {
  assertRejects(() => patchGroup(operations), scimType, ...fragments)
}

describe('applyPatch: the PatchOp body (RFC 7644 §3.5.2)', () => {
  const replace = { op: 'replace', path: 'displayName', value: 'Babs' }
  const run = (input: unknown) => () => applyPatch(input, USER, USER_RESOURCE_TYPE, LENIENT_QUIRKS)

  it('rejects a body that is not an object', () => {
    assertRejects(run('nope'), 'invalidSyntax', 'JSON object')
    assertRejects(run([replace]), 'invalidSyntax', 'JSON object')
  })

  it('rejects a body without the PatchOp schema URN', () => {
    for (const schemas of [undefined, [SCIM_USER_SCHEMA_URN], PATCH_OP_URN]) {
      assertRejects(run({ schemas, Operations: [replace] }), 'invalidSyntax', PATCH_OP_URN)
    }
  })

  it('rejects a missing, non-array or empty Operations', () => {
    for (const Operations of [undefined, {}, []]) {
      assertRejects(
        run({ schemas: [PATCH_OP_URN], Operations }),
        'invalidSyntax',
        'non-empty "Operations"',
      )
    }
  })

  it('matches member names case-insensitively: "operations", "OP", "Path", "Value"', () => {
    const input = {
      Schemas: [PATCH_OP_URN.toUpperCase()],
      operations: [{ OP: 'replace', Path: 'displayName', Value: 'Babs' }],
    }
    const result = applyPatch(input, USER, USER_RESOURCE_TYPE, STRICT_QUIRKS)
    assert.equal(result.doc['displayName'], 'Babs')
  })

  it('rejects "Operations" given twice under different spellings', () => {
    assertRejects(
      run({ schemas: [PATCH_OP_URN], Operations: [replace], operations: [replace] }),
      'invalidSyntax',
      'more than once',
    )
  })

  it('rejects an unknown op, naming it and the operation index', () => {
    rejectsUser(
      [replace, { op: 'copy', path: 'displayName', value: 'x' }],
      'invalidSyntax',
      'Operations[1]',
      '"copy"',
    )
  })

  it('rejects an operation that is not an object, and a non-string path', () => {
    rejectsUser(['replace'], 'invalidSyntax', 'Operations[0]')
    rejectsUser([{ op: 'replace', path: 3, value: 'x' }], 'invalidSyntax', '"path"')
  })

  it('rejects add and replace without a value', () => {
    rejectsUser([{ op: 'add', path: 'nickName' }], 'invalidSyntax', 'value')
    rejectsUser([{ op: 'replace', path: 'nickName' }], 'invalidSyntax', 'value')
  })

  it('tolerates extra members in an operation (SCIMReferenceCode sends "name")', () => {
    const result = patchGroup([
      { name: 'addMember', op: 'add', path: 'members', value: [{ value: 'u1' }] },
    ])
    assert.deepEqual(result.memberOps, [{ kind: 'add', members: [{ value: 'u1' }] }])
  })
})

describe('applyPatch: add (RFC 7644 §3.5.2.1)', () => {
  it('adds members to a group (RFC example), ignoring display and $ref', () => {
    const result = patchGroup([
      {
        op: 'add',
        path: 'members',
        value: [
          {
            display: 'Babs Jensen',
            $ref: 'https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646',
            value: '2819c223-7f76-453a-919d-413861904646',
          },
        ],
      },
    ])
    assert.deepEqual(result.memberOps, [
      { kind: 'add', members: [{ value: '2819c223-7f76-453a-919d-413861904646' }] },
    ])
    assert.deepEqual(result.doc, GROUP)
    assert.equal(result.changed, true)
  })

  it('adds emails and a nickname with no path (RFC example)', () => {
    const emails = [
      { value: 'babs@jensen.org', type: 'home' },
      { value: 'babs@example.org', type: 'other' },
    ]
    const result = patchUser([{ op: 'add', value: { emails, nickname: 'Babs' } }])
    assert.equal(result.doc['nickName'], 'Babs')
    assert.deepEqual(result.doc['emails'], [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
      { value: 'babs@example.org', type: 'other' },
    ])
  })

  it('appends to a multi-valued attribute without duplicating an identical value', () => {
    const result = patchUser([
      { op: 'add', path: 'emails', value: [{ type: 'home', value: 'babs@jensen.org' }] },
    ])
    assert.deepEqual(result.doc['emails'], USER['emails'])
    assert.equal(result.changed, false)
  })

  it('merges into a singular complex attribute (interop profile §6.5.2.1)', () => {
    const result = patchUser([{ op: 'add', path: 'name', value: { middleName: 'Jane' } }])
    assert.deepEqual(result.doc['name'], {
      familyName: 'Jensen',
      givenName: 'Barbara',
      middleName: 'Jane',
    })
  })

  it('sets a singular simple attribute exactly as replace does', () => {
    const added = patchUser([{ op: 'add', path: 'title', value: 'Tour Guide' }])
    const replaced = patchUser([{ op: 'replace', path: 'title', value: 'Tour Guide' }])
    assert.deepEqual(added.doc, replaced.doc)
    assert.equal(added.doc['title'], 'Tour Guide')
  })

  it('clears primary on the other values when an added value is primary (RFC 7644 §3.5.2)', () => {
    const value = [{ value: 'new@example.com', type: 'other', primary: true }]
    const result = patchUser([{ op: 'add', path: 'emails', value }])
    assert.deepEqual(result.doc['emails'], [
      { value: 'bjensen@example.com', type: 'work', primary: false },
      { value: 'babs@jensen.org', type: 'home' },
      { value: 'new@example.com', type: 'other', primary: true },
    ])
  })

  it('refuses two primary values in one add (RFC 7643 §2.4)', () => {
    const value = [
      { value: 'a@example.com', primary: true },
      { value: 'b@example.com', primary: true },
    ]
    rejectsUser([{ op: 'add', path: 'emails', value }], 'invalidValue', 'primary')
  })

  it('adds an extension attribute by its URN-qualified path, creating the extension object', () => {
    const result = patchUser(
      [{ op: 'add', path: `${ENTERPRISE}:costCenter`, value: '4130' }],
      BARE_USER,
    )
    assert.deepEqual(result.doc, { ...BARE_USER, [ENTERPRISE]: { costCenter: '4130' } })
  })

  it('adds to a whole extension object by its URN path, merging', () => {
    const result = patchUser([{ op: 'add', path: ENTERPRISE, value: { division: 'Theme Park' } }])
    assert.deepEqual(enterprise(result), {
      employeeNumber: '701984',
      division: 'Theme Park',
      department: 'Tour Operations',
      manager: { value: MANAGER_ID },
    })
  })

  it('creates a whole element through an eq filter that matches nothing', () => {
    const path = 'emails[type eq "other"]'
    const result = patchUser([{ op: 'add', path, value: { value: 'o@example.com' } }])
    assert.deepEqual(list(result, 'emails')[2], { value: 'o@example.com', type: 'other' })
  })

  it('merges a value into the element a value filter selects', () => {
    const result = patchUser([
      { op: 'add', path: 'addresses[type eq "home"]', value: { postalCode: '90028' } },
    ])
    assert.deepEqual(list(result, 'addresses')[1], {
      streetAddress: '456 Hollywood Blvd',
      locality: 'Hollywood',
      postalCode: '90028',
      type: 'home',
    })
  })
})

describe('applyPatch: remove (RFC 7644 §3.5.2.2)', () => {
  it('removes a single member by filter (RFC example)', () => {
    const result = patchGroup([
      { op: 'remove', path: 'members[value eq "2819c223-7f76-453a-919d-413861904646"]' },
    ])
    assert.deepEqual(result.memberOps, [
      { kind: 'remove', values: ['2819c223-7f76-453a-919d-413861904646'] },
    ])
    assert.equal(result.changed, true)
  })

  it('removes all members (RFC example)', () => {
    const result = patchGroup([{ op: 'remove', path: 'members' }])
    assert.deepEqual(result.memberOps, [{ kind: 'removeAll' }])
  })

  it('removes the values matching a complex filter (RFC example)', () => {
    const result = patchUser([
      { op: 'remove', path: 'emails[type eq "work" and value ew "example.com"]' },
    ])
    assert.deepEqual(result.doc['emails'], [{ value: 'babs@jensen.org', type: 'home' }])
  })

  it('removes a certificate by value, the attribute named in lower case (RFC example)', () => {
    const result = patchUser([
      { op: 'remove', path: `x509certificates[value eq "${CERTIFICATE}"]` },
    ])
    assert.equal(result.doc['x509Certificates'], undefined)
  })

  it('replaces members by remove then add, in order (RFC example)', () => {
    const result = patchGroup([
      { op: 'remove', path: 'members[value eq"2819c223...919d-413861904646"]' },
      {
        op: 'add',
        path: 'members',
        value: [
          {
            display: 'James Smith',
            $ref: 'https://example.com/v2/Users/08e1d05d...473d93df9210',
            value: '08e1d05d...473d93df9210',
          },
        ],
      },
    ])
    assert.deepEqual(result.memberOps, [
      { kind: 'remove', values: ['2819c223...919d-413861904646'] },
      { kind: 'add', members: [{ value: '08e1d05d...473d93df9210' }] },
    ])
  })

  it('is a no-op when nothing matches (idempotent retries)', () => {
    const result = patchUser([
      { op: 'remove', path: 'emails[type eq "pager"]' },
      { op: 'remove', path: 'nickName' },
      { op: 'remove', path: 'name.middleName' },
      { op: 'remove', path: `${ENTERPRISE}:costCenter` },
    ])
    assert.deepEqual(result.doc, USER)
    assert.equal(result.changed, false)
  })

  it('removes a sub-attribute, a simple attribute and a whole multi-valued attribute', () => {
    const result = patchUser([
      { op: 'remove', path: 'name.familyName' },
      { op: 'remove', path: 'displayName' },
      { op: 'remove', path: 'addresses' },
    ])
    assert.deepEqual(result.doc['name'], { givenName: 'Barbara' })
    assert.equal(result.doc['displayName'], undefined)
    assert.equal(result.doc['addresses'], undefined)
  })

  it('removes a sub-attribute of matching values, dropping a value left with only its type', () => {
    const result = patchUser([
      { op: 'remove', path: 'addresses[type eq "work"].postalCode' },
      { op: 'remove', path: 'emails[type eq "home"].value' },
    ])
    assert.equal(list(result, 'addresses')[0]?.['postalCode'], undefined)
    assert.equal(list(result, 'addresses')[0]?.['locality'], 'Hollywood')
    assert.deepEqual(result.doc['emails'], [
      { value: 'bjensen@example.com', type: 'work', primary: true },
    ])
  })

  it('removes the last extension attribute and with it the extension object', () => {
    const result = patchUser([{ op: 'remove', path: `${ENTERPRISE}:department` }], {
      userName: 'a@example.com',
      [ENTERPRISE]: { department: 'x' },
    })
    assert.deepEqual(result.doc, BARE_USER)
  })

  it('removes a whole extension by its URN path', () => {
    const result = patchUser([{ op: 'remove', path: ENTERPRISE }])
    assert.equal(result.doc[ENTERPRISE], undefined)
  })

  it('refuses to remove a required attribute with mutability (userName, Group displayName)', () => {
    rejectsUser([{ op: 'remove', path: 'userName' }], 'mutability', 'userName')
    rejectsUser([{ op: 'replace', path: 'userName', value: null }], 'mutability', 'userName')
    rejectsGroup([{ op: 'remove', path: 'displayName' }], 'mutability', 'displayName')
    rejectsGroup([{ op: 'replace', path: 'displayName', value: '' }], 'mutability')
  })

  it('fails a remove without path with noTarget (lenient) or invalidSyntax (strict)', () => {
    const operation = { op: 'remove', value: { nickName: 'x' } }
    rejectsUser([operation], 'noTarget', 'path')
    assertRejects(() => patchUser([operation], USER, STRICT_QUIRKS), 'invalidSyntax', 'path')
  })
})

describe('applyPatch: replace (RFC 7644 §3.5.2.3)', () => {
  it('replaces all members (RFC example)', () => {
    const result = patchGroup([
      {
        op: 'replace',
        path: 'members',
        value: [
          {
            display: 'Babs Jensen',
            $ref: 'https://example.com/v2/Users/2819c223...413861904646',
            value: '2819c223...413861904646',
          },
          {
            display: 'James Smith',
            $ref: 'https://example.com/v2/Users/08e1d05d...473d93df9210',
            value: '08e1d05d...473d93df9210',
            type: 'user',
          },
        ],
      },
    ])
    assert.deepEqual(result.memberOps, [
      {
        kind: 'replace',
        members: [
          { value: '2819c223...413861904646' },
          { value: '08e1d05d...473d93df9210', type: 'User' },
        ],
      },
    ])
  })

  it('replaces the work address wholly (RFC example)', () => {
    const work = {
      type: 'work',
      streetAddress: '911 Universal City Plaza',
      locality: 'Hollywood',
      region: 'CA',
      postalCode: '91608',
      country: 'US',
      formatted: '911 Universal City Plaza\nHollywood, CA 91608 US',
      primary: true,
    }
    const result = patchUser([{ op: 'replace', path: 'addresses[type eq "work"]', value: work }])
    const addresses = list(result, 'addresses')
    assert.equal(addresses.length, 2)
    assert.deepEqual(addresses[0], {
      formatted: '911 Universal City Plaza\nHollywood, CA 91608 US',
      streetAddress: '911 Universal City Plaza',
      locality: 'Hollywood',
      region: 'CA',
      postalCode: '91608',
      country: 'US',
      type: 'work',
      primary: true,
    })
  })

  it('replaces one sub-attribute of the work address (RFC example)', () => {
    const path = 'addresses[type eq "work"].streetAddress'
    const result = patchUser([{ op: 'replace', path, value: '1010 Broadway Ave' }])
    const addresses = list(result, 'addresses')
    assert.equal(addresses[0]?.['streetAddress'], '1010 Broadway Ave')
    assert.equal(addresses[0]?.['postalCode'], '91608')
    assert.deepEqual(addresses[1], (USER['addresses'] as Doc[])[1])
  })

  it('replaces emails and nickname with no path (RFC example)', () => {
    const emails = [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ]
    const result = patchUser([{ op: 'replace', value: { emails, nickname: 'Babs' } }], {
      ...USER,
      emails: [{ value: 'old@example.com', type: 'other' }],
    })
    assert.deepEqual(result.doc['emails'], emails)
    assert.equal(result.doc['nickName'], 'Babs')
  })

  it('overwrites a whole singular complex attribute (interop profile §6.5.2.1)', () => {
    const result = patchUser([{ op: 'replace', path: 'name', value: { givenName: 'Babs' } }])
    assert.deepEqual(result.doc['name'], { givenName: 'Babs' })
  })

  it('merges a complex attribute in a path-less replace (RFC 7644 §3.5.2.3)', () => {
    const result = patchUser([{ op: 'replace', value: { name: { givenName: 'Babs' } } }])
    assert.deepEqual(result.doc['name'], { familyName: 'Jensen', givenName: 'Babs' })
  })

  it('swaps a whole multi-valued attribute, and [] or null clears it', () => {
    const value = [{ value: 'z@example.com' }]
    const swapped = patchUser([{ op: 'replace', path: 'emails', value }])
    assert.deepEqual(swapped.doc['emails'], value)
    const cleared = patchUser([
      { op: 'replace', path: 'emails', value: [] },
      { op: 'replace', path: 'addresses', value: null },
    ])
    assert.equal(cleared.doc['emails'], undefined)
    assert.equal(cleared.doc['addresses'], undefined)
  })

  it('updates a sub-attribute of every value when the path has no filter', () => {
    const result = patchUser([{ op: 'replace', path: 'emails.display', value: 'Babs' }])
    assert.deepEqual(
      list(result, 'emails').map((email) => email['display']),
      ['Babs', 'Babs'],
    )
  })

  it('fails with noTarget when a filter that cannot create matches nothing', () => {
    const path = 'emails[value co "nowhere"].display'
    rejectsUser([{ op: 'replace', path, value: 'x' }], 'noTarget', path)
    const either = 'emails[type eq "pager" or type eq "other"].value'
    rejectsUser([{ op: 'replace', path: either, value: 'x' }], 'noTarget')
  })

  it('replaces a whole extension by its URN path, dropping attributes left out', () => {
    const result = patchUser([{ op: 'replace', path: ENTERPRISE, value: { department: 'Parks' } }])
    assert.deepEqual(enterprise(result), { department: 'Parks' })
  })
})

describe('applyPatch: Entra ID user updates (entra-provisioning.md §3.6–3.10, §4)', () => {
  it('§3.6: Replace of emails[type eq "work"].value and name.familyName updates in place', () => {
    const result = patchUser([
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
      { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
    ])
    assert.deepEqual(result.doc['emails'], [
      { value: 'updatedEmail@microsoft.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ])
    assert.deepEqual(result.doc['name'], { familyName: 'updatedFamilyName', givenName: 'Barbara' })
  })

  for (const [mode, quirks] of BOTH_MODES) {
    it(`§3.6: creates the work email when absent and never a second one (${mode})`, () => {
      const op = quirks.strict ? 'replace' : 'Replace'
      const path = 'emails[type eq "work"].value'
      const doc = { userName: 'a@example.com', emails: [{ value: 'h@example.com', type: 'home' }] }
      const once = patchUser([{ op, path, value: 'w@example.com' }], doc, quirks)
      assert.deepEqual(once.doc['emails'], [
        { value: 'h@example.com', type: 'home' },
        { value: 'w@example.com', type: 'work' },
      ])
      const twice = patchUser([{ op, path, value: 'w2@example.com' }], once.doc, quirks)
      assert.deepEqual(twice.doc['emails'], [
        { value: 'h@example.com', type: 'home' },
        { value: 'w2@example.com', type: 'work' },
      ])
    })
  }

  it('§5: creates one work address from several sub-attribute ops, and phone numbers', () => {
    const result = patchUser(
      [
        { op: 'Add', path: 'addresses[type eq "work"].streetAddress', value: '1 Main St' },
        { op: 'Add', path: 'addresses[type eq "work"].postalCode', value: '98052' },
        { op: 'Add', path: 'addresses[type eq "other"].formatted', value: 'Building 4' },
        { op: 'Add', path: 'phoneNumbers[type eq "work"].value', value: '+1 425 555 0100' },
        { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 425 555 0101' },
      ],
      BARE_USER,
    )
    assert.deepEqual(result.doc['addresses'], [
      { streetAddress: '1 Main St', postalCode: '98052', type: 'work' },
      { formatted: 'Building 4', type: 'other' },
    ])
    assert.deepEqual(result.doc['phoneNumbers'], [
      { value: '+1 425 555 0100', type: 'work' },
      { value: '+1 425 555 0101', type: 'mobile' },
    ])
  })

  it('§4 item 4: sets roles[primary eq "True"].value, creating the primary role if needed', () => {
    const operation = { op: 'Add', path: 'roles[primary eq "True"].value', value: 'Admin' }
    const replaced = patchUser([operation], {
      ...BARE_USER,
      roles: [{ value: 'Viewer', primary: true }],
    })
    assert.deepEqual(replaced.doc['roles'], [{ value: 'Admin', primary: true }])
    const created = patchUser([operation], { ...BARE_USER, roles: [{ value: 'Viewer' }] })
    assert.deepEqual(created.doc['roles'], [{ value: 'Viewer' }, { value: 'Admin', primary: true }])
  })

  it('§4 item 4: strict mode refuses to create a role from the string "True"', () => {
    const operation = { op: 'add', path: 'roles[primary eq "True"].value', value: 'Admin' }
    assertRejects(() => patchUser([operation], BARE_USER, STRICT_QUIRKS), 'invalidValue', 'strict')
  })

  it('§4 item 4: adds roles with "primary": "True" unless strict', () => {
    const operation = { op: 'Add', path: 'roles', value: [{ primary: 'True', value: 'Admin' }] }
    const result = patchUser([operation], BARE_USER)
    assert.deepEqual(result.doc['roles'], [{ value: 'Admin', primary: true }])
    assertRejects(() => patchUser([operation], BARE_USER, STRICT_QUIRKS), 'invalidValue', 'primary')
  })

  it('§4: Remove of roles with a value removes exactly the listed roles', () => {
    const doc = { ...BARE_USER, roles: [{ value: 'Admin' }, { value: 'Viewer', type: 'app' }] }
    const result = patchUser([{ op: 'Remove', path: 'roles', value: [{ value: 'Admin' }] }], doc)
    assert.deepEqual(result.doc['roles'], [{ value: 'Viewer', type: 'app' }])
  })

  it('§3.7: Replace userName', () => {
    const value = '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com'
    const result = patchUser([{ op: 'Replace', path: 'userName', value }])
    assert.equal(result.doc['userName'], value)
  })

  it('§3.8/§4: disables with "False" and re-enables with "True" when not strict', () => {
    const disabled = patchUser([{ op: 'Replace', path: 'active', value: 'False' }])
    assert.equal(disabled.doc['active'], false)
    const enabled = patchUser([{ op: 'Replace', path: 'active', value: 'True' }], disabled.doc)
    assert.equal(enabled.doc['active'], true)
  })

  it('§3.8/§4: strict mode refuses "False" but accepts the boolean false', () => {
    assertRejects(
      () => patchUser([{ op: 'replace', path: 'active', value: 'False' }], USER, STRICT_QUIRKS),
      'invalidValue',
      'active',
    )
    const result = patchUser([{ op: 'replace', path: 'active', value: false }], USER, STRICT_QUIRKS)
    assert.equal(result.doc['active'], false)
  })

  for (const [mode, quirks] of BOTH_MODES) {
    it(`§4: adds a single-value string nickName (${mode})`, () => {
      for (const op of ['Add', 'add']) {
        const result = patchUser([{ op, path: 'nickName', value: 'Babs' }], USER, quirks)
        assert.equal(result.doc['nickName'], 'Babs')
      }
    })
  }

  it('§4 without flag: one Replace per path, with externalId and the URN employeeNumber', () => {
    const result = patchUser([
      { op: 'Replace', path: 'displayName', value: 'Bjfe' },
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'bjfe@example.com' },
      { op: 'Replace', path: 'name.givenName', value: 'Kkom' },
      { op: 'Replace', path: 'name.familyName', value: 'Unua' },
      { op: 'Replace', path: 'externalId', value: 'bjfe' },
      { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: 'Aklq' },
    ])
    assert.equal(result.doc['displayName'], 'Bjfe')
    assert.equal(result.doc['externalId'], 'bjfe')
    assert.deepEqual(result.doc['name'], { familyName: 'Unua', givenName: 'Kkom' })
    assert.equal(list(result, 'emails')[0]?.['value'], 'bjfe@example.com')
    assert.equal(enterprise(result)['employeeNumber'], 'Aklq')
  })

  const flagBody = [
    { op: 'replace', path: 'emails[type eq "work"].value', value: 'bjfe@example.com' },
    {
      op: 'replace',
      value: {
        displayName: 'Bjfe',
        'name.givenName': 'Kkom',
        'name.familyName': 'Unua',
        [`${ENTERPRISE}:employeeNumber`]: 'Aklq',
      },
    },
  ]

  it('§4 with flag: expands the path-less replace whose keys are dotted and URN paths', () => {
    const result = patchUser(flagBody)
    assert.equal(result.doc['displayName'], 'Bjfe')
    assert.deepEqual(result.doc['name'], { familyName: 'Unua', givenName: 'Kkom' })
    assert.equal(enterprise(result)['employeeNumber'], 'Aklq')
    assert.equal(enterprise(result)['department'], 'Tour Operations')
    assert.equal(result.doc['name.givenName'], undefined)
    assert.equal(list(result, 'emails')[0]?.['value'], 'bjfe@example.com')
  })

  it('§4 with flag: strict mode refuses the path-less operation, naming its index', () => {
    assertRejects(
      () => patchUser(flagBody, USER, STRICT_QUIRKS),
      'invalidSyntax',
      'Operations[1]',
      'path',
    )
  })

  it('expands a path-less extension object without dropping the other extension attributes', () => {
    const result = patchUser([{ op: 'replace', value: { [ENTERPRISE]: { department: 'Parks' } } }])
    assert.deepEqual(enterprise(result), {
      employeeNumber: '701984',
      department: 'Parks',
      manager: { value: MANAGER_ID },
    })
  })

  for (const [mode, quirks] of BOTH_MODES) {
    it(`§3.10: sets the manager from a bare id and from {value} (${mode})`, () => {
      const op = quirks.strict ? 'add' : 'Add'
      const bare = patchUser([{ op, path: MANAGER, value: 'mgr-1' }], USER, quirks)
      assert.deepEqual(enterprise(bare)['manager'], { value: 'mgr-1' })
      const object = patchUser(
        [{ op: 'replace', path: MANAGER, value: { value: 'mgr-2' } }],
        USER,
        quirks,
      )
      assert.deepEqual(enterprise(object)['manager'], { value: 'mgr-2' })
    })

    it(`§3.10: removes the manager with {value: ""}, "" or null (${mode})`, () => {
      for (const value of [{ value: '' }, '', null]) {
        const result = patchUser([{ op: 'replace', path: MANAGER, value }], USER, quirks)
        assert.equal(enterprise(result)['manager'], undefined, JSON.stringify(value))
        assert.equal(enterprise(result)['department'], 'Tour Operations')
      }
      const added = patchUser([{ op: 'add', path: MANAGER, value: '' }], USER, quirks)
      assert.equal(enterprise(added)['manager'], undefined)
      const emptied = patchUser([{ op: 'replace', path: `${MANAGER}.value`, value: '' }])
      assert.equal(enterprise(emptied)['manager'], undefined)
    })
  }

  it('§3.10: an Add of a new manager overwrites the old one instead of merging its $ref', () => {
    const doc = {
      ...BARE_USER,
      [ENTERPRISE]: { manager: { value: 'old', $ref: 'https://example.com/Users/old' } },
    }
    const result = patchUser([{ op: 'Add', path: MANAGER, value: 'new' }], doc)
    assert.deepEqual(enterprise(result), { manager: { value: 'new' } })
  })

  it('§3.10: the old tutorial form (unqualified "manager", an array) works unless strict', () => {
    const value = [{ $ref: 'http://x/Users/m1', value: 'm1' }]
    const result = patchUser([{ op: 'Add', path: 'manager', value }])
    assert.deepEqual(enterprise(result)['manager'], { value: 'm1' })
    assertRejects(
      () => patchUser([{ op: 'add', path: 'manager', value }], USER, STRICT_QUIRKS),
      'invalidPath',
      'manager',
      ENTERPRISE,
    )
  })

  it('§6: multiple ops on the same attribute apply in order (validator preview)', () => {
    const result = patchUser([
      { op: 'replace', path: 'displayName', value: 'First' },
      { op: 'replace', path: 'displayName', value: 'Second' },
      { op: 'add', path: 'nickName', value: 'Babs' },
      { op: 'remove', path: 'nickName' },
    ])
    assert.equal(result.doc['displayName'], 'Second')
    assert.equal(result.doc['nickName'], undefined)
  })
})

describe('applyPatch: Entra ID group updates (entra-provisioning.md §3.14–3.16, §4)', () => {
  for (const [mode, quirks] of BOTH_MODES) {
    it(`§3.14: replaces displayName (${mode})`, () => {
      const op = quirks.strict ? 'replace' : 'Replace'
      const value = '1879db59-updatedDisplayName'
      const result = patchGroup([{ op, path: 'displayName', value }], GROUP, quirks)
      assert.equal(result.doc['displayName'], value)
      assert.deepEqual(result.memberOps, [])
      assert.equal(result.changed, true)
    })

    it(`§3.15: adds members with "$ref": null, several in one op (${mode})`, () => {
      const value = [
        { $ref: null, value: 'f648f8d5ea4e4cd38e9c' },
        { $ref: null, value: 'a1b2', type: 'Group' },
      ]
      const op = quirks.strict ? 'add' : 'Add'
      const result = patchGroup([{ op, path: 'members', value }], GROUP, quirks)
      assert.deepEqual(result.memberOps, [
        {
          kind: 'add',
          members: [{ value: 'f648f8d5ea4e4cd38e9c' }, { value: 'a1b2', type: 'Group' }],
        },
      ])
      assert.deepEqual(result.doc, GROUP)
    })

    it(`§3.16: Remove of path members with a value array removes exactly those (${mode})`, () => {
      const value = [{ $ref: null, value: 'f648f8d5ea4e4cd38e9c' }]
      const op = quirks.strict ? 'remove' : 'Remove'
      const result = patchGroup([{ op, path: 'members', value }], GROUP, quirks)
      assert.deepEqual(result.memberOps, [{ kind: 'remove', values: ['f648f8d5ea4e4cd38e9c'] }])
    })

    it(`§3.16 with flag: removes members[value eq "…"] (${mode})`, () => {
      const path = 'members[value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"]'
      const result = patchGroup([{ op: 'remove', path }], GROUP, quirks)
      assert.deepEqual(result.memberOps, [
        { kind: 'remove', values: ['7f4bc1a3-285e-48ae-8202-5accb43efb0e'] },
      ])
    })
  }

  it('§4: removes one member with {"value": "u1091"} (no $ref), never all members', () => {
    const result = patchGroup([{ op: 'Remove', path: 'members', value: [{ value: 'u1091' }] }])
    assert.deepEqual(result.memberOps, [{ kind: 'remove', values: ['u1091'] }])
    const empty = patchGroup([{ op: 'Remove', path: 'members', value: [] }])
    assert.deepEqual(empty.memberOps, [])
    assert.equal(empty.changed, false)
  })

  it('turns an or of value comparisons into one remove, and other filters into removeWhere', () => {
    const either = patchGroup([{ op: 'remove', path: 'members[value eq "a" or value eq "b"]' }])
    assert.deepEqual(either.memberOps, [{ kind: 'remove', values: ['a', 'b'] }])
    const byType = patchGroup([{ op: 'remove', path: 'members[type eq "Group"]' }])
    assert.deepEqual(byType.memberOps, [
      { kind: 'removeWhere', filter: parseFilter('type eq "Group"') },
    ])
  })

  it('§7 garbage test: accepts a bare member id, or an array of ids, unless strict', () => {
    const bare = patchGroup([{ op: 'Add', path: 'members', value: 'u1' }])
    assert.deepEqual(bare.memberOps, [{ kind: 'add', members: [{ value: 'u1' }] }])
    const ids = patchGroup([{ op: 'Add', path: 'members', value: ['u1', 'u2'] }])
    assert.deepEqual(ids.memberOps, [{ kind: 'add', members: [{ value: 'u1' }, { value: 'u2' }] }])
    assertRejects(
      () => patchGroup([{ op: 'add', path: 'members', value: 'u1' }], GROUP, STRICT_QUIRKS),
      'invalidSyntax',
      'strict',
    )
  })

  it('§6: add then remove of the same member yields both operations in order', () => {
    const result = patchGroup([
      { op: 'add', path: 'members', value: [{ value: 'u1' }] },
      { op: 'remove', path: 'members[value eq "u1"]' },
    ])
    assert.deepEqual(result.memberOps, [
      { kind: 'add', members: [{ value: 'u1' }] },
      { kind: 'remove', values: ['u1'] },
    ])
  })

  it('§3.14 validator: path-less replace of displayName and of externalId', () => {
    const result = patchGroup([
      { op: 'replace', value: { displayName: 'Renamed' } },
      { op: 'replace', value: { externalId: 'ext-2' } },
    ])
    assert.deepEqual(result.doc, { displayName: 'Renamed', externalId: 'ext-2' })
  })

  it('Okta: path-less replace with id, schemas and meta ignores the read-only keys', () => {
    const value = {
      id: 'abf4dd94-a4c0-4f67-89c9-76b03340cb9b',
      schemas: ['x'],
      meta: {},
      displayName: 'Renamed',
    }
    const result = patchGroup([{ op: 'replace', value }])
    assert.deepEqual(result.doc, { displayName: 'Renamed', externalId: GROUP['externalId'] })
  })

  it('path-less add and replace with a members key become member operations', () => {
    const result = patchGroup([
      { op: 'add', value: { members: [{ value: 'u1' }] } },
      { op: 'replace', value: { members: [{ value: 'u2' }], displayName: 'X' } },
    ])
    assert.deepEqual(result.memberOps, [
      { kind: 'add', members: [{ value: 'u1' }] },
      { kind: 'replace', members: [{ value: 'u2' }] },
    ])
    assert.equal(result.doc['displayName'], 'X')
  })

  it('replace of members with [] clears (the store keeps INTERNAL members, SPEC G5)', () => {
    const result = patchGroup([{ op: 'replace', path: 'members', value: [] }])
    assert.deepEqual(result.memberOps, [{ kind: 'replace', members: [] }])
  })

  it('collapses a member listed twice, keeping its asserted type', () => {
    const value = [{ value: 'u1' }, { value: 'u1', type: 'User' }]
    const result = patchGroup([{ op: 'add', path: 'members', value }])
    assert.deepEqual(result.memberOps, [{ kind: 'add', members: [{ value: 'u1', type: 'User' }] }])
  })

  it('rejects members without value, with a bad type, or an unknown sub-attribute', () => {
    const add = (value: unknown) => [{ op: 'add', path: 'members', value }]
    rejectsGroup(add([{ $ref: null }]), 'invalidValue', 'value')
    rejectsGroup(add([{ value: '' }]), 'invalidValue', 'value')
    rejectsGroup(add([{ value: 'u1', type: 'Device' }]), 'invalidValue', 'type')
    rejectsGroup(add([{ value: 'u1', role: 'x' }]), 'invalidSyntax', 'role')
  })

  it('rejects add/replace through a member filter and member sub-attribute paths', () => {
    const path = 'members[value eq "u1"]'
    rejectsGroup([{ op: 'add', path, value: { value: 'u1' } }], 'invalidPath', 'members')
    rejectsGroup([{ op: 'remove', path: `${path}.type` }], 'invalidPath', 'members')
    rejectsGroup([{ op: 'replace', path: 'members.value', value: 'u1' }], 'invalidPath')
  })

  it('G6: replaces the group description through the extension URN path', () => {
    const path = `${GROUP_EXTENSION_SCHEMA_URN}:description`
    const result = patchGroup([{ op: 'Replace', path, value: 'The tour guides' }])
    assert.deepEqual(result.doc[GROUP_EXTENSION_SCHEMA_URN], { description: 'The tour guides' })
  })
})

describe('applyPatch: read-only, immutable and unknown targets', () => {
  it('refuses paths to readOnly attributes with mutability', () => {
    const paths = ['id', 'meta', 'meta.lastModified', 'groups', `${MANAGER}.displayName`]
    for (const path of paths) {
      rejectsUser([{ op: 'replace', path, value: 'x' }], 'mutability', path)
    }
    rejectsGroup([{ op: 'remove', path: 'members[value eq "u1"].display' }], 'mutability')
  })

  it('treats a path to schemas as a no-op when it names supported schemas only', () => {
    const result = patchUser([{ op: 'add', path: 'schemas', value: [ENTERPRISE] }])
    assert.equal(result.changed, false)
    rejectsUser([{ op: 'add', path: 'schemas', value: ['urn:x'] }], 'invalidSyntax', 'urn:x')
  })

  const badgeUrn = 'urn:example:params:scim:schemas:extension:badge:2.0:User'
  const badge = defineAttribute('badge', 'string', 'Badge number.', { mutability: 'immutable' })
  const withImmutable: ResourceTypeDefinition = {
    ...USER_RESOURCE_TYPE,
    extensions: [
      ...USER_RESOURCE_TYPE.extensions,
      {
        required: false,
        schema: { id: badgeUrn, name: 'Badge', description: 'Badge', attributes: [badge] },
      },
    ],
  }
  const patchBadge = (operation: unknown, doc: Readonly<Doc>) =>
    applyPatch(body(operation), doc, withImmutable, LENIENT_QUIRKS)

  it('sets an immutable attribute once and refuses to change it (RFC 7643 §2.2)', () => {
    const path = `${badgeUrn}:badge`
    const set = patchBadge({ op: 'add', path, value: 'B1' }, USER)
    assert.deepEqual(set.doc[badgeUrn], { badge: 'B1' })
    const same = patchBadge({ op: 'replace', path, value: 'B1' }, set.doc)
    assert.equal(same.changed, false)
    assertRejects(
      () => patchBadge({ op: 'replace', path, value: 'B2' }, set.doc),
      'mutability',
      'badge',
    )
    assertRejects(() => patchBadge({ op: 'remove', path }, set.doc), 'mutability', 'badge')
  })

  it('rejects an unknown attribute path with invalidPath naming it', () => {
    const paths = [
      'favoriteColor',
      'name.nickname',
      `${ENTERPRISE}:badge`,
      'urn:example:unknown:2.0:User:badge',
      'emails[type eq "work"].label',
    ]
    for (const path of paths) {
      rejectsUser([{ op: 'add', path, value: 'x' }], 'invalidPath', path)
    }
    rejectsUser([{ op: 'remove', path: 'favoriteColor' }], 'invalidPath', 'favoriteColor')
  })

  it('rejects malformed paths (invalidPath) and unknown filter attributes (invalidFilter)', () => {
    const replace = (path: string) => [{ op: 'replace', path, value: 'x' }]
    rejectsUser(replace('emails[type eq'), 'invalidPath')
    rejectsUser(replace(''), 'invalidPath')
    rejectsUser(replace('emails[kind eq "work"].value'), 'invalidFilter', 'kind')
    rejectsUser(replace('displayName[value eq "x"]'), 'invalidPath', 'displayName')
    rejectsUser(replace(SCIM_USER_SCHEMA_URN), 'invalidPath')
  })

  it('rejects unknown attributes inside values with invalidSyntax naming them', () => {
    const unknown = { favoriteColor: 'x' }
    rejectsUser([{ op: 'replace', value: unknown }], 'invalidSyntax', 'favoriteColor')
    rejectsUser([{ op: 'add', path: 'name', value: { nick: 'x' } }], 'invalidSyntax', 'nick')
    const extension = { [ENTERPRISE]: { badge: 'x' } }
    rejectsUser([{ op: 'replace', value: extension }], 'invalidSyntax', 'badge')
    const hostile = JSON.parse('{"__proto__": {"polluted": true}}') as unknown
    rejectsUser([{ op: 'replace', value: hostile }], 'invalidSyntax', '__proto__')
    assert.equal(({} as Doc)['polluted'], undefined)
  })

  it('rejects values of the wrong type with invalidValue', () => {
    rejectsUser([{ op: 'replace', path: 'active', value: 'maybe' }], 'invalidValue', 'active')
    rejectsUser([{ op: 'add', path: 'emails', value: 'a@example.com' }], 'invalidValue', 'emails')
    rejectsUser([{ op: 'replace', value: 'Babs' }], 'invalidSyntax', 'object')
  })
})

describe('applyPatch: atomicity and change detection', () => {
  it('applies nothing when a later operation is invalid, and leaves the input untouched', () => {
    const input = structuredClone(USER) as Doc
    const snapshot = JSON.stringify(input)
    const operations = [
      { op: 'replace', path: 'displayName', value: 'Changed' },
      { op: 'add', path: 'emails', value: [{ value: 'x@example.com' }] },
      { op: 'replace', path: 'active', value: 'sometimes' },
    ]
    assertRejects(() => patchUser(operations, input), 'invalidValue', 'Operations[2]')
    assert.equal(JSON.stringify(input), snapshot)
  })

  it('never mutates a frozen input document or body', () => {
    const operations = deepFreeze([
      { op: 'add', path: 'emails', value: [{ value: 'x@example.com', primary: true }] },
      { op: 'replace', path: 'name.givenName', value: 'Babs' },
      { op: 'remove', path: 'addresses[type eq "home"]' },
    ])
    const result = patchUser([...operations])
    assert.notEqual(result.doc, USER)
    assert.equal((USER['emails'] as Doc[]).length, 2)
    assert.equal((USER['emails'] as Doc[])[0]?.['primary'], true)
  })

  it('reports changed=false when the result equals the input', () => {
    const result = patchUser([
      { op: 'Replace', path: 'active', value: 'True' },
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'bjensen@example.com' },
      { op: 'replace', path: MANAGER, value: MANAGER_ID },
      { op: 'add', path: 'name', value: { givenName: 'Barbara' } },
    ])
    assert.equal(result.changed, false)
    assert.deepEqual(result.memberOps, [])
  })

  it('keeps and recomputes schemas when the stored document has them', () => {
    const result = patchUser([{ op: 'add', path: `${ENTERPRISE}:department`, value: 'Parks' }], {
      schemas: [SCIM_USER_SCHEMA_URN],
      ...BARE_USER,
    })
    assert.deepEqual(result.doc['schemas'], [SCIM_USER_SCHEMA_URN, ENTERPRISE])
    const without = patchUser([{ op: 'add', path: 'nickName', value: 'x' }], BARE_USER)
    assert.equal(without.doc['schemas'], undefined)
  })

  it('returns a replaced password apart and never stores it', () => {
    const result = patchUser([{ op: 'replace', path: 'password', value: 't1meMa$heen' }])
    assert.equal(result.password, 't1meMa$heen')
    assert.equal(result.doc['password'], undefined)
    assert.equal(result.changed, true)
    rejectsUser([{ op: 'remove', path: 'password' }], 'mutability', 'password')
  })
})

describe('applyPatch: bounded work (issue #7)', () => {
  const emailAdds = (n: number, primaryEvery = 0): unknown[] =>
    Array.from({ length: n }, (_, i) => ({
      op: 'add',
      path: 'emails',
      value: [
        {
          value: `alias${i}@example.com`,
          type: 'other',
          primary: primaryEvery > 0 && i % primaryEvery === 0,
        },
      ],
    }))

  /**
   * Object.keys and Object.hasOwn calls made by one PATCH: every comparison of two values and
   * every filter test of a value makes some, so they count the engine's work.
   */
  function keysCalls(operations: unknown[], doc: Readonly<Doc> = BARE_USER): number {
    // Counted by hand: a mock would keep every call's arguments, millions of them when quadratic.
    const { keys, hasOwn } = Object
    let calls = 0
    Object.keys = ((o: object) => (calls++, keys(o))) as typeof Object.keys
    Object.hasOwn = (o: object, key: PropertyKey) => (calls++, hasOwn(o, key))
    try {
      patchUser(operations, doc)
      return calls
    } finally {
      Object.keys = keys
      Object.hasOwn = hasOwn
    }
  }

  const userWithAliases = (n: number): Doc => ({
    userName: 'a@example.com',
    emails: Array.from({ length: n }, (_, i) => ({
      value: `alias${i}@example.com`,
      type: 'other',
    })),
  })

  it('does work linear in the number of adds to a multi-valued attribute (4x the adds, < 6x the work)', () => {
    const small = keysCalls(emailAdds(300))
    const large = keysCalls(emailAdds(1200))
    assert.ok(large < 6 * small, `1200 adds made ${large} comparisons, 300 adds ${small}`)
    const primaries = keysCalls(emailAdds(1200, 2))
    assert.ok(primaries < 6 * keysCalls(emailAdds(300, 2)), 'primary: true on every other add')
  })

  it('does work proportional to operations plus values, not their product, for eq filters', () => {
    const filtered = (ops: number, size: number) =>
      keysCalls(
        Array.from({ length: ops }, (_, i) => [
          { op: 'remove', path: `emails[value eq "ALIAS${i * 2}@example.com"]` },
          {
            op: 'replace',
            path: `emails[value eq "alias${i * 2 + 1}@example.com"].type`,
            value: 'work',
          },
          { op: 'remove', path: 'emails', value: [{ value: `alias${size - 1 - i}@example.com` }] },
        ]).flat(),
        userWithAliases(size),
      )
    const small = filtered(80, 1000)
    const large = filtered(320, 4000)
    assert.ok(
      large < 6 * small,
      `320 x 3 operations over 4000 values: ${large}, 80 x 3 over 1000: ${small}`,
    )
  })

  it('applies eq filters through the index as a scan would: case, order, created values', () => {
    const doc = userWithAliases(6)
    const result = patchUser(
      [
        { op: 'remove', path: 'emails[value eq "ALIAS0@example.com"]' },
        { op: 'replace', path: 'emails[value eq "alias1@example.com"].type', value: 'work' },
        { op: 'add', path: 'emails[type eq "work"].primary', value: true },
        { op: 'replace', path: 'emails[type eq "home"].value', value: 'home@example.com' },
        { op: 'remove', path: 'emails[type eq "other" and value eq "alias3@example.com"].type' },
        { op: 'remove', path: 'emails', value: [{ value: 'alias4@example.com', type: 'Other' }] },
        { op: 'remove', path: 'emails', value: [{ value: 'alias5@example.com', type: 'other' }] },
        { op: 'add', path: 'emails', value: [{ value: 'alias2@example.com', type: 'other' }] },
        { op: 'add', path: 'emails[value eq "alias2@example.com"].primary', value: true },
      ],
      doc,
    )
    assert.deepEqual(list(result, 'emails'), [
      { value: 'alias1@example.com', type: 'work', primary: false },
      { value: 'alias2@example.com', type: 'other', primary: true },
      { value: 'alias3@example.com' },
      { value: 'alias4@example.com', type: 'other' },
      { value: 'home@example.com', type: 'home' },
    ])
  })

  it('refuses, with invalidValue, a PATCH whose filters must visit more than 200,000 values', () => {
    const scans = (ops: number) =>
      Array.from({ length: ops }, (_, i) => ({ op: 'remove', path: `emails[value co "zz${i}"]` }))
    const doc = userWithAliases(1000)
    assert.equal(patchUser(scans(150), doc).changed, false)
    assertRejects(
      () => patchUser(scans(250), doc),
      'invalidValue',
      'Operations[199]',
      'more than 200000 values',
      '"emails" has 1000',
    )
  })

  it('applies 5,000 adds to emails, skipping identical values, and keeps one primary', () => {
    const operations = [
      ...emailAdds(5000, 1000),
      {
        op: 'add',
        path: 'emails',
        value: [{ type: 'other', value: 'alias7@example.com', primary: false }],
      },
      {
        op: 'add',
        path: 'emails',
        value: [{ value: 'alias4000@example.com', type: 'other', primary: true }],
      },
    ]
    const emails = list(patchUser(operations, BARE_USER), 'emails')
    assert.equal(emails.length, 5000)
    assert.deepEqual(
      emails.flatMap((email, index) => (email['primary'] === true ? [index] : [])),
      [4000],
    )
    assert.deepEqual(emails[4001], {
      value: 'alias4001@example.com',
      type: 'other',
      primary: false,
    })
  })

  it('dedups an add against values whose keys are in another order, as before', () => {
    const doc = { userName: 'a@example.com', emails: [{ type: 'work', value: 'a@example.com' }] }
    const result = patchUser(
      [
        { op: 'add', path: 'emails', value: [{ value: 'a@example.com', type: 'work' }] },
        { op: 'add', path: 'emails', value: [{ value: 'b@example.com' }] },
        { op: 'replace', path: 'emails[value eq "b@example.com"].type', value: 'home' },
        { op: 'add', path: 'emails', value: [{ value: 'b@example.com', type: 'home' }] },
        { op: 'add', path: 'emails', value: [{ value: 'b@example.com' }] },
      ],
      doc,
    )
    assert.deepEqual(list(result, 'emails'), [
      { value: 'a@example.com', type: 'work' },
      { value: 'b@example.com', type: 'home' },
      { value: 'b@example.com' },
    ])
  })

  it('merges consecutive member adds (and removes) into one member operation', () => {
    const adds = Array.from({ length: 1000 }, (_, i) => ({
      op: 'add',
      path: 'members',
      value: [{ value: `u${i % 900}` }],
    }))
    const result = patchGroup([
      ...adds,
      { op: 'add', path: 'members', value: [{ value: 'u1', type: 'User' }] },
      { op: 'remove', path: 'members[value eq "u1"]' },
      { op: 'remove', path: 'members', value: [{ value: 'u2' }, { value: 'u1' }] },
      { op: 'add', path: 'members', value: [{ value: 'u1' }] },
    ])
    assert.equal(result.memberOps.length, 3)
    const [add, remove, last] = result.memberOps
    assert.equal(add?.kind, 'add')
    assert.equal(add.kind === 'add' && add.members.length, 900)
    assert.deepEqual(add.kind === 'add' && add.members[1], { value: 'u1', type: 'User' })
    assert.deepEqual(remove, { kind: 'remove', values: ['u1', 'u2'] })
    assert.deepEqual(last, { kind: 'add', members: [{ value: 'u1' }] })
  })
})
