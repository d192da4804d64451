// Filters of queries at the service root (RFC 7644 §3.4.2.1), which span every resource type: the
// part of the filter that applies to one type, where attributes of other types are absent.

import { ScimError } from '../errors.ts'
import { resolveAttributePath } from '../schemas/resolve.ts'
import type { ResourceTypeDefinition } from '../schemas/types.ts'
import type { AttributePath, Filter } from './ast.ts'
import { validateFilter } from './evaluate.ts'

/** What a root query's filter asks of one resource type. */
export type TypeFilter =
  | { readonly kind: 'all' }
  | { readonly kind: 'none' }
  | { readonly kind: 'filter'; readonly filter: Filter }

/**
 * Splits a root query's filter into one filter per resource type, in the order given.
 *
 * RFC 7644 §3.4.2.1 includes every resource in a root query, "subject to filtering", and
 * §3.4.2.2 evaluates a filter against each resource's own attributes. An attribute that a type
 * does not define (`userName` for a Group, `members` for a User) is simply absent from its
 * resources, so each comparison on it takes the value the evaluator gives an absent attribute:
 * `eq`/`co`/`sw`/`ew`/`gt`/`ge`/`lt`/`le`, `pr` and value paths are false, `ne` is true,
 * `eq null` true and `ne null` false. `userName eq "x"` thus matches Users only, `members pr`
 * Groups only, `displayName co "a"` both, `not (userName pr)` every Group. A type whose filter
 * folds to false gets `none` (no query needed), to true `all`.
 *
 * @throws ScimError invalidFilter for an attribute that none of `resourceTypes` defines (as on a
 *   resource-type endpoint, interop profile §6.3), for `gt null` and the like, and for what
 *   {@link validateFilter} refuses in a type's filter (an operator the attribute's type refuses).
 */
export function filtersForResourceTypes(
  filter: Filter,
  resourceTypes: readonly ResourceTypeDefinition[],
): TypeFilter[] {
  refuseUnknownAttributes(filter, resourceTypes)
  return resourceTypes.map((resourceType) => {
    const narrowed = narrow(filter, resourceType)
    if (narrowed === true) return { kind: 'all' }
    if (narrowed === false) return { kind: 'none' }
    validateFilter(narrowed, resourceType)
    return { kind: 'filter', filter: narrowed }
  })
}

/**
 * Whether `resourceType` defines the top-level attribute of `path`. Sub-attributes are left to
 * the type's own validation: `name.nope` is an error, not an absent attribute.
 */
export function definesAttribute(
  path: AttributePath,
  resourceType: ResourceTypeDefinition,
): boolean {
  const top = path.uri === undefined ? { attr: path.attr } : { uri: path.uri, attr: path.attr }
  return resolveAttributePath(top, resourceType) !== undefined
}

function refuseUnknownAttributes(
  filter: Filter,
  resourceTypes: readonly ResourceTypeDefinition[],
): void {
  switch (filter.kind) {
    case 'and':
    case 'or':
      refuseUnknownAttributes(filter.left, resourceTypes)
      refuseUnknownAttributes(filter.right, resourceTypes)
      return
    case 'not':
      refuseUnknownAttributes(filter.filter, resourceTypes)
      return
    case 'compare':
    case 'present':
    case 'valuePath':
      if (!resourceTypes.some((resourceType) => definesAttribute(filter.path, resourceType))) {
        const names = resourceTypes.map((resourceType) => resourceType.name).join(', ')
        throw ScimError.invalidFilter(
          `unknown attribute "${formatPath(filter.path)}" in filter: no resource type (${names}) ` +
            'has such an attribute (see /Schemas)',
        )
      }
  }
}

// Recursion follows the AST, whose depth the parser bounds (maxDepth, maxTerms).
function narrow(filter: Filter, resourceType: ResourceTypeDefinition): Filter | boolean {
  switch (filter.kind) {
    case 'and': {
      const left = narrow(filter.left, resourceType)
      const right = narrow(filter.right, resourceType)
      if (left === false || right === false) return false
      if (left === true) return right
      if (right === true) return left
      return { kind: 'and', left, right }
    }
    case 'or': {
      const left = narrow(filter.left, resourceType)
      const right = narrow(filter.right, resourceType)
      if (left === true || right === true) return true
      if (left === false) return right
      if (right === false) return left
      return { kind: 'or', left, right }
    }
    case 'not': {
      const inner = narrow(filter.filter, resourceType)
      return typeof inner === 'boolean' ? !inner : { kind: 'not', filter: inner }
    }
    case 'present':
    case 'valuePath':
      return definesAttribute(filter.path, resourceType) ? filter : false
    case 'compare': {
      if (definesAttribute(filter.path, resourceType)) return filter
      if (filter.value === null) {
        if (filter.op === 'eq') return true
        if (filter.op === 'ne') return false
        throw ScimError.invalidFilter(
          `${formatPath(filter.path)} ${filter.op} null: only eq and ne compare with null`,
        )
      }
      return filter.op === 'ne'
    }
  }
}

function formatPath(path: AttributePath): string {
  const name = path.sub === undefined ? path.attr : `${path.attr}.${path.sub}`
  return path.uri === undefined ? name : `${path.uri}:${name}`
}
