// Shared setup of the infra suite: synth output and temp files under .tmp/, apps built without bundling.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll } from 'vitest';
import { type BuildAppOptions, type BuiltApp, buildApp } from '../../infra/build-app';
import { repoRoot } from '../../infra/bundling';

const tmpRoot = join(repoRoot, '.tmp', 'infra-tests');
mkdirSync(tmpRoot, { recursive: true });
// CDK and esbuild put scratch files in os.tmpdir(); keep them in the git-ignored workspace folder.
process.env.TMPDIR = tmpRoot;

/** A fresh cloud-assembly directory; remove it with `cleanUp` when the file's tests are done. */
export function scratchDir(prefix: string): string {
  return mkdtempSync(join(tmpRoot, `${prefix}-`));
}

export function cleanUp(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Context that makes NodejsFunction skip esbuild: no stack needs bundling. */
export const skipBundling = { 'aws:cdk:bundling-stacks': [] };

export interface SynthedEnv extends BuiltApp {
  outdir: string;
  templates: { stateful: Template; api: Template; events: Template; monitoring: Template };
  /** The template of the stack (top-level or nested) a construct is in. */
  templateOf: (construct: IConstruct) => Template;
  /** Every synthesized template, nested ones included, by stack path. */
  allTemplates: () => Map<string, Template>;
}

/**
 * Budget of a hook that synthesizes (`beforeAll(fn, synthTimeoutMs)`): it only catches a hang, since a synth
 * that takes 1 s on an idle machine takes many times that on a loaded 2-core one (CONVENTIONS.md, habit 20).
 */
export const synthTimeoutMs = 180_000;

/**
 * Builds and synthesizes one environment without bundling. cdk-nag runs during synth, so a finding fails
 * the suite; CDK's CloudFormation validation is off (most of a synth's time, and these tests assert intent):
 * `npm run synth:all` runs it once for every environment through the CLI (one app, a stage per environment).
 */
export function synthEnvironment(envName: string, options: BuildAppOptions = {}): SynthedEnv {
  const outdir = scratchDir(envName);
  const built = buildApp(envName, {
    outdir,
    context: skipBundling,
    appVersion: 'test-version',
    cfnValidation: false,
    ...options,
  });
  built.app.synth();
  const cache = new Map<Stack, Template>();
  const template = (stack: Stack) => {
    let found = cache.get(stack);
    if (!found) {
      found = Template.fromStack(stack);
      cache.set(stack, found);
    }
    return found;
  };
  return {
    ...built,
    outdir,
    templates: {
      stateful: template(built.stateful),
      api: template(built.api),
      events: template(built.events),
      monitoring: template(built.monitoring),
    },
    templateOf: (construct) => template(Stack.of(construct)),
    allTemplates: () =>
      new Map(
        built.app.node
          .findAll()
          .filter((c): c is Stack => Stack.isStack(c))
          .map((stack) => [stack.node.path, template(stack)]),
      ),
  };
}

/** Every `Validations.of(x).acknowledge()` in the tree, with where it sits and why. */
export function collectAcknowledgements(root: IConstruct) {
  const found: { path: string; id: string; reason: string }[] = [];
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.push({ path: construct.node.path, id, reason });
      }
    }
  }
  return found;
}

/**
 * Synthesizes `envName` once before the describe block's tests (handing it to `use`) and removes its output after.
 * A synth that threw leaves nothing to remove: the block reports its own error only.
 */
export function synthForBlock(
  envName: string,
  use: (env: SynthedEnv) => void,
  options: BuildAppOptions = {},
) {
  let synthed: SynthedEnv | undefined;
  beforeAll(() => {
    synthed = synthEnvironment(envName, options);
    use(synthed);
  }, synthTimeoutMs);
  afterAll(() => {
    if (synthed) cleanUp(synthed.outdir);
  });
}
