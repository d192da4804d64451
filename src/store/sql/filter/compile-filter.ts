// SCIM filters (RFC 7644 §3.4.2.2) and sortBy (§3.4.2.3) compiled to parameterised SQL over the
// directory tables, with the semantics of the reference evaluator (evaluate.ts) and the engine's
// capabilities (store/sql/dialect.ts).
import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { normaliseName } from '../../domain/directory-rules.ts'
import type { JsonBase, JsonRef, SqlDialect } from './sql-dialect.ts'
import { ScimError } from '../errors.ts'
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../schemas/index.ts'
import { resolveAttributePath, resolveSubAttribute } from '../schemas/resolve.ts'
import type { ResolvedAttribute } from '../schemas/resolve.ts'
import type { AttributeDefinition, ResourceTypeDefinition } from '../schemas/types.ts'
import type { AttributePath, CompareOperator, Filter, FilterValue } from './ast.ts'
import {
  matchString,
  order,
  parseDateTime,
  validateFilter,
  type PositiveOperator,
} from './evaluate.ts'

type Pred = RawBuilder<SqlBool>
type Expr = RawBuilder<unknown>
type Target = 'User' | 'Group'

const TRUE: Pred = sql<SqlBool>`true`
const FALSE: Pred = sql<SqlBool>`false`

/**
 * Compiles `filter` into a WHERE predicate over `tenant_users AS u` (target `User`) or
 * `groups AS g` (target `Group`). The caller adds the tenant condition (`u.tenant_id = ?`).
 *
 * - Attribute names are resolved against the resource type's schemas first (RFC 7643 §2.1,
 *   case-insensitive); only schema-spelled names reach the SQL, every filter value is a bound
 *   parameter.
 * - Semantics are those of {@link matchesFilter}: any-value matching on multi-valued attributes,
 *   `ne` as the negation of `eq` (true on a missing attribute), `eq null` as "not present",
 *   caseExact from the schema, dateTime compared as instants, Entra's string booleans.
 * - The predicate is two-valued: it is never SQL NULL, so `not (…)` and `ne` behave on missing
 *   values exactly as the evaluator does.
 * - Index-backed forms: `userName`/`displayName` compare against the lower-cased *_norm columns,
 *   `id`/`externalId` against their columns, `meta.created`/`meta.lastModified` against the
 *   timestamp columns, `emails.value` and `emails[…value…]` through `user_emails(tenant_id,
 *   value_norm)`, `members`/`groups` through `group_members`.
 *
 * @throws ScimError invalidFilter for what {@link validateFilter} refuses (unknown attributes,
 *   operator/operand the attribute's type refuses), and for comparisons on `meta.location` and
 *   `$ref` sub-attributes, which are built from the request's base URL and not stored.
 */
export function compileFilter(
  filter: Filter,
  target: Target,
  dialect: SqlDialect,
): RawBuilder<SqlBool> {
  const context = createContext(target, dialect)
  validateFilter(filter, context.resourceType)
  return compileNode(context, filter, { kind: 'resource' })
}

/**
 * Compiles a `sortBy` attribute (RFC 7644 §3.4.2.3) into an ORDER BY key for the same FROM
 * clause as {@link compileFilter}. Multi-valued attributes sort by the primary value, else the
 * first; complex attributes by their `value`; caseExact=false strings by their lower-cased form;
 * strings by code point on both engines. Rows without a value get NULL (placed by the engine).
 *
 * @throws ScimError invalidValue when the path is unknown, complex without `value`, or never
 *   returned (`password`).
 */
