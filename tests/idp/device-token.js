#!/usr/bin/env node
// SPDX-License-Identifier: BSD-2-Clause
//
// Run a whole device flow at the test provider for CLIENT as ACCOUNT and
// print the ID token: discovery, device authorization request, approval in
// a scripted browser (browser.js), then polling of the token endpoint.
//
//   device-token.js [--issuer URL] [--ca FILE] [--client ID] [--secret S]
//                   [--scope S] [--deny[=confirm|login|consent]] [--json]
//                   [--timeout S] ACCOUNT
//
// Defaults: --issuer $IDP_ISSUER, --ca $IDP_CA, --client test-rs256,
// --scope "openid profile email".  Prints the id_token (or, with --json, the
// whole token response) on stdout and exits 0; on a token error prints
// "token error: ERROR" on stderr and exits 1; 2 on usage errors.
import { parseArgs } from 'node:util';

import { approve, Browser } from './browser.js';

function usage(msg) {
  if (msg) console.error(`device-token.js: ${msg}`);
  console.error('usage: device-token.js [--issuer URL] [--ca FILE] [--client ID] [--secret S] '
    + '[--scope S] [--deny[=confirm|login|consent]] [--json] [--timeout S] ACCOUNT');
  process.exit(2);
}

const argv = process.argv.slice(2).map((a) => (a === '--deny' ? '--deny=confirm' : a));
let parsed;
try {
  parsed = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      issuer: { type: 'string', default: process.env.IDP_ISSUER },
      ca: { type: 'string', default: process.env.IDP_CA },
      client: { type: 'string', default: 'test-rs256' },
      secret: { type: 'string' },
      scope: { type: 'string', default: 'openid profile email' },
      deny: { type: 'string' },
      json: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '30' },
    },
  });
} catch (e) {
  usage(e.message);
}
const { values: opt, positionals } = parsed;
if (positionals.length !== 1) usage();
if (!opt.issuer || !opt.ca) usage('need --issuer and --ca (or IDP_ISSUER and IDP_CA)');
const timeoutMs = Number(opt.timeout) * 1000;
if (!(timeoutMs > 0 && timeoutMs <= 600000)) usage('bad --timeout');
const [account] = positionals;

const api = new Browser({ ca: opt.ca });

async function postJson(url, form) {
  const headers = { accept: 'application/json' };
  if (opt.secret !== undefined) {
    const enc = (s) => encodeURIComponent(s);
    headers.authorization = `Basic ${Buffer.from(`${enc(opt.client)}:${enc(opt.secret)}`).toString('base64')}`;
  } else {
    form.client_id = opt.client;
  }
  const res = await api.raw('POST', url, { form, headers });
  return { status: res.status, json: JSON.parse(res.body) };
}

function fail(msg) {
  console.error(`device-token.js: ${msg}`);
  process.exit(1);
}

const disco = JSON.parse((await api.raw('GET', `${opt.issuer}/.well-known/openid-configuration`)).body);
const da = await postJson(disco.device_authorization_endpoint, { scope: opt.scope });
if (da.status !== 200) fail(`device authorization: ${da.json.error}`);
const { device_code: deviceCode, user_code: userCode, verification_uri: verificationUri } = da.json;

try {
  await approve({
    verificationUri, userCode, account, deny: opt.deny || false, ca: opt.ca,
  });
} catch (e) {
  fail(`approval as ${account}: ${e.message}`);
}

// The provider sends no interval; poll briskly, it never answers slow_down.
const deadline = Date.now() + timeoutMs;
for (;;) {
  const tok = await postJson(disco.token_endpoint, {
    grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: deviceCode,
  });
  if (tok.status === 200) {
    if (!tok.json.id_token) fail('token response without id_token');
    process.stdout.write(opt.json ? `${JSON.stringify(tok.json)}\n` : `${tok.json.id_token}\n`);
    process.exit(0);
  }
  if (tok.json.error !== 'authorization_pending') fail(`token error: ${tok.json.error}`);
  if (Date.now() > deadline) fail('timed out waiting for the token');
  await new Promise((r) => { setTimeout(r, 200); });
}
