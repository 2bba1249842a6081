#!/usr/bin/env node
// SPDX-License-Identifier: BSD-2-Clause
//
// Approve or deny a device-flow user code at the test provider as a given
// account in a real browser: Debian's chromium, headless, driven over the
// DevTools protocol by playwright-core (which downloads no browser).  The
// person's side of RFC 8628 as a person does it: open the verification
// link, type the code and press Enter, check the code on the confirmation
// page and continue, sign in, allow.
//
//   chromium-approve.js [--issuer URL | --uri VERIFICATION_URI] [--ca FILE]
//                       [--password PW] [--deny[=confirm|login|consent]]
//                       [--screenshots DIR] [--chromium PATH]
//                       [--run-as USER | --no-sandbox] USER_CODE ACCOUNT
//
// The command line of approve.js (without --batch), plus:
//   --screenshots DIR  a full-page PNG of every page the browser showed,
//                      DIR/NN-PAGE[-ERROR].png (01-code, 02-confirm, ...)
//   --chromium PATH    the browser (default $CHROMIUM or /usr/bin/chromium)
//   --run-as USER      as root: the unprivileged user chromium runs as,
//                      with its sandbox (default nobody)
//   --no-sandbox       as root only: run chromium as root without its
//                      sandbox, where user namespaces are not available
//
// --uri may be the verification_uri_complete: the provider then opens on
// the confirmation page, whose code must be USER_CODE (a person compares
// it with the terminal, RFC 8628 section 5.4), or nothing is approved.
//
// The test CA is trusted properly, in a throwaway profile: HOME is a fresh
// temporary directory whose NSS database ($HOME/.pki/nssdb, where chromium
// on Linux looks for locally added roots) holds the CA made by certutil,
// so chromium verifies the chain and the host name as for any site.  The
// CA is added for server authentication only ("C,,").  No certificate
// error is ignored: with another CA the page does not load.
//
// Defaults: --issuer $IDP_ISSUER, --ca $IDP_CA (set by lib.sh idp_start),
// verification URI ISSUER/device.  Exit 0 when the provider showed that it
// took the decision (the success page, or the abort for --deny), 1 when it
// did not (wrong code, unknown account, untrusted certificate, browser
// failure...), 2 on usage errors, 130 or 143 when SIGINT or SIGTERM ended
// it (the browser closed, the profile removed).  Nothing secret is
// printed: neither the codes of the test provider nor the password.
import { execFileSync } from 'node:child_process';
import {
  chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { TEST_PASSWORD } from './accounts.js';

const ME = 'chromium-approve.js';
const STEP_MS = 15000;
const LAUNCH_MS = 30000;
const STEPS = ['confirm', 'login', 'consent'];

function usage(msg) {
  if (msg) console.error(`${ME}: ${msg}`);
  console.error(`usage: ${ME} [--issuer URL | --uri URI] [--ca FILE] [--password PW] `
    + '[--deny[=confirm|login|consent]] [--screenshots DIR] [--chromium PATH] '
    + '[--run-as USER | --no-sandbox] USER_CODE ACCOUNT');
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
      password: { type: 'string', default: TEST_PASSWORD },
      deny: { type: 'string' },
      screenshots: { type: 'string' },
      chromium: { type: 'string', default: process.env.CHROMIUM || '/usr/bin/chromium' },
      'run-as': { type: 'string' },
      'no-sandbox': { type: 'boolean', default: false },
    },
  });
} catch (e) {
  usage(e.message);
}
const { values: opt, positionals } = parsed;
if (positionals.length !== 2) usage();
if (!opt.ca) usage('no --ca (and IDP_CA is not set)');
if (!opt.uri && !opt.issuer) usage('no --issuer or --uri (and IDP_ISSUER is not set)');
if (opt.deny && !STEPS.includes(opt.deny)) usage(`bad --deny=${opt.deny}`);
const isRoot = process.getuid() === 0;
if (opt['no-sandbox'] && !isRoot) usage('--no-sandbox is for root only; a user has the sandbox');
if (opt['no-sandbox'] && opt['run-as']) usage('--run-as and --no-sandbox exclude each other');
if (opt['run-as'] && !isRoot) usage('--run-as needs root');
if (!existsSync(opt.ca)) usage(`no such CA file: ${opt.ca}`);
if (!existsSync(opt.chromium)) usage(`no browser at ${opt.chromium} (apt-get install chromium)`);
const [userCode, account] = positionals;
const verificationUri = opt.uri || `${opt.issuer}/device`;

