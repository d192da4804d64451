// SCIM sortBy (RFC 7644 §3.4.2.3) compiled to an ORDER BY key over the directory tables, with the
// order of the reference evaluator: primary (else first) value, case folding from the schema.
import { sql } from 'kysely'
import { ScimError } from '../../../scim/errors.ts'
import type { AttributePath } from '../../../scim/filter/ast.ts'
import { resolveAttributePath, resolveSubAttribute } from '../../../scim/schemas/resolve.ts'
import type { ResolvedAttribute } from '../../../scim/schemas/resolve.ts'
import type { AttributeDefinition } from '../../../scim/schemas/types.ts'
import {
  cellInComplex,
  documentPath,
  inDocument,
  jsonElement,
  resourceCell,
  rowTableOf,
  type Cell,
} from './cells.ts'
import { isTextual } from './compare.ts'
import {
  comparedDefinition,
  createContext,
  formatPath,
  type Context,
  type Expr,
  type Target,
} from './context.ts'
import type { JsonBase, SqlDialect } from './sql-dialect.ts'

/**
 * Compiles a `sortBy` attribute (RFC 7644 §3.4.2.3) into an ORDER BY key for the same FROM
 * clause as `compileFilter` (compile-filter.ts). Multi-valued attributes sort by the primary
 * value, else the first; complex attributes by their `value`; caseExact=false strings by their
 * lower-cased form; strings by code point on both engines. Rows without a value get NULL (placed
 * by the engine).
 *
 * @throws ScimError invalidValue when the path is unknown, complex without `value`, or never
 *   returned (`password`).
 */
export function compileSortKey(path: AttributePath, target: Target, dialect: SqlDialect): Expr {
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
    const tenant = context.col(context.table.tenant)
    const from = sql`${sql.table(rows.table)} as ${sql.id(alias)}`
    const owned = sql`${ref(rows.tenant)} = ${tenant} and ${ref(rows.owner)} = ${rows.rowKey}`
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
