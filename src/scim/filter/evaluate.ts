// Reference evaluator of RFC 7644 §3.4.2.2 filters over SCIM resource JSON. The database runs
// filters in production (store/sql/filter/); this defines the semantics both must agree on.

import { ScimError } from '../errors.ts'
import { resolveAttributePath, resolveSubAttribute } from '../schemas/resolve.ts'
import type { ResolvedAttribute } from '../schemas/resolve.ts'
import type { AttributeDefinition, ResourceTypeDefinition } from '../schemas/types.ts'
import type { AttributePath, CompareOperator, Filter, FilterValue } from './ast.ts'

type Json = Readonly<Record<string, unknown>>
type Predicate = (subject: Json) => boolean

/**
 * True when `resource` matches `filter` (RFC 7644 §3.4.2.2). The resource is SCIM JSON: core
 * and common attributes at the top level, extension attributes under their schema URN key.
 *
 * Semantics, shared with the SQL compiler:
 * - Names resolve case-insensitively (RFC 7643 §2.1); `caseExact: false` attributes compare
 *   case-insensitively for every operator (`userName`), `caseExact: true` ones exactly (`id`,
 *   `externalId`).
 * - A multi-valued attribute matches when ANY value matches. A complex attribute without a
 *   sub-attribute (`emails co "x"`, `manager eq "id"`) compares its `value` sub-attribute.
 * - `ne` is the negation of `eq`: true when no value equals, so true on a missing attribute.
 * - `eq null` is true when the attribute is absent, `ne null` when it is present; other
 *   operators reject `null`.
 * - `pr`: present and neither null, `""`, `[]` nor a complex value without any present
 *   sub-attribute.
 * - Strings: `co`/`sw`/`ew` substring tests, `gt`/`ge`/`lt`/`le` by UTF-16 code units.
 *   dateTime: compared as instants, the operand must be an xsd:dateTime (or a date) string;
 *   `co`/`sw`/`ew` are refused. Numbers (integer, decimal): numerically; `co`/`sw`/`ew` refused.
 * - Booleans: `eq`/`ne` only (ordering is invalidFilter, RFC 7644 §3.4.2.2). The operand may be
 *   `true`/`false` or, for Entra (`roles[primary eq "True"]`), the strings "true"/"false" in any
 *   case; stored strings "True"/"False" are read the same way. Binary: no ordering either.
 * - An operand of the wrong JSON type (`userName eq 1`) is invalidFilter.
 * - Attributes that are never returned (`password`) cannot be filtered on.
 *
 * @throws ScimError invalidFilter naming the attribute, for an attribute unknown to
 *   `resourceType` (interop profile §6.3) or an operator/operand the attribute's type refuses.
 */
export function matchesFilter(
  filter: Filter,
  resource: Record<string, unknown>,
  resourceType: ResourceTypeDefinition,
): boolean {
  return compile(filter, { kind: 'resource', resourceType })(resource)
}

/**
 * Checks `filter` against `resourceType` without evaluating it: the checks of
 * {@link matchesFilter}, for use before compiling a filter to SQL.
 *
 * @throws ScimError invalidFilter for unknown attributes and invalid operator/type combinations.
 */
export function validateFilter(filter: Filter, resourceType: ResourceTypeDefinition): void {
  compile(filter, { kind: 'resource', resourceType })
}

/**
 * True when one element of a multi-valued complex attribute (an object such as
 * `{ "type": "work", "value": "a@x" }`) matches a value filter whose paths are relative to the
 * element (`type eq "work"`), as in PATCH paths `emails[type eq "work"].value`. Same semantics
 * as {@link matchesFilter}; `parentDefinition` is the complex attribute (`emails`).
 *
 * @throws ScimError invalidFilter for a sub-attribute `parentDefinition` does not define, or an
 *   invalid operator/type combination, whatever the element holds.
 */
export function matchesValueFilter(
  filter: Filter,
  element: Record<string, unknown>,
  parentDefinition: AttributeDefinition,
): boolean {
  return compile(filter, { kind: 'element', parent: parentDefinition })(element)
}

