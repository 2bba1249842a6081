// SPDX-License-Identifier: BSD-2-Clause
//
// A minimal scripted browser for the test provider: HTTPS with the test CA,
// a cookie jar, redirects, and the pages of server.js (each names itself in
// <body data-page="...">).  approve() does what a person does with a user
// code: open the verification page, type the code, confirm the device, sign
// in, and allow (or deny) the request.
import { request } from 'node:https';
import { readFileSync } from 'node:fs';

import { TEST_PASSWORD } from './accounts.js';

const MAX_BODY = 1024 * 1024;
const MAX_REDIRECTS = 10;

class CookieJar {
  constructor() { this.cookies = new Map(); }

  store(url, setCookie) {
    for (const line of setCookie || []) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = '/';
      let expired = value === '';
      for (const a of attrs) {
        const [k, v = ''] = a.split('=');
        const key = k.trim().toLowerCase();
        if (key === 'path') path = v.trim() || '/';
        else if (key === 'max-age' && Number(v) <= 0) expired = true;
        else if (key === 'expires' && Date.parse(v) <= Date.now()) expired = true;
      }
      const id = `${name};${path}`;
      if (expired) this.cookies.delete(id);
      else this.cookies.set(id, { name, value, path });
    }
  }

  header(url) {
    const p = new URL(url).pathname;
    return [...this.cookies.values()]
      .filter((c) => p === c.path || p.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`).join('; ');
  }
}

export class Browser {
  constructor({ ca, timeoutMs = 10000 }) {
    this.ca = typeof ca === 'string' ? readFileSync(ca) : ca;
    this.jar = new CookieJar();
    this.timeoutMs = timeoutMs;
  }

  // One HTTP request; resolves { status, headers, body, url }.
  raw(method, url, { form, headers = {} } = {}) {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const h = { ...headers, 'user-agent': 'pam_oidc-test-browser' };
    const cookie = this.jar.header(url);
    if (cookie) h.cookie = cookie;
    if (body !== undefined) {
      h['content-type'] = 'application/x-www-form-urlencoded';
      h['content-length'] = Buffer.byteLength(body);
    }
    return new Promise((resolve, reject) => {
      const req = request(url, { method, headers: h, ca: this.ca, timeout: this.timeoutMs }, (res) => {
        this.jar.store(url, res.headers['set-cookie']);
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          data += chunk;
          if (data.length > MAX_BODY) req.destroy(new Error(`body of ${url} too large`));
        });
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data, url }));
      });
      req.on('timeout', () => req.destroy(new Error(`timeout on ${method} ${url}`)));
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  // A request followed through its redirects (as GET), like a browser.
  async go(method, url, opts) {
    let res = await this.raw(method, url, opts);
    for (let i = 0; i < MAX_REDIRECTS && [301, 302, 303, 307, 308].includes(res.status); i++) {
      const next = new URL(res.headers.location, res.url).toString();
      res = await this.raw('GET', next);
    }
    return { ...res, page: pageOf(res.body), error: errorOf(res.body) };
  }
}

function pageOf(html) {
  return /<body data-page="([a-z]+)"/.exec(html)?.[1] || 'unknown';
}

function errorOf(html) {
  return /<body data-page="[a-z]+" data-error="([^"]*)"/.exec(html)?.[1];
}

// Value of <input ... name="NAME" ... value="..."> in html.
function inputValue(html, name) {
  for (const m of html.matchAll(/<input\b[^>]*>/g)) {
    if (new RegExp(`\\bname="${name}"`).test(m[0])) {
      return /\bvalue="([^"]*)"/.exec(m[0])?.[1];
    }
  }
  return undefined;
}

function formAction(html, id) {
  const re = new RegExp(`<form\\b[^>]*\\bid="${id.replace('.', '\\.')}"[^>]*>`);
  const tag = re.exec(html)?.[0];
  return tag && /\baction="([^"]*)"/.exec(tag)?.[1];
}

function linkTo(html, text) {
  return new RegExp(`<a href="([^"]*)">${text}</a>`).exec(html)?.[1];
}

export class FlowError extends Error {
  constructor(step, detail) {
    super(`${step}: ${detail}`);
    this.step = step;
  }
}

function expect(res, page, step) {
  if (res.page !== page) {
    const why = res.error ? `${res.page} page says "${res.error}"` : `got ${res.page} page (HTTP ${res.status})`;
    throw new FlowError(step, why);
  }
}

// Approve (or deny) USER_CODE at the provider as ACCOUNT, with a fresh
// browser session.  deny: false | 'confirm' (Abort on the device confirmation
// page) | 'login' (Cancel on the sign-in page) | 'consent' (Deny on the
// consent page).  Returns the name of the final page ('success' or 'code'
// for an abort); throws FlowError when the provider does not go along.
export async function approve({
  verificationUri, userCode, account, password = TEST_PASSWORD, deny = false, ca,
}) {
  const b = new Browser({ ca });
  let res = await b.go('GET', verificationUri);
  expect(res, 'code', 'open verification page');
  const action = new URL(formAction(res.body, 'op.deviceInputForm'), res.url).toString();
  res = await b.go('POST', action, { form: { xsrf: inputValue(res.body, 'xsrf'), user_code: userCode } });
  expect(res, 'confirm', 'enter user code');

  const confirm = {
    xsrf: inputValue(res.body, 'xsrf'), user_code: inputValue(res.body, 'user_code'), confirm: 'yes',
  };
  if (deny === 'confirm') {
    res = await b.go('POST', action, { form: { ...confirm, abort: 'yes' } });
    if (res.page !== 'code' || res.error !== 'aborted') throw new FlowError('abort', `got ${res.page} page`);
    return 'aborted';
  }
  res = await b.go('POST', action, { form: confirm });
  expect(res, 'login', 'confirm device');
  if (deny === 'login') {
    res = await b.go('GET', new URL(linkTo(res.body, 'Cancel'), res.url).toString());
    expect(res, 'code', 'cancel sign-in');
    return 'aborted';
  }

  res = await b.go('POST', new URL(formAction(res.body, 'op.login'), res.url).toString(),
    { form: { login: account, password } });
  if (res.page === 'login') throw new FlowError('sign in', res.error || 'refused');
  // The consent page appears only when the grant is not yet complete.
  if (res.page === 'consent') {
    if (deny === 'consent') {
      res = await b.go('GET', new URL(linkTo(res.body, 'Deny'), res.url).toString());
      expect(res, 'code', 'deny consent');
      return 'aborted';
    }
    res = await b.go('POST', new URL(formAction(res.body, 'op.consent'), res.url).toString(), { form: {} });
  }
  expect(res, 'success', 'consent');
  return 'success';
}