export function compileSortKey(
  path: AttributePath,
  target: Target,
  dialect: SqlDialect,
): RawBuilder<unknown> {
  const context = createContext(target, dialect)
  const label = formatPath(path)
  const resolved = resolveAttributePath(path, context.resourceType)
  const compared = resolved === undefined ? undefined : comparedDefinition(resolved)
  if (resolved === undefined || compared === undefined || compared.type === 'complex') {
    throw ScimError.invalidValue(
      `sortBy "${label}" is not an attribute of ${context.resourceType.name} resources ` +
        'with a single value to sort by (see /Schemas)',
    )
  }
  if (compared.returned === 'never') {
    throw ScimError.invalidValue(`sortBy "${label}" cannot be used`)
  }
  const top = resolved.definition
  if (!top.multiValued) {
    const cell =
      top.type === 'complex'
        ? cellInComplex(context, resolved, compared)
        : resourceCell(context, resolved, undefined)
    return sortValue(context, cell, compared)
  }
  return firstValue(context, resolved, compared)
}

interface Context {
  readonly dialect: SqlDialect
  readonly target: Target
  readonly resourceType: ResourceTypeDefinition
  /** The row alias of the FROM clause: `u` or `g`. */
  readonly row: 'u' | 'g'
  readonly doc: Expr
  /** A fresh alias for a subquery, unique within the compiled statement. */
  alias(prefix: string): string
}

function createContext(target: Target, dialect: SqlDialect): Context {
  let next = 0
  const row = target === 'User' ? 'u' : 'g'
  return {
    dialect,
    target,
    resourceType: target === 'User' ? USER_RESOURCE_TYPE : GROUP_RESOURCE_TYPE,
    row,
    doc: sql.ref(`${row}.doc`),
    alias: (prefix) => `${prefix}${++next}`,
  }
}

/**
 * Where the value compared lives. `column`: a scalar column (or SQL expression) holding the
 * attribute's stored type (text, 0/1, ISO timestamps); `folded` when it holds the JS
 * `toLowerCase()` of the value (*_norm columns), so parameters are folded in JS and indexes used.
 * `constant`: known when compiling (meta.resourceType, groups.type). `opaque`: always present but
 * not stored (`$ref`, meta.location). `json`: read from the document.
 */
type Cell =
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
type Scope = { readonly kind: 'resource' } | ElementScope

