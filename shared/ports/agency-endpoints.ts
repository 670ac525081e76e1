// Where an agency's webhook endpoint and signing secret(s) come from.
//
// Locally: local/agency-endpoints.ts, a git-ignored JSON file named by AGENCY_ENDPOINTS_FILE.
// In the cloud (shared/adapters/secrets-manager-agency-endpoints.ts): one Secrets Manager secret per agency,
// `motcua/<env>/agency-webhooks/<agency code>`, holding `{"url": "https://...", "secrets": ["whsec_..."]}` (1-3),
// read with GetSecretValue by a client created once per function and cached per warm function for five minutes (a
// missing secret too: no endpoint); only the notifying functions (the assign task, the routing-forwarded consumer,
// both declaring `notifies`) may read that prefix. A rotation puts the new
// secret first and keeps the old one until the agency confirms it verifies with the new one.
export interface AgencyEndpoint {
  /** https (loopback http only on the embedded stack). */
  url: string;
  /** The current secret first; during a rotation the previous one(s) too: every secret signs each message. */
  secrets: readonly string[];
}

export interface AgencyEndpoints {
  /** The agency's endpoint, or undefined when it has none registered (nothing can be sent to it). */
  endpointOf(agency: string): Promise<AgencyEndpoint | undefined>;
}
