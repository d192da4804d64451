// How a CLI command is declared: its options with their help text, a check of its input that runs
// before anything opens the database, and what it does. The usage and `--help` texts are rendered
// from the declaration, so a command and its help cannot drift apart.
import { parseArgs } from 'node:util'
import type { Runtime } from '../runtime.ts'

/** A mistake in how the command was called (exit 2, with the command's usage). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export interface CommandIo {
  out(text: string): void
  err(text: string): void
  /** All of standard input, as text. */
  readStdin(): Promise<string>
}

export interface OptionSpec {
  readonly type: 'string' | 'boolean'
  /** The value's placeholder in the usage, e.g. "S" (string options). */
  readonly value?: string
  readonly help: string
  /** Checked before the command's own check runs. */
  readonly required?: boolean
  /** May be given several times (string options). */
  readonly multiple?: boolean
}

/** The options as given, read by name. */
export interface Options {
  string(name: string): string | undefined
  /** A string option declared `required` (its presence is already checked). */
  required(name: string): string
  flag(name: string): boolean
  list(name: string): string[]
}

export interface CommandContext {
  readonly runtime: Runtime
  /**
   * The origin of every URL the command prints: the one the server recorded when it started,
   * else this process's PUBLIC_URL (see publicUrlFor in run.ts).
   */
  readonly publicUrl: string
  readonly io: CommandIo
  /** `--json` was given: print exactly the documented JSON on stdout. */
  readonly json: boolean
}

export interface CommandSpec<I> {
  /** The words that call it, e.g. "tenant create". */
  readonly name: string
  /** One line, for `npx rollcall --help`. */
  readonly summary: string
  /** Printed under the usage line by `--help`. */
  readonly description?: string
  readonly options: Readonly<Record<string, OptionSpec>>
  /** What `--json` prints, for the help. */
  readonly json: string
  /** Replaces the synopsis generated from the options (e.g. to show alternatives). */
  readonly synopsis?: string
  /** It prints URLs of the service, so where the public URL comes from is worth a note. */
  readonly printsUrls?: boolean
  /** Turns the options into the command's input; throws UsageError. Touches no database. */
  check(options: Options, io: CommandIo): I | Promise<I>
  run(context: CommandContext, input: I): Promise<void>
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Command = CommandSpec<any>

export function defineCommand<I>(spec: CommandSpec<I>): Command {
  return spec
}

const COMMON_OPTIONS = {
  json: { type: 'boolean', help: '' },
  help: { type: 'boolean', help: 'show this help' },
} as const satisfies Record<string, OptionSpec>

/** Whether the arguments ask for help; then nothing else about them matters. */
export function asksForHelp(args: readonly string[]): boolean {
  return args.some((arg) => arg === '--help' || arg === '-h')
}

/** Parses and checks the arguments of a command; throws UsageError. */
export async function parseCommand<I>(
  command: CommandSpec<I>,
  args: readonly string[],
  io: CommandIo,
): Promise<{ input: I; json: boolean }> {
  const declared: Record<string, OptionSpec> = { ...command.options, ...COMMON_OPTIONS }
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>
  try {
    values = parseArgs({
      args: [...args],
      options: Object.fromEntries(
        Object.entries(declared).map(([name, o]) => [
          name,
          { type: o.type, ...(o.multiple === true ? { multiple: true } : {}) },
        ]),
      ),
      allowPositionals: false,
      strict: true,
    }).values
  } catch (error) {
    throw new UsageError(describeParseError(error as Error & { code?: string }))
  }
  for (const [name, o] of Object.entries(command.options)) {
    const value = values[name]
    if (o.required === true && (value === undefined || value === '')) {
      throw new UsageError(`--${name} is required.`)
    }
    if (o.type === 'string' && value === '') throw new UsageError(`--${name} needs a value.`)
  }
  const options: Options = {
    string: (name) => {
      const value = values[name]
      return typeof value === 'string' ? value : undefined
    },
    required: (name) => {
      const value = values[name]
      if (typeof value !== 'string') throw new UsageError(`--${name} is required.`)
      return value
    },
    flag: (name) => values[name] === true,
    list: (name) => {
      const value = values[name]
      return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
    },
  }
  return { input: await command.check(options, io), json: values.json === true }
}

function describeParseError(error: Error & { code?: string }): string {
  const option = /'(-[^' ]+)/.exec(error.message)?.[1]
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `Unknown option ${option ?? ''}.`
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `Unexpected argument "${/'([^']*)'/.exec(error.message)?.[1] ?? ''}" (every value follows its --option).`
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      // A string option without its value, or a value starting with "-" (which parseArgs refuses
      // as ambiguous: write it --option=-value).
      return option !== undefined && /argument is ambiguous/.test(error.message)
        ? `${option} needs a value; for a value that starts with "-", write ${option}=VALUE.`
        : option !== undefined && /argument missing/.test(error.message)
          ? `${option} needs a value.`
          : error.message
    default:
      return error.message
  }
}

