// `npm start`: the local demo. Builds the package, installs n8n (cached), starts the Salesforce emulator and an
// n8n with the package installed as a community package, a ready credential and example workflows.
// State lives in .demo/ (kept between starts; DEMO_DIR moves it); `npm start -- --reset` starts over.
// Ctrl-C, or SIGINT, SIGTERM or SIGHUP sent to this process or to `npm start` (whose script execs this one), stops
// n8n and the emulator, as does the end of its parent process.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	OWNER,
	N8nRest,
	importCredentials,
	importWorkflows,
	installN8n,
	packAndInstall,
	publishWorkflow,
	root,
	startN8n,
} from '../n8n/index.mjs';
import { node24 } from '../n8n/install.mjs';

const EMULATOR_PORT = Number(process.env.EMULATOR_PORT || 8787);
const N8N_PORT = Number(process.env.N8N_PORT || 5678);
const demoDir = process.env.DEMO_DIR || join(root, '.demo');
const seededMarker = join(demoDir, '.seeded');
const here = join(root, 'test', 'demo');
const say = (message) => console.log(`[demo] ${message}`);

/** What has been started, each with stop(); a process still starting is stopped too (`stopping` aborts it). */
const children = [];
const stopping = new AbortController();
async function stopAll(code = 0) {
	if (stopping.signal.aborted) return;
	stopping.abort();
	say('stopping…');
	await Promise.allSettled(children.map((child) => child.stop()));
	process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stopAll(0));
// A process manager may end `npm start` by a signal npm does not forward (SIGHUP) or by SIGKILL: stop with it.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && stopAll(0), 500).unref();

/** Starts the emulator as a child process; `listening` resolves with its URL once it prints that it listens. */
function startEmulator() {
	const child = spawn(node24, [join(root, 'test', 'emulator', 'cli.ts'), '--port', String(EMULATOR_PORT)], {
		cwd: root,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const exited = new Promise((resolve) => child.once('exit', resolve));
	const stop = async () => {
		if (child.exitCode === null) child.kill('SIGTERM');
		await exited;
	};
	const listening = new Promise((resolve, reject) => {
		let buffer = '';
		child.stdout.on('data', (chunk) => {
			buffer += chunk;
			process.stdout.write(chunk);
			const url = /listening on (http:\/\/\S+)/.exec(buffer)?.[1];
			if (url) resolve(url);
		});
		exited.then((code) => reject(new Error(`the emulator exited (${code}) before it listened`)));
	});
	return { stop, listening };
}

async function main() {
	if (process.argv.includes('--reset')) rmSync(demoDir, { recursive: true, force: true });
	mkdirSync(demoDir, { recursive: true });

	let t = Date.now();
	say('building the package (npm run build)');
	execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
	say(`built in ${Date.now() - t} ms`);

	t = Date.now();
	await installN8n({ log: say });
	say(`n8n ready in ${Date.now() - t} ms`);

	const emulator = startEmulator();
	children.push(emulator);
	const emulatorUrl = await emulator.listening;

	t = Date.now();
	await packAndInstall(demoDir);
	say(`package installed into .demo/.n8n/nodes in ${Date.now() - t} ms`);

	if (!existsSync(seededMarker)) {
		say('importing the credential and the example workflows');
		await importCredentials(demoDir, JSON.parse(readFileSync(join(here, 'credentials.json'), 'utf8')));
		const workflows = readdirSync(join(here, 'workflows'))
			.filter((name) => name.endsWith('.json'))
			.map((name) => JSON.parse(readFileSync(join(here, 'workflows', name), 'utf8')));
		await importWorkflows(demoDir, workflows);
		for (const workflow of workflows.filter((w) => w.nodes.some((n) => /Trigger$/.test(n.type) && !/manual/i.test(n.type)))) {
			await publishWorkflow(demoDir, workflow.id);
		}
	}

	t = Date.now();
	const starting = startN8n({
		userFolder: demoDir,
		port: N8N_PORT,
		log: process.env.DEMO_VERBOSE ? (line) => process.stdout.write(line) : undefined,
		signal: stopping.signal,
	});
	children.push({ stop: () => starting.then((n8n) => n8n.stop(), () => undefined) });
	const n8n = await starting;
	say(`n8n started in ${Date.now() - t} ms`);
	const rest = new N8nRest(n8n.url);
	await rest.ensureOwner();
	writeFileSync(seededMarker, new Date().toISOString() + '\n');

	console.log(`
  Salesforce emulator  ${emulatorUrl}   (requests: ${emulatorUrl}/__emulator/requests)
  n8n editor           ${n8n.url}
  login                ${OWNER.email} / ${OWNER.password}
  credential           "Salesforce (local emulator)" (client credentials against the emulator)
  workflows            "Demo: create a lead", "Demo: get many opportunities", "Demo: on new contacts" (active)
  n8n log              DEMO_VERBOSE=1 npm start; start over with npm start -- --reset
  Press Ctrl-C to stop (or send SIGTERM to this process, ${process.pid}).
`);
}

main().catch(async (error) => {
	if (!stopping.signal.aborted) console.error(error);
	await stopAll(1);
});
