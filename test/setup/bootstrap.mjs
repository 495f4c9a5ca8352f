// Makes a fresh clone runnable with nothing but the machine's Node and npm (README, "Quick start").
// Runs first in `npm test` and `npm start` (not as pre-scripts, which .npmrc's ignore-scripts skips too): installs
// the locked dependencies when they are missing or stale, and the Node 24 binary that the npm scripts then run (the
// `node` package; its install script is the one we allow, since .npmrc turns install scripts off: a dev
// dependency's preinstall only runs under pnpm).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const installedLock = join(root, 'node_modules', '.package-lock.json');
const node24 = join(root, 'node_modules', '.bin', 'node');

const npm = (...args) => execFileSync('npm', args, { cwd: root, stdio: 'inherit' });

const lockIsNewer = () =>
	!existsSync(installedLock) || statSync(join(root, 'package-lock.json')).mtimeMs > statSync(installedLock).mtimeMs;

// `npm install`, not `npm ci`: the registry here serves no builds of some other-platform optional packages
// (@unrs/resolver-binding-*), so the lock file cannot list them and `npm ci` refuses it; install keeps the locked
// versions all the same.
if (lockIsNewer()) npm('install', '--no-audit', '--no-fund');
if (!existsSync(node24)) npm('rebuild', 'node', '--ignore-scripts=false');

const version = execFileSync(node24, ['--version']).toString().trim();
const major = Number(/^v(\d+)/.exec(version)?.[1]);
if (major < 24) throw new Error(`node_modules/.bin/node is ${version}; the project needs Node 24 (package "node").`);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
if (process.env.CI) console.log(`bootstrap: ${pkg.name} dependencies ready, scripts run on Node ${version}`);
