import { commentText, stringLiteral } from '../model/names.js';
import { sortBy } from '../shared/order.js';

/** Splits a TypeScript union at its top level (not inside `<...>`, `(...)` or `{...}`). */
export function splitUnion(type: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < type.length; i++) {
    const c = type[i];
    if (c === '<' || c === '(' || c === '{' || c === '[') depth++;
    else if (c === '>' || c === ')' || c === '}' || c === ']') depth--;
    else if (c === '|' && depth === 0) {
      parts.push(type.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(type.slice(start).trim());
  return parts.filter((p) => p !== '');
}

/** `string | null | number | null` -> `string | number | null`: no repeats, `null` last. */
export function tidyUnion(type: string): string {
  const parts = [...new Set(splitUnion(type))];
  const withoutNull = parts.filter((p) => p !== 'null');
  return withoutNull.length === parts.length ? parts.join(' | ') : [...withoutNull, 'null'].join(' | ');
}

const PROCESSOR_OPTIONS = { interpreter: { ignoreAdditionalProperties: true, ignoreAdditionalItems: true } };

/**
 * Modelina's input, built from the payload schemas the way its AsyncAPI input processor builds it
 * from a parsed document's messages (one meta model per payload), so models.ts renders from the
 * model stage's output, not from the parser's document.
 */
async function modelinaInput(payloads: readonly Record<string, unknown>[]) {
  const [{ AsyncAPIInputProcessor, InputMetaModel, JsonSchemaInputProcessor }, { SchemaV2 }] = await Promise.all([
    import('@asyncapi/modelina'),
    import('@asyncapi/parser'),
  ]);
  const input = new InputMetaModel();
  for (const payload of new Set(payloads)) {
    const schema = AsyncAPIInputProcessor.convertToInternalSchema(new SchemaV2(payload));
    const model = JsonSchemaInputProcessor.convertSchemaToMetaModel(schema, PROCESSOR_OPTIONS);
    input.models[model.name] = model;
  }
  return input;
}

function literal(value: unknown): string {
  return value === null ? 'null' : typeof value === 'string' ? stringLiteral(value) : String(value);
}

/**
 * Payload models from Modelina, as one module of exported interfaces and union types.
 *
 * Modelina's TypeScript defaults are corrected here rather than in its output text:
 * wire property names are kept (quoted by stringLiteral, so no name can break out),
 * nullable enums render `null` rather than the string `'null'`, `const` values render as
 * their literal even on enum-typed properties, repeated union members are merged, and
 * descriptions become doc comments. `payloads` are the model stage's payload schemas, already
 * named by nameSchemas (SpecModel.payloads).
 */
export async function renderModels(payloads: readonly Record<string, unknown>[]): Promise<string> {
  const [{ TypeScriptGenerator }, input] = await Promise.all([import('@asyncapi/modelina'), modelinaInput(payloads)]);
  const generator = new TypeScriptGenerator({
    modelType: 'interface',
    enumType: 'union',
    mapType: 'record',
    rawPropertyNames: true,
    useJavascriptReservedKeywords: false,
    processorOptions: PROCESSOR_OPTIONS,
    typeMapping: { Any: () => 'unknown' },
    constraints: {
      enumValue: ({ enumValue }: { enumValue: unknown }) => literal(enumValue),
      constant: ({
        constrainedMetaModel,
      }: {
        constrainedMetaModel: { options: { const?: { originalInput: unknown } } };
      }) => {
        const constant = constrainedMetaModel.options.const;
        return constant === undefined ? undefined : literal(constant.originalInput);
      },
      modelName: ({ modelName }: { modelName: string }) => modelName,
    },
    presets: [
      {
        interface: {
          property({ property }) {
            const optional = property.required ? '' : '?';
            const input = property.property.originalInput as Record<string, unknown> | undefined;
            // A $ref'd model carries its own doc comment; repeating it on every property is noise.
            const named =
              typeof input?.['x-parser-schema-id'] === 'string' && !String(input['x-parser-schema-id']).startsWith('<');
            const doc = named ? undefined : input?.['description'];
            const comment =
              typeof doc === 'string' && doc !== '' ? `/** ${commentText(doc).replace(/\s*\n\s*/g, ' ')} */\n` : '';
            const constant = property.property.options.const;
            const type = constant === undefined ? tidyUnion(property.property.type) : literal(constant.originalInput);
            return `${comment}${stringLiteral(property.unconstrainedPropertyName)}${optional}: ${type};`;
          },
        },
      },
    ],
  });

  const models = await generator.generate(input);
  const ownNames = new Set<string>();
  const blocks: { name: string; code: string }[] = [];
  for (const model of models) {
    const id = (model.model.originalInput as Record<string, unknown> | undefined)?.['x-parser-schema-id'];
    // Modelina also emits a union of all payloads named after the channel; events.ts does that job.
    if (typeof id !== 'string' || id.startsWith('<')) continue;
    if (ownNames.has(model.modelName)) continue;
    ownNames.add(model.modelName);
    const description = (model.model.originalInput as Record<string, unknown>)['description'];
    const doc = typeof description === 'string' && description !== '' ? `/** ${commentText(description)} */\n` : '';
    const code = model.result.replace(/^(interface|type) /m, (keyword) => `export ${keyword}`);
    blocks.push({ name: model.modelName, code: `${doc}${code.replace(/'null'/g, 'null')}` });
  }
  return sortBy(blocks, (b) => b.name)
    .map((b) => b.code)
    .join('\n\n');
}
