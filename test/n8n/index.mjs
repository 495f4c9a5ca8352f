// Drives a real n8n (installed by install.mjs) the way a self-hoster does: the package is packed and installed
// into <userFolder>/.n8n/nodes, credentials and workflows go in through `n8n import:*`, workflows run through
// `n8n execute`, and the editor's REST API serves owner setup, login and the registered types.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { installN8n, node24, root } from './install.mjs';

export { installN8n, root };

export const PACKAGE_NAME = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name;
export const OWNER = { email: 'demo@example.com', password: 'Demo-n8n-2025', firstName: 'Demo', lastName: 'Owner' };

const execFileAsync = promisify(execFile);

/** A free TCP port on 127.0.0.1 (n8n's main port and its task broker port must not clash between processes). */
export function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** Environment that keeps n8n local: loopback only, no telemetry, no calls to n8n.io, community packages on. */
export function n8nEnv(userFolder, extra = {}) {
	// Not the test runner's NODE_ENV=test / VITEST*: under them n8n silences its console output.
	const inherited = Object.fromEntries(
		Object.entries(process.env).filter(([key]) => key !== 'NODE_ENV' && !key.startsWith('VITEST')),
	);
	return {
		...inherited,
		PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH}`,
		N8N_USER_FOLDER: userFolder,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false', // else n8n fetches the vetted list from api.n8n.io
		N8N_DISABLED_MODULES: 'mcp-registry,instance-ai,workflow-builder,chat-hub,agents',
		N8N_PYTHON_ENABLED: 'false',
		N8N_RUNNERS_TASK_TIMEOUT: '300',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
		DB_SQLITE_POOL_SIZE: '2',
		N8N_LOG_LEVEL: 'info',
		...extra,
	};
}

/**
 * Packs the project (already built by the caller) and installs the tarball into <userFolder>/.n8n/nodes.
 * npm pack writes fixed file dates, so an unchanged build gives the same tarball and the install is skipped.
 */
export async function packAndInstall(userFolder) {
	const packDir = mkdtempSync(join(tmpdir(), 'n8n-pack-'));
	try {
		const out = execFileSync('npm', ['pack', '--pack-destination', packDir, '--json', '--ignore-scripts'], {
			cwd: root,
			encoding: 'utf8',
		});
		const tarball = join(packDir, JSON.parse(out)[0].filename);
		const nodesDir = join(userFolder, '.n8n', 'nodes');
		const installed = join(nodesDir, 'node_modules', PACKAGE_NAME);
		const stamp = join(nodesDir, `.${PACKAGE_NAME}.sha256`);
		const sha = createHash('sha256').update(readFileSync(tarball)).digest('hex');
		if (existsSync(installed) && existsSync(stamp) && readFileSync(stamp, 'utf8') === sha) return installed;
		mkdirSync(nodesDir, { recursive: true });
		const manifest = join(nodesDir, 'package.json');
		if (!existsSync(manifest)) writeFileSync(manifest, JSON.stringify({ name: 'installed-nodes', private: true }));
		// Like n8n's own installer: no install scripts, no peer dependencies (n8n provides n8n-workflow).
		execFileSync(
			'npm',
			['install', tarball, '--ignore-scripts', '--legacy-peer-deps', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error'],
			{ cwd: nodesDir, stdio: ['ignore', 'ignore', 'inherit'] },
		);
		writeFileSync(stamp, sha);
		return installed;
	} finally {
		rmSync(packDir, { recursive: true, force: true });
	}
}

/**
 * What an install laid into n8n's nodes folder (<userFolder>/.n8n/nodes): the packages in node_modules (from npm's
 * node_modules/.package-lock.json), the bytes of their files and the bytes they take on disk (allocated blocks).
 */
export function installedFootprint(userFolder) {
	const nodeModules = join(userFolder, '.n8n', 'nodes', 'node_modules');
	const { packages } = JSON.parse(readFileSync(join(nodeModules, '.package-lock.json'), 'utf8'));
	let fileBytes = 0;
	let diskBytes = 0;
	const walk = (path) => {
		const stat = lstatSync(path);
		fileBytes += stat.isDirectory() ? 0 : stat.size;
		diskBytes += stat.blocks * 512;
		if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
	};
	walk(nodeModules);
	return { packages: Object.keys(packages).map((path) => path.replace(/^.*node_modules\//, '')), fileBytes, diskBytes };
}

/** Runs an n8n CLI command against a user folder (the server may be running on the same folder). */
export async function runN8n(userFolder, args, { env = {} } = {}) {
	const bin = await installN8n();
	const brokerPort = String(await freePort());
	try {
		return await execFileAsync(node24, [bin, ...args], {
			env: n8nEnv(userFolder, { N8N_RUNNERS_BROKER_PORT: brokerPort, N8N_PORT: String(await freePort()), ...env }),
			maxBuffer: 256 * 1024 * 1024,
		});
	} catch (error) {
		error.message = `n8n ${args.join(' ')} failed: ${error.message}\n${error.stdout ?? ''}`;
		throw error;
	}
}

function writeJson(userFolder, name, data) {
	const file = join(userFolder, `${name}-${process.pid}-${Date.now()}.json`);
	writeFileSync(file, JSON.stringify(data, null, 2));
	return file;
}

/** Imports credentials: [{id, name, type, data}] (plain data, n8n encrypts it); `env` selects e.g. the database. */
export async function importCredentials(userFolder, credentials, { env = {} } = {}) {
	const file = writeJson(userFolder, 'credentials', credentials);
	try {
		await runN8n(userFolder, ['import:credentials', `--input=${file}`], { env });
	} finally {
		rmSync(file, { force: true });
	}
}

/** Imports workflows: [{id, name, nodes, connections, ...}]. Use publishWorkflow to activate one before start. */
export async function importWorkflows(userFolder, workflows, { env = {} } = {}) {
	const file = writeJson(userFolder, 'workflows', workflows.map((w) => ({ active: false, settings: {}, ...w })));
	try {
		await runN8n(userFolder, ['import:workflow', `--input=${file}`], { env });
	} finally {
		rmSync(file, { force: true });
	}
}

/** Marks a workflow active (published); takes effect when n8n starts. */
export async function publishWorkflow(userFolder, id, { env = {} } = {}) {
	await runN8n(userFolder, ['publish:workflow', `--id=${id}`], { env });
}

/** Cuts the pretty-printed JSON document (a line "{" up to the next line "}") out of n8n's console output. */
function extractJson(text) {
	const lines = text.split('\n');
	const start = lines.indexOf('{');
	const end = lines.indexOf('}', start);
	if (start < 0 || end < 0) return undefined;
	return JSON.parse(lines.slice(start, end + 1).join('\n'));
}

/**
 * Runs a workflow with `n8n execute --id=ID --rawOutput`; `env` adds variables to that n8n process (e.g. a proxy).
 * Returns {ok, run (the IRun: run.data.resultData.runData), error, stdout, stderr, ms}.
 * @param {string} userFolder
 * @param {string} id
 * @param {{ env?: Record<string, string> }} [options]
 */
export async function executeWorkflow(userFolder, id, { env = {} } = {}) {
	const started = Date.now();
	try {
		const { stdout, stderr } = await runN8n(userFolder, ['execute', `--id=${id}`, '--rawOutput'], { env });
		return { ok: true, run: extractJson(stdout), stdout, stderr, ms: Date.now() - started };
	} catch (error) {
		const run = extractJson(error.stdout ?? '');
		const failure = run?.data?.resultData?.error ?? run;
		return { ok: false, run, error: failure, stdout: error.stdout, stderr: error.stderr, ms: Date.now() - started };
	}
}

/**
 * The JSON items a node returned in a run: nodeOutput(run, 'Create Lead') → [{...}, ...] (main output 0).
 * @returns {Array<Record<string, any>>}
 */
export function nodeOutput(run, nodeName, output = 0) {
	const taskData = run?.data?.resultData?.runData?.[nodeName];
	if (!taskData) throw new Error(`node "${nodeName}" did not run`);
	return taskData.flatMap((task) => (task.data?.main?.[output] ?? []).map((item) => item.json));
}

/**
 * The bytes of a binary field in each item a node returned in a run, with the field's metadata (fileName, mimeType…).
 * n8n 2.x keeps binary data in the filesystem (`id: filesystem-v2:<path>` under <userFolder>/.n8n/storage); the
 * in-memory mode of n8n 1.x inlined it as base64 in `data`.
 * @returns {Array<{ meta: Record<string, any>, bytes: Buffer }>}
 */
export function nodeBinaries(userFolder, run, nodeName, property = 'data', output = 0) {
	const taskData = run?.data?.resultData?.runData?.[nodeName];
	if (!taskData) throw new Error(`node "${nodeName}" did not run`);
	return taskData.flatMap((task) =>
		(task.data?.main?.[output] ?? []).map((item) => {
			const meta = item.binary?.[property];
			if (!meta) throw new Error(`an item of "${nodeName}" has no binary field "${property}"`);
			const stored = /^filesystem(-v2)?:(.+)$/.exec(meta.id ?? '');
			const bytes = stored ? readFileSync(join(userFolder, '.n8n', 'storage', stored[2])) : Buffer.from(meta.data, 'base64');
			return { meta, bytes };
		}),
	);
}

/** The error a node ended with in a run, if any. */
export function nodeError(run, nodeName) {
	return run?.data?.resultData?.runData?.[nodeName]?.find((task) => task.error)?.error;
}

/**
 * Starts `n8n start` (or another command: `args: ['worker', '--concurrency=5']`) on 127.0.0.1 and waits until it is
 * ready: the REST API answers, or for a worker its health server (on `port`) reports ready.
 * Returns {url, port, pid, logs(), stop(), kill(signal)}; stop() sends SIGTERM and waits for the exit, kill() sends
 * the signal (default SIGKILL) and waits for the exit. With `processGroup`, n8n runs in its own process group and
 * kill() reaches the task runners it starts as child processes too, as when a container is killed (Ctrl-C in the
 * terminal then no longer reaches n8n: the caller stops it). Aborting `signal` before n8n is ready stops it and rejects.
 * @param {{ userFolder: string, args?: string[], port?: number, env?: Record<string, string>, log?: (text: string) => void, timeoutMs?: number, processGroup?: boolean, signal?: AbortSignal }} options
 */
export async function startN8n({ userFolder, args = ['start'], port, env = {}, log, timeoutMs = 180_000, processGroup = false, signal }) {
	const bin = await installN8n();
	port ??= await freePort();
	const brokerPort = await freePort();
	const ports =
		args[0] === 'worker'
			? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1', N8N_PORT: String(await freePort()) }
			: { N8N_PORT: String(port) };
	const child = spawn(node24, [bin, ...args], {
		env: n8nEnv(userFolder, { ...ports, N8N_RUNNERS_BROKER_PORT: String(brokerPort), ...env }),
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: processGroup,
	});
	let output = '';
	const collect = (chunk) => {
		output += chunk;
		log?.(chunk.toString());
	};
	child.stdout.on('data', collect);
	child.stderr.on('data', collect);
	const exited = new Promise((resolve) => child.once('exit', resolve));
	let exitCode;
	exited.then((code) => (exitCode = code ?? 'signal'));
	const send = (signal) => {
		try {
			process.kill(processGroup ? -child.pid : child.pid, signal);
		} catch {
			// gone already
		}
	};

	const url = `http://127.0.0.1:${port}`;
	const started = Date.now();
	while (true) {
		if (exitCode !== undefined) throw new Error(`n8n exited (${exitCode}) before it was ready:\n${output}`);
		if (signal?.aborted) {
			send('SIGTERM');
			await exited;
			throw new Error('n8n stopped before it was ready', { cause: signal.reason });
		}
		if (Date.now() - started > timeoutMs) {
			send('SIGKILL');
			throw new Error(`n8n not ready after ${timeoutMs} ms:\n${output}`);
		}
		// /healthz answers during migrations and /rest/* answers "starting up" with 200: readiness is the signal.
		const ready = await fetch(`${url}/healthz/readiness`).then((r) => r.ok, () => false);
		if (ready) break;
		await new Promise((r) => setTimeout(r, 250));
	}
	return {
		url,
		port,
		pid: child.pid,
		startMs: Date.now() - started,
		logs: () => output,
		async stop() {
			if (exitCode !== undefined) return;
			child.kill('SIGTERM');
			const timer = setTimeout(() => send('SIGKILL'), 15_000);
			await exited;
			clearTimeout(timer);
			if (processGroup) send('SIGKILL'); // task runners left behind
		},
		async kill(signal = 'SIGKILL') {
			if (exitCode !== undefined) return;
			send(signal);
			await exited;
		},
	};
}

