import { relative } from 'node:path';
import type { GenerateResult } from '../generate.js';
import type { Action, PlanEntry } from '../write/index.js';

const ORDER: Action[] = ['create', 'update', 'delete', 'conflict', 'unchanged', 'kept', 'orphaned'];
const LABEL: Record<Action, string> = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
  conflict: 'conflicts',
  unchanged: 'unchanged',
  kept: 'kept (yours)',
  orphaned: 'orphaned',
};
const DRY_LABEL: Partial<Record<Action, string>> = { create: 'to create', update: 'to update', delete: 'to delete' };

export function displayPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}

const MAX_FIELD_LINES = 12;

/**
 * `~ event call.created: data.id: integer -> string`, one line per group of events whose payload
 * changed the same way (a shared schema's edit touches many events at once).
 */
function changedEventLines(changed: readonly string[], details: Record<string, string[]>): string[] {
  const groups = new Map<string, string[]>();
  for (const name of changed) {
    const key = (details[name] ?? []).join('\n');
    groups.set(key, [...(groups.get(key) ?? []), name]);
  }
  const lines: string[] = [];
  for (const [key, names] of groups) {
    const fields = key === '' ? [] : key.split('\n');
    const who =
      names.length === 1
        ? `event ${names[0]}`
        : `${names.length} events (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''})`;
    if (fields.length === 0) lines.push(`  ~ ${who}: payload changed`);
    else if (fields.length === 1) lines.push(`  ~ ${who}: ${fields[0]}`);
    else {
      lines.push(`  ~ ${who}:`);
      for (const field of fields.slice(0, MAX_FIELD_LINES)) lines.push(`      ${field}`);
      if (fields.length > MAX_FIELD_LINES) lines.push(`      ... and ${fields.length - MAX_FIELD_LINES} more`);
    }
  }
  if (changed.length > 0) lines.push('  `tsc` points at handler code that no longer fits a changed payload.');
  return lines;
}

function countByAction(entries: readonly PlanEntry[]): Map<Action, number> {
  const counts = new Map<Action, number>();
  for (const entry of entries) counts.set(entry.action, (counts.get(entry.action) ?? 0) + 1);
  return counts;
}

/** The JSON printed by --json: stable keys, relative paths. */
export function summaryJson(result: GenerateResult, ms: number, mode: 'write' | 'dry-run' | 'check') {
  const entries = result.plan?.entries ?? [];
  return {
    mode,
    spec: displayPath(result.specPath),
    out: displayPath(result.outDir),
    upToDate: result.upToDate,
    stale: result.stale,
    written: result.written,
    events: result.events >= 0 ? result.events : undefined,
    counts: Object.fromEntries(ORDER.map((a) => [a, entries.filter((e) => e.action === a).length])),
    files: entries
      .filter((e) => e.action !== 'unchanged' && e.action !== 'kept')
      .map((e) => ({ path: e.path, action: e.action, ...(e.detail && { detail: e.detail }) })),
    eventChanges: result.plan?.eventChanges ?? { added: [], removed: [], changed: [], details: {} },
    warnings: result.warnings.length,
    ms: Math.round(ms),
    timings: result.timings,
  };
}

/** The short human summary: counts, then what changed and what needs the user's attention. */
export function summaryText(result: GenerateResult, ms: number, mode: 'write' | 'dry-run' | 'check'): string {
  const out = displayPath(result.outDir);
  const time = ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
  if (result.upToDate) return `aircall-gen: ${out}/ is up to date (${time})`;
  const plan = result.plan!;
  const counts = countByAction(plan.entries);
  const lines = [
    `aircall-gen: ${result.events} events from ${displayPath(result.specPath)} -> ${out}/${mode === 'dry-run' ? ' (dry run, nothing written)' : ''} (${time})`,
  ];
  lines.push(
    '  ' +
      ORDER.filter((a) => counts.has(a))
        .map((a) => `${counts.get(a)} ${(mode !== 'write' && DRY_LABEL[a]) || LABEL[a]}`)
        .join(', '),
  );
  const { added, removed, changed } = plan.eventChanges;
  const firstRun = added.length === result.events && removed.length === 0;
  if (firstRun) lines.push(`  first generation: one handler stub per event in handlers/ (yours to edit)`);
  else for (const name of added) lines.push(`  + event ${name}`);
  lines.push(...changedEventLines(changed, plan.eventChanges.details));
  for (const name of removed) lines.push(`  - event ${name}: no longer in the spec`);
  const changedFiles = plan.entries.filter(
    (e) => ['create', 'update', 'delete'].includes(e.action) && e.ownership === 'generator',
  );
  if (mode !== 'write' || (!firstRun && changedFiles.length <= 20)) {
    for (const e of changedFiles) lines.push(`  ${e.action.padEnd(7)} ${e.path}`);
  }
  const stubs = plan.entries.filter((x) => x.ownership === 'user' && x.action === 'create');
  const stubLabel = mode === 'check' ? 'missing handler' : 'new handler';
  if (!firstRun || mode !== 'write') for (const e of stubs.slice(0, 20)) lines.push(`  ${stubLabel} ${e.path}`);
  if ((!firstRun || mode !== 'write') && stubs.length > 20)
    lines.push(`  ... and ${stubs.length - 20} more new handlers`);
  for (const e of plan.entries.filter((x) => x.action === 'orphaned')) {
    lines.push(`  orphaned ${e.path}: its event left the spec; kept, not dispatched. Delete it when done.`);
  }
  for (const e of plan.entries.filter((x) => x.action === 'conflict')) {
    lines.push(`  conflict ${e.path}: ${e.detail ?? 'edited by hand'}`);
  }
  return lines.join('\n');
}
