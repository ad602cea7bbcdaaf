import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { Page } from 'playwright-core';

/** axe-core over the page as it is now: any WCAG 2.0–2.2 A/AA violation fails, named with its nodes. */
export async function assertAccessible(page: Page, label = page.url()): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  assert.deepEqual(
    violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`),
    [],
    `accessibility of ${label}`,
  );
}
