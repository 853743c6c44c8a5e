// The header a script sends to write to the API: the running service's token (SENTINEL_API_TOKEN, or
// the one it generated into data_dir/api-token at first start).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const bearer = (service: { apiToken(): string }): Record<string, string> => ({ authorization: `Bearer ${service.apiToken()}` });

/** For a `sentinel run` child process: the token it generated, read as a user would (cat data_dir/api-token). */
export const bearerFromDataDir = (dataDir: string): Record<string, string> => ({ authorization: `Bearer ${readFileSync(join(dataDir, 'api-token'), 'utf8').trim()}` });
