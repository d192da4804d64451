// Where a SCIM attribute (RFC 7643) lives for the filter and sortBy compilers: a column of the
// resource row, a row of an element table, a value known when compiling, or the JSON document.
// Every table and column comes from the one column map (../columns.ts).
import { sql, type SqlBool } from 'kysely'
import { ETAG_PREFIX, ETAG_SUFFIX } from '../../../scim/etag.ts'
import type {
  AttributePath,
  CompareOperator,
  Filter,
  FilterValue,
} from '../../../scim/filter/ast.ts'
import { resolveSubAttribute } from '../../../scim/schemas/resolve.ts'
import type { ResolvedAttribute } from '../../../scim/schemas/resolve.ts'
import type { AttributeDefinition } from '../../../scim/schemas/types.ts'
import {
  EMAIL_COLUMNS,
  GROUP_COLUMNS,
  MEMBER_COLUMNS,
  USER_COLUMNS,
  attributeColumn,
  columnOf,
  type AttributeColumn,
} from '../columns.ts'
import { TRUE, toBoolean, trueOnEmpty, type Context, type Expr, type Pred } from './context.ts'
import type { JsonBase, JsonRef } from './sql-dialect.ts'

/**
 * Where the value compared lives. `column`: a scalar column (or SQL expression) holding the
 * attribute's stored type (text, 0/1, ISO timestamps); `folded` when it holds the JS
 * `toLowerCase()` of the value (*_norm columns), so parameters are folded in JS and indexes used.
 * `constant`: known when compiling (meta.resourceType, groups.type). `opaque`: always present but
 * not stored (`$ref`, meta.location). `json`: read from the document.
 */
export type Cell =
  | {
      readonly kind: 'column'
      readonly value: Expr
      /** How a missing value shows: never, as a NULL column, or as a NULL expression. */
      readonly missing: 'never' | 'null' | 'nullExpression'
      readonly folded: boolean
    }
  | { readonly kind: 'constant'; readonly value: string }
  | { readonly kind: 'opaque'; readonly label: string; readonly sortAs: Expr }
  | { readonly kind: 'json'; readonly ref: JsonRef }

/** The scope a filter is compiled in: the resource, or one element of a complex attribute. */
export type Scope = { readonly kind: 'resource' } | ElementScope

export interface ElementScope {
  readonly kind: 'element'
  /** The complex attribute whose element this is (`emails`). */
  readonly parent: AttributeDefinition
  /** The element's sub-attribute `sub`, as a cell. */
  readonly cell: (sub: AttributeDefinition) => Cell
  /** Whether the element is a JSON object (the evaluator skips elements that are not). */
  readonly isObject: Pred
  /** RFC 7644 `pr` of the element as a whole. */
  readonly present: Pred
}

/** The elements of a complex attribute (multi-valued, or single-valued as one element). */
export interface Collection {
  /** True when some element satisfies `test`; two-valued. */
  readonly any: (test: (element: ElementScope) => Pred) => Pred
}

/**
 * A multi-valued attribute kept in rows of its own table: one row per element, correlated to
 * the resource row by tenant and key; the dialect writes the membership test so that the engine
 * starts from the element table's index.
 */
export interface RowTable {
  readonly table: typeof EMAIL_COLUMNS.table | typeof MEMBER_COLUMNS.table
  /** The element table's tenant column. */
  readonly tenant: string
  /** The element table's column holding the resource's key. */
  readonly owner: string
  /** The resource row's key column. */
  readonly rowKey: Expr
  /** The column giving the order in which the resource lists the elements. */
  readonly order: string
  readonly cell: (alias: string, sub: AttributeDefinition) => Cell
}

/** The JSON path of a top-level attribute in the document: extensions sit under their URN. */
export function documentPath(resolved: ResolvedAttribute): string[] {
  const name = resolved.definition.name
  return resolved.isExtension ? [resolved.schemaUrn, name] : [name]
}

/** A value in the resource row's document. */
export function inDocument(context: Context, path: readonly string[]): JsonRef {
  return { base: { kind: 'column', column: context.doc }, path }
}

function column(value: Expr, options: { nullable?: boolean; folded?: boolean } = {}): Cell {
  return {
    kind: 'column',
    value,
    missing: options.nullable === true ? 'null' : 'never',
    folded: options.folded ?? false,
  }
}

