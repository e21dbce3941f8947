#!/usr/bin/env node
// Prints the bin/ folder of a Node.js that satisfies package.json's engines.node major: the
// folder of the running `node` when it does, else a pinned Node (versions.node in
// toolchain.cjs) installed from the npm registry's node-<platform>-<arch> package into the
// tools folder. `.ci/run` puts the printed folder first on PATH, so npm and every test run on
// it. Node built-ins only: it runs under whatever `node` the machine has.
//
// Usage: PATH="$(node scripts/ensureNode.cjs):$PATH"
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { versions, toolsDir } = require('./toolchain.cjs');

const root = path.resolve(__dirname, '..');
const wanted = Number(/(\d+)/.exec(require(path.join(root, 'package.json')).engines.node)[1]);
const major = (v) => Number(v.split('.')[0]);

function main() {
  if (major(process.versions.node) >= wanted) return path.dirname(process.execPath);
  const platform = process.platform === 'win32' ? 'win' : process.platform;
  const name = `node-${platform}-${process.arch}`;
  const home = path.join(toolsDir(), `node-${versions.node}-${platform}-${process.arch}`);
  const bin = path.join(home, 'node_modules', name, 'bin');
  const node = path.join(bin, process.platform === 'win32' ? 'node.exe' : 'node');
  if (!fs.existsSync(node)) {
    process.stderr.write(`[ensureNode] node ${process.versions.node} is older than ${wanted}: installing ${name}@${versions.node} into ${home}\n`);
    const staging = `${home}.staging-${process.pid}`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(staging, { recursive: true });
    fs.writeFileSync(path.join(staging, 'package.json'), '{"private":true}\n');
    execFileSync('npm', ['install', '--prefix', staging, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--ignore-scripts', `${name}@${versions.node}`], { stdio: ['ignore', 'ignore', 'inherit'] });
    fs.rmSync(home, { recursive: true, force: true });
    fs.renameSync(staging, home);
  }
  const got = execFileSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
  if (major(got) < wanted) throw new Error(`${node} is ${got}, not ${wanted}+`);
  return bin;
}

try {
  process.stdout.write(`${main()}\n`);
} catch (err) {
  process.stderr.write(`[ensureNode] ✗ ${err.message}\n`);
  process.exit(1);
}