/** A small cookie-keeping client for n8n's internal REST API (/rest/...). */
export class N8nRest {
	constructor(url) {
		this.url = url;
		this.cookie = '';
	}

	async request(method, path, body) {
		const response = await fetch(`${this.url}${path}`, {
			method,
			headers: { 'content-type': 'application/json', cookie: this.cookie, 'browser-id': 'n8n-e2e' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = response.headers.getSetCookie?.() ?? [];
		if (setCookie.length) this.cookie = setCookie.map((c) => c.split(';')[0]).join('; ');
		const text = await response.text();
		const json = text ? JSON.parse(text) : undefined;
		if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text.slice(0, 500)}`);
		return json?.data ?? json;
	}

	/** Creates the owner when the instance has none yet, then logs in. */
	async ensureOwner(owner = OWNER) {
		const settings = await this.request('GET', '/rest/settings');
		if (settings.userManagement?.showSetupOnFirstLoad) await this.request('POST', '/rest/owner/setup', owner);
		await this.request('POST', '/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password });
		return owner;
	}

	/** Activates (publishes) a workflow's current version in the running n8n, its webhooks and triggers included. */
	async activateWorkflow(id) {
		const { versionId } = await this.request('GET', `/rest/workflows/${id}`);
		return await this.request('POST', `/rest/workflows/${id}/activate`, { versionId });
	}

	/**
	 * A workflow's executions, newest first, as the editor's executions list reports them (an execution that never
	 * started has no start time). Throws when there are more than `limit`: page through them.
	 */
	async executions(workflowId, limit = 100) {
		const page = await this.executionsPage(workflowId, limit);
		if (page.count > page.results.length) throw new Error(`more than ${page.results.length} executions of ${workflowId}: page through them`);
		return page.results;
	}

	/** A workflow's `count` newest executions, newest first. */
	async newestExecutions(workflowId, count) {
		return (await this.executionsPage(workflowId, count)).results;
	}

	async executionsPage(workflowId, limit) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		return await this.request('GET', `/rest/executions?filter=${filter}&limit=${limit}`);
	}

	/** Registered node and credential types (needs a logged-in session). */
	async types() {
		const [nodes, credentials] = await Promise.all([
			this.request('GET', '/types/nodes.json'),
			this.request('GET', '/types/credentials.json'),
		]);
		return { nodes, credentials };
	}
}

/** A fresh user folder under the OS temp folder. */
export function tempUserFolder(prefix = 'n8n-e2e-') {
	return mkdtempSync(join(tmpdir(), prefix));
}
