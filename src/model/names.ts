/**
 * Turning spec names into identifiers and file names. Every name that reaches generated code
 * passes through here, so a hostile spec cannot inject code or escape the output folder.
 */

/** Event names may use letters, digits, `_`, `-` and `.` (Aircall's look like `user.created.v2`). */
const SAFE_EVENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export function isSafeEventName(name: string): boolean {
  return SAFE_EVENT_NAME.test(name) && !name.includes('..');
}

function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0);
}

/** `call.ringing_on_agent` -> `CallRingingOnAgent`; a leading digit gets a `T` prefix. */
export function pascalCase(text: string): string {
  const joined = words(text)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
  if (joined === '') return 'Unnamed';
  return /^[0-9]/.test(joined) ? `T${joined}` : joined;
}

/** Names Windows keeps for devices, whatever the case and whatever extension follows (`nul.txt` too). */
const WINDOWS_DEVICE_NAME = /^(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])$/i;

/**
 * A file name every OS can create: one whose part before the first dot is a Windows device name
 * (`con.ts`, `aux.created.json`) gets a `_` prefix. No event name or kebab-case name starts with `_`,
 * so the prefixed name cannot collide with another event's file.
 */
export function windowsSafeFileName(fileName: string): string {
  return WINDOWS_DEVICE_NAME.test(fileName.split('.')[0]!) ? `_${fileName}` : fileName;
}

/** `user.created.v2` -> `user-created-v2` */
export function kebabCase(text: string): string {
  return words(text)
    .map((word) => word.toLowerCase())
    .join('-');
}

/**
 * Names of TypeScript's global types and a few ambient ones: a model called `Number` would
 * shadow the global in every file that imports it, so such models get an `Aircall` prefix.
 */
const GLOBAL_TYPE_NAMES = new Set([
  'Array',
  'ArrayBuffer',
  'BigInt',
  'Boolean',
  'DataView',
  'Date',
  'Error',
  'Function',
  'Infer',
  'Iterable',
  'Iterator',
  'JSON',
  'Map',
  'Math',
  'Number',
  'Object',
  'Omit',
  'Partial',
  'Pick',
  'Promise',
  'Proxy',
  'Readonly',
  'Record',
  'Reflect',
  'RegExp',
  'Request',
  'Required',
  'Response',
  'Set',
  'String',
  'Symbol',
  'URL',
  'WeakMap',
  'WeakSet',
  'Headers',
  'Buffer',
  'Event',
  // Names the generated modules export themselves.
  'AircallEvent',
  'EventMap',
  'EventName',
  'Handler',
  'HandlerMap',
  'HandlerContext',
  'ValidationIssue',
]);

/** A model name from a schema title or component key: PascalCase, never a global type's name. */
export function modelName(raw: string): string {
  const name = pascalCase(raw);
  return GLOBAL_TYPE_NAMES.has(name) ? `Aircall${name}` : name;
}

/**
 * Characters no text from the spec may carry into a generated file or the terminal: C0 controls but tab
 * and newline (NUL, ESC starts terminal escape sequences), DEL, C1 controls (U+009B is a one-byte CSI),
 * the line and paragraph separators, and the bidi embeddings, overrides and isolates that let text
 * display in another order than the compiler reads it ("Trojan Source").
 */
const UNPRINTABLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/** Text from the spec with line endings made `\n` and every unprintable character a space. */
export function plainText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(UNPRINTABLE, ' ');
}

/** Text safe inside a `/** ... *\/` comment: no comment terminator, no stray control characters. */
export function commentText(text: string): string {
  return plainText(text).replace(/\*\//g, '*\\/').trim();
}

/**
 * A double-quoted JS/TS string literal for any text. JSON escapes quotes, backslashes and C0 controls; C1
 * controls, line separators and bidi marks are escaped too, so the literal reads in an editor as it runs.
 */
export function stringLiteral(value: string): string {
  return JSON.stringify(value).replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
