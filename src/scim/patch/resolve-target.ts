// Resolves what a PATCH operation names (RFC 7644 §3.5.2, §3.10): `schemas`, a whole extension,
// an attribute or sub-attribute, or the values a filter selects (`emails[type eq "work"].value`).

import { ScimError } from '../errors.ts'
import type { Filter, PatchPath } from '../filter/ast.ts'
import { validateValueFilter } from '../filter/evaluate.ts'
import { parsePatchPath } from '../filter/parser.ts'
import { findSchema, resolveAttributePath, resolveSubAttribute } from '../schemas/resolve.ts'
import type { ResolvedAttribute } from '../schemas/resolve.ts'
import type {
  AttributeDefinition,
  ResourceTypeDefinition,
  SchemaDefinition,
} from '../schemas/types.ts'
import { sameName } from './document.ts'
import type { State } from './patch-state.ts'

/** Where an operation lands, once its path is resolved. */
export type Target =
  | { readonly kind: 'schemas'; readonly label: string }
  | { readonly kind: 'extension'; readonly schema: SchemaDefinition; readonly label: string }
  | {
      readonly kind: 'attribute'
      readonly resolved: ResolvedAttribute
      readonly filter?: Filter
      /** The sub-attribute after a value filter (`].value`). */
      readonly filterSub?: AttributeDefinition
      readonly label: string
    }

/** A target that is an attribute, a sub-attribute or filtered values. */
export type AttributeTarget = Extract<Target, { kind: 'attribute' }>

/** How a target was named: by an operation's `path`, or by a key of a path-less value. */
export type Origin = 'path' | 'pathless'

/**
 * Resolves an operation's `path` (or a key of a path-less value) against the resource type.
 * Extension attributes need their URN in strict mode (RFC 7644 §3.10).
 *
 * @throws ScimError invalidPath for a malformed or unknown path, the core schema URN, a filter on
 *   an attribute that is not multi-valued complex; invalidSyntax for an unknown key of a path-less
 *   value; invalidFilter for a filter naming an unknown sub-attribute.
 */
export function resolveTarget(text: string, origin: Origin, state: State): Target {
  const { resourceType, quirks } = state
  const label = text.trim()
  const schema = findSchema(resourceType, label)
  if (schema !== undefined) {
    if (schema.isExtension) return { kind: 'extension', schema: schema.schema, label }
    throw ScimError.invalidPath(
      `"${label}" names the whole ${resourceType.name}; name one of its attributes instead.`,
    )
  }
  const parsed = origin === 'path' ? parsePatchPath(label) : parseValueKey(label, resourceType)
  const { uri, attr, sub } = parsed.path
  if (uri === undefined && sub === undefined && sameName(attr, 'schemas')) {
    if (parsed.filter !== undefined || parsed.sub !== undefined) {
      throw ScimError.invalidPath(`"${label}": "schemas" has no sub-attributes.`)
    }
    return { kind: 'schemas', label }
  }
  const resolved = resolveAttributePath(parsed.path, resourceType, {
    requireExtensionUri: quirks.strict,
  })
  if (resolved === undefined) throw unknownAttribute(label, origin, resourceType)
  if (parsed.filter === undefined) return { kind: 'attribute', resolved, label }
  const definition = resolved.definition
  if (definition.type !== 'complex' || !definition.multiValued) {
    throw ScimError.invalidPath(
      `"${label}": a value filter [...] applies to a multi-valued complex attribute such as ` +
        `emails; "${definition.name}" is not one.`,
    )
  }
  validateValueFilter(parsed.filter, definition)
  if (parsed.sub === undefined) {
    return { kind: 'attribute', resolved, filter: parsed.filter, label }
  }
  const filterSub = resolveSubAttribute(definition, parsed.sub)
  if (filterSub === undefined) throw unknownAttribute(label, origin, resourceType)
  return { kind: 'attribute', resolved, filter: parsed.filter, filterSub, label }
}

/** A key of a path-less value that is no valid path is an unknown attribute of the body. */
function parseValueKey(key: string, resourceType: ResourceTypeDefinition): PatchPath {
  try {
    return parsePatchPath(key)
  } catch (error) {
    if (error instanceof ScimError) throw unknownAttribute(key, 'pathless', resourceType)
    throw error
  }
}

/** An attribute the resource type does not define; hints at the extension that does, if one. */
export function unknownAttribute(
  label: string,
  origin: Origin,
  resourceType: ResourceTypeDefinition,
): ScimError {
  const head = label.includes(':') ? undefined : label.split(/[.[]/)[0]
  const extension =
    head === undefined
      ? undefined
      : resourceType.extensions.find(({ schema }) =>
          schema.attributes.some((attribute) => sameName(attribute.name, head)),
        )
  const urn = extension?.schema.id
  const hint =
    urn === undefined
      ? ''
      : ` It is an attribute of the extension "${urn}": write "${urn}:${label}".`
  const detail =
    `Attribute "${label}" is not defined for ${resourceType.name} (see /Schemas).${hint} ` +
    'If your identity provider sends it from an attribute mapping, remove the mapping for ' +
    `"${label}" there (Microsoft Entra ID: Provisioning > Mappings).`
  // A path naming nothing is invalidPath (RFC 7644 §3.5.2); an unknown attribute inside a
  // value is invalidSyntax, like any unknown attribute of a body (interop profile §5.3).
  return origin === 'path' ? ScimError.invalidPath(detail) : ScimError.invalidSyntax(detail)
}
