// A real OpenID Connect provider for the tests (panva's oidc-provider, with its built-in
// development sign-in and consent pages: any password is accepted for a known account).
//
//   node provider.mjs <config.json>
//
// config.json: {"port": 8801, "client_id": "...", "client_secret": "...", "redirect_uris": [...],
//               "post_logout_redirect_uris": [...], "accounts_file": "/path/accounts.json"}
// accounts.json: {"<sub>": {"preferred_username": "...", "name": "...", "groups": [...], ...}}, read
// at each sign-in, so a test changes a person's claims by rewriting it.
// Prints "ready <issuer>" on stdout once it listens.
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const issuer = `http://127.0.0.1:${config.port}`;

function accounts() {
  return JSON.parse(readFileSync(config.accounts_file, 'utf8'));
}

const provider = new Provider(issuer, {
  clients: [{
    client_id: config.client_id,
    client_secret: config.client_secret,
    redirect_uris: config.redirect_uris,
    post_logout_redirect_uris: config.post_logout_redirect_uris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  async findAccount(ctx, sub) {
    const claims = accounts()[sub];
    if (!claims) return undefined;
    return { accountId: sub, async claims() { return { sub, ...claims }; } };
  },
  claims: {
    openid: ['sub'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username'],
    email: ['email'],
    phone: ['phone_number'],
    org: ['department', 'title', 'groups'],
  },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  cookies: { keys: ['tests-only-cookie-key'] },
  ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
});

const server = provider.listen(config.port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
