import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/project.js';

/** The README's two commands must be the ones CI runs, so a missing install step fails in CI first. */
function fencedCommand(readme: string, heading: string): string {
  const section = readme.split(/^## /m).find((s) => s.startsWith(heading));
  const match = section && /```sh\n([^`]+)```/.exec(section);
  if (!match) throw new Error(`README has no sh block under "## ${heading}"`);
  return match[1]!.trim();
}

describe('README and CI', () => {
  it('.ci/run runs the README install-and-run command and test command, verbatim', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const ci = (await readFile(join(ROOT, '.ci/run'), 'utf8')).split('\n').map((l) => l.trim());
    const install = fencedCommand(readme, 'Quick start');
    const test = fencedCommand(readme, 'Tests');
    expect(install).toBe('npm ci && npx aircall-gen');
    expect(test).toBe('npm test');
    expect(ci).toContain(install);
    expect(ci).toContain(test);
  });
});
