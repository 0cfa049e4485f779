'use strict';
// The compiled addon; built by `node-gyp rebuild` when this package is installed.
let binding;
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a native addon loads through require only
  binding = require('./build/Release/scm_rights.node');
} catch (error) {
  throw new Error(
    `qmp-sdk-scm-rights is installed but its native part is not built (${error.message}); ` +
      "build it with `npm rebuild qmp-sdk-scm-rights` (node-gyp: a C compiler, make, Python and Node's headers)",
    { cause: error },
  );
}

exports.sendWithFds = binding.sendWithFds;
