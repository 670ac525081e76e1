// Which agency an IAM principal acts for: registry entries (data, not configuration), so registering one of hundreds
// of agencies needs no deploy and no environment variable on every function.
export interface PartnerRegistration {
  /** Role (or user) ARN: `arn:aws:iam::<account>:role/<name>`; an assumed-role caller is looked up by its role. */
  principalArn: string;
  /** Electronic agency code, e.g. `000.00.13.H26`. */
  agency: string;
  registeredAt: string;
}

export interface PartnerRegistry {
  /** The agency the principal is registered for, or undefined: an unregistered principal is refused. */
  agencyOf(principalArn: string): Promise<string | undefined>;
  /** Registers (or moves) a principal; used by the seed and by an administrator's registration. */
  register(entry: PartnerRegistration): Promise<void>;
}