// ---------------------------------------------------------------------------------------------
// Usage texts

const PROGRAM = 'npx rollcall'
const WIDTH = 100

export function synopsisOf(command: Command): string {
  if (command.synopsis !== undefined) return `${command.name} ${command.synopsis} [--json]`
  const parts = Object.entries(command.options).map(([name, o]) => {
    const shown = o.type === 'string' ? `--${name} ${o.value ?? 'VALUE'}` : `--${name}`
    const repeated = o.multiple === true ? `${shown} ...` : shown
    return o.required === true ? repeated : `[${repeated}]`
  })
  return [command.name, ...parts, '[--json]'].join(' ')
}

/** What `npx rollcall <command> --help` prints. */
export function helpOf(command: Command): string {
  const rows: [string, string][] = Object.entries(command.options).map(([name, o]) => [
    o.type === 'string' ? `--${name} ${o.value ?? 'VALUE'}` : `--${name}`,
    o.help + (o.multiple === true ? ' (may be repeated)' : ''),
  ])
  rows.push(['--json', `print ${command.json}`], ['-h, --help', COMMON_OPTIONS.help.help])
  return [
    ...hanging(`Usage: ${PROGRAM} `, synopsisOf(command)),
    '',
    ...wrap(command.description ?? `${capitalise(command.summary)}.`, WIDTH),
    '',
    'Options:',
    ...table(rows),
  ].join('\n')
}

/** What `npx rollcall --help` prints. */
export function overviewOf(commands: readonly Command[]): string {
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    `       ${PROGRAM} <command> --help      the options of one command`,
    `       ${PROGRAM} --version`,
    '',
    'Commands:',
    ...table(commands.map((c) => [c.name, c.summary])),
    '',
    ...wrap(
      'Configuration comes from the same environment variables as the server (DATA_DIR, ' +
        'DATABASE_URL, ROLLCALL_SECRET, …); the commands work whether or not the server is ' +
        'running. Base URLs and links use the public URL the server recorded when it last ' +
        'started (else PUBLIC_URL). Every command takes --json.',
      WIDTH,
    ),
    '',
    'Exit status: 0 done, 1 the command failed (the message says why), 2 wrong usage or configuration.',
  ].join('\n')
}

/** The commands of one group (e.g. "tenant"), for `npx rollcall tenant`. */
export function groupOverviewOf(group: string, commands: readonly Command[]): string {
  const subcommands = commands.map((c) => c.name.slice(group.length + 1)).join('|')
  return [
    `Usage: ${PROGRAM} ${group} <${subcommands}> [options]`,
    '',
    ...commands.flatMap((c) => hanging('  ', synopsisOf(c))),
    '',
    `Run "${PROGRAM} ${group} <subcommand> --help" for the options of one.`,
  ].join('\n')
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else {
      line = line === '' ? word : `${line} ${word}`
    }
  }
  return [...lines, line]
}

/** `lead` then `text`, continuation lines indented under the text's start. */
function hanging(lead: string, text: string): string[] {
  const indent = ' '.repeat(Math.min(lead.length + 4, 40))
  return wrap(text, WIDTH - lead.length).map((line, i) => (i === 0 ? lead + line : indent + line))
}

/** Two columns: the left padded, the right wrapped beside it. */
function table(rows: readonly (readonly [string, string])[]): string[] {
  const column = Math.max(...rows.map(([left]) => left.length)) + 4
  return rows.flatMap(([left, right]) =>
    wrap(right, WIDTH - column).map(
      (line, i) => (i === 0 ? `  ${left}`.padEnd(column) : ' '.repeat(column)) + line,
    ),
  )
}