/**
 * {@link matchesValueFilter} compiled once, to test many elements: resolving the filter's
 * attributes costs far more than testing one element (a PATCH filter over thousands of emails).
 *
 * @throws ScimError invalidFilter as {@link matchesValueFilter} does.
 */
export function valueFilterPredicate(
  filter: Filter,
  parentDefinition: AttributeDefinition,
): (element: Record<string, unknown>) => boolean {
  return compile(filter, { kind: 'element', parent: parentDefinition })
}

/**
 * Checks a value filter against the complex attribute it applies to, without evaluating it;
 * use when the attribute may have no elements (so {@link matchesValueFilter} is never called).
 *
 * @throws ScimError invalidFilter as {@link matchesValueFilter} does.
 */
export function validateValueFilter(filter: Filter, parentDefinition: AttributeDefinition): void {
  compile(filter, { kind: 'element', parent: parentDefinition })
}

type Scope =
  | { readonly kind: 'resource'; readonly resourceType: ResourceTypeDefinition }
  | { readonly kind: 'element'; readonly parent: AttributeDefinition }

/** An attribute a comparison reads, and how to collect its values from a subject. */
interface Target {
  readonly label: string
  /** The attribute compared: the sub-attribute, or `value` of a complex attribute, or itself. */
  readonly compared: AttributeDefinition
  /** Values for comparisons (via `value` for complex attributes), nulls removed. */
  readonly values: (subject: Json) => unknown[]
  /** Values for `pr` (whole elements of complex attributes). */
  readonly present: (subject: Json) => unknown[]
}

// Recursion follows the AST, whose depth the parser bounds (maxDepth, maxTerms).
function compile(filter: Filter, scope: Scope): Predicate {
  switch (filter.kind) {
    case 'and': {
      const left = compile(filter.left, scope)
      const right = compile(filter.right, scope)
      return (subject) => left(subject) && right(subject)
    }
    case 'or': {
      const left = compile(filter.left, scope)
      const right = compile(filter.right, scope)
      return (subject) => left(subject) || right(subject)
    }
    case 'not': {
      const inner = compile(filter.filter, scope)
      return (subject) => !inner(subject)
    }
    case 'present': {
      const target = resolveTarget(filter.path, scope)
      return (subject) => target.present(subject).some(isPresent)
    }
    case 'compare':
      return compileComparison(resolveTarget(filter.path, scope), filter.op, filter.value)
    case 'valuePath':
      return compileValuePath(filter.path, filter.filter, scope)
  }
}

function compileValuePath(path: AttributePath, inner: Filter, scope: Scope): Predicate {
  const label = formatPath(path)
  if (scope.kind === 'element') {
    throw ScimError.invalidFilter(`nested value filter "${label}[…]": value filters cannot nest`)
  }
  const resolved = resolveOrThrow(path, scope.resourceType)
  if (resolved.sub !== undefined || resolved.definition.type !== 'complex') {
    throw ScimError.invalidFilter(
      `"${label}[…]": a value filter applies to a complex attribute such as emails or members`,
    )
  }
  const elementMatches = compile(inner, { kind: 'element', parent: resolved.definition })
  return (subject) =>
    topValues(subject, resolved).some((element) => isObject(element) && elementMatches(element))
}

