#!/usr/bin/env node
// Bundles the web app (web/src) into web/dist with esbuild: one JavaScript and one CSS file
// per page entry, content-hashed so the server can cache them for a year, and the HTML pages
// written with those names. Runs in provisioning (`--with-build`) and as `npm run build:web`.
//
// Usage: node scripts/buildWeb.cjs [--watch]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const web = path.join(root, 'web');
const outdir = path.join(web, 'dist');

/**
 * Each page: an HTML template in web/ and its TypeScript entry. The template names its
 * assets with the placeholders <!--styles--> and <!--scripts-->.
 */
const pages = [
  { html: 'index.html', entry: 'src/main.ts' },
  // A bare bpmn-js Modeler: the baseline of `npm run bench:web` (served only from web/dist).
  { html: 'bench-bare.html', entry: 'src/bench/bareModeler.ts' },
];

const options = {
  absWorkingDir: web,
  entryPoints: Object.fromEntries(pages.filter((p) => fs.existsSync(path.join(web, p.entry))).map((p) => [path.basename(p.html, '.html'), p.entry])),
  bundle: true,
  splitting: true,
  format: 'esm',
  target: ['es2020', 'chrome100', 'safari15', 'firefox100'],
  minify: true,
  sourcemap: 'linked',
  outdir: path.join(outdir, 'assets'),
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  assetNames: '[name]-[hash]',
  publicPath: '/assets',
  metafile: true,
  legalComments: 'linked',
  loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.svg': 'file', '.png': 'file' },
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
};

function writePages(metafile) {
  const outputs = Object.entries(metafile.outputs);
  for (const page of pages) {
    const name = path.basename(page.html, '.html');
    const entryOut = outputs.find(([, meta]) => meta.entryPoint === page.entry);
    if (!entryOut) continue;
    const [jsFile, meta] = entryOut;
    const url = (file) => `/assets/${path.basename(file)}`;
    const styles = meta.cssBundle ? `<link rel="stylesheet" href="${url(meta.cssBundle)}">` : '';
    const scripts = `<script type="module" src="${url(jsFile)}"></script>`;
    const template = fs.readFileSync(path.join(web, page.html), 'utf8');
    fs.writeFileSync(path.join(outdir, `${name}.html`), template.replace('<!--styles-->', styles).replace('<!--scripts-->', scripts));
  }
}

async function main() {
  const started = Date.now();
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(outdir, { recursive: true });
  if (process.argv.includes('--watch')) {
    const ctx = await esbuild.context({ ...options, plugins: [{ name: 'pages', setup: (b) => b.onEnd((r) => r.metafile && writePages(r.metafile)) }] });
    await ctx.watch();
    process.stdout.write('[web] watching web/src — rebuilds on change\n');
    return;
  }
  const result = await esbuild.build(options);
  writePages(result.metafile);
  const js = Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith('.js')).reduce((n, [, m]) => n + m.bytes, 0);
  process.stdout.write(`[web] web/dist built in ${Date.now() - started} ms (${(js / 1024).toFixed(0)} KiB of JavaScript before gzip)\n`);
}

main().catch((err) => {
  process.stderr.write(`[web] build failed: ${err.message}\n`);
  process.exit(1);
});
