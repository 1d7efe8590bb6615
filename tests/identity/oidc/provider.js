// A real OpenID Connect provider for bibob's identity tests, on 127.0.0.1 only (never deployed).
// Usage: PORT=… REDIRECT_URIS=uri[,uri] POST_LOGOUT_URIS=uri[,uri] node provider.js
// Prints "ready <issuer>" on stdout once it listens. Sign-in uses the package's development interactions (any
// password; the login names one of the synthetic accounts below). Access tokens for the API are JWTs (RFC 9068)
// for the resource https://bibob.example/api with audience "bibob-api".
import Provider from "oidc-provider";

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const list = (value) => (value || "").split(",").filter(Boolean);
const RESOURCE = "https://bibob.example/api";

// synthetic accounts: the groups claim is what bibob maps to a role
const ACCOUNTS = {
  "burgemeester-oidc": ["bibob-burgemeesters", "gemeente-medewerkers"],
  "vergunning-oidc": ["bibob-vergunningen"],
  "geen-rol-oidc": ["gemeente-medewerkers"],
};

const claimsOf = (id) => ({ sub: id, preferred_username: id, groups: ACCOUNTS[id] });

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "bibob",
      client_secret: "alleen-voor-tests",
      redirect_uris: list(process.env.REDIRECT_URIS),
      post_logout_redirect_uris: list(process.env.POST_LOGOUT_URIS),
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  pkce: { required: () => true },
  claims: { openid: ["sub"], profile: ["preferred_username"], groups: ["groups"] },
  conformIdTokenClaims: false, // the ID token carries the groups too, not only the userinfo endpoint
  findAccount: async (ctx, id) =>
    ACCOUNTS[id] ? { accountId: id, claims: async () => claimsOf(id) } : undefined,
  extraTokenClaims: async (ctx, token) =>
    token.accountId && ACCOUNTS[token.accountId] ? { groups: ACCOUNTS[token.accountId], preferred_username: token.accountId } : undefined,
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => RESOURCE,
      useGrantedResource: async () => true,
      getResourceServerInfo: async () => ({
        scope: "api",
        audience: "bibob-api",
        accessTokenFormat: "jwt",
        accessTokenTTL: Number(process.env.ACCESS_TOKEN_TTL || 300),
        jwt: { sign: { alg: "RS256" } },
      }),
    },
  },
  // no consent screen: the test client is granted what it asks
  loadExistingGrant: async (ctx) => {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      const found = await ctx.oidc.provider.Grant.find(grantId);
      if (found) return found;
    }
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope("openid profile groups");
    grant.addOIDCClaims(["sub", "preferred_username", "groups"]);
    grant.addResourceScope(RESOURCE, "api");
    await grant.save();
    return grant;
  },
  ttl: { IdToken: 300, Session: 3600, Interaction: 600, Grant: 3600 },
});

provider.listen(port, "127.0.0.1", () => {
  process.stdout.write(`ready ${issuer}\n`);
});