/** A computed value (a scalar subquery): NULL when missing, not indexable. */
function computed(value: Expr): Cell {
  return { kind: 'column', value, missing: 'nullExpression', folded: false }
}

/** A NOT NULL column of an element table. */
function required(value: Expr, folded = false): Cell {
  return { kind: 'column', value, missing: 'never', folded }
}

/**
 * A single-valued, non-complex attribute at the top of the resource: a column when one holds
 * it, else the document. `leaf` lets a comparison that would be true on "" fall back to the
 * document where the column is a copy storing "" as NULL (a user's displayName).
 */
export function resourceCell(
  context: Context,
  resolved: ResolvedAttribute,
  leaf: { readonly op: CompareOperator; readonly operand: FilterValue } | undefined,
): Cell {
  const definition = resolved.definition
  if (!resolved.isExtension) {
    if (definition.name === 'id') return column(context.col(context.table.id))
    const mapped = attributeColumn(context.table, definition.name)
    const readsDocument =
      mapped?.isCopy === true && leaf !== undefined && trueOnEmpty(leaf.op, leaf.operand)
    if (mapped !== undefined && !readsDocument) return attributeCell(context, mapped, definition)
  }
  return { kind: 'json', ref: inDocument(context, documentPath(resolved)) }
}

function attributeCell(
  context: Context,
  mapped: AttributeColumn,
  definition: AttributeDefinition,
): Cell {
  const nullable = mapped.kind === 'string'
  if (mapped.folded !== undefined && !definition.caseExact) {
    return column(context.col(mapped.folded), { nullable, folded: true })
  }
  return column(context.col(mapped.column), { nullable })
}

/** A sub-attribute of a single complex attribute: meta from columns, others from the document. */
export function cellInComplex(
  context: Context,
  resolved: ResolvedAttribute,
  sub: AttributeDefinition,
): Cell {
  if (resolved.isCommon && resolved.definition.name === 'meta') return metaCell(context, sub)
  return { kind: 'json', ref: inDocument(context, [...documentPath(resolved), sub.name]) }
}

function metaCell(context: Context, sub: AttributeDefinition): Cell {
  const { table } = context
  switch (sub.name) {
    case 'resourceType':
      return { kind: 'constant', value: context.target }
    case 'created':
      return column(context.col(table.created))
    case 'lastModified':
      return column(context.col(table.lastModified))
    case 'version': {
      // The entity tag of scim/etag.ts etagOf(), rendered in SQL.
      const version = context.col(table.version)
      return required(sql`(${sql.lit(ETAG_PREFIX)} || ${version} || ${sql.lit(ETAG_SUFFIX)})`)
    }
    default:
      // meta.location is the base URL followed by the id: it sorts as the id does.
      return { kind: 'opaque', label: `meta.${sub.name}`, sortAs: context.col(table.id) }
  }
}

/** `pr` of a single complex attribute as a whole. */
export function presentComplex(context: Context, resolved: ResolvedAttribute): Pred {
  if (resolved.isCommon && resolved.definition.name === 'meta') return TRUE
  return context.dialect.jsonIsPresent(inDocument(context, documentPath(resolved)))
}

/**
 * The elements of a complex attribute. `relative` is the element filter the caller will apply
 * (paths relative to the element); it decides whether the indexed `user_emails` rows can stand
 * in for the document's `emails`.
 */
export function collectionOf(
  context: Context,
  resolved: ResolvedAttribute,
  relative: Filter | undefined,
): Collection {
  const top = resolved.definition
  const name = top.name
  const rows = rowTableOf(context, resolved)
  if (rows !== undefined) return rowCollection(context, top, rows)
  if (
    !resolved.isExtension &&
    context.target === 'User' &&
    name === 'emails' &&
    relative !== undefined &&
    emailRowsCanAnswer(relative, top)
  ) {
    return rowCollection(context, top, userEmails(context))
  }
  if (resolved.isCommon && name === 'meta') {
    const element: ElementScope = {
      kind: 'element',
      parent: top,
      cell: (sub) => metaCell(context, sub),
      isObject: TRUE,
      present: TRUE,
    }
    return { any: (test) => test(element) }
  }
  const ref = inDocument(context, documentPath(resolved))
  if (!top.multiValued) {
    const element = jsonElement(context, top, ref.base, ref.path)
    return { any: (test) => test(element) }
  }
  return {
    any: (test) => {
      const alias = context.alias('e')
      const element = jsonElement(context, top, { kind: 'element', alias, column: context.doc }, [])
      const elements = context.dialect.jsonElements(ref, alias)
      return sql<SqlBool>`exists (select 1 from ${elements} where ${test(element)})`
    },
  }
}

