import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import type { Actor } from '../platform/audit.ts';
import { AppError } from '../platform/errors.ts';
import { importCatalog } from './import-catalog.ts';

/** `icvgate catalog import FILE --map MAPPING --tenant ID` */
export function catalogCli(program: Command, ctx: CliContext) {
  const catalog = program.commands.find((c) => c.name() === 'catalog') ?? program.command('catalog').description('Annex 2 parameter catalog');
  catalog.command('import')
    .description('install a catalog version from the official template (CSV or XLSX); parameter sets move to it by key, what no longer maps is reported')
    .argument('<file>', 'the template, .csv or .xlsx')
    .requiredOption('--map <mapping>', 'JSON file mapping template columns to catalog fields (see docs/products.md)')
    .requiredOption('--tenant <tenantId>', 'the manufacturer tenant to install it for')
    .action(async (file: string, o: { map: string; tenant: string }) => {
      const [content, mappingText] = await Promise.all([readFile(file), readFile(o.map, 'utf8')]);
      let mapping: unknown;
      try { mapping = JSON.parse(mappingText); } catch (e) { throw new Error(`${o.map} is not valid JSON: ${(e as Error).message}`); }
      const actor: Actor = { type: 'operator', id: 'cli', name: `icvgate CLI (${process.env.USER ?? 'operator'})`, tenantId: null, role: 'operator' };
      await ctx.withDeps(async (deps) => {
        try {
          const report = await importCatalog(deps, actor, { file: content, filename: basename(file), mapping }, { tenantId: o.tenant });
          console.log(JSON.stringify(report, null, 2));
        } catch (e) {
          if (e instanceof AppError && e.errors?.length) {
            process.stderr.write(`${e.message}\n${e.errors.map((x) => `  ${x.path}: ${x.message}`).join('\n')}\n`);
            process.exitCode = 2;
            return;
          }
          throw e;
        }
      }, { data: program.opts().data });
    });
}
