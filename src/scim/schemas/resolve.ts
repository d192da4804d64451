// Resolves attribute paths as clients write them (`[uri:]attr[.sub]`) against a resource type's
// schemas, case-insensitively (RFC 7643 §2.1), including the common attributes of RFC 7643 §3.1.

import type { AttributePath } from '../filter/ast.ts'
import { COMMON_ATTRIBUTES } from './common.ts'
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from './types.ts'

/** An attribute path resolved against a resource type. */
export interface ResolvedAttribute {
  /** The schema defining the attribute; the core schema for common attributes (id, meta, …). */
  readonly schemaUrn: string
  /** True when the attribute belongs to an extension schema (its JSON lives under the URN key). */
  readonly isExtension: boolean
  /** True for the common attributes of RFC 7643 §3.1, which no schema lists. */
  readonly isCommon: boolean
  /** The definition of the top-level attribute (`name` for `name.familyName`). */
  readonly definition: AttributeDefinition
  /** The definition of the sub-attribute, when the path names one. */
  readonly sub?: AttributeDefinition
  /**
   * The path with every name spelled as the schema does. `uri` is set exactly when
   * `isExtension` is true, mirroring the resource JSON (extension attributes sit under their URN).
   */
  readonly canonical: AttributePath
}

/** Options of {@link resolveAttributePath}. */
export interface ResolveOptions {
  /**
   * RFC 7644 §3.10 says clients MUST qualify extension attributes with their URN. By default an
   * unqualified name that only one extension defines (`manager`, `department`) still resolves,
   * after core and common attributes; set this to refuse it.
   */
  readonly requireExtensionUri?: boolean
}

const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase()

function findAttribute(
  attributes: readonly AttributeDefinition[],
  name: string,
): AttributeDefinition | undefined {
  return attributes.find((attribute) => sameName(attribute.name, name))
}

/**
 * Finds the schema (core or extension) of `resourceType` whose URN is `urn`, case-insensitively.
 * Use it to recognise a whole-extension key (`"urn:…:enterprise:2.0:User": {…}`) before
 * treating a string as an attribute path. Returns undefined for any other URN.
 */
export function findSchema(
  resourceType: ResourceTypeDefinition,
  urn: string,
): { readonly schema: SchemaDefinition; readonly isExtension: boolean } | undefined {
  if (sameName(resourceType.schema.id, urn)) {
    return { schema: resourceType.schema, isExtension: false }
  }
  const extension = resourceType.extensions.find((candidate) => sameName(candidate.schema.id, urn))
  return extension === undefined ? undefined : { schema: extension.schema, isExtension: true }
}

/**
 * Resolves the sub-attribute `name` of a complex attribute, case-insensitively: `type` of
 * `emails`, as written inside a value filter (`emails[type eq "work"]`) or after one (`].value`).
 * Returns undefined when `parent` has no sub-attributes or none of that name.
 */
export function resolveSubAttribute(
  parent: AttributeDefinition,
  name: string,
): AttributeDefinition | undefined {
  return parent.subAttributes === undefined ? undefined : findAttribute(parent.subAttributes, name)
}

/**
 * Resolves a client-written path against `resourceType` (RFC 7643 §2.1: names and URNs are
 * case-insensitive).
 *
 * - With `uri`: the core schema URN finds core and common attributes; an extension URN finds that
 *   extension's attributes only.
 * - Without `uri`: common attributes (id, externalId, meta), then core attributes, then (unless
 *   `requireExtensionUri`) the attribute of that name if exactly one extension defines it.
 * - With `sub`: the attribute must be complex and define that sub-attribute.
 *
 * Returns undefined when anything is unknown; callers choose the error (`invalidFilter` for
 * filters, `invalidPath`/`invalidSyntax` for PATCH and bodies). Never throws.
 */
export function resolveAttributePath(
  path: AttributePath,
  resourceType: ResourceTypeDefinition,
  options: ResolveOptions = {},
): ResolvedAttribute | undefined {
  const top = resolveTopLevel(path, resourceType, options)
  if (top === undefined) return undefined
  const { schema, isExtension, isCommon, definition } = top
  const base = {
    schemaUrn: schema.id,
    isExtension,
    isCommon,
    definition,
  }
  const canonicalUri = isExtension ? { uri: schema.id } : {}
  if (path.sub === undefined) {
    return { ...base, canonical: { ...canonicalUri, attr: definition.name } }
  }
  const sub = resolveSubAttribute(definition, path.sub)
  if (sub === undefined) return undefined
  return { ...base, sub, canonical: { ...canonicalUri, attr: definition.name, sub: sub.name } }
}

interface TopLevel {
  readonly schema: SchemaDefinition
  readonly isExtension: boolean
  readonly isCommon: boolean
  readonly definition: AttributeDefinition
}

function resolveTopLevel(
  path: AttributePath,
  resourceType: ResourceTypeDefinition,
  options: ResolveOptions,
): TopLevel | undefined {
  const core = resourceType.schema
  if (path.uri !== undefined) {
    const found = findSchema(resourceType, path.uri)
    if (found === undefined) return undefined
    if (found.isExtension) {
      const definition = findAttribute(found.schema.attributes, path.attr)
      return definition === undefined
        ? undefined
        : { schema: found.schema, isExtension: true, isCommon: false, definition }
    }
    return resolveCore(core, path.attr)
  }
  const inCore = resolveCore(core, path.attr)
  if (inCore !== undefined || options.requireExtensionUri === true) return inCore
  const matches: TopLevel[] = []
  for (const extension of resourceType.extensions) {
    const definition = findAttribute(extension.schema.attributes, path.attr)
    if (definition !== undefined) {
      matches.push({ schema: extension.schema, isExtension: true, isCommon: false, definition })
    }
  }
  return matches.length === 1 ? matches[0] : undefined
}

function resolveCore(core: SchemaDefinition, attr: string): TopLevel | undefined {
  const common = findAttribute(COMMON_ATTRIBUTES, attr)
  if (common !== undefined) {
    return { schema: core, isExtension: false, isCommon: true, definition: common }
  }
  const definition = findAttribute(core.attributes, attr)
  return definition === undefined
    ? undefined
    : { schema: core, isExtension: false, isCommon: false, definition }
}

/**
 * Splits a raw path string into `{ uri?, attr, sub? }` without consulting any schema.
 * The LAST `:` separates the schema URN from the attribute, so the dots of `2.0` are never
 * path separators (Entra quirk, ssoready/ssoready#167):
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`
 *   -> { uri: 'urn:…:enterprise:2.0:User', attr: 'manager', sub: 'value' }.
 * `name.familyName` -> { attr: 'name', sub: 'familyName' }.
 *
 * Returns undefined when a part is empty or there is more than one `.` after the URN.
 * A bare schema URN (`urn:…:enterprise:2.0:User`) splits into a wrong path: check it with
 * {@link findSchema} first.
 */
export function splitUrnPath(raw: string): AttributePath | undefined {
  const colon = raw.lastIndexOf(':')
  const uri = colon === -1 ? undefined : raw.slice(0, colon)
  const rest = colon === -1 ? raw : raw.slice(colon + 1)
  if (uri === '') return undefined
  const parts = rest.split('.')
  const [attr, sub] = parts
  if (parts.length > 2 || attr === undefined || attr === '' || sub === '') return undefined
  return {
    ...(uri === undefined ? {} : { uri }),
    attr,
    ...(sub === undefined ? {} : { sub }),
  }
}
