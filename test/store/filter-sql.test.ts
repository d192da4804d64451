// Compiled SCIM filters (RFC 7644 §3.4.2.2) and sort keys (§3.4.2.3) run against real rows, on
// SQLite always and on PostgreSQL when reachable: every result must equal the reference
// evaluator's over the same resources, rendered as the service renders them.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import BetterSqlite3 from 'better-sqlite3'
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql, type RawBuilder } from 'kysely'
import pg from 'pg'
import { asGroupId, asMemberId, asTenantId, asUserId } from '../../src/domain/ids.ts'
import { renderGroup, renderUser } from '../../src/provisioning/render.ts'
import { ScimError } from '../../src/scim/errors.ts'
import type { AttributePath } from '../../src/scim/filter/ast.ts'
import { matchesFilter } from '../../src/scim/filter/evaluate.ts'
import { parseFilter } from '../../src/scim/filter/parser.ts'
import { compileFilter } from '../../src/store/sql/filter/compile-filter.ts'
import { compileSortKey } from '../../src/store/sql/filter/compile-sort.ts'
import {
  ENTERPRISE_USER_SCHEMA_URN,
  GROUP_EXTENSION_SCHEMA_URN,
  GROUP_RESOURCE_TYPE,
  SCIM_GROUP_SCHEMA_URN,
  SCIM_USER_SCHEMA_URN,
  USER_RESOURCE_TYPE,
} from '../../src/scim/schemas/index.ts'
import type { SqlDialect } from '../../src/store/sql/filter/sql-dialect.ts'
import type { Database } from '../../src/store/sql/tables.ts'
import { up } from '../../src/store/sql/migrations/0001-create-directory.ts'
import { postgresDialect } from '../../src/store/postgres/dialect.ts'
import { registerSqliteFunctions, sqliteDialect } from '../../src/store/sqlite/dialect.ts'
import type {
  GroupRecord,
  GroupReference,
  MemberRecord,
  UserRecord,
} from '../../src/store/store.ts'
import { createTestDatabase, postgresSkipReason } from '../support/postgres.ts'

// ---------------------------------------------------------------------------------------------
// Generated directory: deterministic, varied, with the gaps real data has.

const T1 = 'tenant-one'
const T2 = 'tenant-two'
const BASE_URL = 'https://rollcall.test/scim/v2/acme'
const ENT = ENTERPRISE_USER_SCHEMA_URN

function prng(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const random = prng(20261122)
const chance = (p: number): boolean => random() < p
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1))
const hex = (n: number): string =>
  Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('')
const uuid = (): string => `${hex(8)}-${hex(4)}-7${hex(3)}-8${hex(3)}-${hex(12)}`
const mixCase = (text: string): string =>
  [...text].map((c) => (chance(0.3) ? c.toUpperCase() : c)).join('')
const timestamp = (from: number, to: number): string =>
  new Date(from + Math.floor(random() * (to - from))).toISOString()

const GIVEN = ['Alice', 'bob', 'Carol', 'DAVE', 'Eve', 'Frank', 'grace', 'Heidi', 'Ivan', 'Judy']
const FAMILY = ['Smith', 'jones', 'Nguyen', "O'Brien", 'de la Cruz', 'Lee', 'Brown', 'garcia']
const DOMAINS = ['Example.com', 'example.org', 'ACME.io']
const FROM = Date.parse('2020-01-01T00:00:00Z')
const TO = Date.parse('2025-12-31T23:59:59Z')

interface UserRow {
  readonly tenantId: string
  readonly id: string
  readonly doc: Record<string, unknown>
  readonly active: boolean
  readonly version: number
  readonly createdAt: string
  readonly updatedAt: string
}

interface GroupRow {
  readonly tenantId: string
  readonly id: string
  readonly doc: Record<string, unknown>
  readonly members: readonly { readonly id: string; readonly type: 'User' | 'Group' }[]
  readonly version: number
  readonly createdAt: string
  readonly updatedAt: string
}

