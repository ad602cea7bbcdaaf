import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';

/** What this plugin reads of the bundle (Rollup's and Rolldown's output share this shape). */
interface OutputFile {
  type: 'chunk' | 'asset';
  fileName: string;
  name?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  viteMetadata?: { importedCss: Set<string>; importedAssets: Set<string> };
}

/**
 * Writes the door's service worker (door/sw.js) with the list of the door entry's own files
 * (its chunks, their CSS and assets, the decoder worker), and its web manifest. The version in
 * sw.js changes with the files, so browsers pick up a new build.
 */
export function doorServiceWorker(here: string): Plugin {
  return {
    name: 'passway-door-service-worker',
    apply: 'build',
    generateBundle(_options, output) {
      const bundle = output as unknown as Record<string, OutputFile>;
      const entry = Object.values(bundle).find((file) => file.type === 'chunk' && file.isEntry && file.name === 'door');
      if (!entry) throw new Error('door entry chunk not found');
      const files = new Set<string>();
      const visit = (name: string) => {
        if (files.has(name)) return;
        files.add(name);
        const file = bundle[name];
        if (!file || file.type !== 'chunk') return;
        [...(file.imports ?? []), ...(file.dynamicImports ?? [])].forEach(visit);
        file.viteMetadata?.importedCss.forEach((css) => files.add(css));
        file.viteMetadata?.importedAssets.forEach((asset) => files.add(asset));
      };
      visit(entry.fileName);
      // Workers and other emitted assets the door chunks reference by URL (qr-scanner's worker).
      for (const file of Object.values(bundle)) {
        if (file.type === 'chunk' && !file.isEntry && /qr-scanner-worker/.test(file.fileName)) files.add(file.fileName);
      }
      const assets = [...files].sort().map((name) => `/app/${name}`);
      const version = simpleHash(assets.join('\n'));
      const template = readFileSync(resolve(here, 'door', 'sw.template.js'), 'utf8');
      this.emitFile({
        type: 'asset',
        fileName: 'door/sw.js',
        source: template.replace('__VERSION__', version).replace('__ASSETS__', JSON.stringify(assets)),
      });
      this.emitFile({
        type: 'asset',
        fileName: 'door/manifest.webmanifest',
        source: readFileSync(resolve(here, 'door', 'manifest.webmanifest'), 'utf8'),
      });
    },
  };
}

function simpleHash(text: string): string {
  let hash = 5381;
  for (let i = 0; i < text.length; i += 1) hash = ((hash << 5) + hash + text.charCodeAt(i)) >>> 0;
  return hash.toString(36);
}
