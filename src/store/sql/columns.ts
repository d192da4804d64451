// The one map from SCIM attributes (RFC 7643 §3.1 common, §4.1 User, §4.2 Group) to the columns of
// the directory tables, read by the filter compiler (filter/), the row writers and the row mappers.
// An attribute the map does not name lives only in the resource's JSON document column.
import type { Insertable, Selectable } from 'kysely'
import { normaliseName } from '../../domain/directory-rules.ts'
import { asGroupId, asTenantId, asUserId } from '../../domain/ids.ts'
import type { Origin } from '../../domain/types.ts'
import { ScimError } from '../../scim/errors.ts'
import type { GroupRecord, GroupWrite, UserRecord, UserWrite } from '../store.ts'
import type { GroupMembersTable, GroupsTable, TenantUsersTable, UserEmailsTable } from './tables.ts'

/**
 * A core attribute that has a column of its own besides the document. `attribute` is spelled as
 * the schema spells it, and is also the attribute's field in the store's writes and records
 * (`UserWrite.userName`, `UserRecord.userName`).
 */
export interface AttributeColumn<Row = Record<string, unknown>> {
  readonly attribute: string
  /** The column holding the value: the string, or 1/0 for a boolean. */
  readonly column: keyof Row & string
  /**
   * How the value is taken from the document and stored:
   * - `string`: a string; absent, "" and non-strings are stored as NULL;
   * - `required`: a non-blank string; a document without one is refused (invalidValue);
   * - `boolean`: 1 unless the document holds `false` (a user without `active` is active).
   */
  readonly kind: 'string' | 'required' | 'boolean'
  /** A column holding {@link foldName} of the value, which caseExact=false filters compare. */
  readonly folded?: keyof Row & string
  /**
   * The resource shows the document's value; the column is a copy for filters and sorting in which
   * "" is NULL, so a comparison that holds for "" must read the document instead.
   */
  readonly isCopy?: boolean
}

/** A resource table: its keys, the common attributes' columns, and its attribute columns. */
export interface ResourceColumns<Row = Record<string, unknown>> {
  readonly table: 'tenant_users' | 'groups'
  /** The alias compiled filters and sort keys refer to the table by. */
  readonly alias: 'u' | 'g'
  readonly tenant: keyof Row & string
  /** `id` (RFC 7643 §3.1). */
  readonly id: keyof Row & string
  /** The JSON document: every attribute not named here, extensions under their schema URN. */
  readonly document: keyof Row & string
  /** `meta.created`, `meta.lastModified` (ISO-8601 UTC text) and `meta.version` (scim/etag.ts). */
  readonly created: keyof Row & string
  readonly lastModified: keyof Row & string
  readonly version: keyof Row & string
  readonly attributes: readonly AttributeColumn<Row>[]
}

/** Users: `tenant_users AS u`, one row per membership of a person in a tenant. */
export const USER_COLUMNS = {
  table: 'tenant_users',
  alias: 'u',
  tenant: 'tenant_id',
  id: 'user_id',
  document: 'doc',
  created: 'created_at',
  lastModified: 'updated_at',
  version: 'version',
  attributes: [
    { attribute: 'userName', column: 'user_name', kind: 'required', folded: 'user_name_norm' },
    { attribute: 'externalId', column: 'external_id', kind: 'string' },
    {
      attribute: 'displayName',
      column: 'display_name',
      kind: 'string',
      folded: 'display_name_norm',
      isCopy: true,
    },
    { attribute: 'active', column: 'active', kind: 'boolean' },
  ],
} as const satisfies ResourceColumns<TenantUsersTable>

/** Groups: `groups AS g`; their `members` are rows of group_members ({@link MEMBER_COLUMNS}). */
export const GROUP_COLUMNS = {
  table: 'groups',
  alias: 'g',
  tenant: 'tenant_id',
  id: 'id',
  document: 'doc',
  created: 'created_at',
  lastModified: 'updated_at',
  version: 'version',
  attributes: [
    {
      attribute: 'displayName',
      column: 'display_name',
      kind: 'required',
      folded: 'display_name_norm',
    },
    { attribute: 'externalId', column: 'external_id', kind: 'string' },
  ],
} as const satisfies ResourceColumns<GroupsTable>

/**
 * User `emails` (RFC 7643 §4.1.2), mirrored in user_emails for lookups by address: one row per
 * element of the document's `emails` whose `value` is a string, in document order. The document
 * stays what the resource shows; the rows can answer only what they mirror faithfully.
 */
