/** Building blocks of a generated function: JSON Pointer expressions and a line writer. */

import type { HelperName } from './emit-helpers.js';
import type { JsonType } from './ir.js';
import { type NameScope, jsString, pointerToken } from './names.js';

/** A JSON Pointer expression: the `path` parameter followed by literal and computed segments. */
export class PathExpr {
  constructor(private readonly parts: readonly ({ literal: string } | { code: string })[]) {}

  static param(): PathExpr {
    return new PathExpr([{ code: 'path' }]);
  }

  property(name: string): PathExpr {
    return new PathExpr([...this.parts, { literal: `/${pointerToken(name)}` }]);
  }

  computed(code: string): PathExpr {
    return new PathExpr([...this.parts, { literal: '/' }, { code }]);
  }

  /** `path`, or `path + "/data/items/" + i + "/id"`: adjacent literals merged. */
  render(): string {
    const merged: string[] = [];
    let literal: string | undefined;
    for (const part of this.parts) {
      if ('literal' in part) literal = (literal ?? '') + part.literal;
      else {
        if (literal !== undefined) merged.push(jsString(literal));
        literal = undefined;
        merged.push(part.code);
      }
    }
    if (literal !== undefined) merged.push(jsString(literal));
    return merged.join(' + ');
  }
}

/**
 * One function's output: lines, indentation, local names and the helpers it used.
 *
 * A failure is either reported (`issues.push`) or, inside an anyOf/oneOf/not branch, recorded in
 * a boolean flag (`ok = false`): branches never allocate issues of their own. Calls to other
 * validators inside a branch still push; the combinator truncates `issues` afterwards.
 */
export class FunctionWriter {
  readonly lines: string[] = [];
  private depth = 1;
  private flag: string | undefined;
  /** Calls emitted inside branches so far, so a combinator knows whether it must truncate. */
  branchCalls = 0;

  constructor(
    readonly locals: NameScope,
    private readonly helpers: Set<HelperName>,
    /** The `type` of each generated function's schema, by function name (undefined: any type). */
    private readonly rootTypes: ReadonlyMap<string, readonly JsonType[] | undefined> = new Map(),
    /** The functions on this function's recursion cycle: calls to them pass `depth + 1`. */
    private readonly cycle: ReadonlySet<string> = new Set(),
  ) {}

  /** The types a called function's schema allows at its root, when it restricts them. */
  typesOf(fn: string): readonly JsonType[] | undefined {
    return this.rootTypes.get(fn);
  }

  line(text: string): void {
    this.lines.push('  '.repeat(this.depth) + text);
  }

  /** Inserts a line at an earlier position (recorded with `lines.length`), at the current depth. */
  insert(index: number, text: string): void {
    this.lines.splice(index, 0, '  '.repeat(this.depth) + text);
  }

  /** `open`, the body indented, then `close` (null: leave the block open for an `else`). */
  block(open: string, body: () => void, close: string | null = '}'): void {
    this.line(open);
    this.depth++;
    body();
    this.depth--;
    if (close !== null) this.line(close);
  }

  use(helper: HelperName): string {
    this.helpers.add(helper);
    return helper;
  }

  /** Runs `body` with failures recorded in `flag` instead of reported. */
  withFlag(flag: string, body: () => void): void {
    const outer = this.flag;
    this.flag = flag;
    body();
    this.flag = outer;
  }

  /** The statement for a failure at `path`. */
  issue(path: PathExpr, message: string): string {
    if (this.flag !== undefined) return `${this.flag} = false;`;
    const code = path.render();
    return `issues.push({ ${code === 'path' ? 'path' : `path: ${code}`}, message: ${jsString(message)} });`;
  }

  /** The expression calling another validator (counted when inside a branch). */
  call(fn: string, value: string, path: PathExpr): string {
    if (this.flag !== undefined) this.branchCalls++;
    return this.callExpression(fn, value, path);
  }

  /** The expression calling another validator as an anyOf/oneOf/not branch. */
  branchCall(fn: string, value: string, path: PathExpr): string {
    this.branchCalls++;
    return this.callExpression(fn, value, path);
  }

  private callExpression(fn: string, value: string, path: PathExpr): string {
    return `${fn}(${value}, ${path.render()}, issues${this.cycle.has(fn) ? ', depth + 1' : ''})`;
  }

  /** The statement calling another validator, under an optional guard. */
  callStatement(fn: string, value: string, path: PathExpr, guard?: string): string {
    const call = this.call(fn, value, path);
    if (this.flag === undefined) return guard === undefined ? `${call};` : `if (${guard}) ${call};`;
    return `if (${guard === undefined ? '' : `${guard} && `}!${call}) ${this.flag} = false;`;
  }
}