function resolveTarget(path: AttributePath, scope: Scope): Target {
  const label = formatPath(path)
  if (scope.kind === 'element') {
    const parent = scope.parent
    const sub =
      path.uri === undefined && path.sub === undefined
        ? resolveSubAttribute(parent, path.attr)
        : undefined
    if (sub === undefined) {
      throw ScimError.invalidFilter(
        `unknown attribute "${label}" in the value filter of "${parent.name}": expected one of its sub-attributes (${subAttributeNames(parent)})`,
      )
    }
    refuseNeverReturned(sub, label)
    const read = (subject: Json): unknown[] => withoutNull([getProperty(subject, sub.name)])
    return { label, compared: sub, values: read, present: read }
  }
  const resolved = resolveOrThrow(path, scope.resourceType)
  const leaf = resolved.sub ?? resolved.definition
  refuseNeverReturned(leaf, label)
  const present = (subject: Json): unknown[] => {
    const tops = topValues(subject, resolved)
    const sub = resolved.sub
    return sub === undefined ? tops : withoutNull(tops.map((top) => childOf(top, sub.name)))
  }
  const value = leaf.type === 'complex' ? resolveSubAttribute(leaf, 'value') : undefined
  if (value === undefined) return { label, compared: leaf, values: present, present }
  const values = (subject: Json): unknown[] =>
    withoutNull(topValues(subject, resolved).map((top) => childOf(top, value.name)))
  return { label, compared: value, values, present }
}

function resolveOrThrow(
  path: AttributePath,
  resourceType: ResourceTypeDefinition,
): ResolvedAttribute {
  const resolved = resolveAttributePath(path, resourceType)
  if (resolved === undefined) {
    throw ScimError.invalidFilter(
      `unknown attribute "${formatPath(path)}" in filter: ${resourceType.name} resources have no such attribute (see /Schemas)`,
    )
  }
  return resolved
}

function refuseNeverReturned(definition: AttributeDefinition, label: string): void {
  // RFC 7643 §7 lets a provider refuse filters on returned:never attributes; passwords are hashed.
  if (definition.returned === 'never') {
    throw ScimError.invalidFilter(`"${label}" cannot be used in a filter`)
  }
}

/** The values of a top-level attribute: the elements of a multi-valued one, else itself. */
function topValues(subject: Json, resolved: ResolvedAttribute): unknown[] {
  const container = resolved.isExtension ? getProperty(subject, resolved.schemaUrn) : subject
  const value = isObject(container) ? getProperty(container, resolved.definition.name) : undefined
  return withoutNull(Array.isArray(value) ? value : [value])
}

function childOf(value: unknown, name: string): unknown {
  return isObject(value) ? getProperty(value, name) : undefined
}

function compileComparison(target: Target, op: CompareOperator, operand: FilterValue): Predicate {
  if (operand === null) {
    if (op !== 'eq' && op !== 'ne') {
      throw ScimError.invalidFilter(`${target.label} ${op} null: only eq and ne compare with null`)
    }
    const negate = op === 'eq'
    return (subject) => target.present(subject).some(isPresent) !== negate
  }
  const test = compileTest(target, op === 'ne' ? 'eq' : op, operand)
  if (op === 'ne') return (subject) => !target.values(subject).some(test)
  return (subject) => target.values(subject).some(test)
}

type Test = (candidate: unknown) => boolean
/** The comparison operators other than `ne` (which is "not eq"). */
export type PositiveOperator = Exclude<CompareOperator, 'ne'>

const ORDERING: ReadonlySet<CompareOperator> = new Set(['gt', 'ge', 'lt', 'le'])

