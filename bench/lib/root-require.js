// Modules the bench borrows from the root project's node_modules (yaml, @asyncapi/parser), so it
// measures against the same versions the generator uses rather than whatever the CLI pulled in.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './paths.js';

export const rootRequire = createRequire(join(ROOT, 'package.json'));
