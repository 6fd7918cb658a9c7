import { realpath } from 'node:fs/promises';
import { sha256 } from '../shared/hash.js';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fetchBounded, readBoundedFile } from './bounded-read.js';
import { DEFAULT_MAX_SPEC_BYTES } from './spec-limits.js';

/** Which `$ref` targets outside the spec document itself may be read. */
export interface SpecReadPolicy {
  /** Folders whose files a `$ref` may read, besides the spec's own folder (and its subfolders). */
  allowRefRoots?: readonly string[];
  /** Remote (`http:`/`https:`) `$ref`s: refused (default), allowed for any host (true), or for these hosts. */
  allowRemoteRefs?: boolean | readonly string[];
  /** How long one remote `$ref` may take, in milliseconds. */
  refTimeoutMs?: number;
  /** Largest file or response a `$ref` may read. */
  maxSpecBytes?: number;
}

export const DEFAULT_REF_TIMEOUT_MS = 10_000;

/**
 * What the spec's `$ref`s read besides the spec itself: the up-to-date check needs them, since editing a
 * referenced file changes the output while the spec's own text stays the same.
 */
export interface RefInputs {
  /** Absolute path of each file read -> SHA-256 of its text. */
  files: Map<string, string>;
  /** Absolute path of each file read -> its text (to locate a refused `$ref` written inside it). */
  texts: Map<string, string>;
  /** A remote `$ref` was read: its content cannot be checked without fetching it, so no run is a no-op. */
  remote: boolean;
}

/** A `$ref` that was not read, and why. */
export interface RefRefusal {
  /** The resolved target: an absolute file path or a URL. */
  target: string;
  reason: string;
  hint: string;
}

/** The shape @asyncapi/parser takes in `__unstable.resolver.resolvers`. */
interface ParserResolver {
  schema: string;
  order: number;
  read: (uri: { href(): string }) => Promise<string>;
}

/**
 * Stands in for a refused target. The parser falls back to its own readers when a resolver throws,
 * so refusing by throwing would still read the file; the guard records the refusal and answers with
 * this empty document instead, and the caller turns the recorded refusals into an error.
 */
const REFUSED = '{}';

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

async function realOrSelf(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return resolve(path);
  }
}

const ROOT_HINT =
  'Move the file into the spec\'s folder, or allow its folder with `--allow-ref-root <dir>` (config: "allowRefRoots").';

/**
 * Resolvers for @asyncapi/parser that read only what `policy` allows: files under the spec's folder or an
 * allowed root (symlinks followed, so a link pointing out is outside), and remote URLs only when allowed,
 * each fetch bounded in time and size. Everything refused lands in `refusals`.
 */
export function createRefGuard(specPath: string, policy: SpecReadPolicy = {}) {
  const refusals: RefRefusal[] = [];
  const inputs: RefInputs = { files: new Map(), texts: new Map(), remote: false };
  const refuse = (target: string, reason: string, hint: string): string => {
    if (!refusals.some((r) => r.target === target)) refusals.push({ target, reason, hint });
    return REFUSED;
  };
  const lexicalRoots = [dirname(resolve(specPath)), ...(policy.allowRefRoots ?? []).map((root) => resolve(root))];
  const realRoots = Promise.all(lexicalRoots.map(realOrSelf));
  const maxBytes = policy.maxSpecBytes ?? DEFAULT_MAX_SPEC_BYTES;

  const readFileRef = async (uri: { href(): string }): Promise<string> => {
    const target = resolve(uri.href());
    const roots = await realRoots;
    const outside = `it is outside the spec's folder${lexicalRoots.length > 1 ? ' and the allowed ref roots' : ''} (${lexicalRoots.join(', ')})`;
    if (!lexicalRoots.some((root) => isInside(root, target))) return refuse(target, outside, ROOT_HINT);
    const real = await realOrSelf(target);
    if (!roots.some((root) => isInside(root, real))) {
      return refuse(target, `it is a link to ${real}; ${outside}`, ROOT_HINT);
    }
    let tooLarge = false;
    const text = await readBoundedFile(real, maxBytes, (size) => {
      tooLarge = true;
      return refuse(
        target,
        `it is ${size} bytes, more than the limit of ${maxBytes}`,
        'Raise `maxSpecBytes` in aircall-gen.config.json.',
      );
    });
    if (!tooLarge) {
      inputs.files.set(target, sha256(text));
      inputs.texts.set(target, text);
    }
    return text;
  };

  const readRemoteRef = async (uri: { href(): string }): Promise<string> => {
    const url = uri.href();
    const allowed = policy.allowRemoteRefs ?? false;
    if (allowed === false) {
      return refuse(
        url,
        'remote $refs are not allowed',
        'Download the file next to the spec, or allow remote refs with `--allow-remote-refs` (config: "allowRemoteRefs").',
      );
    }
    const host = new URL(url).host.toLowerCase();
    const hostname = new URL(url).hostname.toLowerCase();
    if (allowed !== true && !allowed.some((h) => [host, hostname].includes(h.toLowerCase()))) {
      return refuse(
        url,
        `the host ${host} is not among the allowed hosts (${allowed.join(', ')})`,
        `Add it: \`--allow-remote-refs ${[...allowed, hostname].join(',')}\`.`,
      );
    }
    const timeoutMs = policy.refTimeoutMs ?? DEFAULT_REF_TIMEOUT_MS;
    const result = await fetchBounded(url, timeoutMs, maxBytes);
    inputs.remote = true;
    return result.ok ? result.text : refuse(url, result.reason, result.hint);
  };

  const resolvers: ParserResolver[] = [
    { schema: 'file', order: 1, read: readFileRef },
    { schema: 'http', order: 1, read: readRemoteRef },
    { schema: 'https', order: 1, read: readRemoteRef },
  ];
  return { resolvers, refusals, inputs };
}
