// The provisioning log: the activity chart, the filters, the table of requests and one request's
// dialog with its detail and bodies.
import type { Locator, Page } from 'playwright-core'

export class ProvisioningLogPage {
  readonly heading: Locator
  readonly table: Locator
  readonly emptyState: Locator
  readonly chart: Locator
  readonly chartSummary: Locator
  readonly outcome: Locator
  readonly operation: Locator
  readonly resource: Locator
  readonly entry: Locator

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Provisioning log' })
    this.table = page.getByRole('region', { name: 'Requests' }).getByRole('table')
    this.emptyState = page.getByText('No SCIM request yet')
    this.chart = page.getByRole('img', { name: /^Activity chart/ })
    this.chartSummary = page.locator('[data-field="activity-summary"]')
    this.outcome = page.getByLabel('Outcome')
    this.operation = page.getByLabel('Operation')
    this.resource = page.getByLabel('Resource')
    this.entry = page.getByRole('dialog')
  }

  async open(url: string): Promise<this> {
    await this.page.goto(`${url}/provisioning-log`)
    await this.heading.waitFor()
    return this
  }

  /** The table's rows, newest first (the header row left out). */
  rows(): Locator {
    return this.table.getByRole('row').filter({ hasNot: this.page.getByRole('columnheader') })
  }

  /** Waits until the table shows `count` rows whose text all match `pattern` (filters reload it). */
  async waitForRows(count: number, pattern: RegExp): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const texts = await this.rows().allInnerTexts()
      if (texts.length === count && texts.every((t) => pattern.test(t))) return
      await this.page.waitForTimeout(100)
    }
    throw new Error(
      `expected ${count} rows matching ${pattern}: ${await this.rows().allInnerTexts()}`,
    )
  }

  /** Opens the request of a row (by the button in its first cell). */
  async openRow(row: Locator): Promise<void> {
    await row.getByRole('button').click()
    await this.entry.getByRole('heading', { level: 2 }).waitFor()
  }

  entryField(name: 'entry-detail' | 'request-body' | 'response-body'): Locator {
    return this.entry.locator(`[data-field="${name}"]`)
  }

  async closeEntry(): Promise<void> {
    await this.entry.getByRole('button', { name: 'Close' }).click()
    await this.entry.waitFor({ state: 'hidden' })
  }
}
