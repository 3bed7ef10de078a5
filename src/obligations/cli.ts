import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import type { Actor } from '../platform/audit.ts';
import { AppError } from '../platform/errors.ts';
import { addWorkingDays } from '../regimes/cn-2025/calendar.ts';
import { putSchedule } from './calendar-admin.ts';
import { loadCalendar } from './generate.ts';

/** `icvgate calendar load FILE` (a new year's official schedule, no release needed) and `icvgate calendar add FROM N`. */
export function calendarCli(program: Command, ctx: CliContext) {
  const cal = program.commands.find((c) => c.name() === 'calendar') ?? program.command('calendar').description('official working-day calendar (Asia/Shanghai)');
  cal.command('load')
    .description('load a year\'s State Council holiday schedule: JSON {year, source, issued, offDays[], workingWeekends[]} (see src/regimes/cn-2025/holidays/)')
    .argument('<file>', 'the schedule JSON file')
    .action(async (file: string) => {
      let body: unknown;
      try { body = JSON.parse(await readFile(file, 'utf8')); } catch (e) { throw new Error(`${file} is not valid JSON: ${(e as Error).message}`); }
      const year = Number((body as { year?: unknown })?.year);
      const actor: Actor = { type: 'operator', id: 'cli', name: `icvgate CLI (${process.env.USER ?? 'operator'})`, tenantId: null, role: 'operator' };
      await ctx.withDeps(async (deps) => {
        try {
          const s = await putSchedule(deps, actor, year, body);
          console.log(`loaded ${s.year}: ${s.offDays.length} days off, ${s.workingWeekends.length} working weekend days (${s.source})`);
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
  cal.command('add')
    .description('the nth working day strictly after a date, on the bundled and loaded schedules')
    .argument('<from>', 'YYYY-MM-DD')
    .argument('<n>', 'working days, >= 1')
    .action(async (from: string, n: string) => {
      await ctx.withDeps(async (deps) => {
        const calendar = await deps.db.tx('operator', (sql) => loadCalendar(sql));
        console.log(JSON.stringify(addWorkingDays(from, Number(n), calendar)));
      }, { data: program.opts().data });
    });
}
