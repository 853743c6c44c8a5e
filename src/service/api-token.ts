// The token every write to the API must carry. SENTINEL_API_TOKEN when the user sets one; otherwise one
// generated at first start and kept in data_dir/api-token (0600), as Jupyter and Grafana bootstrap their
// first credential: the log says where it is, never what it is. amtool reads the same file through its
// --http.config.file (`authorization: { credentials_file: <data_dir>/api-token }`).
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { API_TOKEN_ENV } from './secrets.js';

export const API_TOKEN_FILE = 'api-token';

export type ApiToken =
  | { readonly source: 'env'; readonly token: string }
  | { readonly source: 'file' | 'generated'; readonly token: string; readonly file: string; readonly widened?: boolean }
  /** The file could not be read or written (a read-only or full data_dir): writes are refused until fixed. */
  | { readonly source: 'unavailable'; readonly token: string; readonly file: string; readonly error: string };

export async function resolveApiToken(dataDir: string, env: Readonly<Record<string, string | undefined>>): Promise<ApiToken> {
  const given = env[API_TOKEN_ENV];
  if (given) return { source: 'env', token: given };
  const file = join(dataDir, API_TOKEN_FILE);
  try {
    const token = (await readFile(file, 'utf8')).trim();
    if (token !== '') {
      // A copy restored from a backup may have lost its mode: narrow it again, and say so.
      const widened = ((await stat(file)).mode & 0o077) !== 0;
      if (widened) await chmod(file, 0o600);
      return { source: 'file', token, file, widened };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return unavailable(file, error);
  }
  const token = randomBytes(32).toString('base64url');
  try {
    await mkdir(dataDir, { recursive: true });
    // Written whole under a temp name then renamed, so a crash never leaves an empty token file.
    const temp = `${file}.${process.pid}.tmp`;
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(`${token}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    return unavailable(file, error);
  }
  return { source: 'generated', token, file };
}

function unavailable(file: string, error: unknown): ApiToken {
  // A token nobody knows: writes stay closed rather than open, and pages still go out.
  return { source: 'unavailable', token: randomBytes(32).toString('base64url'), file, error: (error as Error).message };
}
