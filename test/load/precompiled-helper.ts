// The precompiled validators are a build output (npm run build); build them if this checkout has not been built.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  loadPrecompiledValidators,
  PRECOMPILED_VERSION,
  type PrecompiledModule,
} from '../../src/load/fast-validation/precompiled.js';

const VALIDATOR = fileURLToPath(
  new URL(`../../dist/load/fast-validation/asyncapi-${PRECOMPILED_VERSION}-validator.js`, import.meta.url),
);
const BUILD_SCRIPT = fileURLToPath(new URL('../../scripts/build-fast-validation.mjs', import.meta.url));

export async function precompiledValidators(): Promise<PrecompiledModule> {
  if (!existsSync(VALIDATOR)) execFileSync(process.execPath, [BUILD_SCRIPT]);
  const module = await loadPrecompiledValidators();
  if (!module) throw new Error(`${VALIDATOR} did not load`);
  return module;
}
