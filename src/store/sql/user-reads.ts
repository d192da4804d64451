// The hot reads of a tenant's users, each one statement compiled once per shape (prepared.ts):
// a user by id, and the first page of a filter (the `userName eq "…"` lookup an IdP sends before
// every create), with the users' groups read in the same statement when they are wanted.
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely'
import { asGroupId, type TenantId, type UserId } from '../../domain/ids.ts'
import type { Filter } from '../../scim/filter/ast.ts'
import type { GroupReference, ListQuery, Page, UserRecord } from '../store.ts'
import { toUser } from './columns.ts'
import type { SqlContext } from './context.ts'
import { compileFilter } from './filter/compile-filter.ts'
import { readJsonArray, type SqlDialect } from './filter/sql-dialect.ts'
import { PreparedQuery, PreparedShapes, type Placeholders } from './prepared.ts'
import type { Database, TenantUsersTable } from './tables.ts'
import type { Selectable } from 'kysely'

type UserRow = Selectable<TenantUsersTable> & { groups_json?: unknown }
type UserSelect = SelectQueryBuilder<Database & { u: TenantUsersTable }, 'u', UserRow>

// What users.groupsOf reads, as a column of the user's row: the correlated subquery seeks
// group_members by (tenant, member) as groupsOf does, and is sorted in JS as groupsOf sorts.
function groupsColumn(dialect: SqlDialect) {
  const aggregate = dialect.jsonObjectArray({
    id: sql.ref('gg.id'),
    display: sql.ref('gg.display_name'),
  })
  return sql`(select ${aggregate} from group_members as gm inner join groups as gg on gg.tenant_id = gm.tenant_id and gg.id = gm.group_id where gm.tenant_id = u.tenant_id and gm.member_id = u.user_id)`
}

function selectUsers(
  ctx: Pick<SqlContext, 'reader' | 'dialect'>,
  withGroups: boolean,
  tenant: string,
): UserSelect {
  const select = ctx.reader
    .selectFrom('tenant_users as u')
    .selectAll('u')
    .where(sql<boolean>`u.tenant_id = ${tenant}`)
  return (
    withGroups ? select.select(groupsColumn(ctx.dialect).as('groups_json')) : select
  ) as UserSelect
}

function toUserWithGroups(row: UserRow, withGroups: boolean): UserRecord {
  const user = toUser(row)
  if (!withGroups) return user
  const groups: GroupReference[] = readJsonArray(row.groups_json).map((item) => {
    const { id, display } = item as { id: string; display: string }
    return { groupId: asGroupId(id), display }
  })
  groups.sort((a, b) => (a.groupId < b.groupId ? -1 : 1))
  return { ...user, groups }
}

/** Per engine (the compiled SQL is the dialect's): the statements of each shape. */
interface Statements {
  readonly byId: Map<boolean, PreparedQuery<UserRow> | undefined>
  readonly firstPages: PreparedShapes<UserRow>
}
const statementsByDialect = new WeakMap<SqlDialect, Statements>()

function statementsOf(dialect: SqlDialect): Statements {
  let statements = statementsByDialect.get(dialect)
  if (!statements) {
    statements = { byId: new Map(), firstPages: new PreparedShapes() }
    statementsByDialect.set(dialect, statements)
  }
  return statements
}

/** The user `id` of the tenant, and its groups with `withGroups`. */
export async function getUser(
  ctx: SqlContext,
  tenantId: TenantId,
  id: UserId,
  withGroups: boolean,
): Promise<UserRecord | undefined> {
  const { byId } = statementsOf(ctx.dialect)
  if (!byId.has(withGroups)) {
    byId.set(
      withGroups,
      PreparedQuery.build(2, (p) =>
        selectUsers(ctx, withGroups, p.text(0)).where(sql<boolean>`u.user_id = ${p.text(1)}`),
      ),
    )
  }
  const prepared = byId.get(withGroups)
  if (!prepared) throw new Error('the user-by-id statement could not be prepared')
  const [row] = await prepared.execute(ctx.reader as Kysely<unknown>, [tenantId, id])
  return row && toUserWithGroups(row, withGroups)
}

// Value 0 of a first-page statement is the tenant; the filter's follow. The LIMIT is written
// into the statement (one per page size a client uses): SQLite runs `LIMIT ?` several times
// slower than `LIMIT 100` on this one-row lookup (38 µs against 7 µs, measured).
const FIRST_FILTER_VALUE = 1

/**
 * The filter with each `eq`/`ne` comparison to a non-empty string replaced by a placeholder, and
 * those strings in order: filters differing only there share one statement. Other operands stay
 * in the shape (the SQL of `sw`, `co` or a number depends on the value).
 */
function templateOf(filter: Filter, p: Placeholders, values: string[]): Filter {
  switch (filter.kind) {
    case 'compare':
      if ((filter.op === 'eq' || filter.op === 'ne') && typeof filter.value === 'string') {
        if (filter.value === '') return filter
        values.push(filter.value)
        return { ...filter, value: p.text(FIRST_FILTER_VALUE + values.length - 1) }
      }
      return filter
    case 'present':
      return filter
    case 'and':
    case 'or':
      return {
        kind: filter.kind,
        left: templateOf(filter.left, p, values),
        right: templateOf(filter.right, p, values),
      }
    case 'not':
      return { kind: 'not', filter: templateOf(filter.filter, p, values) }
    case 'valuePath':
      return { ...filter, filter: templateOf(filter.filter, p, values) }
  }
}

const SHAPE_PLACEHOLDERS: Placeholders = {
  text: (index) => `$${index}`,
  number: (index) => -index,
}

/** The statement of {@link firstUserPage} (exported for its query-plan test). */
export function firstPageSelect(
  ctx: Pick<SqlContext, 'reader' | 'dialect'>,
  withGroups: boolean,
  filter: Filter,
  count: number,
  p: Placeholders,
): UserSelect {
  if (!Number.isSafeInteger(count) || count <= 0) throw new Error(`page size ${count}`)
  return selectUsers(ctx, withGroups, p.text(0))
    .where(compileFilter(templateOf(filter, p, []), 'User', ctx.dialect))
    .orderBy(sql`u.user_id`)
    .limit(sql.lit(count))
}

/**
 * The first page of a filtered list in one statement (no COUNT: a page that is not full tells
 * the total), or undefined when listing.ts must answer: another page, a sort, a full page (it
 * counts and remembers where the walk goes on), or a filter whose statement cannot be reused.
 */
export async function firstUserPage(
  ctx: SqlContext,
  tenantId: TenantId,
  query: ListQuery,
): Promise<Page<UserRecord> | undefined> {
  const filter = query.filter
  if (!filter || query.after !== undefined || query.sortBy !== undefined) return undefined
  if (query.startIndex !== 1 || query.count <= 0) return undefined
  const withGroups = query.withGroups === true
  const values: string[] = []
  const shape = JSON.stringify(templateOf(filter, SHAPE_PLACEHOLDERS, values))
  const count = query.count
  const key = `${withGroups}|${count}|${shape}`
  const prepared = statementsOf(ctx.dialect).firstPages.get(key, () =>
    PreparedQuery.build(FIRST_FILTER_VALUE + values.length, (p) =>
      firstPageSelect(ctx, withGroups, filter, count, p),
    ),
  )
  if (!prepared) return undefined
  const rows = await prepared.execute(ctx.reader as Kysely<unknown>, [tenantId, ...values])
  if (rows.length >= query.count) return undefined
  return { totalResults: rows.length, items: rows.map((row) => toUserWithGroups(row, withGroups)) }
}
