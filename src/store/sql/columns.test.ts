// Tests of the column map (columns.ts): it agrees with the SCIM schemas (RFC 7643 §4.1, §4.2), and
// what the writers store is what the mappers read back.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ScimError } from '../../scim/errors.ts'
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../../scim/schemas/index.ts'
import { resolveAttributePath } from '../../scim/schemas/resolve.ts'
import {
  GROUP_COLUMNS,
  USER_COLUMNS,
  emailRowsOf,
  groupColumnsOf,
  groupWriteOf,
  toGroup,
  toUser,
  userColumnsOf,
  userWriteOf,
  type ResourceColumns,
} from './columns.ts'

const isInvalidValue = (error: unknown): boolean =>
  error instanceof ScimError && error.scimType === 'invalidValue'

describe('the column map', () => {
  const cases: [ResourceColumns, typeof USER_RESOURCE_TYPE][] = [
    [USER_COLUMNS, USER_RESOURCE_TYPE],
    [GROUP_COLUMNS, GROUP_RESOURCE_TYPE],
  ]
  it('maps only single-valued core attributes, with their schema type and case-exactness', () => {
    for (const [table, resourceType] of cases) {
      for (const mapped of table.attributes) {
        const resolved = resolveAttributePath({ attr: mapped.attribute }, resourceType)
        const definition = resolved?.definition
        assert.equal(definition?.name, mapped.attribute, `${table.table}: ${mapped.attribute}`)
        assert.equal(resolved?.isExtension, false)
        assert.equal(definition.multiValued, false)
        assert.equal(definition.type, mapped.kind === 'boolean' ? 'boolean' : 'string')
        // A folded copy answers case-insensitive comparisons only.
        if (mapped.folded !== undefined) assert.equal(definition.caseExact, false)
      }
    }
  })
})

describe('userWriteOf', () => {
  it('derives the columns from the document: "" as null, a missing active as true', () => {
    const doc = {
      userName: 'Ada@Example.com',
      externalId: '',
      displayName: '',
      emails: [{ value: 'a@x.test', type: '', primary: true }, { type: 'work' }, { value: '' }],
    }
    assert.deepEqual(userWriteOf(doc), {
      userName: 'Ada@Example.com',
      externalId: null,
      displayName: null,
      active: true,
      doc,
      emails: [
        { value: 'a@x.test', type: null, primary: true },
        { value: '', type: null, primary: false },
      ],
    })
    assert.equal(userWriteOf({ ...doc, active: false }).active, false)
  })

  it('refuses a document without userName with scimType invalidValue', () => {
    assert.throws(() => userWriteOf({ displayName: 'Ada' }), isInvalidValue)
    assert.throws(() => groupWriteOf({ displayName: '  ' }), isInvalidValue)
  })
})

describe('the row writers and mappers', () => {
  const meta = {
    version: 3,
    created_at: '2024-01-01T00:00:00.000Z',
    updated_at: '2024-01-02T00:00:00.000Z',
  }

  it('store a user write with folded copies and read it back', () => {
    const write = userWriteOf({ userName: 'Ada@Example.com', displayName: 'Ada Ö', active: false })
    const columns = userColumnsOf(write)
    assert.deepEqual(columns, {
      user_name: 'Ada@Example.com',
      user_name_norm: 'ada@example.com',
      external_id: null,
      display_name: 'Ada Ö',
      display_name_norm: 'ada ö',
      active: 0,
      doc: JSON.stringify(write.doc),
    })
    const row = {
      tenant_id: 't',
      user_id: 'u',
      origin: 'SCIM',
      role: 'Viewer',
      assigned_role: 'Viewer',
      password_hash: null,
      last_sign_in_at: null,
      ...meta,
      ...columns,
    }
    assert.deepEqual(toUser(row), {
      tenantId: 't',
      id: 'u',
      userName: 'Ada@Example.com',
      externalId: null,
      displayName: 'Ada Ö',
      active: false,
      origin: 'SCIM',
      role: 'Viewer',
      doc: write.doc,
      version: 3,
      createdAt: meta.created_at,
      updatedAt: meta.updated_at,
      lastSignInAt: null,
    })
  })

  it('store a group write with its folded copy and read it back', () => {
    const write = groupWriteOf({ displayName: 'Ops', externalId: 'e1' })
    const columns = groupColumnsOf(write)
    assert.deepEqual(columns, {
      display_name: 'Ops',
      display_name_norm: 'ops',
      external_id: 'e1',
      doc: JSON.stringify(write.doc),
    })
    const row = { tenant_id: 't', id: 'g', origin: 'SCIM', ...meta, ...columns }
    assert.deepEqual(toGroup(row), {
      tenantId: 't',
      id: 'g',
      displayName: 'Ops',
      externalId: 'e1',
      origin: 'SCIM',
      doc: write.doc,
      version: 3,
      createdAt: meta.created_at,
      updatedAt: meta.updated_at,
    })
  })

  it('writes one user_emails row per email, in document order, value folded', () => {
    const emails = [
      { value: 'A@X.test', type: 'work', primary: true },
      { value: 'b@x.test', type: null, primary: false },
    ]
    assert.deepEqual(emailRowsOf('t', 'u', emails), [
      {
        tenant_id: 't',
        user_id: 'u',
        position: 0,
        value: 'A@X.test',
        value_norm: 'a@x.test',
        type: 'work',
        is_primary: 1,
      },
      {
        tenant_id: 't',
        user_id: 'u',
        position: 1,
        value: 'b@x.test',
        value_norm: 'b@x.test',
        type: null,
        is_primary: 0,
      },
    ])
  })
})
