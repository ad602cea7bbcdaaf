import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * A module of scripts/lib (plain CommonJS: images, containers, compose), found from the
 * repository root whether the tests run from their sources or from dist/.
 */
export function projectScript(name: 'images' | 'containers' | 'compose' | 'infra'): any {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'scripts', 'lib', `${name}.js`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the path is found at run time (sources or dist/)
    if (existsSync(file)) return require(file);
    if (dirname(dir) === dir) throw new Error(`no scripts/lib/${name}.js above ${__dirname}`);
  }
}
