import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH = dirname(dirname(fileURLToPath(import.meta.url)));
export const ROOT = dirname(BENCH);
export const TMP = join(BENCH, '.tmp');
export const SPEC = join(ROOT, 'spec', 'aircall-webhooks.asyncapi.yaml');
export const BIN = join(ROOT, 'bin', 'aircall-gen.js');
export const BODY_EXAMPLE = join(ROOT, 'test', 'fixtures', 'examples', 'call.created.json');