/** The row table of User `groups` or Group `members`, which are not in the document. */
export function rowTableOf(context: Context, resolved: ResolvedAttribute): RowTable | undefined {
  if (resolved.isExtension || resolved.isCommon) return undefined
  const name = resolved.definition.name
  if (context.target === 'User' && name === 'groups') return userGroups(context)
  if (context.target === 'Group' && name === 'members') return groupMembers(context)
  return undefined
}

export function jsonElement(
  context: Context,
  parent: AttributeDefinition,
  base: JsonBase,
  prefix: readonly string[],
): ElementScope {
  const dialect = context.dialect
  const at = (path: readonly string[]): JsonRef => ({ base, path: [...prefix, ...path] })
  return {
    kind: 'element',
    parent,
    cell: (sub) => ({ kind: 'json', ref: at(sub === parent ? [] : [sub.name]) }),
    isObject: dialect.jsonIsObject(at([])),
    present: dialect.jsonIsPresent(at([])),
  }
}

function rowCollection(context: Context, parent: AttributeDefinition, rows: RowTable): Collection {
  return {
    any: (test) => {
      const alias = context.alias(rows.table === EMAIL_COLUMNS.table ? 'ue' : 'gm')
      const element: ElementScope = {
        kind: 'element',
        parent,
        cell: (sub) => rows.cell(alias, sub),
        isObject: TRUE,
        present: TRUE,
      }
      return context.dialect.someRow({
        table: rows.table,
        alias,
        owner: rows.owner,
        rowKey: rows.rowKey,
        rowTenant: context.col(context.table.tenant),
        condition: test(element),
      })
    },
  }
}

/** User `groups` (RFC 7643 §4.1.2): the direct memberships in group_members. */
function userGroups(context: Context): RowTable {
  return {
    table: MEMBER_COLUMNS.table,
    tenant: MEMBER_COLUMNS.tenant,
    owner: MEMBER_COLUMNS.member,
    rowKey: context.col(context.table.id),
    order: MEMBER_COLUMNS.group,
    cell: (gm, sub) => {
      const ref = (name: string) => sql.ref(`${gm}.${name}`)
      switch (sub.name) {
        case 'value':
          return required(ref(MEMBER_COLUMNS.group))
        case 'display': {
          const tenant = ref(MEMBER_COLUMNS.tenant)
          return computed(groupDisplayName(context, tenant, ref(MEMBER_COLUMNS.group)))
        }
        case 'type':
          return { kind: 'constant', value: 'direct' }
        default:
          return { kind: 'opaque', label: `groups.${sub.name}`, sortAs: ref(MEMBER_COLUMNS.group) }
      }
    },
  }
}

/** The displayName of the group `id` of the tenant `tenantId`, as a scalar subquery. */
function groupDisplayName(context: Context, tenantId: Expr, id: Expr): Expr {
  const g = context.alias('g')
  const group = (column: string) => sql.ref(`${g}.${column}`)
  const owned = sql`${group(GROUP_COLUMNS.tenant)} = ${tenantId}`
  const where = sql`${owned} and ${group(GROUP_COLUMNS.id)} = ${id}`
  const displayName = group(columnOf(GROUP_COLUMNS, 'displayName'))
  // Table names are constants of the column map, never client input.
  const from = sql`${sql.raw(GROUP_COLUMNS.table)} as ${sql.id(g)}`
  return sql`(select ${displayName} from ${from} where ${where})`
}

