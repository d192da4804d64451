// The filter AST of RFC 7644 §3.4.2.2, shared by filters (?filter=) and PATCH paths (§3.5.2).
// Nodes are immutable and discriminated by `kind`.

export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le'

/** A literal of the grammar: a JSON string, number, `true`/`false` or `null`. */
export type FilterValue = string | number | boolean | null

/**
 * An attribute path as the client wrote it: `[uri:]attr[.sub]`.
 * Names keep the client's spelling; resolution against a schema (case-insensitive, RFC 7643 §2.1)
 * happens in scim/schemas/resolve.ts.
 * Examples: `userName` -> { attr: 'userName' }; `name.familyName` -> { attr: 'name', sub: 'familyName' };
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`
 *   -> { uri: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', attr: 'manager', sub: 'value' }.
 * Inside a value filter (`emails[type eq "work"]`) paths are relative to the element: { attr: 'type' }.
 */
export interface AttributePath {
  readonly uri?: string
  readonly attr: string
  readonly sub?: string
}

export type Filter =
  | {
      readonly kind: 'compare'
      readonly path: AttributePath
      readonly op: CompareOperator
      readonly value: FilterValue
    }
  | { readonly kind: 'present'; readonly path: AttributePath }
  | { readonly kind: 'and'; readonly left: Filter; readonly right: Filter }
  | { readonly kind: 'or'; readonly left: Filter; readonly right: Filter }
  | { readonly kind: 'not'; readonly filter: Filter }
  /** `attr[valFilter]`: true when some element of the multi-valued (or complex) attribute matches. */
  | { readonly kind: 'valuePath'; readonly path: AttributePath; readonly filter: Filter }

/**
 * A PATCH path (RFC 7644 §3.5.2): `attrPath` or `valuePath [ "." subAttr ]`.
 * `emails[type eq "work"].value` -> { path: { attr: 'emails' }, filter: <type eq "work">, sub: 'value' }
 * `members[value eq "x"]`        -> { path: { attr: 'members' }, filter: <value eq "x"> }
 * `name.familyName`              -> { path: { attr: 'name', sub: 'familyName' } }
 */
export interface PatchPath {
  readonly path: AttributePath
  readonly filter?: Filter
  /** Sub-attribute after a value filter (`].value`); only set together with `filter`. */
  readonly sub?: string
}