interface ElementScope {
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
interface Collection {
  /** True when some element satisfies `test`; two-valued. */
  readonly any: (test: (element: ElementScope) => Pred) => Pred
}

function compileNode(context: Context, filter: Filter, scope: Scope): Pred {
  switch (filter.kind) {
    case 'and':
    case 'or': {
      const left = compileNode(context, filter.left, scope)
      const right = compileNode(context, filter.right, scope)
      return sql<SqlBool>`(${left} ${sql.raw(filter.kind)} ${right})`
    }
    case 'not':
      return not(compileNode(context, filter.filter, scope))
    case 'present':
      return compileLeaf(context, filter.path, scope, { kind: 'present' })
    case 'compare':
      return compileLeaf(context, filter.path, scope, {
        kind: 'compare',
        op: filter.op,
        operand: filter.value,
      })
    case 'valuePath': {
      if (scope.kind === 'element') throw invalid(`value filters cannot nest`)
      const resolved = resolveOrThrow(context, filter.path)
      const collection = collectionOf(context, resolved, filter.filter)
      return collection.any((element) =>
        and(element.isObject, compileNode(context, filter.filter, element)),
      )
    }
  }
}

type Leaf =
  | { readonly kind: 'present' }
  | { readonly kind: 'compare'; readonly op: CompareOperator; readonly operand: FilterValue }

function compileLeaf(context: Context, path: AttributePath, scope: Scope, leaf: Leaf): Pred {
  if (scope.kind === 'element') {
    const sub = resolveSubAttribute(scope.parent, path.attr)
    if (sub === undefined || path.uri !== undefined || path.sub !== undefined) {
      throw invalid(
        `unknown attribute "${formatPath(path)}" in the value filter of "${scope.parent.name}"`,
      )
    }
    const cell = scope.cell(sub)
    return leafOnValues(
      context,
      leaf,
      sub,
      (test) => test(cell),
      () => present(context, cell, sub),
    )
  }
  const resolved = resolveOrThrow(context, path)
  const top = resolved.definition
  const compared = comparedDefinition(resolved) ?? top
  if (top.multiValued) {
    // The element filter the collection will be asked about: presence for `pr` and null
    // operands, `eq` for `ne` (compiled as "no element equals").
    const byPresence = leaf.kind === 'present' || leaf.operand === null
    const relative: Filter | undefined = byPresence
      ? resolved.sub === undefined
        ? undefined
        : { kind: 'present', path: { attr: resolved.sub.name } }
      : {
          kind: 'compare',
          path: { attr: compared.name },
          op: leaf.op === 'ne' ? 'eq' : leaf.op,
          value: leaf.operand,
        }
    const collection = collectionOf(context, resolved, relative)
    const elementValue = (element: ElementScope): Cell =>
      top.type === 'complex' ? element.cell(compared) : element.cell(top)
    const presentIn = (element: ElementScope): Pred =>
      resolved.sub === undefined
        ? element.present
        : present(context, element.cell(resolved.sub), resolved.sub)
    return leafOnValues(
      context,
      leaf,
      compared,
      (test) => collection.any((element) => test(elementValue(element))),
      () => collection.any(presentIn),
    )
  }
  if (top.type === 'complex') {
    // A single complex attribute (name, manager, meta): `pr` looks at the whole value when no
    // sub-attribute is named, comparisons at the sub-attribute (or `value`).
    const presence =
      resolved.sub === undefined
        ? () => presentComplex(context, resolved)
        : () => present(context, cellInComplex(context, resolved, compared), compared)
    if (leaf.kind === 'present') return presence()
    const cell = cellInComplex(context, resolved, compared)
    return leafOnValues(context, leaf, compared, (test) => test(cell), presence)
  }
  const cell = resourceCell(context, resolved, leaf.kind === 'compare' ? leaf : undefined)
  return leafOnValues(
    context,
    leaf,
    compared,
    (test) => test(cell),
    () => present(context, cell, compared),
  )
}

/**
 * The evaluator's rules for one leaf over a set of values: `pr` and `eq null` / `ne null` by
 * presence, `ne` as "no value equals", other operators as "some value matches".
 */
function leafOnValues(
  context: Context,
  leaf: Leaf,
  compared: AttributeDefinition,
  some: (test: (cell: Cell) => Pred) => Pred,
  anyPresent: () => Pred,
): Pred {
  if (leaf.kind === 'present') return anyPresent()
  const { op, operand } = leaf
  if (operand === null) return op === 'eq' ? not(anyPresent()) : anyPresent()
  if (op === 'ne') {
    return not(some((cell) => comparePositive(context, cell, compared, 'eq', operand)))
  }
  return some((cell) => comparePositive(context, cell, compared, op, operand))
}

/** The attribute a comparison reads: the sub-attribute, `value` of a complex one, or itself. */
function comparedDefinition(resolved: ResolvedAttribute): AttributeDefinition | undefined {
  if (resolved.sub !== undefined) return resolved.sub
  const top = resolved.definition
  return top.type === 'complex' ? resolveSubAttribute(top, 'value') : top
}

function resolveOrThrow(context: Context, path: AttributePath): ResolvedAttribute {
  const resolved = resolveAttributePath(path, context.resourceType)
  if (resolved === undefined) {
    throw invalid(
      `unknown attribute "${formatPath(path)}" in filter: ` +
        `${context.resourceType.name} resources have no such attribute (see /Schemas)`,
    )
  }
  return resolved
}

// ---------------------------------------------------------------------------------------------
// Where attributes live

/** The JSON path of a top-level attribute in the document: extensions sit under their URN. */
function documentPath(resolved: ResolvedAttribute): string[] {
  const name = resolved.definition.name
  return resolved.isExtension ? [resolved.schemaUrn, name] : [name]
}

/** A value in the resource row's document. */
function inDocument(context: Context, path: readonly string[]): JsonRef {
  return { base: { kind: 'column', column: context.doc }, path }
}

function column(name: string, options: { nullable?: boolean; folded?: boolean } = {}): Cell {
  return {
    kind: 'column',
    value: sql.ref(name),
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
 * document where the column stores "" as NULL (a user's displayName).
 */
function resourceCell(
  context: Context,
  resolved: ResolvedAttribute,
  leaf: { readonly op: CompareOperator; readonly operand: FilterValue } | undefined,
): Cell {
  const name = resolved.definition.name
  const r = context.row
  if (!resolved.isExtension) {
    if (name === 'id') return column(context.target === 'User' ? 'u.user_id' : 'g.id')
    if (name === 'externalId') return column(`${r}.external_id`, { nullable: true })
    if (context.target === 'User') {
      if (name === 'userName') return column('u.user_name_norm', { folded: true })
      if (name === 'active') return column('u.active')
      if (name === 'displayName' && !(leaf !== undefined && trueOnEmpty(leaf.op, leaf.operand))) {
        // display_name is NULL when the document holds "" (provisioning/users.ts).
        return column('u.display_name_norm', { nullable: true, folded: true })
      }
    } else if (name === 'displayName') {
      return column('g.display_name_norm', { folded: true })
    }
  }
  return { kind: 'json', ref: inDocument(context, documentPath(resolved)) }
}

/** A sub-attribute of a single complex attribute: meta from columns, others from the document. */
function cellInComplex(
  context: Context,
  resolved: ResolvedAttribute,
  sub: AttributeDefinition,
): Cell {
  if (resolved.isCommon && resolved.definition.name === 'meta') return metaCell(context, sub)
  return { kind: 'json', ref: inDocument(context, [...documentPath(resolved), sub.name]) }
}

function metaCell(context: Context, sub: AttributeDefinition): Cell {
  const r = context.row
  switch (sub.name) {
    case 'resourceType':
      return { kind: 'constant', value: context.target }
    case 'created':
      return column(`${r}.created_at`)
    case 'lastModified':
      return column(`${r}.updated_at`)
    case 'version':
      // The weak ETag of provisioning/versioning.ts etagOf().
      return required(sql`('W/"' || ${sql.ref(`${r}.version`)} || '"')`)
    default:
      // meta.location is the base URL followed by the id: it sorts as the id does.
      return {
        kind: 'opaque',
        label: `meta.${sub.name}`,
        sortAs: sql.ref(context.target === 'User' ? 'u.user_id' : 'g.id'),
      }
  }
}

/** `pr` of a single complex attribute as a whole. */
function presentComplex(context: Context, resolved: ResolvedAttribute): Pred {
  if (resolved.isCommon && resolved.definition.name === 'meta') return TRUE
  return context.dialect.jsonIsPresent(inDocument(context, documentPath(resolved)))
}

/**
 * The elements of a complex attribute. `relative` is the element filter the caller will apply
 * (paths relative to the element); it decides whether the indexed `user_emails` rows can stand
 * in for the document's `emails`.
 */
function collectionOf(
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
    return rowCollection(context, top, USER_EMAILS)
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
function rowTableOf(context: Context, resolved: ResolvedAttribute): RowTable | undefined {
  if (resolved.isExtension || resolved.isCommon) return undefined
  const name = resolved.definition.name
  if (context.target === 'User' && name === 'groups') return userGroups(context)
  if (context.target === 'Group' && name === 'members') return groupMembers(context)
  return undefined
}

function jsonElement(
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

/**
 * A multi-valued attribute kept in rows of its own table: one row per element, correlated to
 * the resource row by tenant and key; the dialect writes the membership test so that the engine
 * starts from the element table's index.
 */
interface RowTable {
  readonly table: 'group_members' | 'user_emails'
  /** The element table's column holding the resource's key. */
  readonly owner: string
  /** The resource row's key column. */
  readonly rowKey: string
  /** The column giving the order in which the resource lists the elements. */
  readonly order: string
  readonly cell: (alias: string, sub: AttributeDefinition) => Cell
}

function rowCollection(context: Context, parent: AttributeDefinition, rows: RowTable): Collection {
  return {
    any: (test) => {
      const alias = context.alias(rows.table === 'user_emails' ? 'ue' : 'gm')
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
        rowKey: sql.ref(rows.rowKey),
        rowTenant: sql.ref(`${context.row}.tenant_id`),
        condition: test(element),
      })
    },
  }
}

/** User `groups` (RFC 7643 §4.1.2): the direct memberships in group_members. */
function userGroups(context: Context): RowTable {
  return {
    table: 'group_members',
    owner: 'member_id',
    rowKey: 'u.user_id',
    order: 'group_id',
    cell: (gm, sub) => {
      const ref = (name: string) => sql.ref(`${gm}.${name}`)
      switch (sub.name) {
        case 'value':
          return required(ref('group_id'))
        case 'display': {
          return computed(groupDisplayName(context, ref('tenant_id'), ref('group_id')))
        }
        case 'type':
          return { kind: 'constant', value: 'direct' }
        default:
          return { kind: 'opaque', label: `groups.${sub.name}`, sortAs: ref('group_id') }
      }
    },
  }
}

/** The displayName of the group `id` of the tenant `tenantId`, as a scalar subquery. */
function groupDisplayName(context: Context, tenantId: Expr, id: Expr): Expr {
  const g = context.alias('g')
  const group = (column: string) => sql.ref(`${g}.${column}`)
  const where = sql`${group('tenant_id')} = ${tenantId} and ${group('id')} = ${id}`
  return sql`(select ${group('display_name')} from groups as ${sql.id(g)} where ${where})`
}

/** Group `members` (RFC 7643 §4.2): one group_members row per member. */
function groupMembers(context: Context): RowTable {
  return {
    table: 'group_members',
    owner: 'group_id',
    rowKey: 'g.id',
    order: 'member_id',
    cell: (gm, sub) => {
      const ref = (name: string) => sql.ref(`${gm}.${name}`)
      switch (sub.name) {
        case 'value':
          return required(ref('member_id'))
        case 'type':
          return required(ref('member_type'))
        case 'display': {
          // As the store's listMembers: the user's displayName, else userName, else the nested
          // group's displayName.
          const tu = context.alias('tu')
          const user = (column: string) => sql.ref(`${tu}.${column}`)
          const display = sql`coalesce(${user('display_name')}, ${user('user_name')})`
          const from = sql`tenant_users as ${sql.id(tu)}`
          const where = sql`${user('tenant_id')} = ${ref('tenant_id')} and ${user('user_id')} = ${ref('member_id')}`
          const userDisplay = sql`(select ${display} from ${from} where ${where})`
          const groupDisplay = groupDisplayName(context, ref('tenant_id'), ref('member_id'))
          return computed(sql`coalesce(${userDisplay}, ${groupDisplay})`)
        }
        default:
          return { kind: 'opaque', label: `members.${sub.name}`, sortAs: ref('member_id') }
      }
    },
  }
}

/**
 * User `emails` through user_emails(tenant_id, value_norm): one row per element of the document's
 * `emails` that has a string `value` (provisioning/users.ts userWriteOf), with `type` ("" stored
 * as NULL) and `is_primary` (1 only for `primary: true`).
 */
const USER_EMAILS: RowTable = {
  table: 'user_emails',
  owner: 'user_id',
  rowKey: 'u.user_id',
  order: 'position',
  cell: (ue, sub) => {
    const ref = (name: string) => sql.ref(`${ue}.${name}`)
    switch (sub.name) {
      case 'value':
        return required(ref('value_norm'), true)
      case 'type':
        return { kind: 'column', value: ref('type'), missing: 'null', folded: false }
      case 'primary':
        return required(ref('is_primary'))
      default:
        // emailRowsCanAnswer admits no other sub-attribute.
        throw new Error(`user_emails has no ${sub.name}`)
    }
  },
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

// ---------------------------------------------------------------------------------------------
// Comparisons

/** `pr` of one value (RFC 7644 §3.4.2.2, as the evaluator's isPresent). */
function present(context: Context, cell: Cell, definition: AttributeDefinition): Pred {
  switch (cell.kind) {
    case 'constant':
      return cell.value === '' ? FALSE : TRUE
    case 'opaque':
      return TRUE
    case 'column': {
      const textual = isTextual(definition)
      if (cell.missing === 'never') return textual ? sql<SqlBool>`${cell.value} <> ''` : TRUE
      if (!textual) return sql<SqlBool>`(${cell.value} is not null)`
      return twoValued(cell, sql<SqlBool>`${cell.value} <> ''`)
    }
    case 'json':
      if (definition.type === 'complex') return context.dialect.jsonIsPresent(cell.ref)
      return sql<SqlBool>`coalesce(${context.dialect.jsonText(cell.ref)} <> '', false)`
  }
}

function isTextual(definition: AttributeDefinition): boolean {
  return ['string', 'reference', 'binary', 'dateTime'].includes(definition.type)
}

/** One value against a non-null operand, for `eq co sw ew gt ge lt le`; never NULL. */
function comparePositive(
  context: Context,
  cell: Cell,
  definition: AttributeDefinition,
  op: PositiveOperator,
  operand: string | number | boolean,
): Pred {
  const dialect = context.dialect
  if (cell.kind === 'opaque') {
    throw invalid(
      `"${cell.label}" cannot be used in a comparison: it is built from the request URL and ` +
        'not stored; filter on the id (or value) instead',
    )
  }
  switch (definition.type) {
    case 'boolean': {
      const expected = toBoolean(operand)
      if (expected === undefined || op !== 'eq') {
        throw invalid(`"${definition.name}" is a boolean: use eq, ne or pr`)
      }
      if (cell.kind === 'constant') return toBoolean(cell.value) === expected ? TRUE : FALSE
      const value = cell.kind === 'json' ? dialect.jsonBoolean(cell.ref) : cell.value
      return twoValued(cell, sql<SqlBool>`${value} = ${expected ? 1 : 0}`)
    }
    case 'integer':
    case 'decimal': {
      if (typeof operand !== 'number' || op === 'co' || op === 'sw' || op === 'ew') {
        throw invalid(
          `"${definition.name}" is a number: use eq, ne, gt, ge, lt, le or pr with a number`,
        )
      }
      if (cell.kind === 'constant') return FALSE
      const value = cell.kind === 'json' ? dialect.jsonNumber(cell.ref) : cell.value
      return twoValued(cell, sql<SqlBool>`${value} ${comparator(op)} ${operand}`)
    }
    case 'dateTime': {
      const instant = typeof operand === 'string' ? parseDateTime(operand) : undefined
      if (instant === undefined || op === 'co' || op === 'sw' || op === 'ew') {
        throw invalid(
          `"${definition.name}" is a dateTime: compare it with eq, ne, gt, ge, lt or le and a ` +
            'string such as "2011-05-13T04:42:34Z"',
        )
      }
      if (cell.kind === 'constant') {
        const value = parseDateTime(cell.value)
        return value !== undefined && order(value, instant, op) ? TRUE : FALSE
      }
      // Stored timestamps are ISO-8601 UTC with milliseconds, which order as text; the operand
      // is brought to the same form. Instants outside years 0000-9999 have no such form.
      const text = new Date(instant).toISOString()
      const value = cell.kind === 'json' ? dialect.jsonText(cell.ref) : cell.value
      if (!/^\d{4}-/.test(text)) {
        const afterAll = instant > 0
        const holds = op === 'eq' ? false : op === 'lt' || op === 'le' ? afterAll : !afterAll
        return holds ? twoValued(cell, sql<SqlBool>`${value} is not null`) : FALSE
      }
      return twoValued(cell, sql<SqlBool>`${value} ${comparator(op)} ${dialect.text(text)}`)
    }
    case 'complex':
      throw invalid(`"${definition.name}" is complex: filter on one of its sub-attributes`)
    case 'string':
    case 'reference':
    case 'binary': {
      if (typeof operand !== 'string') {
        throw invalid(`"${definition.name}" is a string: compare it with a "quoted string"`)
      }
      if (cell.kind === 'constant') {
        const fold = (text: string) => (definition.caseExact ? text : text.toLowerCase())
        return matchString(fold(cell.value), fold(operand), op) ? TRUE : FALSE
      }
      return twoValued(cell, compareText(context, cell, definition.caseExact, op, operand))
    }
  }
}

function compareText(
  context: Context,
  cell: Exclude<Cell, { kind: 'constant' } | { kind: 'opaque' }>,
  caseExact: boolean,
  op: PositiveOperator,
  operand: string,
): Pred {
  const dialect = context.dialect
  const stored = cell.kind === 'json' ? dialect.jsonText(cell.ref) : cell.value
  let value: Expr
  let needle: Expr
  let text = operand
  if (caseExact) {
    value = stored
    needle = dialect.text(operand)
  } else if (cell.kind === 'column' && cell.folded) {
    // The *_norm column holds the JS toLowerCase() of the value: fold the operand the same way
    // and compare to the column itself, so its index serves the lookup.
    text = normaliseName(operand)
    value = stored
    needle = dialect.text(text)
  } else {
    // lower() on both sides: the engine folds the value and the operand alike.
    value = dialect.lower(stored)
    needle = dialect.lower(dialect.text(operand))
  }
  switch (op) {
    case 'eq':
      return sql<SqlBool>`${value} = ${needle}`
    case 'co':
    case 'sw':
    case 'ew': {
      // Every string contains, starts and ends with "".
      if (text === '') return sql<SqlBool>`${value} is not null`
      const length = [...text].length
      if (op === 'co') return dialect.contains(value, needle)
      return op === 'sw'
        ? dialect.startsWith(value, needle, length)
        : dialect.endsWith(value, needle, length)
    }
    default:
      return sql<SqlBool>`${dialect.binary(value)} ${comparator(op)} ${needle}`
  }
}

/** Makes a comparison two-valued: false, never NULL, when the value is missing. */
function twoValued(cell: Cell, predicate: Pred): Pred {
  if (cell.kind === 'column' && cell.missing === 'never') return predicate
  if (cell.kind === 'column' && cell.missing === 'null') {
    // `col is not null and …` rather than coalesce(…): the column's index stays usable.
    return sql<SqlBool>`(${cell.value} is not null and ${predicate})`
  }
  return cell.kind === 'constant' || cell.kind === 'opaque'
    ? predicate
    : sql<SqlBool>`coalesce(${predicate}, false)`
}

function comparator(op: 'eq' | 'gt' | 'ge' | 'lt' | 'le'): RawBuilder<unknown> {
  switch (op) {
    case 'eq':
      return sql.raw('=')
    case 'gt':
      return sql.raw('>')
    case 'ge':
      return sql.raw('>=')
    case 'lt':
      return sql.raw('<')
    case 'le':
      return sql.raw('<=')
  }
}

function not(predicate: Pred): Pred {
  if (predicate === TRUE) return FALSE
  if (predicate === FALSE) return TRUE
  return sql<SqlBool>`(not (${predicate}))`
}

function and(left: Pred, right: Pred): Pred {
  if (left === TRUE) return right
  if (right === TRUE) return left
  return sql<SqlBool>`(${left} and ${right})`
}

// ---------------------------------------------------------------------------------------------
// Sorting

function sortValue(context: Context, cell: Cell, definition: AttributeDefinition): Expr {
  const dialect = context.dialect
  switch (cell.kind) {
    case 'constant':
      return dialect.text(cell.value)
    case 'opaque':
      return cell.sortAs
    case 'column':
      if (isTextual(definition) && definition.type !== 'dateTime') {
        const folded = definition.caseExact || cell.folded ? cell.value : dialect.lower(cell.value)
        return dialect.binary(folded)
      }
      return cell.value
    case 'json':
      switch (definition.type) {
        case 'boolean':
          return dialect.jsonBoolean(cell.ref)
        case 'integer':
        case 'decimal':
          return dialect.jsonNumber(cell.ref)
        case 'dateTime':
          return dialect.jsonText(cell.ref)
        default: {
          const text = dialect.jsonText(cell.ref)
          return dialect.binary(definition.caseExact ? text : dialect.lower(text))
        }
      }
  }
}

/** RFC 7644 §3.4.2.3: a multi-valued attribute sorts by its primary value, else its first. */
function firstValue(
  context: Context,
  resolved: ResolvedAttribute,
  compared: AttributeDefinition,
): Expr {
  const top = resolved.definition
  const dialect = context.dialect
  const rows = rowTableOf(context, resolved)
  if (rows !== undefined) {
    // groups and members have no primary: the first is the one the resource lists first.
    const alias = context.alias('gm')
    const ref = (name: string) => sql.ref(`${alias}.${name}`)
    const value = sortValue(context, rows.cell(alias, compared), compared)
    const tenant = sql.ref(`${context.row}.tenant_id`)
    const from = sql`${sql.table(rows.table)} as ${sql.id(alias)}`
    const owned = sql`${ref('tenant_id')} = ${tenant} and ${ref(rows.owner)} = ${sql.ref(rows.rowKey)}`
    const order = ref(rows.order)
    return sql`(select ${value} from ${from} where ${owned} and ${value} is not null order by ${order} limit 1)`
  }
  const alias = context.alias('e')
  const base: JsonBase = { kind: 'element', alias, column: context.doc }
  const element = jsonElement(context, top, base, [])
  const value = sortValue(context, element.cell(top.type === 'complex' ? compared : top), compared)
  const primary = resolveSubAttribute(top, 'primary')
  const primaryFirst =
    primary === undefined || primary.type !== 'boolean'
      ? sql``
      : sql`case when ${dialect.jsonBoolean({ base, path: [primary.name] })} = 1 then 0 else 1 end, `
  const elements = dialect.jsonElements(inDocument(context, documentPath(resolved)), alias)
  const position = dialect.jsonElementPosition(alias)
  const order = sql`${primaryFirst}${position}`
  return sql`(select ${value} from ${elements} where ${value} is not null order by ${order} limit 1)`
}

// ---------------------------------------------------------------------------------------------
// The evaluator's scalar rules, for values known when compiling (evaluate.ts keeps them private)

function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (typeof value !== 'string') return undefined
  const lower = value.toLowerCase()
  return lower === 'true' ? true : lower === 'false' ? false : undefined
}

/** Whether a string comparison (`ne` read as `eq`) holds for the value "", case-insensitively. */
function trueOnEmpty(op: CompareOperator, operand: FilterValue): boolean {
  if (typeof operand !== 'string') return false
  return matchString('', operand.toLowerCase(), op === 'ne' ? 'eq' : op)
}

function invalid(detail: string): ScimError {
  return ScimError.invalidFilter(detail)
}

function formatPath(path: AttributePath): string {
  const uri = path.uri === undefined ? '' : `${path.uri}:`
  const sub = path.sub === undefined ? '' : `.${path.sub}`
  return `${uri}${path.attr}${sub}`
}
