// Makes a fresh clone runnable with nothing but the machine's Node and npm (README, "Quick start").
// Runs first in `npm test` and `npm start` (not as pre-scripts, which .npmrc's ignore-scripts skips too): installs
// the locked dependencies when they are missing or differ from the lock, and the Node 24 binary that the npm scripts
// then run (the `node` package; its install script is the one we allow, since .npmrc turns install scripts off: a dev
// dependency's preinstall only runs under pnpm).
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const modules = join(root, 'node_modules');
const node24 = join(modules, '.bin', 'node');

const npm = (...args) => execFileSync('npm', args, { cwd: root, stdio: 'inherit' });
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** Where node_modules differs from package-lock.json, by npm's own record of what it installed (empty: in sync). */
function differences() {
	const installedLock = join(modules, '.package-lock.json');
	if (!existsSync(installedLock)) return ['nothing installed'];
	const locked = readJson(join(root, 'package-lock.json')).packages;
	const installed = readJson(installedLock).packages;
	const found = [];
	for (const [path, entry] of Object.entries(locked)) {
		// Optional packages for other platforms are locked but never installed.
		if (path && (installed[path]?.version ?? (entry.optional ? entry.version : undefined)) !== entry.version) found.push(path);
	}
	for (const path of Object.keys(installed)) if (!(path in locked)) found.push(path);
	return found;
}

const stale = differences();
if (stale.length > 0) {
	// A linked node_modules belongs to another checkout (a git worktree sharing one install): never install into it.
	if (existsSync(modules) && lstatSync(modules).isSymbolicLink()) {
		throw new Error(`node_modules links to ${realpathSync(modules)}, which differs from this package-lock.json ` +
			`(${stale.slice(0, 3).join(', ')}…): run npm ci there, or remove the link.`);
	}
	// `npm ci`, never `npm install`: it installs exactly the lock and never rewrites package-lock.json, which
	// `npm install` does in the format of whichever npm runs it (npm 10 drops the `libc` fields npm 11 writes), so a
	// fresh clone stays clean. It refuses a package.json the lock does not match: run `npm install` after editing it.
	npm('ci', '--no-audit', '--no-fund');
}
if (!existsSync(node24)) npm('rebuild', 'node', '--ignore-scripts=false');

const version = execFileSync(node24, ['--version']).toString().trim();
const major = Number(/^v(\d+)/.exec(version)?.[1]);
if (major < 24) throw new Error(`node_modules/.bin/node is ${version}; the project needs Node 24 (package "node").`);
const pkg = readJson(join(root, 'package.json'));
if (process.env.CI) console.log(`bootstrap: ${pkg.name} dependencies ready, scripts run on Node ${version}`);
