// SPDX-License-Identifier: BSD-2-Clause
//
// The test provider's accounts.  Each has a stable, opaque subject (`sub`)
// distinct from its login name, so tests can tell the two apart.  All share
// one password: this is a test provider.
export const TEST_PASSWORD = 'test';

export const accounts = [
  {
    login: 'alice',
    sub: '7f6c1a52-alice-0001',
    claims: {
      preferred_username: 'alice', name: 'Alice Example',
      email: 'alice@example.test', email_verified: true, groups: ['admins', 'dev'],
    },
  },
  {
    login: 'bob',
    sub: '2b9e44d0-bob-0002',
    claims: {
      preferred_username: 'bob', name: 'Bob Example',
      email: 'bob@example.test', email_verified: true, groups: ['dev'],
    },
  },
  {
    // email not verified: a mapping by email must refuse her
    login: 'carol',
    sub: '91d3c7aa-carol-0003',
    claims: {
      preferred_username: 'carol', name: 'Carol Example',
      email: 'carol@example.test', email_verified: false, groups: [],
    },
  },
  {
    // no preferred_username at all: the default mapping must fail, not fall back
    login: 'dave',
    sub: 'c04f8e19-dave-0004',
    claims: {
      name: 'Dave Example', email: 'dave@example.test', email_verified: true, groups: ['dev'],
    },
  },
  {
    // claims to be root
    login: 'root-imposter',
    sub: 'e5a20b7f-imposter-0005',
    claims: {
      preferred_username: 'root', name: 'Not Root',
      email: 'root@example.test', email_verified: true, groups: ['admins'],
    },
  },
  {
    // a subject that opens with a right-to-left override and holds a C1
    // CSI: kept verbatim in the fields, escaped in every MESSAGE
    login: 'eve',
    sub: '\u202eeve-0006\u009b2J',
    claims: {
      preferred_username: 'eve', name: 'Eve Example',
      email: 'eve@example.test', email_verified: true, groups: [],
    },
  },
];

function asAccount(a) {
  return {
    accountId: a.sub,
    async claims() {
      return { sub: a.sub, ...structuredClone(a.claims) };
    },
  };
}

// The account with this login name, or undefined.
export function findByLogin(login) {
  return accounts.find((a) => a.login === login);
}

// oidc-provider's findAccount: by subject.
export function findBySubject(sub) {
  const a = accounts.find((x) => x.sub === sub);
  return a ? asAccount(a) : undefined;
}
