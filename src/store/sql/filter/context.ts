// The state and small helpers shared by the SCIM filter and sortBy compilers (RFC 7644 §3.4.2.2,
// §3.4.2.3): the resource being queried, its FROM alias, fresh subquery aliases, two-valued logic.
import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { ScimError } from '../../../scim/errors.ts'
import type { AttributePath, CompareOperator, FilterValue } from '../../../scim/filter/ast.ts'
import { matchString } from '../../../scim/filter/evaluate.ts'
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../../../scim/schemas/index.ts'
import { resolveAttributePath, resolveSubAttribute } from '../../../scim/schemas/resolve.ts'
import type { ResolvedAttribute } from '../../../scim/schemas/resolve.ts'
import type { AttributeDefinition, ResourceTypeDefinition } from '../../../scim/schemas/types.ts'
import { GROUP_COLUMNS, USER_COLUMNS, type ResourceColumns } from '../columns.ts'
import type { SqlDialect } from './sql-dialect.ts'

export type Pred = RawBuilder<SqlBool>
export type Expr = RawBuilder<unknown>
export type Target = 'User' | 'Group'

export const TRUE: Pred = sql<SqlBool>`true`
export const FALSE: Pred = sql<SqlBool>`false`

export interface Context {
  readonly dialect: SqlDialect
  readonly target: Target
  readonly resourceType: ResourceTypeDefinition
  /** The resource table's columns (columns.ts); its alias (`u` or `g`) is the FROM clause's. */
  readonly table: ResourceColumns
  /** A column of the resource row, qualified by the row alias. */
  col(name: string): Expr
  /** The document column of the resource row. */
  readonly doc: Expr
  /** A fresh alias for a subquery, unique within the compiled statement. */
  alias(prefix: string): string
}

export function createContext(target: Target, dialect: SqlDialect): Context {
  let next = 0
  const table: ResourceColumns = target === 'User' ? USER_COLUMNS : GROUP_COLUMNS
  const col = (name: string) => sql.ref(`${table.alias}.${name}`)
  return {
    dialect,
    target,
    resourceType: target === 'User' ? USER_RESOURCE_TYPE : GROUP_RESOURCE_TYPE,
    table,
    col,
    doc: col(table.document),
    alias: (prefix) => `${prefix}${++next}`,
  }
}

/** The attribute a comparison reads: the sub-attribute, `value` of a complex one, or itself. */
export function comparedDefinition(resolved: ResolvedAttribute): AttributeDefinition | undefined {
  if (resolved.sub !== undefined) return resolved.sub
  const top = resolved.definition
  return top.type === 'complex' ? resolveSubAttribute(top, 'value') : top
}

export function resolveOrThrow(context: Context, path: AttributePath): ResolvedAttribute {
  const resolved = resolveAttributePath(path, context.resourceType)
  if (resolved === undefined) {
    throw invalid(
      `unknown attribute "${formatPath(path)}" in filter: ` +
        `${context.resourceType.name} resources have no such attribute (see /Schemas)`,
    )
  }
  return resolved
}

export function not(predicate: Pred): Pred {
  if (predicate === TRUE) return FALSE
  if (predicate === FALSE) return TRUE
  return sql<SqlBool>`(not (${predicate}))`
}

export function and(left: Pred, right: Pred): Pred {
  if (left === TRUE) return right
  if (right === TRUE) return left
  return sql<SqlBool>`(${left} and ${right})`
}

// The evaluator's scalar rules, for values known when compiling (evaluate.ts keeps them private).

export function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (typeof value !== 'string') return undefined
  const lower = value.toLowerCase()
  return lower === 'true' ? true : lower === 'false' ? false : undefined
}

/** Whether a string comparison (`ne` read as `eq`) holds for the value "", case-insensitively. */
export function trueOnEmpty(op: CompareOperator, operand: FilterValue): boolean {
  if (typeof operand !== 'string') return false
  return matchString('', operand.toLowerCase(), op === 'ne' ? 'eq' : op)
}

export function invalid(detail: string): ScimError {
  return ScimError.invalidFilter(detail)
}

export function formatPath(path: AttributePath): string {
  const uri = path.uri === undefined ? '' : `${path.uri}:`
  const sub = path.sub === undefined ? '' : `.${path.sub}`
  return `${uri}${path.attr}${sub}`
}
