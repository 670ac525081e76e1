// CloudFormation stops a template at 500 resources, 200 parameters and 200 outputs. Every stack of every environment
// stays well under a budget that leaves room for routing, payment and results; the counts are printed and written to
// .tmp/results/stack-resources.json so a review sees how close each stack is.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contextOf } from '../../infra/api/contexts';
import { repoRoot } from '../../infra/bundling';
import { environmentNames } from '../../infra/config/environments';
import { routeList } from '../../shared/http/routes';
import { type SynthedEnv, synthForBlock } from './support';

/** Resources per template: 500 is CloudFormation's hard limit; 300 keeps 40% for what is still to come. */
const resourceBudget = 300;
/** Parameters (nested stacks take the parent's ids as parameters) and outputs (weak references publish outputs). */
const parameterBudget = 120;
const outputBudget = 120;

const counts: Record<string, Record<string, { resources: number; parameters: number; outputs: number }>> = {};

afterAll(() => {
  const dir = join(repoRoot, '.tmp', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'stack-resources.json'), `${JSON.stringify(counts, null, 2)}\n`);
  const lines = Object.entries(counts).flatMap(([env, stacks]) =>
    Object.entries(stacks).map(
      ([stack, c]) =>
        `${env.padEnd(8)} ${stack.padEnd(44)} ${String(c.resources).padStart(4)} resources  ${c.parameters} parameters  ${c.outputs} outputs`,
    ),
  );
  process.stdout.write(
    `\nCloudFormation resources per stack (budget ${resourceBudget}, limit 500):\n${lines.join('\n')}\n`,
  );
});

describe.each(environmentNames)('stack sizes in %s', (envName) => {
  let env: SynthedEnv;
  synthForBlock(envName, (synthed) => {
    env = synthed;
  });

  it(`keeps every stack, nested ones included, at ${resourceBudget} resources or fewer`, () => {
    const sizes = new Map(
      [...env.allTemplates()].map(([path, template]) => {
        const json = template.toJSON() as Record<string, Record<string, unknown> | undefined>;
        const size = (section: string) => Object.keys(json[section] ?? {}).length;
        return [
          path,
          { resources: size('Resources'), parameters: size('Parameters'), outputs: size('Outputs') },
        ];
      }),
    );
    counts[envName] = Object.fromEntries(sizes);
    // Stateful, workflow, the API with a nested stack per context, events, monitoring, dashboard, data sharing.
    expect(sizes.size).toBe(7 + env.api.contexts.size);
    for (const [path, size] of sizes) {
      expect(size.resources, path).toBeLessThanOrEqual(resourceBudget);
      expect(size.parameters, path).toBeLessThanOrEqual(parameterBudget);
      expect(size.outputs, path).toBeLessThanOrEqual(outputBudget);
    }
  });

  it('splits the API into one nested stack per bounded context (functions/<context>/…)', () => {
    const contexts = new Set(routeList.map((route) => route.handler.split('/')[1]));
    expect(new Set(env.api.contexts.keys())).toEqual(contexts);
    env.templates.api.resourceCountIs('AWS::CloudFormation::Stack', contexts.size);
  });
});

describe('bounded contexts', () => {
  it('are the folder of each handler, and a handler outside functions/<context>/ stops synth naming its route', () => {
    expect(contextOf({ id: 'fileDossier', handler: 'functions/dossiers/file-dossier.ts' })).toBe('dossiers');
    expect(() => contextOf({ id: 'stray', handler: 'functions/stray.ts' })).toThrow(
      'Route stray: handler functions/stray.ts must be functions/<context>/<verb-noun>.ts (its context names its stack)',
    );
  });
});