export const EMAIL_COLUMNS = {
  table: 'user_emails',
  tenant: 'tenant_id',
  /** The owning user's `id` (tenant_users.user_id). */
  owner: 'user_id',
  /** The element's index in the document. */
  order: 'position',
  /** `value` as sent ("" kept), and {@link foldName} of it: the (tenant_id, value_norm) index. */
  value: 'value',
  valueFolded: 'value_norm',
  /** `type`; absent, "" and non-strings as NULL. */
  type: 'type',
  /** 1 for `primary: true`; 0 for false and absent alike. */
  primary: 'is_primary',
} as const satisfies Record<string, keyof UserEmailsTable | 'user_emails'>

/**
 * Group `members` (RFC 7643 §4.2) and, read the other way, User `groups` (§4.1.2): one
 * group_members row per direct membership. A member's `display` is not stored: it is the member's
 * displayName, else its userName.
 */
export const MEMBER_COLUMNS = {
  table: 'group_members',
  tenant: 'tenant_id',
  /** The group's `id`: `groups.value` of the member. */
  group: 'group_id',
  /** `members.value`: the member's `id`. */
  member: 'member_id',
  /** `members.type`: "User" or "Group". */
  memberType: 'member_type',
} as const satisfies Record<string, keyof GroupMembersTable | 'group_members'>

/** The form held by the folded columns (*_norm): what case-insensitive comparisons compare. */
export function foldName(value: string): string {
  return normaliseName(value)
}

/** The column of `attribute` in `resource`, if it has one. */
export function attributeColumn(
  resource: ResourceColumns,
  attribute: string,
): AttributeColumn | undefined {
  return resource.attributes.find((a) => a.attribute === attribute)
}

/** The column of `attribute`, which `resource` maps (else a programming error). */
export function columnOf(resource: ResourceColumns, attribute: string): string {
  const mapped = attributeColumn(resource, attribute)
  if (mapped === undefined) throw new Error(`${resource.table} has no column for ${attribute}`)
  return mapped.column
}

// ---------------------------------------------------------------------------------------------
// Writers and mappers: what each attribute column holds, derived from the map above.

type Entry<R> = R extends { readonly attributes: readonly (infer E)[] } ? E : never
/** The attribute fields of a resource (`userName | externalId | …`). */
type Field<R> = Entry<R> extends { readonly attribute: infer A } ? A & string : never
/** The columns the attribute entries of a resource write (values and folded copies). */
type Written<R> =
  | (Entry<R> extends { readonly column: infer C } ? C : never)
  | (Entry<R> extends infer E ? (E extends { readonly folded: infer F } ? F : never) : never)

type UserFields = Pick<UserWrite & UserRecord, Field<typeof USER_COLUMNS>>
type GroupFields = Pick<GroupWrite & GroupRecord, Field<typeof GROUP_COLUMNS>>
/** The columns a user write sets (attribute columns and the document). */
export type UserColumnValues = Pick<
  TenantUsersTable,
  Written<typeof USER_COLUMNS> | (typeof USER_COLUMNS)['document']
>
/** The columns a group write sets (attribute columns and the document). */
export type GroupColumnValues = Pick<
  GroupsTable,
  Written<typeof GROUP_COLUMNS> | (typeof GROUP_COLUMNS)['document']
>

type Value = string | boolean | null

function fieldsOfDocument<Row>(
  resource: ResourceColumns<Row>,
  doc: Record<string, unknown>,
): Record<string, Value> {
  const fields: Record<string, Value> = {}
  for (const { attribute, kind } of resource.attributes) {
    const value = doc[attribute]
    if (kind === 'boolean') {
      fields[attribute] = value !== false
    } else if (kind === 'required') {
      if (typeof value !== 'string' || value.trim() === '') {
        throw ScimError.invalidValue(`${attribute} is required`)
      }
      fields[attribute] = value
    } else {
      fields[attribute] = typeof value === 'string' && value !== '' ? value : null
    }
  }
  return fields
}

function columnsOfFields<Row>(
  resource: ResourceColumns<Row>,
  fields: object,
): Record<string, string | number | null> {
  const columns: Record<string, string | number | null> = {}
  for (const { attribute, column, folded } of resource.attributes) {
    const value = (fields as Record<string, Value>)[attribute] ?? null
    columns[column] = typeof value === 'boolean' ? (value ? 1 : 0) : value
    if (folded !== undefined) columns[folded] = value === null ? null : foldName(String(value))
  }
  return columns
}