function compileTest(
  target: Target,
  op: PositiveOperator,
  operand: Exclude<FilterValue, null>,
): Test {
  const { label, compared } = target
  const refuse = (why: string): never => {
    throw ScimError.invalidFilter(`${label} ${op} ${JSON.stringify(operand)}: ${why}`)
  }
  switch (compared.type) {
    case 'complex':
      return refuse(
        `${label} is complex: filter on one of its sub-attributes (${subAttributeNames(compared)})`,
      )
    case 'boolean': {
      if (op !== 'eq') return refuse(`${label} is a boolean: use eq, ne or pr`)
      const expected = toBoolean(operand)
      if (expected === undefined) {
        return refuse(`${label} is a boolean: compare it with true or false`)
      }
      return (candidate) => toBoolean(candidate) === expected
    }
    case 'integer':
    case 'decimal': {
      if (typeof operand !== 'number') {
        return refuse(`${label} is a number: compare it with a number`)
      }
      if (op === 'co' || op === 'sw' || op === 'ew') {
        return refuse(`${label} is a number: use eq, ne, gt, ge, lt, le or pr`)
      }
      return (candidate) => typeof candidate === 'number' && order(candidate, operand, op)
    }
    case 'dateTime': {
      if (op === 'co' || op === 'sw' || op === 'ew') {
        return refuse(`${label} is a dateTime: use eq, ne, gt, ge, lt, le or pr`)
      }
      const instant = typeof operand === 'string' ? parseDateTime(operand) : undefined
      if (instant === undefined) {
        return refuse(
          `${label} is a dateTime: compare it with a string such as "2011-05-13T04:42:34Z"`,
        )
      }
      return (candidate) => {
        const value = typeof candidate === 'string' ? parseDateTime(candidate) : undefined
        return value !== undefined && order(value, instant, op)
      }
    }
    case 'string':
    case 'reference':
    case 'binary': {
      if (typeof operand !== 'string') {
        return refuse(`${label} is a ${compared.type}: compare it with a "quoted string"`)
      }
      if (compared.type === 'binary' && ORDERING.has(op)) {
        return refuse(`${label} is binary: it has no order (RFC 7644 §3.4.2.2)`)
      }
      const fold = compared.caseExact
        ? (text: string) => text
        : (text: string) => text.toLowerCase()
      const expected = fold(operand)
      return (candidate) =>
        typeof candidate === 'string' && matchString(fold(candidate), expected, op)
    }
  }
}

/** String comparison of RFC 7644 §3.4.2.2 on already case-folded operands. */
export function matchString(value: string, operand: string, op: PositiveOperator): boolean {
  switch (op) {
    case 'co':
      return value.includes(operand)
    case 'sw':
      return value.startsWith(operand)
    case 'ew':
      return value.endsWith(operand)
    default:
      return order(value, operand, op)
  }
}

/** Equality and ordering of two numbers or two strings. */
export function order<T extends number | string>(
  value: T,
  operand: T,
  op: 'eq' | 'gt' | 'ge' | 'lt' | 'le',
): boolean {
  switch (op) {
    case 'eq':
      return value === operand
    case 'gt':
      return value > operand
    case 'ge':
      return value >= operand
    case 'lt':
      return value < operand
    case 'le':
      return value <= operand
  }
}

// Entra sends booleans as "True"/"False" (entra-provisioning.md §3.9, §4 item 4).
function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (typeof value !== 'string') return undefined
  const lower = value.toLowerCase()
  return lower === 'true' ? true : lower === 'false' ? false : undefined
}

// xsd:dateTime (RFC 7643 §2.3.5), or a bare date; a missing zone is read as UTC.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/i

/** An xsd:dateTime (or bare date) as epoch milliseconds, or undefined when it is not one. */
export function parseDateTime(text: string): number | undefined {
  const match = DATE_TIME.exec(text)
  if (match === null) return undefined
  const hasTime = text.length > 10
  const normalized = hasTime && match[1] === undefined ? `${text}Z` : text
  const instant = Date.parse(normalized)
  return Number.isNaN(instant) ? undefined : instant
}

function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false
  if (Array.isArray(value)) return value.some(isPresent)
  if (isObject(value)) return Object.values(value).some(isPresent)
  return true
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function withoutNull(values: readonly unknown[]): unknown[] {
  return values.filter((value) => value !== undefined && value !== null)
}

/** Reads `name` from an object, exactly first, else case-insensitively (RFC 7643 §2.1). */
function getProperty(object: Json, name: string): unknown {
  if (Object.hasOwn(object, name)) return object[name]
  const lower = name.toLowerCase()
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === lower)
  return key === undefined ? undefined : object[key]
}

function subAttributeNames(definition: AttributeDefinition): string {
  return (definition.subAttributes ?? []).map((sub) => sub.name).join(', ')
}

function formatPath(path: AttributePath): string {
  const uri = path.uri === undefined ? '' : `${path.uri}:`
  const sub = path.sub === undefined ? '' : `.${path.sub}`
  return `${uri}${path.attr}${sub}`
}