function generateUser(
  tenantId: string,
  id: string,
  i: number,
  managers: readonly string[],
): UserRow {
  const given = pick(GIVEN)
  const family = pick(FAMILY)
  const userName =
    i === 5
      ? 'ZOË.ÅNGSTRÖM@Example.com'
      : i % 10 === 0
        ? mixCase(`${given}${i}`)
        : mixCase(`${given}.${family.replace(/\W/g, '')}${i}@${pick(DOMAINS)}`)
  const doc: Record<string, unknown> = { schemas: [SCIM_USER_SCHEMA_URN], userName }
  if (chance(0.7)) doc.externalId = chance(0.05) ? '' : mixCase(`ext-${i}-${hex(3)}`)
  if (chance(0.1)) doc.displayName = ''
  else if (chance(0.65)) doc.displayName = `${given} ${family}${i % 7 === 0 ? ' zoë' : ''}`
  if (chance(0.05)) doc.name = { givenName: '' }
  else if (chance(0.8)) {
    doc.name = {
      givenName: given,
      familyName: family,
      ...(chance(0.5) ? { formatted: `${given} ${family}` } : {}),
      ...(chance(0.2) ? { middleName: pick(['J', 'marie', 'Ö']) } : {}),
    }
  }
  if (chance(0.5)) {
    doc.title = pick(['Engineer', 'Senior Engineer', 'sales manager', 'CTO', '', 'ingénieur'])
  }
  if (chance(0.2)) doc.nickName = pick(['Bobby', 'al', 'Ace'])
  if (chance(0.5)) doc.userType = pick(['Employee', 'Contractor', 'intern'])
  if (chance(0.3)) doc.preferredLanguage = pick(['en-US', 'fr-FR', 'ja'])
  if (chance(0.3)) doc.locale = pick(['en-US', 'fr_FR'])
  if (chance(0.4)) doc.timezone = pick(['America/New_York', 'Europe/Paris', 'America/Los_Angeles'])
  const activeRoll = random()
  if (activeRoll < 0.2) doc.active = false
  else if (activeRoll < 0.7) doc.active = true
  const emailCount = i % 13 === 0 ? 0 : int(0, 3)
  if (emailCount > 0) {
    const primaryAt = chance(0.7) ? int(0, emailCount - 1) : -1
    doc.emails = Array.from({ length: emailCount }, (_, k) => {
      const roll = random()
      const local = `${given}.${family.replace(/\W/g, '')}${i}${k === 0 ? '' : `+${k}`}`
      const address = mixCase(`${local}@${pick(DOMAINS)}`)
      const value = roll < 0.05 ? undefined : roll < 0.08 ? '' : address
      const type = pick(['work', 'home', 'other', undefined, 'Work', ''])
      return {
        ...(value === undefined ? {} : { value }),
        ...(type === undefined ? {} : { type }),
        ...(k === primaryAt ? { primary: true } : chance(0.25) ? { primary: false } : {}),
        ...(chance(0.1) ? { display: `${given} (${k})` } : {}),
      }
    })
  }
  if (chance(0.5)) {
    doc.phoneNumbers = Array.from({ length: int(1, 2) }, () => ({
      value: pick(['+1-555-', '+44 20 ', 'tel:+33-1-']) + String(int(1000, 9999)),
      type: pick(['work', 'mobile', 'home']),
      ...(chance(0.3) ? { primary: true } : {}),
    }))
  }
  if (chance(0.4)) {
    doc.addresses = [
      {
        locality: pick(['Paris', 'New York', 'tokyo']),
        country: pick(['US', 'FR', 'JP']),
        postalCode: String(int(10000, 99999)),
        type: 'work',
        ...(chance(0.5) ? { primary: true } : {}),
      },
    ]
  }
  if (chance(0.5)) {
    doc.roles = Array.from({ length: int(1, 2) }, () => ({
      value: pick(['admin', 'Reader', 'writer']),
      // Entra sends primary as a string (entra-provisioning.md §3.9).
      ...(chance(0.7) ? { primary: pick([true, false, 'True', 'false']) } : {}),
    }))
  }
  if (chance(0.3)) doc.entitlements = [{ value: pick(['license-a', 'License-B']) }]
  if (chance(0.2)) {
    doc.ims = [{ value: `${given.toLowerCase()}${i}`, type: pick(['skype', 'xmpp']) }]
  }
  if (chance(0.2)) doc.photos = [{ value: `https://photos.example.com/${i}.jpg`, type: 'photo' }]
  if (chance(0.15)) doc.x509Certificates = [{ value: `MIID${hex(12)}` }]
  if (chance(0.6)) {
    const enterprise: Record<string, unknown> = { employeeNumber: String(1000 + ((i * 37) % 9000)) }
    if (chance(0.5)) enterprise.costCenter = pick(['CC-1', 'cc-2', 'CC-3'])
    if (chance(0.4)) enterprise.organization = pick(['Acme', 'Acme Labs'])
    if (chance(0.4)) enterprise.division = pick(['R&D', 'Field'])
    if (chance(0.7)) enterprise.department = pick(['Engineering', 'engineering', 'Sales', 'HR'])
    if (managers.length > 0 && chance(0.6)) {
      const displayName = chance(0.3) ? { displayName: 'Boss' } : {}
      enterprise.manager = { value: pick(managers), ...displayName }
    }
    doc[ENT] = enterprise
    doc.schemas = [SCIM_USER_SCHEMA_URN, ENT]
  }
  const createdAt = timestamp(FROM, TO)
  return {
    tenantId,
    id,
    doc,
    active: doc.active !== false,
    version: int(1, 20),
    createdAt,
    updatedAt: chance(0.1) ? createdAt : timestamp(Date.parse(createdAt), TO),
  }
}

const GROUP_NAMES = ['Engineering', 'sales', 'Ops Team', 'ops-oncall', 'Admins', 'READERS', 'Zoë']

function generateGroups(tenantId: string, count: number, users: readonly UserRow[]): GroupRow[] {
  const ids = Array.from({ length: count }, () => uuid())
  return ids.map((id, i) => {
    const doc: Record<string, unknown> = {
      schemas: [SCIM_GROUP_SCHEMA_URN],
      displayName: `${pick(GROUP_NAMES)} ${i}`,
    }
    if (chance(0.6)) doc.externalId = mixCase(`grp-${i}`)
    if (chance(0.5)) {
      const description = pick(['The team', 'on-call rota', 'Everyone'])
      doc[GROUP_EXTENSION_SCHEMA_URN] = { description }
      doc.schemas = [SCIM_GROUP_SCHEMA_URN, GROUP_EXTENSION_SCHEMA_URN]
    }
    const members = new Map<string, 'User' | 'Group'>()
    const size = i % 9 === 0 ? 0 : int(1, 15)
    for (let k = 0; k < size; k++) members.set(pick(users).id, 'User')
    if (chance(0.15)) members.set(pick(ids.filter((other) => other !== id)), 'Group')
    const createdAt = timestamp(FROM, TO)
    return {
      tenantId,
      id,
      doc,
      members: [...members].map(([memberId, type]) => ({ id: memberId, type })),
      version: int(1, 5),
      createdAt,
      updatedAt: timestamp(Date.parse(createdAt), TO),
    }
  })
}