function fieldsOfRow<Row>(resource: ResourceColumns<Row>, row: Row): Record<string, Value> {
  const fields: Record<string, Value> = {}
  for (const { attribute, column, kind } of resource.attributes) {
    const value = row[column] as string | number | null
    fields[attribute] = kind === 'boolean' ? value === 1 : (value as string | null)
  }
  return fields
}

function parseDocument(value: string | Record<string, unknown>): Record<string, unknown> {
  // JSON text on SQLite; on PostgreSQL jsonb, which pg parses already.
  return typeof value === 'string' ? (JSON.parse(value) as Record<string, unknown>) : value
}

/**
 * Derives what a user write stores besides the document: the attribute columns and the
 * `emails` rows.
 *
 * @throws ScimError invalidValue when `userName` is missing or blank.
 */
export function userWriteOf(doc: Record<string, unknown>): UserWrite {
  const emails = Array.isArray(doc.emails) ? (doc.emails as Record<string, unknown>[]) : []
  return {
    ...(fieldsOfDocument(USER_COLUMNS, doc) as UserFields),
    doc,
    emails: emails
      .filter((e) => typeof e.value === 'string')
      .map((e) => ({
        value: e.value as string,
        type: typeof e.type === 'string' && e.type !== '' ? e.type : null,
        primary: e.primary === true,
      })),
  }
}

/**
 * Derives what a group write stores besides the document (its members are written apart).
 *
 * @throws ScimError invalidValue when `displayName` is missing or blank.
 */
export function groupWriteOf(doc: Record<string, unknown>): GroupWrite {
  return { ...(fieldsOfDocument(GROUP_COLUMNS, doc) as GroupFields), doc }
}

/** The tenant_users columns of a user write: attribute columns and folded copies, the document. */
export function userColumnsOf(write: UserWrite): UserColumnValues {
  return {
    ...(columnsOfFields(USER_COLUMNS, write) as Omit<UserColumnValues, 'doc'>),
    [USER_COLUMNS.document]: JSON.stringify(write.doc),
  }
}

/** The groups columns of a group write: attribute columns and folded copies, the document. */
export function groupColumnsOf(write: GroupWrite): GroupColumnValues {
  return {
    ...(columnsOfFields(GROUP_COLUMNS, write) as Omit<GroupColumnValues, 'doc'>),
    [GROUP_COLUMNS.document]: JSON.stringify(write.doc),
  }
}

/** The user_emails rows of a user write, in document order. */
export function emailRowsOf(
  tenantId: string,
  userId: string,
  emails: UserWrite['emails'],
): Insertable<UserEmailsTable>[] {
  return emails.map((email, position) => ({
    [EMAIL_COLUMNS.tenant]: tenantId,
    [EMAIL_COLUMNS.owner]: userId,
    [EMAIL_COLUMNS.order]: position,
    [EMAIL_COLUMNS.value]: email.value,
    [EMAIL_COLUMNS.valueFolded]: foldName(email.value),
    [EMAIL_COLUMNS.type]: email.type,
    [EMAIL_COLUMNS.primary]: email.primary ? 1 : 0,
  }))
}

/** A tenant_users row as the store's user record. */
export function toUser(row: Selectable<TenantUsersTable>): UserRecord {
  return {
    tenantId: asTenantId(row[USER_COLUMNS.tenant]),
    id: asUserId(row[USER_COLUMNS.id]),
    ...(fieldsOfRow(USER_COLUMNS, row) as UserFields),
    origin: row.origin as Origin,
    role: row.role,
    doc: parseDocument(row[USER_COLUMNS.document]),
    version: Number(row[USER_COLUMNS.version]),
    createdAt: row[USER_COLUMNS.created],
    updatedAt: row[USER_COLUMNS.lastModified],
    lastSignInAt: row.last_sign_in_at ?? null,
  }
}

/** A groups row as the store's group record. */
export function toGroup(row: Selectable<GroupsTable>): GroupRecord {
  return {
    tenantId: asTenantId(row[GROUP_COLUMNS.tenant]),
    id: asGroupId(row[GROUP_COLUMNS.id]),
    ...(fieldsOfRow(GROUP_COLUMNS, row) as GroupFields),
    origin: row.origin as Origin,
    doc: parseDocument(row[GROUP_COLUMNS.document]),
    version: Number(row[GROUP_COLUMNS.version]),
    createdAt: row[GROUP_COLUMNS.created],
    updatedAt: row[GROUP_COLUMNS.lastModified],
  }
}