/** Group `members` (RFC 7643 §4.2): one group_members row per member. */
function groupMembers(context: Context): RowTable {
  return {
    table: MEMBER_COLUMNS.table,
    tenant: MEMBER_COLUMNS.tenant,
    owner: MEMBER_COLUMNS.group,
    rowKey: context.col(context.table.id),
    order: MEMBER_COLUMNS.member,
    cell: (gm, sub) => {
      const ref = (name: string) => sql.ref(`${gm}.${name}`)
      const tenant = ref(MEMBER_COLUMNS.tenant)
      const member = ref(MEMBER_COLUMNS.member)
      switch (sub.name) {
        case 'value':
          return required(member)
        case 'type':
          return required(ref(MEMBER_COLUMNS.memberType))
        case 'display': {
          // As the store's listMembers: the user's displayName, else userName, else the nested
          // group's displayName.
          const tu = context.alias('tu')
          const user = (column: string) => sql.ref(`${tu}.${column}`)
          const displayName = user(columnOf(USER_COLUMNS, 'displayName'))
          const userName = user(columnOf(USER_COLUMNS, 'userName'))
          const display = sql`coalesce(${displayName}, ${userName})`
          const from = sql`${sql.raw(USER_COLUMNS.table)} as ${sql.id(tu)}`
          const owned = sql`${user(USER_COLUMNS.tenant)} = ${tenant}`
          const where = sql`${owned} and ${user(USER_COLUMNS.id)} = ${member}`
          const userDisplay = sql`(select ${display} from ${from} where ${where})`
          const groupDisplay = groupDisplayName(context, tenant, member)
          return computed(sql`coalesce(${userDisplay}, ${groupDisplay})`)
        }
        default:
          return { kind: 'opaque', label: `members.${sub.name}`, sortAs: member }
      }
    },
  }
}

/**
 * User `emails` through user_emails(tenant_id, value_norm): one row per element of the document's
 * `emails` that has a string `value` (columns.ts userWriteOf), with `type` ("" stored as NULL)
 * and `is_primary` (1 only for `primary: true`).
 */
function userEmails(context: Context): RowTable {
  return {
    table: EMAIL_COLUMNS.table,
    tenant: EMAIL_COLUMNS.tenant,
    owner: EMAIL_COLUMNS.owner,
    rowKey: context.col(context.table.id),
    order: EMAIL_COLUMNS.order,
    cell: (ue, sub) => {
      const ref = (name: string) => sql.ref(`${ue}.${name}`)
      switch (sub.name) {
        case 'value':
          return required(ref(EMAIL_COLUMNS.valueFolded), true)
        case 'type':
          return column(ref(EMAIL_COLUMNS.type), { nullable: true })
        case 'primary':
          return required(ref(EMAIL_COLUMNS.primary))
        default:
          // emailRowsCanAnswer admits no other sub-attribute.
          throw new Error(`${EMAIL_COLUMNS.table} has no ${sub.name}`)
      }
    },
  }
}

/**
 * Whether user_emails rows answer the element filter `filter` exactly as the document would:
 * every leaf reads what the rows mirror faithfully, and the filter can only hold for an element
 * that has a string `value` (elements without one have no row).
 */
function emailRowsCanAnswer(filter: Filter, emails: AttributeDefinition): boolean {
  const subName = (path: AttributePath): string | undefined =>
    path.uri === undefined && path.sub === undefined
      ? resolveSubAttribute(emails, path.attr)?.name
      : undefined
  const mirrored = (f: Filter): boolean => {
    switch (f.kind) {
      case 'and':
      case 'or':
        return mirrored(f.left) && mirrored(f.right)
      case 'not':
        return mirrored(f.filter)
      case 'valuePath':
        return false
      case 'present': {
        const name = subName(f.path)
        return name === 'value' || name === 'type'
      }
      case 'compare': {
        const name = subName(f.path)
        if (name === 'value') return true
        // `type` "" is stored as NULL: only tests that are false on "" read the same.
        if (name === 'type') return !trueOnEmpty(f.op, f.value)
        // is_primary is 0 for both `false` and a missing primary: only "is it true" reads the same.
        if (name === 'primary') {
          return (f.op === 'eq' || f.op === 'ne') && toBoolean(f.value) === true
        }
        return false
      }
    }
  }
  const needsValue = (f: Filter): boolean => {
    switch (f.kind) {
      case 'compare':
        return subName(f.path) === 'value' && f.op !== 'ne' && f.value !== null
      case 'present':
        return subName(f.path) === 'value'
      case 'and':
        return needsValue(f.left) || needsValue(f.right)
      case 'or':
        return needsValue(f.left) && needsValue(f.right)
      default:
        return false
    }
  }
  return mirrored(filter) && needsValue(filter)
}