class FlowError extends Error {
  constructor(step, detail) {
    super(`${step}: ${detail}`);
    this.step = step;
  }
}

// Codes are compared as the provider does: letters and digits, any case.
const normCode = (s) => String(s || '').replace(/[^0-9A-Za-z]/g, '').toUpperCase();

// chownR PATH UID GID: hand the throwaway home to the browser's user.
function chownR(path, uid, gid) {
  chownSync(path, uid, gid);
  if (lstatSync(path).isDirectory()) {
    for (const name of readdirSync(path)) chownR(join(path, name), uid, gid);
  }
}

function idOf(user, flag) {
  try {
    return Number(execFileSync('id', [flag, user], { encoding: 'utf8' }).trim());
  } catch {
    throw new FlowError('start', `no such user ${user} for --run-as`);
  }
}

// The throwaway profile: DIR/home (HOME, with the NSS database trusting
// the CA), DIR/home/profile (chromium's user data), and, when root drops
// to another user, DIR/chromium, a wrapper that execs the browser as that
// user.  Returns { dir, home, profile, executable, sandbox }.
function makeProfile() {
  const dir = mkdtempSync(join(tmpdir(), 'pam_oidc-chromium.'));
  const home = join(dir, 'home');
  const profile = join(home, 'profile');
  const nssdb = join(home, '.pki', 'nssdb');
  mkdirSync(profile, { recursive: true, mode: 0o700 });
  mkdirSync(nssdb, { recursive: true, mode: 0o700 });
  const certutil = (...args) => execFileSync('certutil', ['-d', `sql:${nssdb}`, ...args],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    certutil('-N', '--empty-password');
    certutil('-A', '-n', 'pam_oidc test CA', '-t', 'C,,', '-i', opt.ca);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    const why = e.code === 'ENOENT' ? 'certutil is not installed (apt-get install libnss3-tools)'
      : String(e.stderr || e.message).trim();
    throw new FlowError('trust the test CA', why);
  }
  let executable = opt.chromium;
  let sandbox = true;
  if (isRoot && opt['no-sandbox']) {
    sandbox = false;
  } else if (isRoot) {
    const user = opt['run-as'] || 'nobody';
    const uid = idOf(user, '-u');
    const gid = idOf(user, '-g');
    if (uid === 0) throw new FlowError('start', '--run-as must name an unprivileged user');
    chmodSync(dir, 0o711);
    chownR(home, uid, gid);
    executable = join(dir, 'chromium');
    const q = (s) => `'${s.replace(/'/g, "'\\''")}'`;
    writeFileSync(executable, `#!/bin/sh\nexec setpriv --reuid=${uid} --regid=${gid} --clear-groups `
      + `-- ${q(opt.chromium)} "$@"\n`, { mode: 0o700 });
  }
  return {
    dir, home, profile, executable, sandbox,
  };
}

// The signal that ended the run, if one did: closing the browser makes the
// step under way fail, which is then no verdict of the provider's.
let interrupted;