// Tenant one: 200 users, 30 groups. Tenant two shares 20 of the persons (a person may belong to
// several tenants) with other userNames, emails and groups: nothing of it may leak into tenant one.
const personIds = Array.from({ length: 200 }, () => uuid())
const users1: UserRow[] = []
for (const [i, id] of personIds.entries()) {
  users1.push(generateUser(T1, id, i, personIds.slice(0, i)))
}
const users2 = personIds
  .slice(0, 20)
  .map((id, i) => generateUser(T2, id, 1000 + i, []))
  .map((u) => {
    const emails = [{ value: `only-in-two-${u.id}@other.test`, type: 'work' }]
    return { ...u, doc: { ...u.doc, emails } }
  })
const groups1 = generateGroups(T1, 30, users1)
const groups2 = generateGroups(T2, 3, users2)

// store/sql/columns.ts userWriteOf: the indexed columns derived from the document.
const asString = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : null

function userRecord(row: UserRow): UserRecord {
  return {
    tenantId: asTenantId(row.tenantId),
    id: asUserId(row.id),
    userName: row.doc.userName as string,
    externalId: asString(row.doc.externalId),
    displayName: asString(row.doc.displayName),
    active: row.active,
    origin: 'SCIM',
    role: 'Viewer',
    doc: row.doc,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastSignInAt: null,
  }
}

