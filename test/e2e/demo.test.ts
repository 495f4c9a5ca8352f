// `npm start` (README, "Quick start") under a process manager: a signal sent to npm's PID or to the demo script's
// stops n8n and the emulator: no process of the demo remains and both ports are closed. Ctrl-C (SIGINT to the
// terminal's whole process group) needs nothing of the demo; a signal to one PID does.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { freePort, root } from './support.ts';

const demoDir = mkdtempSync(join(tmpdir(), 'n8n-demo-signals-'));
afterAll(() => rmSync(demoDir, { recursive: true, force: true }));

/** Every process below `pid`, with its command line. */
function descendants(pid: number): Array<{ pid: number; args: string }> {
	const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' })
		.trim()
		.split('\n')
		.map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line)!)
		.map(([, child, parent, args]) => ({ pid: Number(child), ppid: Number(parent), args }));
	const found: Array<{ pid: number; args: string }> = [];
	const visit = (parent: number) =>
		rows.filter((row) => row.ppid === parent).forEach((row) => (found.push({ pid: row.pid, args: row.args }), visit(row.pid)));
	visit(pid);
	return found;
}

const alive = (pid: number) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
};

const portOpen = (port: number) =>
	new Promise<boolean>((resolve) => {
		const socket = connect(port, '127.0.0.1');
		socket.once('connect', () => (socket.destroy(), resolve(true)));
		socket.once('error', () => resolve(false));
	});

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
	for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 250))) {
		if (await condition()) return true;
	}
	return condition();
}

describe('npm start', () => {
	// npm forwards SIGINT and SIGTERM to the script it runs, which execs the demo; SIGHUP ends npm alone, and the demo
	// stops when its parent is gone. The demo handles all three itself.
	it.each([
		['SIGTERM', 'npm'],
		['SIGHUP', 'npm'],
		['SIGINT', 'the demo script'],
	] as const)('stops n8n and the emulator on %s sent to the PID of %s', async (signal, target) => {
		const [emulatorPort, n8nPort] = [await freePort(), await freePort()];
		const npm = spawn('npm', ['start'], {
			cwd: root,
			env: { ...process.env, DEMO_DIR: demoDir, EMULATOR_PORT: String(emulatorPort), N8N_PORT: String(n8nPort) },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const npmExited = new Promise((resolve) => npm.once('exit', resolve));
		let output = '';
		npm.stdout.on('data', (chunk) => (output += chunk));
		npm.stderr.on('data', (chunk) => (output += chunk));
		let processes: Array<{ pid: number; args: string }> = [];
		try {
			expect(await until(() => output.includes('Press Ctrl-C to stop') || npm.exitCode !== null, 540_000), output).toBe(true);
			expect(npm.exitCode, output).toBeNull();

			processes = descendants(npm.pid!);
			const script = processes.find((p) => p.args.includes('test/demo/start.mjs'));
			expect(script, JSON.stringify(processes)).toBeDefined();
			expect(processes.some((p) => p.args.includes('test/emulator/cli.ts'))).toBe(true);
			expect(processes.some((p) => /n8n\S*\s+start\b/.test(p.args))).toBe(true);
			expect(await portOpen(emulatorPort)).toBe(true);
			expect(await portOpen(n8nPort)).toBe(true);

			process.kill(target === 'npm' ? npm.pid! : script!.pid, signal);
			await npmExited;
			// n8n gets 15 s to shut down before the demo kills it.
			await until(() => processes.every((p) => !alive(p.pid)), 30_000);
			expect(processes.filter((p) => alive(p.pid))).toEqual([]);
			expect(await portOpen(emulatorPort)).toBe(false);
			expect(await portOpen(n8nPort)).toBe(false);
		} finally {
			for (const p of [...descendants(npm.pid!), ...processes].filter((p) => alive(p.pid))) process.kill(p.pid, 'SIGKILL');
			if (npm.exitCode === null && npm.signalCode === null) npm.kill('SIGKILL');
		}
	});
});
