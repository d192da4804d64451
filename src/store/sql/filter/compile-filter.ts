// SCIM filters (RFC 7644 §3.4.2.2) compiled to parameterised SQL over the directory tables, with
// the semantics of the reference evaluator (scim/filter/evaluate.ts), the tables and columns of
// the column map (../columns.ts) and the engine's capabilities (sql-dialect.ts).
import { sql, type RawBuilder, type SqlBool } from 'kysely'
import type {
  AttributePath,
  CompareOperator,
  Filter,
  FilterValue,
} from '../../../scim/filter/ast.ts'
import { validateFilter } from '../../../scim/filter/evaluate.ts'
import { resolveSubAttribute } from '../../../scim/schemas/resolve.ts'
import type { AttributeDefinition } from '../../../scim/schemas/types.ts'
import {
  cellInComplex,
  collectionOf,
  presentComplex,
  resourceCell,
  type Cell,
  type ElementScope,
  type Scope,
} from './cells.ts'
import { comparePositive, present } from './compare.ts'
import {
  and,
  comparedDefinition,
  createContext,
  formatPath,
  invalid,
  not,
  resolveOrThrow,
  type Context,
  type Pred,
  type Target,
} from './context.ts'
import type { SqlDialect } from './sql-dialect.ts'

/**
 * Compiles `filter` into a WHERE predicate over `tenant_users AS u` (target `User`) or
 * `groups AS g` (target `Group`). The caller adds the tenant condition (`u.tenant_id = ?`).
 *
 * - Attribute names are resolved against the resource type's schemas first (RFC 7643 §2.1,
 *   case-insensitive); only schema-spelled names reach the SQL, every filter value is a bound
 *   parameter.
 * - Semantics are those of the reference evaluator (`matchesFilter`): any-value matching on
 *   multi-valued attributes, `ne` as the negation of `eq` (true on a missing attribute), `eq null`
 *   as "not present", caseExact from the schema, dateTime compared as instants, Entra's string
 *   booleans.
 * - The predicate is two-valued: it is never SQL NULL, so `not (…)` and `ne` behave on missing
 *   values exactly as the evaluator does.
 * - Index-backed forms, from the column map (../columns.ts): `userName`/`displayName` compare
 *   against the folded *_norm columns, `id`/`externalId` against their columns,
 *   `meta.created`/`meta.lastModified` against the timestamp columns, `emails.value` and
 *   `emails[…value…]` through `user_emails(tenant_id, value_norm)`, `members`/`groups` through
 *   `group_members`.
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
