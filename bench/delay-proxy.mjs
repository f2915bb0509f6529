// A TCP proxy that holds every chunk for a fixed time in each direction: a
// network hop between a worker and Redis on one machine, for the benchmark
// (no `tc netem` in this VM's kernel). Order is kept: timers of equal
// duration fire in the order they were set.
import net from 'node:net';

/** Listens on 127.0.0.1 and forwards to `target`, adding `oneWayMs` each way (round trip = 2 × oneWayMs). */
export async function startDelayProxy(target, oneWayMs) {
  const sockets = new Set();
  const pipe = (from, to) => {
    from.on('data', (chunk) => setTimeout(() => to.destroyed || to.write(chunk), oneWayMs));
    from.on('end', () => setTimeout(() => to.end(), oneWayMs));
    from.on('error', () => to.destroy());
    from.on('close', () => setTimeout(() => to.destroy(), oneWayMs));
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    pipe(client, upstream);
    pipe(upstream, client);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
