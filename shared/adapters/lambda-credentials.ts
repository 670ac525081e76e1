// What the function bundles get in place of the SDK's default credential chain (@aws-sdk/credential-provider-node,
// replaced by an alias in infra/bundling.ts): the environment's credentials, which is where Lambda puts the
// function role's (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), and where the embedded stack puts
// its own. The chain would also try profiles, SSO, web identity, processes and the instance metadata service, none
// of which a function has: ~134 KiB of every bundle (their STS and SSO clients) and ~8–11 ms of every cold start.
// Scripts and tests run outside the bundles and keep the whole chain.
import { fromEnv } from '@aws-sdk/credential-provider-env';

/** The shape the SDK clients call: `credentialDefaultProvider(config)` gives the client's credential provider. */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
