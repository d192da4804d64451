// Tokens of the filter and PATCH path grammar of RFC 7644 §3.4.2.2 (figure 1) and §3.5.2:
// attribute paths (with URN prefixes), JSON strings and numbers, brackets, parentheses and dots.

/** A syntax problem at `position` (0-based offset into the text). */
export interface SyntaxProblem {
  readonly position: number
  readonly message: string
}

/** Words are attribute paths, operators, `and`/`or`/`not`, `pr` and `true`/`false`/`null`. */
export type Token =
  | { readonly kind: 'word'; readonly text: string; readonly start: number }
  | { readonly kind: 'string'; readonly value: string; readonly start: number }
  | {
      readonly kind: 'number'
      readonly value: number
      readonly text: string
      readonly start: number
    }
  | { readonly kind: '(' | ')' | '[' | ']' | '.'; readonly start: number }
  | { readonly kind: 'eof'; readonly start: number }

export type LexResult =
  | { readonly ok: true; readonly tokens: readonly Token[] }
  | { readonly ok: false; readonly error: SyntaxProblem }

// A word starts like an ATTRNAME (ALPHA, or `$` for `$ref`) and runs through URN characters,
// so `urn:ietf:params:scim:schemas:core:2.0:User:name.familyName` is a single word.
const WORD_START = /[A-Za-z$_]/
const WORD = /[A-Za-z0-9$_\-:.]+/y
// RFC 8259 §6 number; `-` starts a number, never a word.
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y
const WHITESPACE = /\s/
const PUNCTUATION = new Set(['(', ')', '[', ']', '.'])
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
}

/** Quotes a fragment of the input for an error message, shortened when long. */
export function quote(fragment: string): string {
  return JSON.stringify(fragment.length > 40 ? `${fragment.slice(0, 40)}…` : fragment)
}

/**
 * Splits `text` into tokens, ending with an `eof` token. Strings are decoded as JSON strings
 * (RFC 8259 §7: `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\uXXXX`; no raw control
 * characters). Fails on the first character that starts no token.
 */
export function tokenize(text: string): LexResult {
  const tokens: Token[] = []
  let index = 0
  while (index < text.length) {
    const char = text[index] as string
    if (WHITESPACE.test(char)) {
      index += 1
      continue
    }
    const start = index
    if (PUNCTUATION.has(char)) {
      tokens.push({ kind: char as '(' | ')' | '[' | ']' | '.', start })
      index += 1
    } else if (char === '"') {
      const result = readString(text, start)
      if (!result.ok) return result
      tokens.push({ kind: 'string', value: result.value, start })
      index = result.end
    } else if (char === '-' || (char >= '0' && char <= '9')) {
      NUMBER.lastIndex = start
      const match = NUMBER.exec(text)
      const end = start + (match?.[0].length ?? 0)
      const next = text[end]
      if (match === null || (next !== undefined && /[A-Za-z0-9$_.\-:]/.test(next))) {
        const bad = text.slice(start).split(/[\s()[\]]/)[0] ?? char
        return fail(start, `invalid number ${quote(bad)} at position ${start + 1}`)
      }
      tokens.push({ kind: 'number', value: Number(match[0]), text: match[0], start })
      index = end
    } else if (WORD_START.test(char)) {
      WORD.lastIndex = start
      const word = (WORD.exec(text) as RegExpExecArray)[0]
      tokens.push({ kind: 'word', text: word, start })
      index = start + word.length
    } else {
      return fail(start, `unexpected character ${quote(char)} at position ${start + 1}`)
    }
  }
  tokens.push({ kind: 'eof', start: text.length })
  return { ok: true, tokens }
}

function fail(position: number, message: string): { ok: false; error: SyntaxProblem } {
  return { ok: false, error: { position, message } }
}

type StringResult =
  | { readonly ok: true; readonly value: string; readonly end: number }
  | { readonly ok: false; readonly error: SyntaxProblem }

function readString(text: string, start: number): StringResult {
  let value = ''
  let index = start + 1
  while (index < text.length) {
    const char = text[index] as string
    if (char === '"') return { ok: true, value, end: index + 1 }
    if (char.charCodeAt(0) < 0x20) {
      return fail(index, `control character in string at position ${index + 1}: escape it`)
    }
    if (char !== '\\') {
      value += char
      index += 1
      continue
    }
    const escape = text[index + 1]
    if (escape === 'u') {
      const hex = text.slice(index + 2, index + 6)
      if (!/^[0-9A-Fa-f]{4}$/.test(hex)) {
        return fail(
          index,
          `invalid escape \\u${hex} at position ${index + 1}: expected \\u and 4 hex digits`,
        )
      }
      value += String.fromCharCode(Number.parseInt(hex, 16))
      index += 6
      continue
    }
    const decoded = escape === undefined ? undefined : ESCAPES[escape]
    if (decoded === undefined) {
      return fail(
        index,
        `invalid escape \\${escape ?? ''} at position ${index + 1}: a string may escape only \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX`,
      )
    }
    value += decoded
    index += 2
  }
  return fail(
    start,
    `unterminated string starting at position ${start + 1}: expected a closing '"'`,
  )
}
