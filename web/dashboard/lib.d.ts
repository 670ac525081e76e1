// Types of lib.js for the TypeScript that imports it (the unit and integration tests); the browser never loads this.
export type Lang = 'vi' | 'en';
export const LANGS: readonly Lang[];
export const LANG_KEY: string;
export const TOKEN_KEY: string;
export const PKCE_KEY: string;

export interface Period {
  from: string;
  to: string;
}
export interface PageState extends Period {
  /** A branch code, or '' for the whole center. */
  unit: string;
}

export function pickLanguage(search: string, stored: string | undefined | null): Lang;
export function locale(lang: Lang): 'vi-VN' | 'en-GB';
export function formatNumber(lang: Lang, n: number): string;
export function formatPoints(lang: Lang, n: number): string;
export function formatPercent(lang: Lang, rate: number | undefined | null): string;
export function formatDay(lang: Lang, day: string): string;
export function vietnamDay(now: Date): string;
export function addDays(day: string, n: number): string;
export function defaultPeriod(now: Date): Period;
export function stateFromSearch(search: string, now: Date): PageState;
export function statsQuery(state: PageState, withUnit?: boolean): string;

type Counters = Record<string, number>;
export interface TrendRow {
  day: string;
  received: number;
  online: number;
  onlineShare: number | undefined;
  finished: number;
  onTimeRate: number | undefined;
}
export function trendRows(daily: {
  days: { day: string; counters: Counters; online: number; onTimeRate?: number }[];
}): TrendRow[];
export function satisfactionFigures(counters: Counters): {
  ratings: number;
  averageScore: number | undefined;
  dissatisfied: number;
  dissatisfiedShare: number | undefined;
};

export const messages: Record<Lang, Record<string, string>>;
export function t(lang: Lang, key: string, vars?: Record<string, string | number>): string;
export function refusalMessage(
  lang: Lang,
  status: number,
  body: { error?: { code?: string } } | undefined,
  vars?: Record<string, string>,
): string;

export interface CognitoAuth {
  kind: 'cognito';
  /** The hosted sign-in domain's base URL, e.g. https://motcua-dev.auth.ap-southeast-1.amazoncognito.com */
  domain: string;
  clientId: string;
  redirectUri: string;
}
export function base64url(bytes: Uint8Array): string;
export function createVerifier(crypto?: Crypto): string;
export function challengeOf(verifier: string, crypto?: Crypto): Promise<string>;
export function authorizeUrl(
  auth: CognitoAuth,
  request: { state: string; challenge: string; lang: Lang },
): string;
export function tokenRequest(
  auth: CognitoAuth,
  grant: { code: string; verifier: string },
): { url: string; body: string };
export function logoutUrl(auth: CognitoAuth): string;
export function claimsOf(token: string): Record<string, unknown> | undefined;
export function expired(claims: Record<string, unknown> | undefined, nowMs: number): boolean;
export function groupsOf(claims: Record<string, unknown> | undefined): string[];
export function isStaff(claims: Record<string, unknown> | undefined): boolean;
