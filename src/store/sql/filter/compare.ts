// Comparisons of one stored value with a filter operand (RFC 7644 §3.4.2.2), with the reference
// evaluator's semantics (scim/filter/evaluate.ts): two-valued, typed by the attribute's schema.
import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { matchString, order, parseDateTime } from '../../../scim/filter/evaluate.ts'
import type { PositiveOperator } from '../../../scim/filter/evaluate.ts'
import type { AttributeDefinition } from '../../../scim/schemas/types.ts'
import { foldName } from '../columns.ts'
import type { Cell } from './cells.ts'
import { FALSE, TRUE, invalid, toBoolean, type Context, type Expr, type Pred } from './context.ts'

/** `pr` of one value (RFC 7644 §3.4.2.2, as the evaluator's isPresent). */
export function present(context: Context, cell: Cell, definition: AttributeDefinition): Pred {
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

export function isTextual(definition: AttributeDefinition): boolean {
  return ['string', 'reference', 'binary', 'dateTime'].includes(definition.type)
}

/** One value against a non-null operand, for `eq co sw ew gt ge lt le`; never NULL. */
export function comparePositive(
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
    text = foldName(operand)
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
