#!/usr/bin/env node
// SPDX-License-Identifier: BSD-2-Clause
//
// Approve or deny a device-flow user code at the test provider as a given
// account, the way a person does in a browser (verification page, code
// form with its xsrf token, device confirmation, sign-in, consent), over
// HTTPS with the test CA.
//
//   approve.js [--issuer URL | --uri VERIFICATION_URI] [--ca FILE]
//              [--password PW] [--deny[=confirm|login|consent]] USER_CODE ACCOUNT
//
// Defaults: --issuer $IDP_ISSUER, --ca $IDP_CA (set by lib.sh idp_start),
// verification URI ISSUER/device.  Exit 0 when the provider accepted the
// decision (approved, or denied with --deny), 1 when it did not (wrong
// code, unknown account, expired code...), 2 on usage errors.
import { parseArgs } from 'node:util';

import { approve } from './browser.js';

function usage(msg) {
  if (msg) console.error(`approve.js: ${msg}`);
  console.error('usage: approve.js [--issuer URL | --uri URI] [--ca FILE] [--password PW] '
    + '[--deny[=confirm|login|consent]] USER_CODE ACCOUNT');
  process.exit(2);
}

// --deny may stand alone; parseArgs wants a value, so split it off first.
const argv = process.argv.slice(2).map((a) => (a === '--deny' ? '--deny=confirm' : a));
let parsed;
try {
  parsed = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      issuer: { type: 'string', default: process.env.IDP_ISSUER },
      uri: { type: 'string' },
      ca: { type: 'string', default: process.env.IDP_CA },
      password: { type: 'string' },
      deny: { type: 'string' },
    },
  });
} catch (e) {
  usage(e.message);
}
const { values: opt, positionals } = parsed;
if (positionals.length !== 2) usage();
if (!opt.ca) usage('no --ca (and IDP_CA is not set)');
if (!opt.uri && !opt.issuer) usage('no --issuer or --uri (and IDP_ISSUER is not set)');
if (opt.deny && !['confirm', 'login', 'consent'].includes(opt.deny)) usage(`bad --deny=${opt.deny}`);
const [userCode, account] = positionals;

try {
  const result = await approve({
    verificationUri: opt.uri || `${opt.issuer}/device`,
    userCode,
    account,
    password: opt.password,
    deny: opt.deny || false,
    ca: opt.ca,
  });
  console.error(`approve.js: ${account}: ${result}`);
  process.exit(0);
} catch (e) {
  console.error(`approve.js: ${account}: ${e.message}`);
  process.exit(1);
}
