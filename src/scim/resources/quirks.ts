// Named client quirks tolerated when turning request values into RFC 7643 §2.3 typed values
// (SPEC §7, reference/entra-provisioning.md §3–4, §8). Each one says which client sends it.

import { ScimError } from '../errors.ts'
import { ENTRA_ADSCIM_GROUP_URN } from '../schemas/index.ts'

/** Per-tenant switches that decide which non-RFC client forms are accepted (SPEC §7). */
export interface QuirkOptions {
  /**
   * Interop-profile strict mode: refuse the forms the SCIM 2.0 Interoperability Profile forbids
   * (string booleans, the ADSCIM group schema URN, …). Everything the profile allows still works.
   */
  readonly strict: boolean
}

/** The lenient default: every named quirk is accepted. */
export const LENIENT_QUIRKS: QuirkOptions = Object.freeze({ strict: false })

/** The strict profile mode of SPEC §7. */
export const STRICT_QUIRKS: QuirkOptions = Object.freeze({ strict: true })

/**
 * Whether `urn`, found in a request's `schemas`, is a known client URN to drop silently.
 *
 * Entra sends `http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group` next to
 * the core Group URN on every group create (entra-provisioning.md §3.11, §9.8). In strict mode it
 * is not tolerated: the interop profile §5.3 requires undefined schema URIs to be rejected, and
 * ServiceProviderConfig claims conformance only in that mode.
 */
export function isIgnoredSchemaUrn(urn: string, quirks: QuirkOptions): boolean {
  return !quirks.strict && urn.toLowerCase() === ENTRA_ADSCIM_GROUP_URN.toLowerCase()
}

/**
 * Whether a value counts as unassigned: `null` or an empty array (RFC 7643 §2.5).
 *
 * Entra's older tutorial examples send `null` for unmapped attributes and `"$ref": null` in
 * members (entra-provisioning.md §3.3, §3.15); Entra sends `"roles": []` on every user create.
 * RFC 7643 §2.5 makes both equivalent to "unassigned", so this holds in strict mode too.
 */
export function isUnassigned(value: unknown): boolean {
  return value === null || value === undefined || (Array.isArray(value) && value.length === 0)
}

/**
 * Coerces Entra's string booleans for a `boolean` attribute.
 *
 * Entra (without `aadOptscim062020`) sends `"active": "False"` / `"True"`, and
 * `"primary": "True"` in roles (entra-provisioning.md §3.8, §4 item 4). Matched in any case.
 * Values that are not strings are returned unchanged for the caller's type check.
 *
 * @throws ScimError invalidValue in strict mode, naming the quirk, when `value` is a string
 *   boolean; a string that is neither `true` nor `false` is returned unchanged.
 */
export function coerceStringBoolean(value: unknown, path: string, quirks: QuirkOptions): unknown {
  if (typeof value !== 'string') return value
  const lower = value.trim().toLowerCase()
  if (lower !== 'true' && lower !== 'false') return value
  if (quirks.strict) {
    throw ScimError.invalidValue(
      `Attribute "${path}" must be a JSON boolean (true or false), got the string "${value}". ` +
        'String booleans (an Entra ID quirk) are refused in strict interop-profile mode.',
    )
  }
  return lower === 'true'
}

/**
 * Accepts the enterprise `manager` in the forms Entra sends and returns the RFC complex form,
 * or `undefined` for "no manager".
 *
 * Entra and its SCIM Validator send the manager's id as a bare string, and `""` or
 * `{"value": ""}` to remove the manager; the old tutorial wraps the object in a one-element array
 * (entra-provisioning.md §3.10). The interop profile §4 allows accepting these, so they are
 * accepted in strict mode too. Anything else is returned unchanged for the caller's type check.
 */
export function coerceManagerValue(value: unknown): unknown {
  let candidate = value
  if (Array.isArray(candidate) && candidate.length === 1) candidate = candidate[0]
  if (typeof candidate === 'string') {
    return candidate.trim() === '' ? undefined : { value: candidate }
  }
  if (isPlainObject(candidate)) {
    // A manager is nothing but its id: an object whose `value` is empty or missing is "no manager".
    const valueKey = Object.keys(candidate).find((key) => key.toLowerCase() === 'value')
    const id = valueKey === undefined ? undefined : candidate[valueKey]
    if (id === undefined || id === null || (typeof id === 'string' && id.trim() === '')) {
      return undefined
    }
    // Only the id is kept: a client's `$ref` points into the client's own system (the old
    // tutorial sends one), and `displayName` is readOnly. Returned as `{value}` (issue #2).
    return typeof id === 'string' ? { value: id } : candidate
  }
  return value
}

/**
 * Turns bare member ids into member objects: `"id"` → `[{ value: "id" }]`,
 * `["a", {value: "b"}]` → `[{ value: "a" }, { value: "b" }]`.
 *
 * The SCIMReferenceCode "garbage" suite adds a group member with a bare string value and expects
 * success (entra-provisioning.md §7). Accepted in strict mode too: the profile does not forbid it.
 * Anything else is returned unchanged for the caller's type check.
 */
export function coerceBareMembers(value: unknown): unknown {
  if (typeof value === 'string') return [{ value }]
  if (Array.isArray(value) && value.some((item) => typeof item === 'string')) {
    return value.map((item) => (typeof item === 'string' ? { value: item } : item))
  }
  return value
}

/** A JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
