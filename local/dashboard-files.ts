// The supervisors' dashboard as the local gateway serves it at /dashboard/: the files of web/dashboard, Chart.js from
// node_modules, and a config.js written for the embedded stack (the local issuer and its staff accounts). In the cloud
// the same files are in S3 behind CloudFront (infra/stacks/dashboard-stack.ts), with a config.js for Cognito.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DemoAccount } from './demo';

const webDir = join(dirname(new URL(import.meta.url).pathname), '..', 'web', 'dashboard');
export const chartFile = join(
  dirname(createRequire(import.meta.url).resolve('chart.js')),
  'chart.umd.min.js',
);

/** The page loads its own files only and calls the API on its own origin (the gateway). */
export const dashboardCsp =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const contentTypes: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/** What the dashboard's config.js says on the embedded stack: same-origin API, the local issuer, staff accounts. */
export function localDashboardConfig(accounts: readonly DemoAccount[]) {
  return {
    apiBase: '',
    auth: {
      kind: 'local' as const,
      tokenUrl: '/local-idp/token',
      accounts: accounts
        .filter((a) => a.groups.some((g) => g === 'officer' || g === 'supervisor' || g === 'admin'))
        .map((a) => a.username),
    },
  };
}

export type DashboardAnswer =
  | { kind: 'file'; contentType: string; body: Buffer | string }
  | { kind: 'redirect'; location: string }
  | { kind: 'not-found' };

/**
 * The answer for a path under /dashboard (the URL's normalized pathname). Only names the dashboard publishes are
 * served, by an allow-list pattern rather than by resolving the path: a dot segment, a slash, a backslash or any
 * percent-encoding never matches, so nothing outside web/dashboard can be reached however it is spelled.
 */
export function dashboardFile(pathname: string, accounts: readonly DemoAccount[]): DashboardAnswer {
  if (pathname === '/dashboard') return { kind: 'redirect', location: '/dashboard/' };
  const name = pathname.slice('/dashboard/'.length);
  if (name === '' || name === 'index.html') return file('index.html');
  if (name === 'config.js') {
    return {
      kind: 'file',
      contentType: contentTypes.js!,
      body: `export default ${JSON.stringify(localDashboardConfig(accounts))};\n`,
    };
  }
  if (name === 'vendor/chart.umd.min.js') {
    return { kind: 'file', contentType: contentTypes.js!, body: readFileSync(chartFile) };
  }
  return /^[a-z][a-z0-9-]*\.(html|js|css)$/.test(name) ? file(name) : { kind: 'not-found' };
}

function file(name: string): DashboardAnswer {
  const path = join(webDir, name);
  if (!existsSync(path)) return { kind: 'not-found' };
  const extension = name.slice(name.lastIndexOf('.') + 1);
  return { kind: 'file', contentType: contentTypes[extension]!, body: readFileSync(path) };
}