function groupRecord(row: GroupRow): GroupRecord {
  return {
    tenantId: asTenantId(row.tenantId),
    id: asGroupId(row.id),
    displayName: row.doc.displayName as string,
    externalId: asString(row.doc.externalId),
    origin: 'SCIM',
    doc: row.doc,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}

// The resources the evaluator sees, as the service renders them (groups by id, like the store).
const codeUnitOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
const byId = (a: { id: string }, b: { id: string }): number => codeUnitOrder(a.id, b.id)
const userResources = new Map(
  users1.map((user) => {
    const groups: GroupReference[] = groups1
      .filter((g) => g.members.some((m) => m.id === user.id))
      .sort(byId)
      .map((g) => ({ groupId: asGroupId(g.id), display: g.doc.displayName as string }))
    return [user.id, renderUser(userRecord(user), groups, BASE_URL)] as const
  }),
)
const groupResources = new Map(
  groups1.map((group) => {
    const members: MemberRecord[] = [...group.members].sort(byId).map((m) => {
      const user = users1.find((u) => u.id === m.id)
      const nested = groups1.find((g) => g.id === m.id)
      const display =
        user === undefined
          ? ((nested?.doc.displayName as string | undefined) ?? null)
          : (asString(user.doc.displayName) ?? (user.doc.userName as string))
      return { memberId: asMemberId(m.id), memberType: m.type, origin: 'SCIM', display }
    })
    return [group.id, renderGroup(groupRecord(group), members, BASE_URL)] as const
  }),
)

async function seed(db: Kysely<Database>): Promise<void> {
  const at = '2020-01-01T00:00:00.000Z'
  for (const id of [T1, T2]) {
    await db
      .insertInto('tenants')
      .values({
        id,
        slug: id,
        name: id,
        scim_strict_profile: 0,
        scim_token_id: null,
        scim_token_issued_at: null,
        created_at: at,
      })
      .execute()
  }
  await db
    .insertInto('users')
    .values(personIds.map((id) => ({ id, email_norm: null, created_at: at })))
    .execute()
  for (const user of [...users1, ...users2]) {
    const record = userRecord(user)
    await db
      .insertInto('tenant_users')
      .values({
        tenant_id: user.tenantId,
        user_id: user.id,
        user_name: record.userName,
        user_name_norm: record.userName.toLowerCase(),
        external_id: record.externalId,
        display_name: record.displayName,
        display_name_norm: record.displayName?.toLowerCase() ?? null,
        active: user.active ? 1 : 0,
        origin: 'SCIM',
        role: 'Viewer',
        doc: JSON.stringify(user.doc),
        version: user.version,
        created_at: user.createdAt,
        updated_at: user.updatedAt,
      })
      .execute()
    const emails = Array.isArray(user.doc.emails)
      ? (user.doc.emails as Record<string, unknown>[])
      : []
    const rows = emails
      .filter((e) => typeof e.value === 'string')
      .map((e, position) => ({
        tenant_id: user.tenantId,
        user_id: user.id,
        position,
        value: e.value as string,
        value_norm: (e.value as string).toLowerCase(),
        type: asString(e.type),
        is_primary: e.primary === true ? 1 : 0,
      }))
    if (rows.length > 0) await db.insertInto('user_emails').values(rows).execute()
  }
  for (const group of [...groups1, ...groups2]) {
    const displayName = group.doc.displayName as string
    await db
      .insertInto('groups')
      .values({
        tenant_id: group.tenantId,
        id: group.id,
        display_name: displayName,
        display_name_norm: displayName.toLowerCase(),
        external_id: asString(group.doc.externalId),
        origin: 'SCIM',
        doc: JSON.stringify(group.doc),
        version: group.version,
        created_at: group.createdAt,
        updated_at: group.updatedAt,
      })
      .execute()
  }
  for (const group of [...groups1, ...groups2]) {
    if (group.members.length === 0) continue
    await db
      .insertInto('group_members')
      .values(
        group.members.map((m) => ({
          tenant_id: group.tenantId,
          group_id: group.id,
          member_id: m.id,
          member_type: m.type,
          origin: 'SCIM',
          created_at: at,
        })),
      )
      .execute()
  }
}

// ---------------------------------------------------------------------------------------------
// Filters: every operator on every kind of attribute, value paths, nesting, missing values.

const someUser = users1[17] as UserRow
const someGroup = groups1.find((g) => g.members.length > 3) as GroupRow
const memberOfSomeGroup = someGroup.members.find((m) => m.type === 'User')?.id as string
const withEmail = users1.find(
  (u) => Array.isArray(u.doc.emails) && (u.doc.emails as { value?: string }[]).some((e) => e.value),
) as UserRow
const anEmail = (withEmail.doc.emails as { value?: string }[]).find((e) => e.value)?.value as string
const withExternalId = users1.find((u) => asString(u.doc.externalId) !== null) as UserRow
const anExternalId = withExternalId.doc.externalId as string
const aManager = users1.find((u) => (u.doc[ENT] as { manager?: unknown } | undefined)?.manager)
const aManagerId = (aManager?.doc[ENT] as { manager: { value: string } }).manager.value as string
const onlyInTwo = users2[0] as UserRow

const USER_FILTERS: readonly string[] = [
  // userName: case-insensitive, index-backed
  `userName eq "${someUser.doc.userName as string}"`,
  `userName eq "${(someUser.doc.userName as string).toUpperCase()}"`,
  'userName eq "zoë.ångström@example.com"',
  'userName eq "nobody@example.com"',
  `userName ne "${someUser.doc.userName as string}"`,
  'userName co "SMITH"',
  'userName sw "alice."',
  'userName ew ".ORG"',
  'userName gt "e"',
  'userName ge "Eve"',
  'userName lt "c"',
  'userName le "carol"',
  'userName pr',
  'userName eq null',
  'userName ne null',
  'userName co ""',
  'USERNAME sw "B"',
  `urn:ietf:params:scim:schemas:core:2.0:User:userName eq "${someUser.doc.userName as string}"`,
  // id: case-exact
  `id eq "${someUser.id}"`,
  `id eq "${someUser.id.toUpperCase()}"`,
  `id ne "${someUser.id}"`,
  `id sw "${someUser.id.slice(0, 2)}"`,
  'id pr',
  'id gt "8"',
  // externalId: case-exact, often missing, "" stored as missing
  `externalId eq "${anExternalId}"`,
  `externalId eq "${anExternalId.toUpperCase()}"`,
  `externalId ne "${anExternalId}"`,
  'externalId co "EXT"',
  'externalId co "ext"',
  'externalId sw ""',
  'externalId eq ""',
  'externalId lt "f"',
  'externalId pr',
  'externalId eq null',
  'externalId ne null',
  'not (externalId eq "nope")',
  'not (externalId pr)',
  // displayName: case-insensitive; "" in the document, NULL in the column
  'displayName eq "alice smith"',
  'displayName eq ""',
  'displayName ne ""',
  'displayName co "ZOË"',
  'displayName sw "b"',
  'displayName ew "BROWN"',
  'displayName gt "f"',
  'displayName lt "c"',
  'displayName le "carol"',
  'displayName ge ""',
  'displayName pr',
  'displayName eq null',
  'displayName co ""',
  'not (displayName co "a")',
  // active: booleans, Entra's string booleans
  'active eq true',
  'active eq false',
  'active ne true',
  'active eq "True"',
  'active eq "false"',
  'active pr',
  'active eq null',
  'not (active eq true)',
  // name: single complex
  'name.givenName eq "ALICE"',
  'name.givenName co "a"',
  'name.givenName pr',
  'name.givenName eq null',
  'name.familyName gt "L"',
  'name.familyName eq "o\'brien"',
  'name.middleName eq "Ö"',
  'name.middleName eq "ö"',
  'name pr',
  'name eq null',
  'not (name pr)',
  'name[givenName sw "a" and familyName pr]',
  'name[not (givenName eq "bob")]',
  'name[givenName ne "bob"]',
  // simple strings from the document
  'title co "eng"',
  'title eq ""',
  'title ne "CTO"',
  'title pr',
  'title lt "s"',
  'title ew "EUR"',
  'title eq "ingénieur"',
  'title co "é"',
  'nickName pr',
  'nickName eq null',
  'userType eq "employee"',
  'userType ne "Employee"',
  'preferredLanguage sw "EN"',
  'locale eq "fr_fr"',
  'timezone sw "America/"',
  'timezone ew "york"',
  // emails: value through user_emails, everything else through the document
  `emails.value eq "${anEmail}"`,
  `emails.value eq "${anEmail.toUpperCase()}"`,
  `emails eq "${anEmail}"`,
  `emails.value eq "only-in-two-${onlyInTwo.id}@other.test"`,
  'emails.value co "@example"',
  'emails.value ew ".ORG"',
  'emails.value sw "alice"',
  'emails.value gt "m"',
  'emails.value le "c"',
  'emails.value pr',
  'emails.value eq null',
  'emails.value ne null',
  'emails.value eq ""',
  `emails.value ne "${anEmail}"`,
  'emails co "acme"',
  'emails pr',
  'emails eq null',
  'not (emails pr)',
  'emails.type eq "work"',
  'emails.type pr',
  'emails.type eq ""',
  'emails.primary eq true',
  'emails.primary eq false',
  'emails.primary ne true',
  'emails.primary pr',
  'emails.display pr',
  'emails[type eq "work"]',
  'emails[type eq "work"].value co "example"',
  `emails[type eq "work"].value eq "${anEmail}"`,
  'emails[type eq "work" and value co "example"]',
  'emails[type eq "work" or type eq "home"]',
  'emails[not (type eq "work")]',
  'emails[type ne "work" and value sw "a"]',
  'emails[type eq "" and value pr]',
  'emails[type lt "p" and value pr]',
  'emails[type co "" and value pr]',
  'emails[primary eq true and value ew ".com"]',
  'emails[primary ne true and value pr]',
  'emails[primary eq false and value pr]',
  'emails[primary pr and value pr]',
  'emails[value pr and not (type pr)]',
  'emails[value eq null]',
  'emails[value pr or type eq "home"]',
  'emails[display pr]',
  'EMAILS[TYPE eq "work"].VALUE co "EXAMPLE"',
  'not (emails[type eq "work"])',
  'not (emails.value co "example") and active eq true',
  // other multi-valued attributes
  'phoneNumbers.value sw "+1"',
  'phoneNumbers[type eq "mobile"]',
  'phoneNumbers[type eq "mobile" and primary eq true]',
  'phoneNumbers pr',
  'phoneNumbers co "555"',
  'phoneNumbers.type ne "work"',
  'addresses.locality eq "TOKYO"',
  'addresses[primary eq true and country eq "us"]',
  'addresses.postalCode gt "5"',
  'addresses.region pr',
  'roles.primary eq true',
  'roles.primary eq false',
  'roles.primary eq "TRUE"',
  'roles[value eq "ADMIN" and primary eq true]',
  'roles[primary ne false]',
  'roles.value eq "reader"',
  'entitlements.value co "-b"',
  'entitlements eq "license-a"',
  'ims[type eq "skype"].value pr',
  'photos.value sw "https://"',
  'x509Certificates.value sw "MIID"',
  'x509Certificates pr',
  // groups: group_members, with display from groups and type "direct"
  `groups.value eq "${someGroup.id}"`,
  `groups eq "${someGroup.id.toUpperCase()}"`,
  `groups.value ne "${someGroup.id}"`,
  `groups.value eq "${(groups2[0] as GroupRow).id}"`,
  'groups.display sw "ops"',
  'groups.display co "zoë"',
  'groups.type eq "direct"',
  'groups.type eq "indirect"',
  'groups.type ne "direct"',
  'groups pr',
  'groups eq null',
  'groups.$ref pr',
  'not (groups pr)',
  'groups[display co "eng" and type eq "direct"]',
  `groups[value eq "${someGroup.id}" or display sw "admins"]`,
  // the enterprise extension, with and without the URN
  `${ENT}:department eq "ENGINEERING"`,
  `${ENT}:department ne "sales"`,
  'department eq "hr"',
  `${ENT.toUpperCase()}:DEPARTMENT eq "hr"`,
  `${ENT}:employeeNumber gt "5000"`,
  `${ENT}:employeeNumber sw "1"`,
  `${ENT}:costCenter pr`,
  `${ENT}:costCenter eq null`,
  `${ENT}:organization sw "acme l"`,
  `${ENT}:division ne "Field"`,
  `${ENT}:manager.value eq "${aManagerId}"`,
  `${ENT}:manager eq "${aManagerId}"`,
  `${ENT}:manager pr`,
  `${ENT}:manager eq null`,
  `${ENT}:manager.displayName pr`,
  `${ENT}:manager[value pr]`,
  `${ENT}:manager[value ne "${aManagerId}"]`,
  `manager.value sw "${aManagerId.slice(0, 1)}"`,
  // meta: columns, constants and the ETag
  `meta.lastModified eq "${someUser.updatedAt}"`,
  `meta.lastModified eq "${someUser.updatedAt.replace('Z', '+00:00')}"`,
  `meta.lastModified ne "${someUser.updatedAt}"`,
  'meta.lastModified gt "2024-01-01T00:00:00Z"',
  'meta.lastModified ge "2024-01-01"',
  'meta.lastModified lt "2023-06-01T12:00:00+02:00"',
  'meta.lastModified le "2023-06-01T10:00"',
  'meta.lastModified gt "2022-03-04T05:06:07.1234567Z"',
  'meta.lastModified gt "0000-01-01T00:30:00+01:00"',
  'meta.lastModified lt "9999-12-31T23:30:00-01:00"',
  'meta.lastModified gt "9999-12-31T23:30:00-01:00"',
  'meta.created lt "2021-01-01T00:00:00Z"',
  'meta.created pr',
  'meta.created eq null',
  'meta.resourceType eq "user"',
  'meta.resourceType eq "Group"',
  'meta.resourceType ne "User"',
  'meta.version eq "W/\\"3\\""',
  'meta.version gt "W/\\"5\\""',
  'meta.version co "1"',
  'meta pr',
  'meta.location pr',
  'meta[created lt "2021-01-01" and lastModified gt "2025-01-01"]',
  // nesting, precedence and negation
  '(userName sw "a" or userName sw "b") and not (title pr)',
  'not (not (active eq true))',
  'not (externalId eq "x") or displayName pr',
  'title pr and (emails[type eq "work"] or phoneNumbers pr) and not (active eq false)',
  'userName sw "a" or userName sw "b" and active eq false',
  'not (userName sw "a" or emails.value co "example")',
  'not (name.givenName eq "bob" and title co "eng")',
  `not (${ENT}:manager.value eq "${aManagerId}")`,
  'not (groups.display sw "ops") and groups pr',
  'not (emails[type eq "work" and value co "example"])',
  'not (meta.lastModified gt "2024-01-01T00:00:00Z") and active eq true',
]

const someMember = groups1.flatMap((g) => g.members).find((m) => m.type === 'Group')
const GROUP_FILTERS: readonly string[] = [
  `displayName eq "${(someGroup.doc.displayName as string).toUpperCase()}"`,
  'displayName co "ops"',
  'displayName sw "zoë"',
  'displayName ew "1"',
  'displayName gt "o"',
  'displayName pr',
  `id eq "${someGroup.id}"`,
  'externalId eq "GRP-3"',
  'externalId co "grp"',
  'externalId pr',
  'externalId eq null',
  `members.value eq "${memberOfSomeGroup}"`,
  `members eq "${memberOfSomeGroup.toUpperCase()}"`,
  `members.value ne "${memberOfSomeGroup}"`,
  `members.value eq "${someMember?.id ?? 'none'}"`,
  'members.type eq "Group"',
  'members.type eq "user"',
  'members.display co "smith"',
  'members.display sw "a"',
  'members.display pr',
  'members pr',
  'members eq null',
  'not (members pr)',
  `members[type eq "User" and value eq "${memberOfSomeGroup}"]`,
  'members[display sw "a" or type eq "Group"]',
  'members[not (type eq "User")]',
  'members.$ref pr',
  `${GROUP_EXTENSION_SCHEMA_URN}:description co "TEAM"`,
  'description pr',
  'description eq null',
  'meta.lastModified gt "2023-01-01T00:00:00Z"',
  'meta.resourceType eq "Group"',
  'not (displayName sw "ops") and members pr',
]

// The evaluator and the compiler refuse the same filters.
const INVALID_USER_FILTERS: readonly string[] = [
  'userName eq 1',
  'active gt true',
  'active eq "yes"',
  'meta.lastModified gt "yesterday"',
  'meta.created co "2020"',
  'foo eq "x"',
  'name eq "x"',
  'password eq "x"',
  'emails[foo eq "x"]',
  'x509Certificates.value gt "a"',
  'userName gt null',
  `${ENT}:nope pr`,
]

// ---------------------------------------------------------------------------------------------
// The suite, run on each engine

interface Engine {
  readonly db: Kysely<Database>
  readonly dialect: SqlDialect
  readonly close: () => Promise<void>
}

function expectedIds(target: 'User' | 'Group', text: string): string[] {
  const filter = parseFilter(text)
  const resources = target === 'User' ? userResources : groupResources
  const type = target === 'User' ? USER_RESOURCE_TYPE : GROUP_RESOURCE_TYPE
  return [...resources]
    .filter(([, resource]) => matchesFilter(filter, resource, type))
    .map(([id]) => id)
    .sort()
}

function tableOf(target: 'User' | 'Group') {
  return target === 'User'
    ? { from: sql`tenant_users as u`, id: sql.ref('u.user_id'), tenant: sql.ref('u.tenant_id') }
    : { from: sql`groups as g`, id: sql.ref('g.id'), tenant: sql.ref('g.tenant_id') }
}

function selectIds(
  target: 'User' | 'Group',
  where: RawBuilder<unknown>,
): RawBuilder<{ id: string }> {
  const { from, id, tenant } = tableOf(target)
  return sql<{ id: string }>`select ${id} as id from ${from} where ${tenant} = ${T1} and ${where}`
}

async function actualIds(
  engine: Engine,
  target: 'User' | 'Group',
  text: string,
): Promise<string[]> {
  const where = compileFilter(parseFilter(text), target, engine.dialect)
  const { rows } = await selectIds(target, where).execute(engine.db)
  return rows.map((row) => row.id).sort()
}

// RFC 7644 §3.4.2.3 by hand, over the rendered resources: primary (else first) value, lower-cased
// when caseExact=false, compared by UTF-16 code units.
type Resource = Record<string, unknown>
type SortedRow = { readonly id: string; readonly k: unknown }

const SORTS: readonly {
  readonly target: 'User' | 'Group'
  readonly sortBy: AttributePath
  readonly key: (resource: Resource) => unknown
}[] = [
  {
    target: 'User',
    sortBy: { attr: 'userName' },
    key: (r) => (r.userName as string).toLowerCase(),
  },
  { target: 'User', sortBy: { attr: 'externalId' }, key: (r) => r.externalId },
  {
    target: 'User',
    sortBy: { attr: 'name', sub: 'familyName' },
    key: (r) => (r.name as { familyName?: string } | undefined)?.familyName?.toLowerCase(),
  },
  {
    target: 'User',
    sortBy: { attr: 'emails' },
    key: (r) => {
      const all = (r.emails as { value?: string; primary?: boolean }[] | undefined) ?? []
      const emails = all.filter((e) => typeof e.value === 'string')
      return (emails.find((e) => e.primary === true) ?? emails[0])?.value?.toLowerCase()
    },
  },
  {
    target: 'User',
    sortBy: { attr: 'meta', sub: 'lastModified' },
    key: (r) => (r.meta as { lastModified: string }).lastModified,
  },
  {
    target: 'User',
    sortBy: { uri: ENT, attr: 'department' },
    key: (r) => (r[ENT] as { department?: string } | undefined)?.department?.toLowerCase(),
  },
  {
    target: 'User',
    sortBy: { attr: 'groups', sub: 'display' },
    key: (r) => (r.groups as { display: string }[] | undefined)?.[0]?.display.toLowerCase(),
  },
  {
    target: 'Group',
    sortBy: { attr: 'displayName' },
    key: (r) => (r.displayName as string).toLowerCase(),
  },
  {
    target: 'Group',
    sortBy: { attr: 'members', sub: 'display' },
    key: (r) => (r.members as { display?: string }[] | undefined)?.[0]?.display?.toLowerCase(),
  },
]

function defineSuite(name: string, open: () => Promise<Engine>, skip: string | false): void {
  describe(name, { skip }, () => {
    let engine: Engine
    before(async () => {
      engine = await open()
    })
    after(async () => {
      await engine?.close()
    })

    it('returns, for every User filter, the users the reference evaluator matches', async () => {
      let discriminating = 0
      for (const text of USER_FILTERS) {
        const expected = expectedIds('User', text)
        const actual = await actualIds(engine, 'User', text)
        assert.deepEqual(actual, expected, `filter ${text}`)
        if (expected.length > 0 && expected.length < userResources.size) discriminating++
      }
      // The data exercises the filters: most of them split the users.
      const split = `${discriminating} of ${USER_FILTERS.length} filters split the users`
      assert.ok(discriminating > USER_FILTERS.length * 0.75, split)
    })

    it('returns, for every Group filter, the groups the reference evaluator matches', async () => {
      for (const text of GROUP_FILTERS) {
        const actual = await actualIds(engine, 'Group', text)
        assert.deepEqual(actual, expectedIds('Group', text), `filter ${text}`)
      }
    })

    it('refuses with invalidFilter the filters the evaluator refuses', () => {
      const someResource = userResources.get(someUser.id) as Record<string, unknown>
      for (const text of INVALID_USER_FILTERS) {
        const filter = parseFilter(text)
        const isInvalidFilter = (error: unknown) =>
          error instanceof ScimError && error.scimType === 'invalidFilter'
        const evaluate = () => matchesFilter(filter, someResource, USER_RESOURCE_TYPE)
        assert.throws(evaluate, isInvalidFilter, text)
        assert.throws(() => compileFilter(filter, 'User', engine.dialect), isInvalidFilter, text)
      }
    })

    it('refuses comparisons on values built from the request URL (meta.location, $ref)', () => {
      for (const text of [
        'meta.location eq "x"',
        'groups.$ref co "Groups"',
        'members.$ref pr and members.$ref sw "h"',
      ]) {
        const target = text.startsWith('members') ? 'Group' : 'User'
        assert.throws(
          () => compileFilter(parseFilter(text), target, engine.dialect),
          (error: unknown) => error instanceof ScimError && error.scimType === 'invalidFilter',
        )
      }
    })

    it('reads unquoted values (filter/quirks.ts) as the quoted strings they mean', async () => {
      const userName = someUser.doc.userName as string
      const created = '2021-06-01T07:38:21.8617979-07:00'
      const pairs: readonly ['User' | 'Group', string, string][] = [
        ['User', `userName eq ${userName.toUpperCase()}`, `userName eq "${userName}"`],
        ['User', 'userName sw alice.', 'userName sw "alice."'],
        ['User', 'name.familyName eq jones', 'name.familyName eq "jones"'],
        ['User', `externalId eq ${anExternalId}`, `externalId eq "${anExternalId}"`],
        ['User', `meta.created gt ${created}`, `meta.created gt "${created}"`],
        ['User', 'meta.lastModified le 2024-01-01', 'meta.lastModified le "2024-01-01"'],
        [
          'User',
          'emails[type eq work].value ew .com and active eq true',
          'emails[type eq "work"].value ew ".com" and active eq true',
        ],
        ['User', `${ENT}:department eq engineering`, `${ENT}:department eq "engineering"`],
        [
          'Group',
          'displayName co ops or externalId eq GRP-3',
          'displayName co "ops" or externalId eq "GRP-3"',
        ],
      ]
      for (const [target, unquoted, quoted] of pairs) {
        const expected = expectedIds(target, quoted)
        assert.ok(expected.length > 0, `${quoted} matches some ${target}s`)
        assert.deepEqual(await actualIds(engine, target, unquoted), expected, unquoted)
      }
    })

    it('sorts by the primary or first value, lower-cased if caseExact=false', async () => {
      for (const sort of SORTS) {
        const key = compileSortKey(sort.sortBy, sort.target, engine.dialect)
        const { from, id, tenant } = tableOf(sort.target)
        const order = sql`${key}, ${engine.dialect.binary(id)}`
        const columns = sql`${id} as id, ${key} as k`
        const where = sql`${tenant} = ${T1}`
        const query = sql<SortedRow>`select ${columns} from ${from} where ${where} order by ${order}`
        const { rows } = await query.execute(engine.db)
        const resources = sort.target === 'User' ? userResources : groupResources
        const expected = [...resources]
          .map(([id, resource]) => ({ id, k: sort.key(resource) }))
          .filter((row): row is { id: string; k: string } => typeof row.k === 'string')
          .sort((a, b) => codeUnitOrder(a.k, b.k) || codeUnitOrder(a.id, b.id))
          .map((row) => row.id)
        const actual = rows.filter((row) => row.k !== null).map((row) => row.id)
        assert.deepEqual(actual, expected, `sortBy ${JSON.stringify(sort.sortBy)}`)
      }
    })

    it('answers the lookups IdPs send from an index, never scanning the tenant', async () => {
      for (const lookup of INDEXED_LOOKUPS) {
        const where = compileFilter(parseFilter(lookup.filter), lookup.target, engine.dialect)
        const compiled = selectIds(lookup.target, where).compile(engine.db)
        const plan = await explain(engine, compiled)
        if (engine.dialect.name === 'sqlite') {
          assert.doesNotMatch(plan, /^SCAN /m, `${lookup.filter}:\n${plan}`)
          for (const step of lookup.sqlite) assert.match(plan, step, `${lookup.filter}:\n${plan}`)
        } else {
          assert.doesNotMatch(plan, /Seq Scan|SubPlan/, `${lookup.filter}:\n${plan}`)
          for (const step of lookup.postgres) assert.match(plan, step, `${lookup.filter}:\n${plan}`)
        }
      }
    })
  })
}

// Each lookup names the index it must use with the looked-up column in its condition; plans that
// visit every row of the tenant (SQLite `SCAN`, PostgreSQL `Seq Scan` or a per-row `SubPlan`) fail.
interface IndexedLookup {
  readonly target: 'User' | 'Group'
  readonly filter: string
  readonly sqlite: readonly RegExp[]
  readonly postgres: readonly RegExp[]
}

/** SQLite: `SEARCH <alias> USING [COVERING] INDEX <index> (tenant_id=? AND <condition>)`. */
function sqliteSearch(alias: string, index: string, condition: string): RegExp {
  const using =
    index === 'pk'
      ? '(PRIMARY KEY|(COVERING )?INDEX sqlite_autoindex_\\w+)'
      : `(COVERING )?INDEX ${index}`
  return new RegExp(`SEARCH ${alias} USING ${using} \\(tenant_id=\\? AND ${escape(condition)}\\)`)
}

/** PostgreSQL: an index scan on `index` whose condition names `condition`. */
function postgresScan(index: string, condition: string): RegExp {
  return new RegExp(`Index (Only )?Scan using ${index} .*\\n.*Index Cond: .*${escape(condition)}`)
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

const INDEXED_LOOKUPS: readonly IndexedLookup[] = [
  {
    target: 'User',
    filter: `userName eq "${someUser.doc.userName as string}"`,
    sqlite: [sqliteSearch('u', 'tenant_users_user_name_uq', 'user_name_norm=?')],
    postgres: [postgresScan('tenant_users_user_name_uq', 'user_name_norm = ')],
  },
  {
    target: 'User',
    filter: `externalId eq "${anExternalId}"`,
    sqlite: [sqliteSearch('u', 'tenant_users_external_id_ix', 'external_id=?')],
    postgres: [postgresScan('tenant_users_external_id_ix', 'external_id = ')],
  },
  {
    target: 'User',
    filter: `id eq "${someUser.id}"`,
    sqlite: [sqliteSearch('u', 'pk', 'user_id=?')],
    postgres: [postgresScan('tenant_users_pk', 'user_id = ')],
  },
  {
    target: 'User',
    filter: 'displayName eq "Alice Smith"',
    sqlite: [sqliteSearch('u', 'tenant_users_display_name_ix', 'display_name_norm=?')],
    postgres: [postgresScan('tenant_users_display_name_ix', 'display_name_norm = ')],
  },
  // From the email index to the user: never the other way round.
  ...[`emails.value eq "${anEmail}"`, `emails[type eq "work"].value eq "${anEmail}"`].map(
    (filter): IndexedLookup => ({
      target: 'User',
      filter,
      sqlite: [
        sqliteSearch('ue1', 'user_emails_value_ix', 'value_norm=?'),
        sqliteSearch('u', 'pk', 'user_id=?'),
      ],
      postgres: [
        postgresScan('user_emails_value_ix', `(tenant_id = '${T1}'::text) AND (value_norm = `),
        /Index (Only )?Scan using tenant_users_(pk|user_ix) .*\n.*Index Cond: .*user_id = /,
      ],
    }),
  ),
  {
    target: 'User',
    filter: 'meta.lastModified gt "2025-12-01T00:00:00Z"',
    sqlite: [sqliteSearch('u', 'tenant_users_updated_ix', 'updated_at>?')],
    postgres: [postgresScan('tenant_users_updated_ix', 'updated_at > ')],
  },
  {
    target: 'Group',
    filter: 'displayName eq "engineering 1"',
    sqlite: [sqliteSearch('g', 'groups_display_name_uq', 'display_name_norm=?')],
    postgres: [postgresScan('groups_display_name_uq', 'display_name_norm = ')],
  },
  {
    target: 'Group',
    filter: 'externalId eq "grp-1"',
    sqlite: [sqliteSearch('g', 'groups_external_id_ix', 'external_id=?')],
    postgres: [postgresScan('groups_external_id_ix', 'external_id = ')],
  },
  {
    target: 'Group',
    filter: 'meta.lastModified gt "2025-12-01T00:00:00Z"',
    sqlite: [sqliteSearch('g', 'groups_updated_ix', 'updated_at>?')],
    postgres: [postgresScan('groups_updated_ix', 'updated_at > ')],
  },
]

async function explain(engine: Engine, query: CompiledQuery): Promise<string> {
  if (engine.dialect.name === 'sqlite') {
    const result = await engine.db.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]),
    )
    return result.rows.map((row) => row.detail).join('\n')
  }
  // The tables are small, so the planner would rightly scan them; forbidding sequential scans
  // shows which index the query can use.
  return engine.db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx)
    const result = await trx.executeQuery<{ 'QUERY PLAN': string }>(
      CompiledQuery.raw(`explain ${query.sql}`, [...query.parameters]),
    )
    return result.rows.map((row) => row['QUERY PLAN']).join('\n')
  })
}

async function openSqlite(): Promise<Engine> {
  const database = new BetterSqlite3(':memory:')
  registerSqliteFunctions(database)
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) })
  await up(db, 'sqlite')
  await seed(db)
  return { db, dialect: sqliteDialect, close: () => db.destroy() }
}

async function openPostgres(): Promise<Engine> {
  const database = await createTestDatabase('rollcall_filter')
  const pool = new pg.Pool({ connectionString: database.url, max: 2 })
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  await up(db, 'postgres')
  await seed(db)
  await sql`analyze`.execute(db)
  return {
    db,
    dialect: postgresDialect,
    close: async () => {
      await db.destroy()
      await database.drop()
    },
  }
}

// Probed before any suite runs: seeding SQLite blocks the event loop for a while.
const postgresSkip = await postgresSkipReason()
defineSuite('compiled filters on SQLite', openSqlite, false)
defineSuite('compiled filters on PostgreSQL', openPostgres, postgresSkip)
