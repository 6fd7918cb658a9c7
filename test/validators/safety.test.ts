/**
 * A hostile spec cannot inject code: names, enum values, patterns and event names only ever land
 * inside string literals. Also: the output stays free of per-call closures and RegExps, and
 * imports nothing but the EventName type.
 */

import type { ValidateFunction } from 'ajv';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUserError } from '../../src/errors.js';
import { formatFile } from '../../src/format/format-file.js';
import { renderValidatorsModule, type JsonSchema } from '../../src/render/validators/index.js';
import {
  ajvValidators,
  compare,
  junkJson,
  loadGenerated,
  random,
  removeTmp,
  typeCheck,
  type GeneratedModule,
} from './support.js';

const HOSTILE = [
  '"); process.exit(1); //',
  "'); process.exit(1); //",
  '*/ process.exit(1); /*',
  'a\u2028b',
  'c\u2029d',
  '`${process.exit(1)}`',
  '\\',
  '\\"',
  '</script>',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'a/b~c',
  '',
  ' ',
  'value',
  'path',
  'issues',
  'start',
  'isObject',
  'validateEvent',
  'PATTERN_Hostile_x',
  'class',
  '0',
];

/** ajv cannot compile a lone surrogate property name (it URI-encodes schema paths); we can. */
const LONE = { type: 'object', required: ['\ud800'], properties: { '\ud800': { type: 'integer' } } };

const PATTERN = '^(?:\\*/|"|\'|`|\\$\\{x\\}|\u2028|</script>|[a-z]*)$';

function hostileSchema(): JsonSchema {
  const properties: Record<string, unknown> = {};
  for (const name of HOSTILE) {
    Object.defineProperty(properties, name, {
      value: { type: 'string', enum: [name, `${name}!`], 'x-parser-schema-id': '<anonymous-schema-1>' },
      enumerable: true,
    });
  }
  return {
    'x-parser-schema-id': 'Hostile',
    type: 'object',
    required: HOSTILE,
    properties: {
      ...properties,
      x: { type: 'string', pattern: PATTERN, 'x-parser-schema-id': '<anonymous-schema-2>' },
      k: { const: '*/`${1}`', 'x-parser-schema-id': '<anonymous-schema-3>' },
      m: {
        type: 'object',
        additionalProperties: false,
        properties: { '"': {}, '*/': {}, __proto__x: {} },
        'x-parser-schema-id': '<anonymous-schema-4>',
      },
    },
  };
}

const EVENT_NAMES = ['"); process.exit(1); //', '*/', '__proto__', 'constructor', 'x\u2028y', '`${a}`', 'call.created'];

function hostileBody(): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const name of HOSTILE) Object.defineProperty(body, name, { value: name, enumerable: true, writable: true });
  return { ...body, x: '*/', k: '*/`${1}`', m: { '"': 1, '*/': 2 } };
}

