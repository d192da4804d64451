// The operator CLI (`npx rollcall …`): wiring only. Works on the same DATA_DIR / DATABASE_URL as
// the server, whether or not the server is running.
import { ConfigError, loadConfig } from '../config.ts'
import { DirectoryError } from '../directory/internal.ts'
import { openRuntime } from '../runtime.ts'
import { COMMANDS, type CommandIo } from './commands.ts'

const USAGE = `Usage: npx rollcall <command> [options]

Commands:
  migrate                                         apply database migrations
  tenant create --slug S --name N [--json]        create a tenant
  tenant list [--json]                            list tenants
  tenant set --slug S --strict-profile on|off     SCIM strict interop-profile mode (SPEC §7)
  scim-token issue --tenant S [--force] [--json]  issue the tenant's SCIM token (revokes the previous);
                                                  needs a verified login connection unless --force
  scim-token revoke --tenant S                    disable SCIM for the tenant
  provisioning-log --tenant S [--limit N] [--failures] [--json]
  user add --tenant S --email E [--role R] [--name DISPLAY] [--json]
  user list --tenant S [--json]
  group create --tenant S --name N [--member E ...] [--json]
  group show --tenant S --name N [--json]
  connection create --tenant S --name N --issuer URL --client-id ID --client-secret SECRET
                    --domain D [--no-jit] [--email-claims a,b,c] [--json]
  connection list --tenant S [--json]
  connection delete --tenant S --id ID
  connection verify --tenant S --id ID            print a one-time verification link (10 minutes)
  admin create --tenant S --email E               make E an Admin and print a set-password link
  sign-in-log --tenant S [--limit N] [--json]

Configuration comes from the same environment variables as the server (DATA_DIR, DATABASE_URL, …).`

async function main(argv: readonly string[]): Promise<number> {
  const [first, second] = argv
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    console.log(USAGE)
    return first === undefined ? 2 : 0
  }
  const twoWord = second !== undefined ? COMMANDS[`${first} ${second}`] : undefined
  const command = twoWord ?? COMMANDS[first]
  if (!command) {
    console.error(`Unknown command "${argv.slice(0, 2).join(' ')}".\n\n${USAGE}`)
    return 2
  }
  const args = argv.slice(twoWord ? 2 : 1)
  let config
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message)
      return 2
    }
    throw error
  }
  const runtime = await openRuntime(config, (message) => console.error(message))
  const io: CommandIo = {
    out: (text) => console.log(text),
    err: (text) => console.error(text),
  }
  try {
    return await command(runtime, args, io)
  } catch (error) {
    if (error instanceof DirectoryError) {
      console.error(error.message)
      return 1
    }
    throw error
  } finally {
    await runtime.store.close()
  }
}


main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  })
