// Lets plain Node (`npx node bench/x.bench.ts`, `npx node test/support/generate-recording.ts`) load
// src/*.ts directly: src writes relative imports as `./x.js` (what tsc emits), which Node's type
// stripping does not map to `./x.ts`; this resolve hook does, for a missing `.js` beside an existing
// `.ts`. Vitest resolves them itself, so the hook is only registered outside it.
import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';

let registered = false;

export function resolveSrcTsImports(): void {
  if (registered || process.env.VITEST) return;
  registered = true;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
        const js = new URL(specifier, context.parentURL);
        const ts = new URL(specifier.slice(0, -3) + '.ts', context.parentURL);
        if (!existsSync(js) && existsSync(ts)) return nextResolve(ts.href, context);
      }
      return nextResolve(specifier, context);
    },
  });
}