async function run() {
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    throw new FlowError('start', 'playwright-core is not installed (cd tests/idp && npm ci)');
  }
  const t0 = Date.now();
  const prof = makeProfile();
  let context;
  let shots = 0;
  const cleanup = async () => {
    if (context) await context.close().catch(() => {});
    context = undefined;
    rmSync(prof.dir, { recursive: true, force: true });
  };
  const onSignal = (sig) => {
    interrupted = sig;
    cleanup().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    try {
      context = await chromium.launchPersistentContext(prof.profile, {
        executablePath: prof.executable,
        headless: true,
        chromiumSandbox: prof.sandbox,
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
        timeout: LAUNCH_MS,
        viewport: { width: 800, height: 600 },
        // A clean environment: no proxy variables, no desktop session.
        env: {
          HOME: prof.home, PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8',
          XDG_CONFIG_HOME: join(prof.home, '.config'), XDG_CACHE_HOME: join(prof.home, '.cache'),
        },
        args: ['--no-proxy-server', '--no-first-run', '--disable-sync', '--lang=en-US'],
      });
    } catch (e) {
      const first = String(e.message).split('\n').slice(0, 3).join(' ');
      const hint = prof.sandbox && isRoot
        ? ' (the sandbox needs unprivileged user namespaces; --no-sandbox runs it as root without)' : '';
      throw new FlowError('start chromium', `${first}${hint}`);
    }
    const page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(STEP_MS);

    // Where the browser is: every page of server.js names itself in
    // <body data-page="..." data-error="...">.
    const where = () => page.evaluate(() => ({
      page: document.body?.dataset.page || 'unknown',
      error: document.body?.dataset.error,
      code: document.querySelector('code')?.textContent,
    }));
    const shoot = async (st) => {
      shots += 1;
      if (!opt.screenshots) return;
      mkdirSync(opt.screenshots, { recursive: true });
      const tag = [st.page, st.error].filter(Boolean).join('-').toLowerCase().replace(/[^a-z0-9]+/g, '-');
      const name = `${String(shots).padStart(2, '0')}-${tag}.png`;
      await page.screenshot({ path: join(opt.screenshots, name), fullPage: true });
    };
    // act STEP FN: do what a person does on this page (FN), wait until the
    // next page has loaded (a new document, through any redirects), take
    // its picture and return where the browser is.
    const act = async (step, fn) => {
      await page.evaluate(() => { window.pamOidcOld = true; });
      try {
        await fn();
        await page.waitForFunction(() => !window.pamOidcOld && document.readyState === 'complete'
          && document.body?.dataset.page);
      } catch (e) {
        throw new FlowError(step, String(e.message).split('\n')[0]);
      }
      const st = await where();
      await shoot(st);
      return st;
    };
    const expectPage = (st, want, step) => {
      if (st.page !== want) {
        const why = st.error ? `${st.page} page says "${st.error}"` : `got the ${st.page} page`;
        throw new FlowError(step, why);
      }
    };

    try {
      await page.goto(verificationUri, { waitUntil: 'load' });
    } catch (e) {
      // net::ERR_CERT_AUTHORITY_INVALID and the like: chromium refused.
      throw new FlowError('open verification page', String(e.message).split('\n')[0]);
    }
    let st = await where();
    await shoot(st);
    if (st.page === 'code') {
      st = await act('enter user code', async () => {
        await page.fill('input[name="user_code"]', userCode);
        await page.press('input[name="user_code"]', 'Enter');
      });
    }
    expectPage(st, 'confirm', 'enter user code');
    // The person compares the code on the page with the one on the terminal.
    if (normCode(st.code) !== normCode(userCode)) {
      throw new FlowError('confirm device', 'the page shows another code than the terminal');
    }

    if (opt.deny === 'confirm') {
      st = await act('abort', () => page.click('button[name="abort"]'));
      if (st.page !== 'code' || st.error !== 'aborted') throw new FlowError('abort', `got the ${st.page} page`);
      return { result: 'aborted', ms: Date.now() - t0, pages: shots };
    }
    st = await act('confirm device', () => page.click('button:not([name="abort"])'));
    expectPage(st, 'login', 'confirm device');
    if (opt.deny === 'login') {
      st = await act('cancel sign-in', () => page.click('a:text-is("Cancel")'));
      expectPage(st, 'code', 'cancel sign-in');
      return { result: 'aborted', ms: Date.now() - t0, pages: shots };
    }

    st = await act('sign in', async () => {
      await page.fill('input[name="login"]', account);
      await page.fill('input[name="password"]', opt.password);
      await page.click('#op\\.login button[type="submit"]');
    });
    if (st.page === 'login') throw new FlowError('sign in', st.error || 'refused');
    // The consent page appears only when the grant is not yet complete.
    if (st.page === 'consent') {
      if (opt.deny === 'consent') {
        st = await act('deny consent', () => page.click('a:text-is("Deny")'));
        expectPage(st, 'code', 'deny consent');
        return { result: 'aborted', ms: Date.now() - t0, pages: shots };
      }
      st = await act('consent', () => page.click('#op\\.consent button[type="submit"]'));
    }
    expectPage(st, 'success', 'consent');
    return { result: 'success', ms: Date.now() - t0, pages: shots };
  } finally {
    await cleanup();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

try {
  const { result, ms, pages } = await run();
  console.error(`${ME}: ${account}: ${result} (${pages} pages, ${ms} ms)`);
  process.exit(0);
} catch (e) {
  if (interrupted) {
    console.error(`${ME}: ${account}: interrupted by ${interrupted}`);
    process.exit(interrupted === 'SIGINT' ? 130 : 143);
  }
  console.error(`${ME}: ${account}: ${e.message}`);
  process.exit(1);
}
