// Named client quirks of filters (RFC 7644 §3.4.2.2): forms that Microsoft's SCIM reference code
// and Entra ID send and RFC 7644's grammar does not define (SPEC §7, entra-provisioning.md §3, §7).
// Each function names the client and says whether strict mode still accepts the form.

import type { QuirkOptions } from '../resources/quirks.ts'
import type { SyntaxProblem } from './lexer.ts'

export type UnquotedValueResult =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly error: SyntaxProblem }

/**
 * Reads an unquoted filter value (a `bare` token of the lexer) as a string.
 *
 * RFC 7644 §3.4.2.2 has compValue = false / null / true / number / string, a string being a
 * quoted JSON string. Microsoft's SCIMReferenceCode accepts, and its Postman collection sends,
 * `userName sw O` and `meta.Created gt 2015-10-10T14:38:21.8617979-07:00`; the Entra tutorial's
 * own example query is `filter=externalId eq jyoung`, and Entra has been seen sending it
 * (entra-provisioning.md §7; langwatch/langwatch#6973). The lexer gives a bare token only for what
 * is not a whole JSON number nor `true`/`false`/`null`, so `eq 12` stays the number 12 while
 * `eq 1234abc` and a dateTime become strings; the value ends at a space, so a value that holds one
 * must be quoted.
 *
 * Strict mode refuses it: the interop profile keeps RFC 7644's filter grammar (§6.3), and
 * ServiceProviderConfig claims conformance only in that mode.
 *
 * @param start 0-based offset of the value in the filter, for the problem's position.
 */
export function readUnquotedValue(
  text: string,
  start: number,
  quirks: QuirkOptions,
): UnquotedValueResult {
  if (!quirks.strict) return { ok: true, value: text }
  return {
    ok: false,
    error: {
      position: start,
      message:
        `unquoted value ${JSON.stringify(text)} at position ${start + 1}: quote the value ` +
        `(${JSON.stringify(text)}), as RFC 7644 §3.4.2.2 requires for strings; unquoted values ` +
        '(a Microsoft SCIM reference-code quirk) are refused in strict interop-profile mode',
    },
  }
}
