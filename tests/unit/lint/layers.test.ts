import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

interface Case {
  /** Where the source pretends to live (the layer rule is chosen by path). */
  file: string;
  source: string;
}

/**
 * Lints the given sources with the repository's own eslint.config.mjs, in a separate Node
 * process (ESLint loads the config as ES module, which jest's module system cannot). Only
 * no-restricted-imports runs and without type information, so the whole program is not loaded.
 */
function restrictedImports(cases: Case[]): string[][] {
  const script = `
    import { ESLint } from 'eslint';
    const cases = JSON.parse(process.argv[1]);
    const eslint = new ESLint({
      cwd: ${JSON.stringify(root)},
      overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
      ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
    });
    const out = [];
    for (const { file, source } of cases) {
      const [result] = await eslint.lintText(source, { filePath: file });
      out.push(result.messages.map((m) => m.ruleId + ': ' + m.message));
    }
    process.stdout.write(JSON.stringify(out));
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(cases)], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`eslint run failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as string[][];
}

describe('import direction (eslint.config.mjs, docs/architecture.md "Layers")', () => {
  it('refuses imports that go up the layers or into web/, and allows the documented exceptions', () => {
    // given
    const bad: Case[] = [
      { file: 'processes/compiler/layerProbe.ts', source: "import { catalog } from '../../activities/catalog';\nexport const x = catalog;\n" },
      { file: 'processes/evaluator/layerProbe.ts', source: "import type { Config } from '../../server/config';\nexport type X = Config;\n" },
      { file: 'workflows/processInstance/layerProbe.ts', source: "import { catalog } from '../../activities/catalog';\nexport const x = catalog;\n" },
      { file: 'activities/integrations/layerProbe.ts', source: "import type { DirectoryService } from '../../server/domain/directory';\nexport type X = DirectoryService;\n" },
      { file: 'server/layerProbe.ts', source: "import { mountApp } from '../web/src/main';\nexport const x = mountApp;\n" },
      { file: 'web/src/pages/layerProbe.ts', source: "import type { Config } from '../../../server/config';\nexport type X = Config;\n" },
    ];
    const good: Case[] = [
      { file: 'processes/compiler/layerProbe.ts', source: "import { CATALOG_TASK_TYPES } from '../catalogTaskTypes';\nexport const x = CATALOG_TASK_TYPES;\n" },
      { file: 'workflows/processInstance/layerProbe.ts', source: "import { jobActivityOptions } from '../../activities/jobContract';\nimport type { CalledProcessActivities } from '../../activities/calledProcess/contract';\nexport const x = jobActivityOptions;\nexport type Y = CalledProcessActivities;\n" },
      { file: 'activities/layerProbe.ts', source: "import type { ProcessModel } from '../processes/model/types';\nexport type X = ProcessModel;\n" },
      { file: 'server/layerProbe.ts', source: "import type { ProjectionSinks } from '../workflows/sinks';\nimport { catalog } from '../activities/catalog';\nexport type X = ProjectionSinks;\nexport const y = catalog;\n" },
      { file: 'web/src/pages/layerProbe.ts', source: "import { LINT_CONFIG } from '../../../processes/lint/config';\nexport const x = LINT_CONFIG;\n" },
    ];

    // when
    const results = restrictedImports([...bad, ...good]);

    // then
    const layerOf = (file: string) => (file.startsWith('web/') ? 'web' : file.split('/')[0]);
    bad.forEach((c, i) => {
      expect(results[i]).toEqual([expect.stringMatching(new RegExp(`^no-restricted-imports: .*${layerOf(c.file)}/ must not import this`))]);
    });
    expect(results.slice(bad.length)).toEqual(good.map(() => []));
  });
});

describe('the HTTP edge (eslint.config.mjs, docs/architecture.md "The HTTP edge")', () => {
  it('refuses server/http in services and domain code, and allows it in routers', () => {
    // given
    const bad: Case[] = [
      { file: 'server/complaints/edgeProbe.ts', source: "import { errorHandler } from '../http/errors';\nexport const x = errorHandler;\n" },
      { file: 'server/api/migrations/edgeProbe.ts', source: "import { addRoute } from '../../http/route';\nexport const x = addRoute;\n" },
      { file: 'server/edgeProbe.ts', source: "import { createApp } from './http/app';\nexport const x = createApp;\n" },
    ];
    const good: Case[] = [
      { file: 'server/complaints/edgeProbe.ts', source: "import { NotFound } from '../domain/errors';\nimport { httpRequest } from '../../activities/integrations/http-request';\nexport const x = [NotFound, httpRequest];\n" },
      { file: 'server/complaints/router.ts', source: "import { addRoute } from '../http/route';\nexport const x = addRoute;\n" },
      { file: 'server/definitions/probeRouter.ts', source: "import { errorResponse } from '../http/responses';\nexport const x = errorResponse;\n" },
      { file: 'server/complaints/probeRoutes.ts', source: "import { addRoute } from '../http/route';\nexport const x = addRoute;\n" },
    ];

    // when
    const results = restrictedImports([...bad, ...good]);

    // then
    bad.forEach((_c, i) => {
      expect(results[i]).toEqual([expect.stringMatching(/^no-restricted-imports: .*Only the HTTP edge imports server\/http/)]);
    });
    expect(results.slice(bad.length)).toEqual(good.map(() => []));
  });
});
