import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import type { Actor } from '../platform/audit.ts';
import { AppError } from '../platform/errors.ts';
import { importCatalog } from './import-catalog.ts';
import { verifyEvidence } from '../evidence/verify-evidence.ts';
import { completenessRegister } from '../products/queries.ts';
import { registerCsv } from '../products/export.ts';
import { resolveLocale } from '../i18n/index.ts';

const cliActor = (tenantId: string | null): Actor => ({ type: 'operator', id: 'cli', name: `icvgate CLI (${process.env.USER ?? 'operator'})`, tenantId, role: 'operator' });

/** `icvgate catalog import`, `icvgate products register`, `icvgate evidence verify` */
export function catalogCli(program: Command, ctx: CliContext) {
  program.command('products')
    .description('vehicle products')
    .command('register')
    .description('the completeness register of a tenant (missing parameters, missing or expired evidence, ready to file)')
    .requiredOption('--tenant <tenantId>', 'the manufacturer tenant')
    .option('--format <format>', 'csv or json', 'csv')
    .option('--lang <lang>', 'zh-CN or en (CSV headers)', 'zh-CN')
    .action(async (o: { tenant: string; format: string; lang: string }) => {
      await ctx.withDeps(async (deps) => {
        const rows = await completenessRegister(deps, cliActor(o.tenant));
        process.stdout.write(o.format === 'json' ? JSON.stringify(rows, null, 2) + '\n' : registerCsv(rows, resolveLocale(o.lang)));
      }, { data: program.opts().data });
    });
  program.command('evidence')
    .description('verification materials')
    .command('verify')
    .description('re-hash every stored evidence file and name each missing or changed one (exit code 1 if any)')
    .option('--tenant <tenantId>', 'only this tenant')
    .action(async (o: { tenant?: string }) => {
      await ctx.withDeps(async (deps) => {
        const r = await verifyEvidence(deps, { tenantId: o.tenant });
        console.log(JSON.stringify(r, null, 2));
        process.exitCode = r.broken.length ? 1 : 0;
      }, { data: program.opts().data });
    });

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
      const actor = cliActor(null);
      await ctx.withDeps(async (deps) => {
        try {
          const report = await importCatalog(deps, actor, { file: content, filename: basename(file), mapping }, { tenantId: o.tenant });
          console.log(JSON.stringify(report, null, 2));
        } catch (e) {
          if (e instanceof AppError && e.errors?.length) {
            process.stderr.write(`nothing was imported (${e.errors.length} problem${e.errors.length === 1 ? '' : 's'}):\n${e.errors.map((x) => `  ${x.path}: ${x.message}`).join('\n')}\n`);
            process.exitCode = 2;
            return;
          }
          throw e;
        }
      }, { data: program.opts().data });
    });
}
