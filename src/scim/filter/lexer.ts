// Tokens of the filter and PATCH path grammar of RFC 7644 §3.4.2.2 (figure 1) and §3.5.2:
// attribute paths (with URN prefixes), JSON strings and numbers, brackets, parentheses and dots,
// and the unquoted values some clients send where compValue belongs (filter/quirks.ts).

/** A syntax problem at `position` (0-based offset into the text). */
export interface SyntaxProblem {
  readonly position: number
  readonly message: string
}

/**
 * Words are attribute paths, operators, `and`/`or`/`not`, `pr` and `true`/`false`/`null`. A `bare`
 * token is an unquoted value right after `attrPath op` that is neither a JSON number nor one of
 * those literals (`O`, `1234abc`, `2015-10-10T14:38:21.8617979-07:00`); the parser decides
 * whether to accept it (filter/quirks.ts).
 */
export type Token =
  | { readonly kind: 'word'; readonly text: string; readonly start: number }
  | { readonly kind: 'bare'; readonly text: string; readonly start: number }
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
// An unquoted value runs to the next space, parenthesis, bracket or quote, so `eq john)`,
// `[type eq work]` and `eq a@example.com and …` end where a quoted value would.
const BARE_VALUE = /[^\s()[\]"]+/y
const BARE_VALUE_START = /[^\s()[\]"]/
const FULL_NUMBER = new RegExp(`^${NUMBER.source}$`)
// Words that keep their meaning in value position: the literals of compValue, and the logical
// keywords, so `userName eq and …` still reports a missing value.
const VALUE_POSITION_WORDS: ReadonlySet<string> = new Set([
  'true',
  'false',
  'null',
  'and',
  'or',
  'not',
])

/** The comparison operators of RFC 7644 §3.4.2.2 (lower-case; matched case-insensitively). */
export const COMPARE_OPERATORS: ReadonlySet<string> = new Set([
  'eq',
  'ne',
  'co',
  'sw',
  'ew',
  'gt',
  'ge',
  'lt',
  'le',
])
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
 *
 * Right after `attrPath op` (a word, then a comparison operator), where RFC 7644 §3.4.2.2 puts a
 * compValue, anything up to the next space, parenthesis, bracket or quote that is not a quoted
 * string, a whole JSON number or a literal/keyword word is one `bare` token instead of a lexing
 * error: `eq 12` is a number, `eq 1234abc` and `eq 2015-10-10T14:38:21-07:00` are bare.
 */
export function tokenize(text: string): LexResult {
  const tokens: Token[] = []
  let index = 0
  // `afterPath`: the last token is a word that can name an attribute; `isValuePosition`: the last
  // two tokens are such a word and a comparison operator.
  let afterPath = false
  let isValuePosition = false
  while (index < text.length) {
    const char = text[index] as string
    if (WHITESPACE.test(char)) {
      index += 1
      continue
    }
    const start = index
    const wasValuePosition: boolean = isValuePosition
    const wasAfterPath: boolean = afterPath
    afterPath = false
    isValuePosition = false
    if (wasValuePosition && BARE_VALUE_START.test(char)) {
      BARE_VALUE.lastIndex = start
      const run = (BARE_VALUE.exec(text) as RegExpExecArray)[0]
      if (FULL_NUMBER.test(run)) {
        tokens.push({ kind: 'number', value: Number(run), text: run, start })
      } else if (VALUE_POSITION_WORDS.has(run.toLowerCase())) {
        tokens.push({ kind: 'word', text: run, start })
      } else {
        tokens.push({ kind: 'bare', text: run, start })
      }
      index = start + run.length
      continue
    }
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
      const lower = word.toLowerCase()
      isValuePosition = wasAfterPath && COMPARE_OPERATORS.has(lower)
      afterPath = !isValuePosition && lower !== 'and' && lower !== 'or' && lower !== 'not'
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
