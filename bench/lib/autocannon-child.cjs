// Runs autocannon in its own process (so the generator never shares the server's event loop) and
// prints its result as JSON. Options come as JSON in argv[2]. With `paths`, every connection walks
// the whole list from its own offset (connection i starts at i * paths.length / connections), each
// request prebuilt once, so rotating the path costs the generator nothing per request.
'use strict';
const autocannon = require('autocannon');

const o = JSON.parse(process.argv[2]);
const paths = o.paths && o.paths.length ? o.paths : null;
let nextClient = 0;
autocannon({
  url: o.url,
  connections: o.connections,
  duration: o.seconds,
  pipelining: o.pipelining,
  headers: o.headers,
  setupClient: paths
    ? (client) => {
        const start = Math.floor((nextClient++ * paths.length) / o.connections) % paths.length;
        client.setRequests(paths.slice(start).concat(paths.slice(0, start)).map((path) => ({ method: 'GET', path })));
      }
    : undefined,
}, (err, r) => {
  if (err) { process.stderr.write(String(err && err.stack || err) + '\n'); process.exit(1); }
  process.stdout.write(JSON.stringify(r));
});
