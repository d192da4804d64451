// Debian's Chromium for the browser tests, driven by playwright-core; never a downloaded browser.
// Without /usr/bin/chromium the suite is skipped (one line), unless REQUIRE_CHROMIUM=1 (CI),
// where it fails instead.
import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'

/** Why the browser tests cannot run here, or undefined when they can. Throws when required. */
export function chromiumSkipReason(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined
  const reason = `${CHROMIUM} is missing (apt-get install -y chromium)`
  if (process.env.REQUIRE_CHROMIUM === '1') {
    throw new Error(`REQUIRE_CHROMIUM=1 but ${reason}`)
  }
  return reason
}

export function launchChromium(): Promise<Browser> {
  // playwright-core runs it without Chromium's sandbox (chromiumSandbox: false, its default),
  // which CI, as root, needs.
  return chromium.launch({ executablePath: CHROMIUM })
}
