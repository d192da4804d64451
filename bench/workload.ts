// What `npm run bench` sends: request paths and bodies shaped like Microsoft Entra ID's
// provisioning service (shared/reference/entra-provisioning.md §3.3, §3.5, §3.11, §3.13, §3.15,
// §3.16, §4), and the deterministic plan of memberships and incremental changes.
import { randomUUID } from 'node:crypto'

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User'
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group'
// Entra adds this non-standard URN to every group it creates (§3.11).
export const ADSCIM_GROUP_SCHEMA =
  'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'

const GIVEN_NAMES = [
  'Ada', 'Bjorn', 'Chiara', 'Dmitri', 'Esther', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas',
  'Kemal', 'Lena', 'Mateo', 'Noor', 'Oskar', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tariq',
] // prettier-ignore
const FAMILY_NAMES = [
  'Abara', 'Brandt', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Ivanova',
  'Jensen', 'Kowalski', 'Lindqvist', 'Moreau', 'Nakamura', 'Okafor', 'Petrov', 'Rossi', 'Silva',
  'Tanaka', 'Urban', 'Varga', 'Weber', 'Yilmaz', 'Zhang', 'Novak',
] // prettier-ignore
const DEPARTMENTS = ['Engineering', 'Sales', 'Marketing', 'Finance', 'Support', 'Legal', 'People']

export interface BenchUser {
  readonly userName: string
  readonly body: Record<string, unknown>
}

export interface BenchGroup {
  readonly displayName: string
  readonly body: Record<string, unknown>
}

function namesOf(index: number): { givenName: string; familyName: string } {
  return {
    givenName: GIVEN_NAMES[index % GIVEN_NAMES.length] ?? 'Ada',
    familyName:
      FAMILY_NAMES[Math.floor(index / GIVEN_NAMES.length) % FAMILY_NAMES.length] ?? 'Abara',
  }
}

/** User `index` of run `runId`: userName is a unique email (Rollcall identifies users by email). */
export function benchUser(runId: string, index: number): BenchUser {
  const { givenName, familyName } = namesOf(index)
  const userName = `${givenName}.${familyName}.${index}@${runId}.bench.example`.toLowerCase()
  return {
    userName,
    // §3.3, with the enterprise mappings of README "Connect Microsoft Entra ID".
    body: {
      schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
      externalId: randomUUID(),
      userName,
      active: true,
      displayName: `${givenName} ${familyName}`,
      emails: [{ primary: true, type: 'work', value: userName }],
      meta: { resourceType: 'User' },
      name: { familyName, givenName },
      [ENTERPRISE_USER_SCHEMA]: {
        employeeNumber: String(100000 + index),
        department: DEPARTMENTS[index % DEPARTMENTS.length] ?? 'Engineering',
      },
    },
  }
}

/** Group `index` of run `runId` (§3.11): created empty, members come by PATCH. */
export function benchGroup(runId: string, index: number): BenchGroup {
  const displayName = `Bench ${runId} Team ${index}`
  return {
    displayName,
    body: {
      schemas: [GROUP_SCHEMA, ADSCIM_GROUP_SCHEMA],
      externalId: randomUUID(),
      displayName,
      meta: { resourceType: 'Group' },
    },
  }
}

/** §3.5: Entra's matching query; URLSearchParams encodes spaces as `+`, as Entra does. */
export function userByUserNamePath(userName: string): string {
  return `/Users?${new URLSearchParams({ filter: `userName eq "${userName}"` })}`
}

/** §3.13: the group matching query, members excluded. */
export function groupByDisplayNamePath(displayName: string): string {
  const query = new URLSearchParams({
    excludedAttributes: 'members',
    filter: `displayName eq "${displayName}"`,
  })
  return `/Groups?${query}`
}

function patchOf(operations: readonly Record<string, unknown>[]): Record<string, unknown> {
  return { schemas: [PATCH_OP_SCHEMA], Operations: operations }
}

