#!/usr/bin/env node
// SPDX-License-Identifier: BSD-2-Clause
//
// The test OpenID provider of pam_oidc: oidc-provider (npm) on 127.0.0.1 over
// HTTPS, with the device flow, fixed test signing keys (jwks.json), one
// client per ID-token signing algorithm and a handful of test accounts.
// FOR TESTS ONLY: the keys, cookie secrets and client secret are public.
//
//   node server.js --certs DIR [--port N] [--port-file FILE]
//                  [--device-ttl S] [--id-token-ttl S] [--watch-pid PID]
//                  [--jwks FILE]
//
// DIR holds server.pem and server.key (tests/lib/mkcerts.sh DIR makes them).
// --port 0 (the default) lets the kernel choose; the chosen port is printed
// on stdout as "listening PORT" and written to --port-file (atomically).
// The issuer is https://127.0.0.1:PORT (no path).  With --watch-pid the
// server exits once that process is gone, so a crashed test leaves no
// provider behind.  --jwks picks the signing keys (default jwks.json;
// jwks-next.json is the same algorithms with new keys and kids, to play a
// key rotation by restarting on the same port).  See README.md.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

import { accounts, findByLogin, findBySubject, TEST_PASSWORD } from './accounts.js';

const here = dirname(fileURLToPath(import.meta.url));

const { values: opt } = parseArgs({
  options: {
    certs: { type: 'string' },
    port: { type: 'string', default: '0' },
    'port-file': { type: 'string' },
    'device-ttl': { type: 'string', default: '600' },
    'id-token-ttl': { type: 'string', default: '3600' },
    'watch-pid': { type: 'string' },
    jwks: { type: 'string', default: join(here, 'jwks.json') },
  },
});

function intOpt(name, min, max) {
  const v = Number(opt[name]);
  if (!Number.isInteger(v) || v < min || v > max) {
    console.error(`server.js: --${name} must be an integer in ${min}..${max}`);
    process.exit(2);
  }
  return v;
}

if (!opt.certs) {
  console.error('usage: server.js --certs DIR [--port N] [--port-file FILE] [--device-ttl S] [--id-token-ttl S]');
  process.exit(2);
}
const port = intOpt('port', 0, 65535);
const deviceTtl = intOpt('device-ttl', 1, 86400);
const idTokenTtl = intOpt('id-token-ttl', 1, 86400);
const watchPid = opt['watch-pid'] === undefined ? 0 : intOpt('watch-pid', 1, 2 ** 22);

const DEVICE = 'urn:ietf:params:oauth:grant-type:device_code';

