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
//   approve.js [--issuer URL | --uri URI] [--ca FILE] --batch < LINES
//
// --batch reads lines "USER_CODE ACCOUNT [deny[=STEP]]" from stdin, handles
// them all concurrently (each in its own browser session), and prints
// "USER_CODE ACCOUNT success|aborted|failed: REASON" per line; exit 0 only
// when every line got the decision it asked for.
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
      batch: { type: 'boolean', default: false },
    },
  });
} catch (e) {
  usage(e.message);
}
const { values: opt, positionals } = parsed;
const STEPS = ['confirm', 'login', 'consent'];
if (positionals.length !== (opt.batch ? 0 : 2)) usage();
if (!opt.ca) usage('no --ca (and IDP_CA is not set)');
if (!opt.uri && !opt.issuer) usage('no --issuer or --uri (and IDP_ISSUER is not set)');
if (opt.deny && !STEPS.includes(opt.deny)) usage(`bad --deny=${opt.deny}`);
const verificationUri = opt.uri || `${opt.issuer}/device`;

if (opt.batch) {
  let input = '';
  for await (const chunk of process.stdin) {
    input += chunk;
    if (input.length > 1024 * 1024) usage('batch input too large');
  }
  const jobs = input.split('\n').map((l) => l.trim()).filter(Boolean).map((line) => {
    const [code, who, deny, ...rest] = line.split(/\s+/);
    const step = deny === 'deny' ? 'confirm' : deny?.replace(/^deny=/, '');
    if (!who || rest.length || (deny && !STEPS.includes(step))) usage(`bad batch line: ${line}`);
    return { code, who, step: deny ? step : false };
  });
  const results = await Promise.all(jobs.map(({ code, who, step }) => approve({
    verificationUri, userCode: code, account: who, password: opt.password, deny: step, ca: opt.ca,
  }).then((r) => [`${code} ${who} ${r}`, r === (step ? 'aborted' : 'success')],
    (e) => [`${code} ${who} failed: ${e.message}`, false])));
  for (const [line] of results) console.log(line);
  process.exit(results.every(([, good]) => good) ? 0 : 1);
}

const [userCode, account] = positionals;

try {
  const result = await approve({
    verificationUri,
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