/** §3.15: several members in one `Add` operation, with Entra's `"$ref": null`. */
export function addMembersPatch(userIds: readonly string[]): Record<string, unknown> {
  const value = userIds.map((id) => ({ $ref: null, value: id }))
  return patchOf([{ op: 'Add', path: 'members', value }])
}

/** §3.16 / §4, default dialect: `Remove` + `path: "members"` + the members to remove only. */
export function removeMembersPatch(userIds: readonly string[]): Record<string, unknown> {
  return patchOf([{ op: 'Remove', path: 'members', value: userIds.map((id) => ({ value: id })) }])
}

/** §4: a capitalised `Replace` with a path, and a path-less `replace` keyed by attribute paths. */
export function replaceUserPatch(index: number): Record<string, unknown> {
  const { givenName, familyName } = namesOf(index + 7)
  return patchOf([
    { op: 'Replace', path: 'displayName', value: `${givenName} ${familyName}-Updated` },
    {
      op: 'replace',
      value: {
        'name.givenName': givenName,
        [`${ENTERPRISE_USER_SCHEMA}:employeeNumber`]: String(900000 + index),
        [`${ENTERPRISE_USER_SCHEMA}:department`]:
          DEPARTMENTS[(index + 3) % DEPARTMENTS.length] ?? 'Engineering',
      },
    },
  ])
}

/** §3.8 / §4, default dialect: Entra sends the boolean as the string "False". */
export function deactivateUserPatch(): Record<string, unknown> {
  return patchOf([{ op: 'Replace', path: 'active', value: 'False' }])
}

/**
 * Members of each group (user indices): user i joins group i mod G and a second group at an
 * offset that varies with i, so every user is in two distinct groups when G > 1.
 */
export function planMemberships(users: number, groups: number): number[][] {
  const members: number[][] = Array.from({ length: groups }, () => [])
  if (groups === 0) return members
  for (let user = 0; user < users; user += 1) {
    const first = user % groups
    members[first]?.push(user)
    if (groups > 1) {
      const offset = 1 + (Math.floor(user / groups) % (groups - 1))
      members[(first + offset) % groups]?.push(user)
    }
  }
  return members
}

export interface IncrementalPlan {
  /** Users whose attributes change (10 %). */
  readonly replace: readonly number[]
  /** Users deactivated (5 %). */
  readonly deactivate: readonly number[]
  /** Users hard-deleted (2 %). */
  readonly remove: readonly number[]
  /** Memberships removed (5 %), per group: [group index, user indices]. */
  readonly memberRemovals: readonly (readonly [number, readonly number[]])[]
}

/** mulberry32: a small seeded PRNG, so every run changes the same users. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1))
    const a = copy[i] as T
    copy[i] = copy[j] as T
    copy[j] = a
  }
  return copy
}

/** Disjoint user sets for the incremental cycle; member removals never touch deleted users. */
export function planIncremental(
  users: number,
  memberships: readonly (readonly number[])[],
  seed = 42,
): IncrementalPlan {
  const random = seededRandom(seed)
  const order = shuffled(
    Array.from({ length: users }, (_, i) => i),
    random,
  )
  const replaceCount = Math.round(users * 0.1)
  const deactivateCount = Math.round(users * 0.05)
  const removeCount = Math.round(users * 0.02)
  const replace = order.slice(0, replaceCount)
  const deactivate = order.slice(replaceCount, replaceCount + deactivateCount)
  const remove = order.slice(
    replaceCount + deactivateCount,
    replaceCount + deactivateCount + removeCount,
  )
  const deleted = new Set(remove)
  const pairs: [number, number][] = []
  let total = 0
  memberships.forEach((members, group) => {
    total += members.length
    for (const user of members) if (!deleted.has(user)) pairs.push([group, user])
  })
  const chosen = shuffled(pairs, random).slice(0, Math.round(total * 0.05))
  const byGroup = new Map<number, number[]>()
  for (const [group, user] of chosen) {
    const list = byGroup.get(group) ?? []
    list.push(user)
    byGroup.set(group, list)
  }
  const memberRemovals = [...byGroup].sort(([a], [b]) => a - b)
  return { replace, deactivate, remove, memberRemovals }
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = []
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size))
  return chunks
}
