// The user projects of the compatibility matrix: a package.json `type` and the compiler options a user of
// each kind of project has. The generated receiver is copied into src/aircall and built into dist/aircall.

export type PackageType = 'module' | 'commonjs';

export interface UserConfig {
  name: string;
  /** The package.json `type`; absent means CommonJS, like `npm init` before npm 11. */
  packageType?: PackageType;
  compilerOptions: Record<string, unknown>;
}

/** What every user project adds to its settings: where sources are and where the build goes. */
const FOLDERS = { rootDir: 'src', outDir: 'dist' };

/** `tsc --init` of TypeScript 7.0, as written (comments dropped). Note `types: []` and no `lib`. */
export const TSC_INIT_DEFAULTS = {
  module: 'nodenext',
  target: 'esnext',
  types: [],
  sourceMap: true,
  declaration: true,
  declarationMap: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  strict: true,
  jsx: 'react-jsx',
  verbatimModuleSyntax: true,
  isolatedModules: true,
  noUncheckedSideEffectImports: true,
  moduleDetection: 'force',
  skipLibCheck: true,
};

export const USER_CONFIGS: readonly UserConfig[] = [
  {
    name: 'ESM, NodeNext',
    packageType: 'module',
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      types: ['node'],
      strict: true,
      verbatimModuleSyntax: true,
      skipLibCheck: true,
    },
  },
  {
    name: 'CommonJS, module commonjs',
    compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: true },
  },
  {
    // verbatimModuleSyntax is left out: TypeScript forbids `import`/`export` in CommonJS files with it on.
    name: 'CommonJS, NodeNext in a type: commonjs package',
    packageType: 'commonjs',
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      types: ['node'],
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
    },
  },
  {
    name: 'tsc --init defaults (TypeScript 7), type: module',
    packageType: 'module',
    compilerOptions: TSC_INIT_DEFAULTS,
  },
  {
    name: 'strictest flags, no ambient types, ES2022 lib only',
    packageType: 'module',
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022'],
      module: 'NodeNext',
      types: [],
      strict: true,
      verbatimModuleSyntax: true,
      isolatedModules: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      noPropertyAccessFromIndexSignature: true,
      noImplicitOverride: true,
      noImplicitReturns: true,
      noFallthroughCasesInSwitch: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      allowUnusedLabels: false,
      allowUnreachableCode: false,
      forceConsistentCasingInFileNames: true,
      declaration: true,
      skipLibCheck: false,
    },
  },
];

export function tsconfigOf(config: UserConfig): string {
  return `${JSON.stringify({ compilerOptions: { ...config.compilerOptions, ...FOLDERS }, include: ['src'] }, null, 2)}\n`;
}
