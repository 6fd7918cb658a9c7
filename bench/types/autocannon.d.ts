// autocannon ships no types and lives in bench/'s own package (installed on first `npm run bench`), so the
// type-check of the bench (run by `npm test`, without that install) sees only the part it uses.
declare module 'autocannon' {
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    pipelining?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    [option: string]: unknown;
  }
  // biome-ignore lint/suspicious/noExplicitAny: the result's shape is read field by field in throughput.js
  type Result = any;
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
