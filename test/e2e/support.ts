// Shared setup for the e2e and ui suites: one n8n user folder per test file, the package built and installed the
// way a self-hoster does, the emulator in-process (n8n runs as its own process, so this is still end-to-end).
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll } from 'vitest';

import { CREDENTIAL_TYPE } from '../../nodes/Salesforce/transport/auth';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { N8nRest, packAndInstall, root, startN8n, tempUserFolder } from '../n8n/index.mjs';

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

export const NODE_TYPE = 'n8n-nodes-salesforce.salesforceCrm';
export const TRIGGER_TYPE = 'n8n-nodes-salesforce.salesforceCrmTrigger';
export const INSTANT_TRIGGER_TYPE = 'n8n-nodes-salesforce.salesforceCrmInstantTrigger';

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

/** n8n's built-in Salesforce node (n8n-nodes-base), run side by side with ours. */
export const BUILTIN_NODE_TYPE = 'n8n-nodes-base.salesforce';
export const BUILTIN_CREDENTIAL_TYPE = 'salesforceOAuth2Api';

/**
 * A credential of the built-in node, which only knows login.salesforce.com: it holds a token from the emulator (as
 * after the OAuth dance) whose instance_url points the built-in node at the emulator.
 */
export async function builtinCredential(id: string, emulatorUrl: string) {
	const response = await fetch(`${emulatorUrl}/services/oauth2/token`, {
		method: 'POST',
		body: new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: 'emulator-consumer-key',
			client_secret: 'emulator-consumer-secret',
		}),
	});
	if (response.status !== 200) throw new Error(`emulator token: HTTP ${response.status} ${await response.text()}`);
	const token = (await response.json()) as { access_token: string; instance_url: string };
	if (token.instance_url !== emulatorUrl) throw new Error(`emulator token: instance_url ${token.instance_url}, expected ${emulatorUrl}`);
	return {
		id,
		name: `Built-in Salesforce ${id}`,
		type: BUILTIN_CREDENTIAL_TYPE,
		data: {
			environment: 'production',
			clientId: 'emulator-consumer-key',
			clientSecret: 'emulator-consumer-secret',
			oauthTokenData: { access_token: token.access_token, instance_url: token.instance_url, token_type: 'Bearer' },
		},
	};
}

type Node = { name: string; type: string; parameters?: Record<string, unknown>; [key: string]: unknown };

let nodeCounter = 0;
/** The nodes in order, each connected to the previous one, with ids and positions; `credential` (an id) is attached to every node of our package. */
function chain(id: string, name: string, all: Node[], credential?: { type?: string; id: string }) {
	const connections: Record<string, unknown> = {};
	for (let i = 1; i < all.length; i++) {
		connections[all[i - 1].name] = { main: [[{ node: all[i].name, type: 'main', index: 0 }]] };
	}
	return {
		id,
		name,
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

/**
 * A linear workflow: a manual trigger followed by the given nodes in order, each connected to the previous one.
 * Nodes get ids and positions; `credential` (an id) is attached to every node of our package.
 */
export function linearWorkflow(id: string, nodes: Node[], credential?: { type?: string; id: string }) {
	return chain(id, `e2e ${id}`, [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', parameters: {} }, ...nodes], credential);
}

/**
 * A linear workflow started by a production webhook, `POST /webhook/<path>` once the workflow is active, which
 * answers with the JSON of every item its last node returned (`callWebhook`). The request's JSON body is the
 * webhook's item, under `body`.
 */
export function webhookWorkflow(id: string, path: string, nodes: Node[], credential?: { type?: string; id: string }) {
	const webhook: Node = {
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
	};
	return chain(id, `e2e ${path}`, [webhook, ...nodes], credential);
}

/** Calls an active webhook workflow with a JSON body; `items` are the JSON of its last node's items. */
export async function callWebhook(n8nUrl: string, path: string, body: unknown): Promise<{ status: number; items: Array<Record<string, any>>; text: string }> {
	const response = await fetch(`${n8nUrl}/webhook/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const text = await response.text();
	let items: Array<Record<string, any>> = [];
	try {
		const parsed = JSON.parse(text);
		items = Array.isArray(parsed) ? parsed : [parsed];
	} catch {
		// not JSON: an error page; `text` tells
	}
	return { status: response.status, items, text };
}

/** A Code node that emits the items sent to a webhook workflow as `{ rows: [...] }`. */
export const ROWS_NODE: Node = {
	name: 'Rows',
	type: 'n8n-nodes-base.code',
	typeVersion: 2,
	parameters: { jsCode: 'return $input.first().json.body.rows.map((json) => ({ json }));' },
};

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

/** A running n8n started by `startN8n`. */
export type N8nProcess = Awaited<ReturnType<typeof startN8n>>;

/** What `useN8n` starts for a test file: the emulator, n8n's user folder, n8n itself and its REST API as the owner. */
export interface N8nUnderTest {
	emulator: Emulator;
	folder: Awaited<ReturnType<typeof preparedUserFolder>>;
	n8n: N8nProcess;
	rest: N8nRest;
}

/**
 * Before the file's (or describe block's) tests: the emulator, a user folder with the package installed, `prepare`
 * (import credentials and workflows, set up the emulator), then n8n started with its owner logged in, then `started`
 * (e.g. activate workflows). After them, all stopped and removed. The returned object is filled in by the time the
 * tests run.
 */
export function useN8n(
	prefix: string,
	{
		prepare,
		started,
		install = true,
	}: {
		prepare?: (setup: Pick<N8nUnderTest, 'emulator' | 'folder'>) => Promise<void>;
		started?: (setup: N8nUnderTest) => Promise<void>;
		install?: boolean;
	} = {},
): N8nUnderTest {
	const setup = {} as N8nUnderTest;
	beforeAll(async () => {
		setup.emulator = await startEmulator({ port: 0 });
		setup.folder = await preparedUserFolder(prefix, { install });
		await prepare?.(setup);
		setup.n8n = await startN8n({ userFolder: setup.folder.userFolder });
		setup.rest = new N8nRest(setup.n8n.url);
		await setup.rest.ensureOwner();
		await started?.(setup);
	}, 600_000);
	afterAll(async () => {
		await setup.n8n?.stop();
		await setup.emulator?.close();
		setup.folder?.cleanup();
	});
	return setup;
}
