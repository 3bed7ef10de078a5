// Kill -9 the real server right after an acknowledged write; the restarted server still has it, and
// takes over the pid lock of the dead process. A second live process is refused the data directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const TOKEN = 'durability-operator-token-xxxxxxxx';

function serve(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(root, 'bin/icvgate.mjs'), 'serve'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ICVGATE_DATA: dataDir, ICVGATE_BOOTSTRAP_TOKEN: TOKEN, ICVGATE_LOG_LEVEL: 'warn', ICVGATE_SCHEDULER: 'off', ICVGATE_WEB_DIR: join(dataDir, 'no-web') },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d) => {
      err += d;
      const m = /on http:\/\/localhost:(\d+)/.exec(err);
      if (m) resolve({ child, url: `http://127.0.0.1:${m[1]}` });
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
}

const exited = (c: ChildProcess) => new Promise((r) => c.once('exit', r));

test('an acknowledged write survives kill -9, and the dead holder\'s lock is taken over', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'icvgate-durable-'));
  try {
    const first = await serve(dataDir);
    const res = await fetch(`${first.url}/api/v1/tenants`, {
      method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'manufacturer', overseas: true, country: 'DE', name: { zh: '持久', en: 'Durable GmbH' } }),
    });
    assert.equal(res.status, 201);
    const { id } = await res.json();

    await assert.rejects(serve(dataDir), /in use by process/); // a second live process is refused

    first.child.kill('SIGKILL');
    await exited(first.child);

    const second = await serve(dataDir);
    try {
      const got = await fetch(`${second.url}/api/v1/tenants/${id}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(got.status, 200);
      assert.equal((await got.json()).name.en, 'Durable GmbH');
      const verify = await (await fetch(`${second.url}/api/v1/audit/verify?tenantId=${id}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
      assert.equal(verify.ok, true);
    } finally {
      second.child.kill('SIGTERM');
      await exited(second.child);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
