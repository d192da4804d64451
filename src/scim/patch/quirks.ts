// Named client quirks of PATCH requests (RFC 7644 §3.5.2): forms that Entra ID, Okta and the
// SCIMReferenceCode suite send and RFC 7644 does not define (SPEC §7, entra-provisioning.md §4).
// Each function names the client and says whether strict mode still accepts the form.

import { ScimError } from '../errors.ts'
import type { Filter } from '../filter/ast.ts'
import { isPlainObject } from '../resources/quirks.ts'
import type { QuirkOptions } from '../resources/quirks.ts'
import { findSchema, resolveSubAttribute } from '../schemas/resolve.ts'
import type { AttributeDefinition, ResourceTypeDefinition } from '../schemas/types.ts'

/** The three PATCH operations of RFC 7644 §3.5.2. */
export type PatchOpName = 'add' | 'replace' | 'remove'

/**
 * Reads an operation's `op` case-insensitively; `undefined` when it is none of the three.
 *
 * Entra sends "Add", "Replace" and "Remove" capitalised (entra-provisioning.md §4 item 1); RFC 7644
 * §3.5.2 lists lower-case ops. The interop profile says nothing about the case of `op`, so this
 * holds in strict mode too.
 */
export function normalizeOpName(op: unknown): PatchOpName | undefined {
  if (typeof op !== 'string') return undefined
  const lower = op.trim().toLowerCase()
  return lower === 'add' || lower === 'replace' || lower === 'remove' ? lower : undefined
}

/** One entry of a path-less operation's value, as a path-based operation would carry it. */
export interface PathlessEntry {
  /** The key as the client wrote it (for error details). */
  readonly key: string
  /** An attribute path (`displayName`, `name.givenName`, `urn:…:User:employeeNumber`). */
  readonly path: string
  readonly value: unknown
}

/**
 * Expands the `value` object of a path-less add/replace into one entry per attribute path.
 *
 * RFC 7644 §3.5.2.1/§3.5.2.3 give the value of a path-less operation as attribute names. Entra
 * (with `aadOptscim062020`) sends keys that are whole paths instead:
 * `{"name.givenName": "Kkom", "urn:…:enterprise:2.0:User:employeeNumber": "Aklq"}`
 * (entra-provisioning.md §4, item 2) — each key is kept as a path, never stored as a literal key.
 * A key that is an extension URN holding an object (`{"urn:…:enterprise:2.0:User": {"department":
 * "x"}}`) becomes one `urn:…:attr` entry per inner attribute, so other extension attributes stay;
 * the core schema URN is unwrapped the same way. A `null` extension value stays one entry.
 * Strict mode refuses path-less operations before this runs (interop profile §6.5.1.1).
 */
export function expandPathlessValue(
  value: Readonly<Record<string, unknown>>,
  resourceType: ResourceTypeDefinition,
): PathlessEntry[] {
  const entries: PathlessEntry[] = []
  for (const [key, inner] of Object.entries(value)) {
    const schema = findSchema(resourceType, key.trim())
    if (schema === undefined || !isPlainObject(inner)) {
      entries.push({ key, path: key, value: inner })
      continue
    }
    for (const [name, attributeValue] of Object.entries(inner)) {
      const path = schema.isExtension ? `${schema.schema.id}:${name}` : name
      entries.push({ key: `${key}.${name}`, path, value: attributeValue })
    }
  }
  return entries
}

/**
 * Whether a key of a path-less value is skipped rather than applied.
 *
 * Okta's path-less `replace` on Groups carries `id` (and some clients `schemas` or `meta`) next to
 * `displayName`. A path-less value is a partial resource, and RFC 7643 §2.2 says readOnly
 * attributes of a resource are ignored on input, so `schemas` and every readOnly attribute (`id`,
 * `meta`, `groups`) are skipped here; with an explicit `path` they are refused (mutability).
 */
export function isIgnoredPathlessKey(
  key: string,
  definition: AttributeDefinition | undefined,
): boolean {
  return key.trim().toLowerCase() === 'schemas' || definition?.mutability === 'readOnly'
}

