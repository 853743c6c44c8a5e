// A real PostgreSQL for the pg tests: Debian's server binaries, a fresh cluster in a temp dir
// (initdb as an unprivileged user: PostgreSQL refuses to run as root), on a free port of 127.0.0.1
// with its socket in the temp dir, fsync off. Started once per test file, stopped after.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

export interface Postgres {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  stop(): void;
}

/** The newest installed server's bin directory, or undefined (the tests then skip, saying why). */
export function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin/initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0]!, 'bin') : undefined;
}

export const POSTGRES_MISSING = 'SKIPPED: PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql; .ci/run does)';

/** Runs a server binary as the unprivileged owner of the cluster when we are root. */
function run(bin: string, args: string[], owner: string | undefined): void {
  const [cmd, argv] = owner ? ['runuser', ['-u', owner, '--', bin, ...args]] : [bin, args];
  const result = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
}

export async function startPostgres(): Promise<Postgres> {
  const bin = postgresBin();
  if (!bin) throw new Error(POSTGRES_MISSING);
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-pg-'));
  // Debian's package creates the `postgres` system user; any unprivileged user would do.
  const owner = userInfo().uid === 0 ? (spawnSync('id', ['-u', 'postgres']).status === 0 ? 'postgres' : 'nobody') : undefined;
  if (owner) {
    const uid = Number(spawnSync('id', ['-u', owner], { encoding: 'utf8' }).stdout);
    const gid = Number(spawnSync('id', ['-g', owner], { encoding: 'utf8' }).stdout);
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const data = join(dir, 'data');
  const user = 'sentinel';
  run(join(bin, 'initdb'), ['-D', data, '-U', user, '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions'], owner);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start'], owner);
  let stopped = false;
  return {
    host: '127.0.0.1',
    port,
    user,
    database: 'postgres',
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], owner);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
