/**
 * Which generated functions can call themselves (through any chain of calls): those of a recursive
 * schema. Only they take a `depth` argument and stop at MAX_DEPTH, so a body nested deeper than any
 * real one fails validation instead of overflowing the stack; every other function is bounded by
 * the schema itself and pays nothing.
 */

import type { FunctionDef, ModuleDef, SchemaNode, SchemaRef } from './ir.js';

/**
 * How many levels of a recursive schema a body may nest. Small enough that the stack holds it for
 * the largest functions the emitter writes, far more than a webhook body needs.
 */
export const MAX_DEPTH = 256;

/** For each function on a cycle of calls, the functions of its cycle (calls to them go one level deeper). */
export function recursiveCycles(def: ModuleDef): Map<string, ReadonlySet<string>> {
  const callees = new Map(def.functions.map((fn) => [fn.name, calleesOf(fn)]));
  const cycles = new Map<string, ReadonlySet<string>>();
  for (const component of stronglyConnected(
    def.functions.map((fn) => fn.name),
    callees,
  )) {
    const only = component[0];
    const cyclic = component.length > 1 || (only !== undefined && callees.get(only)?.has(only) === true);
    if (!cyclic) continue;
    const members: ReadonlySet<string> = new Set(component);
    for (const name of component) cycles.set(name, members);
  }
  return cycles;
}

function calleesOf(fn: FunctionDef): Set<string> {
  const found = new Set<string>();
  const visitRef = (ref: SchemaRef): void => {
    if ('call' in ref) found.add(ref.call);
    else visitNode(ref);
  };
  const visitNode = (node: SchemaNode): void => {
    if (node.array.items !== undefined) visitRef(node.array.items);
    for (const property of node.object.properties) visitRef(property.schema);
    const chunks = node.object.chunks;
    if (chunks !== undefined) for (const chunk of [...chunks.required, ...chunks.properties]) found.add(chunk);
    if (node.object.additional !== undefined && node.object.additional !== false) visitRef(node.object.additional);
    [...node.allOf, ...node.anyOf, ...node.oneOf].forEach(visitRef);
    if (node.not !== undefined) visitRef(node.not);
  };
  visitNode(fn.body);
  if (fn.delegate !== undefined) found.add(fn.delegate.to);
  return found;
}

/** Tarjan's algorithm, iterative (a schema may chain thousands of functions). */
function stronglyConnected(nodes: readonly string[], edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { node: string; next: Iterator<string> }[] = [];
    const enter = (node: string): void => {
      index.set(node, counter);
      low.set(node, counter++);
      stack.push(node);
      onStack.add(node);
      work.push({ node, next: (edges.get(node) ?? new Set<string>()).values() });
    };
    enter(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; next: Iterator<string> };
      const step = frame.next.next();
      if (!step.done) {
        const target = step.value;
        if (!edges.has(target)) continue;
        if (!index.has(target)) enter(target);
        else if (onStack.has(target)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      components.push(component.sort());
    }
  }
  return components;
}
