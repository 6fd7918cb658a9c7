import { resolve } from 'node:path';
import { Option } from 'commander';
import type { Config } from '../config/config.js';
import type { SpecReadPolicy } from '../load/ref-guard.js';

/** The flags that widen what a spec may read; every command that parses a spec takes them. */
export interface SpecReadFlags {
  allowRefRoot?: string[];
  /** `true` for the bare flag, or a comma-separated host list. */
  allowRemoteRefs?: boolean | string;
}

export function allowRefRootOption(): Option {
  return new Option(
    '--allow-ref-root <dir>',
    "let $refs read files under <dir> too (default: only the spec's folder); repeatable",
  ).argParser((dir: string, previous: string[] | undefined) => [...(previous ?? []), dir]);
}

export function allowRemoteRefsOption(): Option {
  return new Option(
    '--allow-remote-refs [hosts]',
    'let $refs fetch http(s) URLs: from any host, or only the comma-separated hosts (default: none)',
  );
}

/** Flags win over the config file; folders given on the command line are relative to the current one. */
export function specReadPolicy(flags: SpecReadFlags, config: Config): SpecReadPolicy {
  const remote =
    typeof flags.allowRemoteRefs === 'string'
      ? flags.allowRemoteRefs
          .split(',')
          .map((host) => host.trim())
          .filter((host) => host !== '')
      : (flags.allowRemoteRefs ?? config.allowRemoteRefs);
  const roots = flags.allowRefRoot?.map((dir) => resolve(dir)) ?? config.allowRefRoots;
  return {
    ...(roots !== undefined && { allowRefRoots: roots }),
    ...(remote !== undefined && { allowRemoteRefs: remote }),
    ...(config.refTimeoutMs !== undefined && { refTimeoutMs: config.refTimeoutMs }),
    ...(config.maxSpecBytes !== undefined && { maxSpecBytes: config.maxSpecBytes }),
  };
}
