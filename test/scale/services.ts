// PostgreSQL and Redis for the scale layer, from Debian's packages (`.ci/run` installs them): each on a free loopback
// port with its files in a temp folder, started and stopped by the test. Postgres refuses to run as root, so as root
// its cluster is created and run by an unprivileged user (Debian's `postgres`, else `nobody`).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from '../n8n/index.mjs';

/** The folder of Postgres' server programs: $PG_BIN, else Debian's newest /usr/lib/postgresql/<major>/bin. */
export function postgresBin(): string | undefined {
	if (process.env.PG_BIN) return process.env.PG_BIN;
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const majors = readdirSync(root).filter((name) => existsSync(join(root, name, 'bin', 'initdb')));
	majors.sort((a, b) => Number(b) - Number(a));
	return majors.length ? join(root, majors[0], 'bin') : undefined;
}

function onPath(command: string): boolean {
	try {
		execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

/** What is missing to run the layer, in words (empty when everything is there). */
export function missingServices(): string[] {
	const missing: string[] = [];
	if (!postgresBin()) missing.push('PostgreSQL (Debian: apt-get install postgresql)');
	if (!onPath('redis-server')) missing.push('Redis (Debian: apt-get install redis-server)');
	if (!onPath('psql')) missing.push('psql (Debian: apt-get install postgresql-client)');
	return missing;
}

/** The user that runs Postgres: the current one, or as root an unprivileged system user. */
function postgresUser(): { uid: number; gid: number } | undefined {
	if (process.getuid?.() !== 0) return undefined;
	for (const name of ['postgres', 'nobody']) {
		try {
			const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }));
			const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }));
			return { uid, gid };
		} catch {
			// not on this machine: try the next
		}
	}
	throw new Error('Postgres refuses to run as root and neither the "postgres" nor the "nobody" user exists');
}

async function waitUntil(what: string, ready: () => boolean | Promise<boolean>, child: ChildProcess, logs: () => string, timeoutMs = 60_000) {
	const started = Date.now();
	while (!(await ready())) {
		if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited before it was ready:\n${logs()}`);
		if (Date.now() - started > timeoutMs) throw new Error(`${what} not ready after ${timeoutMs} ms:\n${logs()}`);
		await new Promise((r) => setTimeout(r, 200));
	}
}

function capture(child: ChildProcess): () => string {
	let output = '';
	child.stdout?.on('data', (chunk) => (output += chunk));
	child.stderr?.on('data', (chunk) => (output += chunk));
	return () => output;
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = once(child, 'exit');
	child.kill(signal);
	const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
	await exited;
	clearTimeout(timer);
}

export interface Postgres {
	host: string;
	port: number;
	user: string;
	database: string;
	/** Runs SQL through psql; rows as arrays of strings. */
	query(sql: string): string[][];
	stop(): Promise<void>;
}

/** A fresh cluster (trust authentication on loopback only, durability off: it is thrown away) with one database. */
export async function startPostgres(database = 'n8n'): Promise<Postgres> {
	const bin = postgresBin();
	if (!bin) throw new Error(missingServices().join('; '));
	const folder = mkdtempSync(join(tmpdir(), 'n8n-scale-pg-'));
	const owner = postgresUser();
	if (owner) chownSync(folder, owner.uid, owner.gid);
	const asOwner = { ...(owner ?? {}), env: { PATH: process.env.PATH, LANG: 'C', LC_ALL: 'C' } };
	const data = join(folder, 'data');
	const user = 'n8n';
	execFileSync(join(bin, 'initdb'), ['-D', data, '-U', user, '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], { ...asOwner, stdio: 'pipe' });

	const port = Number(await freePort());
	const server = spawn(
		join(bin, 'postgres'),
		[
			'-D', data, '-p', String(port), '-k', folder,
			'-c', 'listen_addresses=127.0.0.1',
			'-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
			'-c', 'max_connections=100',
		],
		{ ...asOwner, stdio: ['ignore', 'pipe', 'pipe'] },
	);
	const logs = capture(server);
	const psql = (db: string, sql: string) =>
		execFileSync('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', db, '-AtX', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
		});
	await waitUntil('postgres', () => {
		try {
			psql('postgres', 'select 1');
			return true;
		} catch {
			return false;
		}
	}, server, logs);
	psql('postgres', `create database ${database}`);
	return {
		host: '127.0.0.1',
		port,
		user,
		database,
		query: (sql) =>
			psql(database, sql)
				.split('\n')
				.filter((line) => line !== '')
				.map((line) => line.split('\t')),
		async stop() {
			await stopProcess(server, 'SIGINT'); // fast shutdown
			rmSync(folder, { recursive: true, force: true });
		},
	};
}

export interface Redis {
	host: string;
	port: number;
	/** Stops Redis (SIGKILL: everything it held is gone, it persists nothing) and starts it again on the same port. */
	restart(): Promise<void>;
	stop(): Promise<void>;
}

/** redis-server without persistence (no RDB snapshots, no AOF). */
export async function startRedis(): Promise<Redis> {
	const folder = mkdtempSync(join(tmpdir(), 'n8n-scale-redis-'));
	const port = Number(await freePort());
	let server: ChildProcess;
	const launch = async () => {
		server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', folder], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const logs = capture(server);
		await waitUntil('redis', () => /Ready to accept connections/.test(logs()), server, logs);
	};
	await launch();
	return {
		host: '127.0.0.1',
		port,
		async restart() {
			await stopProcess(server, 'SIGKILL');
			await launch();
		},
		async stop() {
			await stopProcess(server);
			rmSync(folder, { recursive: true, force: true });
		},
	};
}
