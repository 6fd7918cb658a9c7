import { resolve } from 'node:path';
import { loadConfig } from '../../config/config.js';
import { BUNDLED_SPEC } from '../../fingerprint.js';
import { formatDiagnostic } from '../../load/diagnostics.js';
import { readSpec } from '../../load/read-spec.js';
import { EXIT_USER_ERROR } from '../exit-codes.js';
import { errorCountText, followOnLine, rootCauses } from '../../load/root-causes.js';
import { plainText } from '../../model/names.js';
import type { SpecReadPolicy } from '../../load/ref-guard.js';
import type { Io } from '../io.js';
import { specReadPolicy, type SpecReadFlags } from '../spec-read-flags.js';

export interface InspectFlags extends SpecReadFlags {
  spec?: string;
  config?: string;
  json?: boolean;
}

async function specInput(flags: InspectFlags): Promise<{ path: string; policy: SpecReadPolicy }> {
  const config = await loadConfig(flags.config);
  return { path: resolve(flags.spec ?? config.spec ?? BUNDLED_SPEC), policy: specReadPolicy(flags, config) };
}

/** `aircall-gen validate`: every diagnostic as `file:line:col severity code message`; exit 2 on errors. */
export async function validateCommand(flags: InspectFlags, io: Io): Promise<number> {
  const { path, policy } = await specInput(flags);
  const { validateSpec, parseSpec } = await import('../../load/parse-spec.js');
  const text = await readSpec(path, policy.maxSpecBytes);
  const report = await validateSpec(path, text, policy);
  // The same errors, in the same order, as `generate` reports: root causes first, echoes counted.
  const all = report.diagnostics.filter((d) => d.severity === 'error');
  const syntax = all.filter((d) => d.code === 'parser');
  const causes = rootCauses(syntax.length > 0 ? syntax : all);
  const warnings = report.diagnostics.filter((d) => d.severity === 'warning');
  for (const d of [...causes.shown, ...warnings]) io.out(formatDiagnostic(d));
  const more = followOnLine(causes);
  if (more !== undefined) io.out(more);
  if (all.length > 0) {
    io.err(`aircall-gen: ${errorCountText(causes)}, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}`);
    return EXIT_USER_ERROR;
  }
  // The parser is satisfied; now the checks aircall-gen adds (names, payloads, one channel).
  const { buildEvents } = await import('../../model/build-events.js');
  const model = buildEvents(await parseSpec(path, text, policy));
  io.err(
    `aircall-gen: ${path}: valid, ${model.events.length} events, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}`,
  );
  return 0;
}

/** `aircall-gen list`: the events with their summaries. */
export async function listCommand(flags: InspectFlags, io: Io): Promise<number> {
  const { path, policy } = await specInput(flags);
  const [{ parseSpec }, { buildEvents }] = await Promise.all([
    import('../../load/parse-spec.js'),
    import('../../model/build-events.js'),
  ]);
  const model = buildEvents(await parseSpec(path, await readSpec(path, policy.maxSpecBytes), policy));
  if (flags.json) {
    io.out(
      JSON.stringify(
        model.events.map((e) => ({ event: e.name, title: e.title, summary: e.summary, handler: e.handlerFile })),
        null,
        2,
      ),
    );
    return 0;
  }
  const width = Math.max(...model.events.map((e) => e.name.length));
  for (const e of model.events)
    io.out(`${e.name.padEnd(width)}  ${plainText(e.summary || e.title).replace(/\s+/g, ' ')}`);
  return 0;
}
