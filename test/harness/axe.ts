/// <reference lib="dom" />
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import type { AxeResults, ImpactValue } from 'axe-core'

/** axe-core's browser build, evaluated in the page (not a script tag: Rancang's CSP refuses inline scripts, rightly). */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** The impacts an accessibility check fails on: what stops someone using a screen, not what slows them. */
const BLOCKING: readonly ImpactValue[] = ['serious', 'critical']

/**
 * Runs axe-core (WCAG 2.1 A and AA, and its best practices) on the page as it is now, and returns
 * each serious or critical violation as one line per element: rule, impact, element, what is wrong.
 * An empty list passes.
 */
export async function blockingViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE)
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    }),
  )
  return results.violations
    .filter((violation) => violation.impact && BLOCKING.includes(violation.impact))
    .flatMap((violation) =>
      violation.nodes.map((node) => `${violation.id} (${violation.impact}) ${node.target.join(' ')}: ${node.failureSummary?.replace(/\s+/g, ' ')}`),
    )
}
