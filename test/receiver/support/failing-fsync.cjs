// Preloaded into an entry process by a test (NODE_OPTIONS=--require): fs.fdatasync succeeds
// FAIL_FSYNC_AFTER times, then fails with EIO from every call on, as a failing disk fails it.
const fs = require('node:fs');
const { syncBuiltinESMExports } = require('node:module');

const after = Number(process.env.FAIL_FSYNC_AFTER);
const real = fs.fdatasync;
let calls = 0;
fs.fdatasync = (fd, callback) => {
  calls++;
  if (calls <= after) return real(fd, callback);
  const error = Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO', errno: -5, syscall: 'fdatasync' });
  process.nextTick(callback, error);
};
// ES modules that imported { fdatasync } from 'node:fs' see the replacement too.
syncBuiltinESMExports();