// Public clients, one per ID-token signing algorithm, plus one confidential
// client (client_secret_basic) to exercise client secrets.  The public ones
// always get auth_time in their ID tokens (as most providers send it); the
// confidential one only when asked, so both shapes exist.
function publicClient(clientId, alg) {
  return {
    client_id: clientId,
    client_name: `pam_oidc test (${alg})`,
    token_endpoint_auth_method: 'none',
    grant_types: [DEVICE],
    response_types: [],
    redirect_uris: [],
    id_token_signed_response_alg: alg,
    require_auth_time: true,
  };
}
export const clients = [
  publicClient('test-rs256', 'RS256'),
  publicClient('test-ps256', 'PS256'),
  publicClient('test-es256', 'ES256'),
  publicClient('test-eddsa', 'EdDSA'),
  {
    ...publicClient('test-secret', 'RS256'),
    client_name: 'pam_oidc test (client secret)',
    token_endpoint_auth_method: 'client_secret_basic',
    client_secret: 'test-client-secret-not-for-production',
    require_auth_time: false,
  },
];

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// Every page carries data-page="NAME" (and data-error when it reports one),
// so approve.js can tell where it is without parsing prose.
function page(name, title, body, error) {
  const err = error ? ` data-error="${esc(error)}"` : '';
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${esc(title)}</title></head>
<body data-page="${name}"${err}><h1>${esc(title)}</h1>
${error ? `<p class="error">${esc(error)}</p>\n` : ''}${body}
</body></html>
`;
}

const deviceFlow = {
  enabled: true,
  charset: 'base-20',
  mask: '****-****',
  // The user-code entry page, also used to report errors of that step.
  async userCodeInputSource(ctx, form, out, err) {
    let error;
    if (err?.name === 'AbortedError') error = 'aborted';
    else if (err?.name === 'ExpiredError') error = 'expired';
    else if (err?.name === 'AlreadyUsedError') error = 'already used';
    else if (err?.name === 'NotFoundError' || err?.name === 'NoCodeError') error = 'no such code';
    else if (err) error = err.error || err.name || 'error';
    ctx.type = 'html';
    ctx.body = page('code', 'Enter the code shown on your device', form, error);
  },
  async userCodeConfirmSource(ctx, form, client, deviceInfo, userCode) {
    ctx.type = 'html';
    ctx.body = page('confirm', 'Confirm device', `<p>${esc(client.clientName || client.clientId)} asks to sign
you in. Code: <code>${esc(userCode)}</code></p>
${form}
<button type="submit" form="op.deviceConfirmForm">Continue</button>
<button type="submit" form="op.deviceConfirmForm" name="abort" value="yes">Abort</button>`);
  },
  async successSource(ctx) {
    ctx.type = 'html';
    ctx.body = page('success', 'Signed in', '<p>You can close this page.</p>');
  },
};

function keystore() {
  return JSON.parse(readFileSync(opt.jwks, 'utf8'));
}

function configuration() {
  return {
    clients,
    jwks: keystore(),
    // Test-only, fixed secrets for cookie signing.
    cookies: { keys: ['pam_oidc-test-cookie-key-1'] },
    findAccount: (ctx, sub) => findBySubject(sub),
    // Standard scopes; groups also ride on "profile" so that pam_oidc's
    // default scopes ("openid profile email") yield them.
    claims: {
      openid: ['sub'],
      profile: ['preferred_username', 'name', 'groups'],
      email: ['email', 'email_verified'],
      groups: ['groups'],
    },
    scopes: ['openid', 'profile', 'email', 'groups'],
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: false },
      deviceFlow,
      revocation: { enabled: false },
      rpInitiatedLogout: { enabled: false },
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    ttl: {
      AccessToken: 600,
      DeviceCode: deviceTtl,
      Grant: 3600,
      IdToken: idTokenTtl,
      Interaction: 600,
      Session: 3600,
    },
    clientBasedCORS: () => false,
    renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page('error', 'Error', `<p>${esc(out.error_description || '')}</p>`, out.error);
    },
  };
}

// --- Interactions (login and consent), as a person does them in a browser.

const MAX_FORM = 16 * 1024;

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
      if (body.length > MAX_FORM) reject(new Error('form too large'));
    });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

function sendHtml(res, status, html) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

function loginPage(uid, error) {
  return page('login', 'Sign in', `<form id="op.login" method="post" action="/interaction/${esc(uid)}/login">
<input type="text" name="login" autofocus>
<input type="password" name="password">
<button type="submit">Sign in</button>
</form>
<a href="/interaction/${esc(uid)}/abort">Cancel</a>`, error);
}

function consentPage(uid, clientId, scopes) {
  return page('consent', 'Authorize', `<p>${esc(clientId)} asks for: ${esc(scopes.join(' '))}</p>
<form id="op.consent" method="post" action="/interaction/${esc(uid)}/confirm">
<button type="submit">Allow</button>
</form>
<a href="/interaction/${esc(uid)}/abort">Deny</a>`);
}

async function interaction(provider, req, res, path) {
  const m = /^\/interaction\/([A-Za-z0-9_-]+)(\/(login|confirm|abort))?$/.exec(path);
  if (!m) return sendHtml(res, 404, page('error', 'Not found', '', 'not_found'));
  const [, uid, , action] = m;
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return sendHtml(res, 400, page('error', 'Error', '', 'interaction mismatch'));
  const { prompt, params, session, grantId } = details;

  if (!action && req.method === 'GET') {
    if (prompt.name === 'login') return sendHtml(res, 200, loginPage(uid));
    if (prompt.name === 'consent') {
      return sendHtml(res, 200, consentPage(uid, params.client_id, prompt.details.missingOIDCScope || []));
    }
    return sendHtml(res, 501, page('error', 'Error', '', `unsupported prompt ${prompt.name}`));
  }
  if (action === 'abort' && req.method === 'GET') {
    return provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'End-User denied the request',
    }, { mergeWithLastSubmission: false });
  }
  if (action === 'login' && req.method === 'POST' && prompt.name === 'login') {
    const form = await readForm(req);
    const account = findByLogin(form.get('login'));
    if (!account || form.get('password') !== TEST_PASSWORD) {
      return sendHtml(res, 200, loginPage(uid, 'wrong user name or password'));
    }
    return provider.interactionFinished(req, res, {
      login: { accountId: account.sub },
    }, { mergeWithLastSubmission: false });
  }
  if (action === 'confirm' && req.method === 'POST' && prompt.name === 'consent') {
    await readForm(req);
    const grant = grantId
      ? await provider.Grant.find(grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    const { missingOIDCScope, missingOIDCClaims } = prompt.details;
    if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
    if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
    return provider.interactionFinished(req, res, {
      consent: { grantId: await grant.save() },
    }, { mergeWithLastSubmission: true });
  }
  return sendHtml(res, 400, page('error', 'Error', '', 'unexpected request'));
}

// --- Start: listen first (the port may be chosen by the kernel), then build
// the provider whose issuer names that port.

const certs = opt.certs;
const server = createServer({
  cert: readFileSync(join(certs, 'server.pem')),
  key: readFileSync(join(certs, 'server.key')),
});
// Each TLS connection gets a number, and every access-log line ends with
// the number of the connection it came on: "conn=N".  Tests count a
// login's handshakes from it.  Idle connections are kept 30 s (node's
// default, 5 s, closes them between two polls 5 s apart; providers' load
// balancers keep them longer).
let connections = 0;
const connId = new WeakMap();
server.keepAliveTimeout = 30000;
server.on('secureConnection', (sock) => connId.set(sock, ++connections));
server.listen(port, '127.0.0.1', () => {
  const actual = server.address().port;
  const issuer = `https://127.0.0.1:${actual}`;
  const provider = new Provider(issuer, configuration());
  provider.on('server_error', (ctx, err) => console.error('server_error:', err));
  const callback = provider.callback();
  server.on('request', (req, res) => {
    const path = new URL(req.url, issuer).pathname;
    // An access log for failing tests: no query strings and no bodies,
    // so no code or token ever lands in it.
    const t0 = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      console.log(`${new Date().toISOString()} ${req.method} ${path} ${res.statusCode} ${ms.toFixed(1)}ms conn=${connId.get(req.socket) ?? '?'}`);
    });
    if (path.startsWith('/interaction/')) {
      interaction(provider, req, res, path).catch((err) => {
        if (!res.headersSent) sendHtml(res, 400, page('error', 'Error', '', err.name || 'error'));
        else res.destroy();
      });
      return;
    }
    callback(req, res);
  });
  if (opt['port-file']) {
    writeFileSync(`${opt['port-file']}.tmp`, `${actual}\n`);
    renameSync(`${opt['port-file']}.tmp`, opt['port-file']);
  }
  console.log(`listening ${actual}`);
  console.log(`issuer ${issuer} accounts ${accounts.map((a) => a.login).join(',')}`);
});

if (watchPid) {
  setInterval(() => {
    try {
      process.kill(watchPid, 0);
    } catch {
      process.exit(0);
    }
  }, 1000).unref();
}

// Nothing to flush (all state is in memory): stop at once.
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
