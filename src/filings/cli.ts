import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import { AppError } from '../platform/errors.ts';
import { sha256Hex } from '../platform/canonical.ts';
import { verifyPackage } from './package.ts';

/** `icvgate package verify FILE`: checks a downloaded package zip against its manifest, offline (no database). */
export function filingsCli(program: Command, _ctx: CliContext) {
  const pkg = program.commands.find((c) => c.name() === 'package') ?? program.command('package').description('filing packages (zip with filing.json, filing.pdf, evidence, manifest.json)');
  pkg.command('verify')
    .description('check every file of a package zip against its manifest.json; exit 1 when one does not match')
    .argument('<file>', 'the package .zip')
    .option('--expect <sha256>', 'also require the zip itself to hash to this value (the packageSha256 of the filing)')
    .action(async (file: string, o: { expect?: string }) => {
      const zip = await readFile(file);
      try {
        const check = verifyPackage(zip);
        const zipHash = sha256Hex(zip);
        const zipOk = !o.expect || o.expect.toLowerCase() === zipHash;
        for (const f of check.files) process.stdout.write(`${f.ok ? 'ok      ' : (f.problem ?? 'changed').padEnd(8)} ${f.path}  ${f.actual ?? '-'}\n`);
        process.stdout.write(`package ${zipHash}${o.expect ? (zipOk ? ' (as expected)' : ` (expected ${o.expect})`) : ''}\n`);
        process.stdout.write(`filing ${check.filingId ?? '?'}, content digest ${check.contentDigest ?? '?'}: ${check.ok && zipOk ? 'all files match' : 'DOES NOT MATCH'}\n`);
        if (!(check.ok && zipOk)) process.exitCode = 1;
      } catch (e) {
        if (e instanceof AppError) { process.stderr.write(`${e.message}\n`); process.exitCode = 2; return; }
        throw e;
      }
    });
}