describe('hostile names', () => {
  const schema = hostileSchema();
  const events = EVENT_NAMES.map((name, i) => ({
    name,
    schema: i % 2 === 0 ? schema : { type: 'object', required: [name] },
  }));
  let module: GeneratedModule;
  let ajv: Map<string, ValidateFunction>;

  beforeAll(async () => {
    module = await loadGenerated('hostile', [...events, { name: 'lone', schema: LONE }]);
    ajv = ajvValidators(events);
  }, 60_000);
  afterAll(() => removeTmp([module]));

  it('still type-checks', () => {
    expect(typeCheck([module])).toEqual([]);
  }, 60_000);

  it('keeps every spec string inside string literals', () => {
    const scanner = ts.createScanner(ts.ScriptTarget.ES2022, false, ts.LanguageVariant.Standard, module.source);
    const identifiers = new Set<string>();
    const comments: string[] = [];
    for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
      if (token === ts.SyntaxKind.Identifier) identifiers.add(scanner.getTokenText());
      if (token === ts.SyntaxKind.SingleLineCommentTrivia || token === ts.SyntaxKind.MultiLineCommentTrivia)
        comments.push(scanner.getTokenText());
      if (token === ts.SyntaxKind.SlashToken || token === ts.SyntaxKind.SlashEqualsToken) scanner.reScanSlashToken();
    }
    expect(identifiers.has('process')).toBe(false);
    expect(identifiers.has('exit')).toBe(false);
    expect(module.source).not.toMatch(/[\u2028\u2029]/);
    for (const comment of comments) expect(comment).not.toMatch(/process|script|PATTERN|\$\{/);
  });

  it('validates hostile property names as plain data', () => {
    const body = hostileBody();
    expect(module.validateEvent('"); process.exit(1); //', body)).toBeNull();
    expect(module.validateEvent('__proto__', body)).toBeNull();
    const missing = module.validateEvent('*/', {});
    expect(missing).toEqual([{ path: '', message: "must have required property '*/'" }]);
    const wrong = module.validateEvent('"); process.exit(1); //', {
      ...body,
      x: 'A',
      m: { '"': 1, __proto__x: 2, other: 3 },
    });
    expect(wrong).toEqual([
      { path: '/m/other', message: 'must NOT have additional properties' },
      { path: '/x', message: `must match pattern "${PATTERN}"` },
    ]);
  });

  it('handles a lone surrogate property name', () => {
    expect(module.validateEvent('lone', JSON.parse('{"\\ud800": 1}'))).toBeNull();
    expect(module.validateEvent('lone', JSON.parse('{"\\ud800": "x"}'))).toEqual([
      { path: '/\ud800', message: 'must be integer' },
    ]);
    expect(module.validateEvent('lone', {})).toEqual([{ path: '', message: "must have required property '\ud800'" }]);
  });

  it('reads __proto__ and constructor as own properties only', () => {
    const parsed = JSON.parse('{"__proto__": {"x": 1}, "constructor": "constructor"}') as unknown;
    const issues = module.validateEvent('"); process.exit(1); //', parsed) ?? [];
    expect(issues).toContainEqual({ path: '/__proto__', message: 'must be string' });
    expect(issues).not.toContainEqual({ path: '/constructor', message: 'must be string' });
    expect(issues).toContainEqual({ path: '', message: "must have required property 'toString'" });
  });

  it('reads own properties only, also when Object.prototype is polluted', () => {
    const proto = Object.prototype as Record<string, unknown>;
    const key = 'a/b~c';
    const body = hostileBody();
    const without = { ...body };
    delete without[key];
    const missing = [{ path: '', message: `must have required property '${key}'` }];
    const wrongType = [
      { path: '/a~1b~0c', message: 'must be string' },
      { path: '/a~1b~0c', message: 'must be equal to one of the allowed values' },
    ];
    expect(module.validateEvent('__proto__', without)).toEqual(missing);
    // Inherited values equal to the body's own value, and different from it. Results are taken
    // while polluted and checked after cleaning up (expect itself reads plain objects).
    for (const polluted of [key, `${key}!`, 42]) {
      proto[key] = polluted;
      let results: unknown[];
      try {
        results = [
          module.validateEvent('__proto__', without),
          module.validateEvent('__proto__', body),
          module.validateEvent('__proto__', { ...body, [key]: 42 }),
        ];
      } finally {
        delete proto[key];
      }
      expect(results).toEqual([missing, null, wrongType]);
    }
  });

  it('agrees with ajv, and never throws, on bodies and junk', () => {
    const next = random(99);
    const bodies: unknown[] = [hostileBody(), {}, JSON.parse('{"__proto__": {"x": 1}}'), null, [], 'x'];
    for (let n = 0; n < 100; n++) bodies.push(JSON.parse(junkJson(next)));
    // ajv skips a property named __proto__ in `properties` (a hardening of its own); we validate
    // it like any other own property, so bodies that have one are compared by hand above.
    const hasProto = (body: unknown): boolean =>
      typeof body === 'object' && body !== null && Object.hasOwn(body, '__proto__');
    const failures = events.flatMap((event) => {
      const validate = ajv.get(event.name);
      if (validate === undefined) throw new Error(event.name);
      return bodies
        .filter((body) => event.schema !== schema || !hasProto(body))
        .map((body) => compare(module, validate, event.name, body).detail)
        .filter(Boolean);
    });
    expect(failures.slice(0, 5)).toEqual([]);
  });

  it('refuses a schema name that is not an identifier, naming it', () => {
    const bad = { 'x-parser-schema-id': 'Bad); process.exit(1); //', type: 'object' };
    expect(() => renderValidatorsModule({ events: [{ name: 'a', schema: bad }] })).toThrow(
      "The schema name 'Bad); process.exit(1); //' is not a valid identifier",
    );
  });

  it('renames a validator whose schema name meets a fixed name (validateEvent)', async () => {
    const event = { 'x-parser-schema-id': 'Event', type: 'object', required: ['id'] };
    const payload = { 'x-parser-schema-id': 'CallCreatedPayload', type: 'object', properties: { e: event } };
    const generated = await loadGenerated('fixed-names', [
      { name: 'event', schema: event },
      { name: 'call.created', schema: { type: 'object', properties: { p: payload } } },
    ]);
    try {
      const names = [...generated.source.matchAll(/^(?:export )?function (validate\w+)\(/gm)].map((match) => match[1]);
      expect(names).toEqual([
        'validateEvent',
        'validateCallCreatedPayload',
        'validateCallCreatedPayload2',
        'validateEvent2',
      ]);
      expect(typeCheck([generated])).toEqual([]);
      expect(generated.validateEvent('event', {})).toEqual([{ path: '', message: "must have required property 'id'" }]);
      expect(generated.validateEvent('call.created', { p: { e: {} } })).toEqual([
        { path: '/p/e', message: "must have required property 'id'" },
      ]);
    } finally {
      removeTmp([generated]);
    }
  }, 60_000);

  it('refuses duplicate event names and an empty event list', () => {
    const attempt = (events: { name: string; schema: JsonSchema }[]): unknown => {
      try {
        renderValidatorsModule({ events });
        return undefined;
      } catch (error) {
        return error;
      }
    };
    expect(
      isUserError(
        attempt([
          { name: 'a', schema: true },
          { name: 'a', schema: true },
        ]),
      ),
    ).toBe(true);
    expect(isUserError(attempt([]))).toBe(true);
  });
});

describe('shape of the generated module', () => {
  const source = renderValidatorsModule({
    events: [
      { name: 'e', schema: hostileSchema() },
      { name: 'f', schema: { anyOf: [{ type: 'string', format: 'date-time' }, { format: 'regex' }] } },
    ],
  });
  const file = ts.createSourceFile('validators.ts', source, ts.ScriptTarget.ES2022, true);

  it('imports only the EventName type from ./events.js', () => {
    const imports = file.statements.filter(ts.isImportDeclaration).map((node) => node.getText());
    expect(imports).toEqual(["import type { EventName } from './events.js';"]);
  });

  it('creates no closure and compiles no RegExp inside the validators', () => {
    const offenders: string[] = [];
    for (const statement of file.statements) {
      if (!ts.isFunctionDeclaration(statement) || statement.name?.text === 'isRegExpSource') continue;
      const visit = (node: ts.Node): void => {
        if (ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isRegularExpressionLiteral(node))
          offenders.push(node.getText());
        if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
          if (node.expression.getText() === 'RegExp') offenders.push(node.getText());
        }
        ts.forEachChild(node, visit);
      };
      visit(statement);
    }
    expect(offenders).toEqual([]);
  });

  it('compiles patterns once, at module level, with the u flag', () => {
    expect(source).toContain(
      `const PATTERN_Hostile_x = new RegExp(${JSON.stringify(PATTERN).replace(/\u2028/g, '\\u2028')}, 'u');`,
    );
  });
});

describe('formatting', () => {
  it('survives prettier with the project settings, and behaves the same afterwards', async () => {
    const events = EVENT_NAMES.map((name) => ({ name, schema: hostileSchema() }));
    const formatted = await loadGenerated('formatted', events, (source) => formatFile('validators.ts', source));
    try {
      expect(formatted.source).toContain("['__proto__']: validateHostile,");
      expect(typeCheck([formatted])).toEqual([]);
      for (const name of EVENT_NAMES) expect(formatted.validateEvent(name, hostileBody())).toBeNull();
      expect(formatted.validateEvent('__proto__', {})).toHaveLength(HOSTILE.length);
    } finally {
      removeTmp([formatted]);
    }
  }, 60_000);
});
