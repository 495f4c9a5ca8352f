// Shared setup for the e2e and ui suites: one n8n user folder per test file, the package built and installed the
// way a self-hoster does, the emulator in-process (n8n runs as its own process, so this is still end-to-end).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { CREDENTIAL_TYPE } from '../../nodes/Salesforce/transport/auth';
import { packAndInstall, root, tempUserFolder } from '../n8n/index.mjs';

export { CREDENTIAL_TYPE };

export * from '../n8n/index.mjs';

export const PACKAGE_SOURCES = ['credentials', 'nodes', 'icons', 'package.json', 'index.js', 'gulpfile.js'];

function newestMtime(path: string): number {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** Runs `npm run build` when a package source is newer than dist/ (the build is shared by every test file). */
export function buildPackage(): void {
	const sources = Math.max(...PACKAGE_SOURCES.map((p) => newestMtime(join(root, p))));
	if (newestMtime(join(root, 'dist')) >= sources) return;
	execFileSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** True once every node and credential listed in package.json has its source (scenarios skip until then). */
const n8nSection = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).n8n ?? {};
export const packageHasNodes = [...(n8nSection.nodes ?? []), ...(n8nSection.credentials ?? [])].every((dist: string) =>
	existsSync(join(root, dist.replace(/^dist\//, '').replace(/\.js$/, '.ts'))),
);

export const NODE_TYPE = 'n8n-nodes-salesforce.salesforceCrm';
export const TRIGGER_TYPE = 'n8n-nodes-salesforce.salesforceCrmTrigger';

/** Client-credentials data for our credential against an emulator URL (the emulator's default app, Local Test Server on). */
export function appCredential(id: string, domain: string, data: Record<string, unknown> = {}) {
	return {
		id,
		name: `Salesforce ${id}`,
		type: CREDENTIAL_TYPE,
		data: {
			grantType: 'clientCredentials',
			domain,
			allowLocalTestServer: true,
			clientId: 'emulator-consumer-key',
			clientSecret: 'emulator-consumer-secret',
			...data,
		},
	};
}

type Node = { name: string; type: string; parameters?: Record<string, unknown>; [key: string]: unknown };

let nodeCounter = 0;
/**
 * A linear workflow: a manual trigger followed by the given nodes in order, each connected to the previous one.
 * Nodes get ids and positions; `credential` (an id) is attached to every node of our package.
 */
export function linearWorkflow(id: string, nodes: Node[], credential?: { type?: string; id: string }) {
	const all: Node[] = [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', parameters: {} }, ...nodes];
	const connections: Record<string, unknown> = {};
	for (let i = 1; i < all.length; i++) {
		connections[all[i - 1].name] = { main: [[{ node: all[i].name, type: 'main', index: 0 }]] };
	}
	return {
		id,
		name: `e2e ${id}`,
		nodes: all.map((node, i) => ({
			id: `00000000-0000-4000-8000-${String(++nodeCounter).padStart(12, '0')}`,
			typeVersion: 1,
			position: [i * 220, 0],
			parameters: {},
			...node,
			...(credential && node.credentials === undefined && node.type.startsWith('n8n-nodes-salesforce.')
				? { credentials: { [credential.type ?? CREDENTIAL_TYPE]: { id: credential.id, name: `Salesforce ${credential.id}` } } }
				: {}),
		})),
		connections,
	};
}

/** A Code node that emits the given items (n8n 2.x runs it in its internal JS task runner). */
export function itemsNode(name: string, items: Record<string, unknown>[]): Node {
	return {
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		parameters: { jsCode: `return ${JSON.stringify(items)}.map((json) => ({ json }));` },
	};
}

/** A user folder with the package installed; `cleanup()` removes it. */
export async function preparedUserFolder(prefix = 'n8n-e2e-', { install = true } = {}) {
	const userFolder = tempUserFolder(prefix);
	if (install) {
		buildPackage();
		await packAndInstall(userFolder);
	}
	return { userFolder, cleanup: () => rmSync(userFolder, { recursive: true, force: true }) };
}
