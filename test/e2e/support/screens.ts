// What every page of the console must pass besides its own assertions, at 1280×800: no
// horizontal scrolling (no layout break), the accessibility check, and a screenshot saved under
// docs/screenshots/ (named in the README and docs/console.md; the run rewrites them).
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { assertAccessible } from './axe.ts'

export const VIEWPORT = { width: 1280, height: 800 } as const

export const SCREENSHOTS = join(import.meta.dirname, '..', '..', '..', 'docs', 'screenshots')

export async function checkScreen(page: Page, name: string): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  )
  assert.ok(overflow <= 0, `${name}: the page scrolls sideways by ${overflow}px at 1280×800`)
  await assertAccessible(page, name)
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) })
}
