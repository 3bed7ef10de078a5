import { PGlite } from '@electric-sql/pglite';
const t0=Date.now();
const db = new PGlite();
await db.waitReady;
console.log('ready', Date.now()-t0);
await db.exec(`create role icv_app nologin; create table t(id text, tenant_id text, ts timestamptz default now(), d date default current_date, n bigint default 5, j jsonb default '{"a":1}');
alter table t enable row level security; alter table t force row level security;
create policy p on t using (tenant_id = current_setting('app.tenant_id', true));
grant all on t to icv_app; insert into t(id,tenant_id) values ('1','a'),('2','b');`);
console.log((await db.query('select * from t')).rows);
await db.transaction(async tx => {
  await tx.query(`select set_config('role','icv_app',true), set_config('app.tenant_id',$1,true)`, ['a']);
  console.log('scoped', (await tx.query('select id, current_user from t')).rows);
});
console.log('after', (await db.query('select count(*)::int c, current_user from t')).rows);
const dump = await db.dumpDataDir('none'); console.log('dump', dump.size);
const t1=Date.now(); const db2 = new PGlite({loadDataDir: dump}); await db2.waitReady; console.log('load', Date.now()-t1, (await db2.query('select count(*) from t')).rows);
const t2=Date.now(); const db3 = await db2.clone(); console.log('clone', Date.now()-t2);