/**
 * The values listed by a `remove` on a whole multi-valued attribute, or `undefined` when the
 * operation carries no value (RFC 7644 §3.5.2.2: remove every value).
 *
 * Entra without `aadOptscim062020` removes one group member as
 * `{"op":"Remove","path":"members","value":[{"value":"id"}]}` (entra-provisioning.md §3.16). An
 * RFC-literal server empties the group (MicrosoftDocs/azure-docs#30826), so a value — an array, one
 * element or a bare id — always means "remove exactly these", never "remove all". The interop
 * profile says nothing about `remove`, so strict mode accepts it too. `[]` removes nothing.
 */
export function listedRemovalValues(value: unknown): unknown[] | undefined {
  if (value === undefined || value === null) return undefined
  return Array.isArray(value) ? value : [value]
}

/**
 * Checks the bare-id forms of a `members` value: `"value": "id"` and `"value": ["id", …]`.
 *
 * The SCIMReferenceCode "Group tests with garbage" add a member with a bare string value and
 * expect success (entra-provisioning.md §7); `coerceAttributeValue` turns bare ids into
 * `{ value }`. Strict mode refuses them: the interop profile §6.5.2.2 has members carried as an
 * array of objects.
 *
 * @throws ScimError invalidSyntax in strict mode when `value` holds a bare id.
 */
export function acceptBareMemberIds(value: unknown, label: string, quirks: QuirkOptions): unknown {
  const isBare =
    typeof value === 'string' ||
    (Array.isArray(value) && value.some((item) => typeof item === 'string'))
  if (isBare && quirks.strict) {
    throw ScimError.invalidSyntax(
      `"${label}" must be an array of member objects such as [{"value": "<id>"}]; bare ids are ` +
        'refused in strict interop-profile mode.',
    )
  }
  return value
}

/**
 * Whether `add` on this whole singular complex attribute overwrites it instead of merging.
 *
 * Entra and its SCIM Validator send `{"op":"Add","path":"urn:…:enterprise:2.0:User:manager",
 * "value":"<id>"}` to set *or change* the manager (entra-provisioning.md §3.10). A manager is only
 * the id of another User: merging a new `value` into the old object would keep the old `$ref`.
 * Holds in strict mode too (interop profile §4 allows accepting Entra's manager forms).
 */
export function isAddOverwritingAttribute(definition: AttributeDefinition): boolean {
  return definition.name === 'manager' && definition.type === 'complex' && !definition.multiValued
}

/**
 * The element to create when an add/replace on `attr[filter]` or `attr[filter].sub` matches no
 * element, or `undefined` when the filter cannot describe one (then the operation fails with
 * noTarget, as RFC 7644 §3.5.2.3 says).
 *
 * Entra replaces `emails[type eq "work"].value` (and `phoneNumbers[type eq "mobile"].value`,
 * `addresses[type eq "work"].streetAddress`, `roles[primary eq "True"].value`) without first
 * adding the element, and expects the server to create the work email when absent and never a
 * second one (entra-provisioning.md §3.6). The filter must be `eq` comparisons on simple
 * sub-attributes joined by `and`, each named once and none naming `targetSub`; the result holds
 * the compared literals (`{ type: "work" }`), not yet coerced. Accepted in strict mode too: a
 * profile-conformant client addresses a work email the same way (interop profile §6.5.2.2).
 */
export function elementForUnmatchedFilter(
  filter: Filter,
  parent: AttributeDefinition,
  targetSub: AttributeDefinition | undefined,
): Record<string, unknown> | undefined {
  const element: Record<string, unknown> = {}
  const collect = (node: Filter): boolean => {
    if (node.kind === 'and') return collect(node.left) && collect(node.right)
    if (node.kind !== 'compare' || node.op !== 'eq' || node.value === null) return false
    if (node.path.uri !== undefined || node.path.sub !== undefined) return false
    const sub = resolveSubAttribute(parent, node.path.attr)
    if (sub === undefined || sub.type === 'complex' || sub.multiValued) return false
    if (sub.name === targetSub?.name || Object.hasOwn(element, sub.name)) return false
    element[sub.name] = node.value
    return true
  }
  return collect(filter) ? element : undefined
}
