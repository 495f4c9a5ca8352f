// The package as a self-hoster gets it: packed, installed into ~/.n8n/nodes, loaded by a real n8n at start. Then the
// credential setups a user goes through, tested with n8n's own "Test credential" endpoint, and what the install laid
// into the nodes folder (one package, jsforce bundled, its licences; last, as it makes no call to n8n).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

import { parseAst } from 'rolldown/parseAst';
import { describe, expect, it } from 'vitest';

import {
	CREDENTIAL_TYPE,
	NODE_TYPE,
	PACKAGE_NAME,
	TRIGGER_TYPE,
	installedFootprint,
	root,
	useN8n,
} from './support.ts';

const live = useN8n('n8n-e2e-package-');

describe('the installed package', () => {
	it('registers the node, the trigger and the credential', async () => {
		expect(live.n8n.logs()).not.toMatch(/Failed to load package|n8n-nodes-salesforce.*error/i);
		const { nodes, credentials } = await live.rest.types();
		const node = nodes.find((n: { name: string }) => n.name === NODE_TYPE);
		const trigger = nodes.find((n: { name: string }) => n.name === TRIGGER_TYPE);
		const credential = credentials.find((c: { name: string }) => c.name === CREDENTIAL_TYPE);
		expect(node?.displayName).toBe('Salesforce CRM');
		expect(trigger?.polling).toBe(true);
		expect(nodes.find((n: { name: string }) => n.name === `${PACKAGE_NAME}.salesforceCrmInstantTrigger`)?.group).toEqual(['trigger']);
		expect(credential?.extends).toEqual(['oAuth2Api']);
		expect(credential.properties.map((p: { name: string }) => p.name)).toEqual(
			expect.arrayContaining(['grantType', 'domain', 'clientId', 'clientSecret']),
		);
		expect(nodes.some((n: { name: string }) => n.name === 'n8n-nodes-base.salesforce')).toBe(true);
	});
});

/** n8n's "Test" button: the editor saves the credential, then POSTs it to /rest/credentials/test. */
let saved = 0;
async function testCredential(data: Record<string, unknown>) {
	const name = `e2e credential ${++saved}`;
	const { id } = (await live.rest.request('POST', '/rest/credentials', { name, type: CREDENTIAL_TYPE, data })) as { id: string };
	return (await live.rest.request('POST', '/rest/credentials/test', {
		credentials: { id, name, type: CREDENTIAL_TYPE, data },
	})) as { status: 'OK' | 'Error'; message: string };
}

describe('credential setups (n8n "Test credential")', () => {
	const base = () => ({
		grantType: 'clientCredentials',
		domain: live.emulator.url,
		allowLocalTestServer: true,
		clientId: 'emulator-consumer-key',
		clientSecret: 'emulator-consumer-secret',
	});

	// Every domain here resolves to the emulator; login/test/sandbox hosts would leave the machine (unit-tested).
	const domains: Array<[string, (url: string) => string]> = [
		['the full My Domain URL', (url) => url],
		['a trailing slash', (url) => `${url}/`],
		['a pasted page path', (url) => `${url}/lightning/setup/SetupOneHome/home`],
		['spaces around the URL', (url) => `  ${url}  `],
	];
	it.each(domains)('succeeds with %s', async (label, domain) => {
		const result = await testCredential({ ...base(), domain: domain(live.emulator.url) });
		console.log(`credential test (${label}): ${JSON.stringify(result)}`);
		expect(result.status).toBe('OK');
	});
	// What the Test button says for each setup mistake: test/e2e/credential-form.test.ts.
});

const MB = 1024 * 1024;
/** The installed footprint the package promises (README, "Install in your n8n"). */
const MAX_FOOTPRINT = 20 * MB;

/** The JavaScript files under a folder. */
function scripts(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true, recursive: true })
		.filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
		.map((entry) => join(entry.parentPath, entry.name));
}

/** The modules a script requires or imports (a computed name as `<computed>`), comments aside. */
function requiredModules(code: string): string[] {
	const found: string[] = [];
	const visit = (node: unknown): void => {
		if (Array.isArray(node)) return node.forEach(visit);
		if (!node || typeof node !== 'object') return;
		const { type, callee, arguments: args, source } = node as Record<string, any>;
		const name = (argument: any) => (argument?.type === 'Literal' && typeof argument.value === 'string' ? argument.value : '<computed>');
		if (type === 'CallExpression' && callee?.type === 'Identifier' && callee.name === 'require') found.push(name(args[0]));
		if (type === 'ImportExpression') found.push(name(source));
		Object.values(node).forEach(visit);
	};
	visit(parseAst(code));
	return found;
}

describe('the packed package', () => {
	const installed = () => join(live.folder.userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);

	it('holds the built package, its licences, README and CHANGELOG; no tests, TypeScript sources or source maps', () => {
		const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }));
		const files: string[] = pack.files.map((file: { path: string }) => file.path);
		console.log(`pack: ${files.length} files, ${(pack.size / MB).toFixed(2)} MB packed, ${(pack.unpackedSize / MB).toFixed(2)} MB unpacked`);
		expect(files).toEqual(expect.arrayContaining([
			'package.json', 'LICENSE', 'README.md', 'CHANGELOG.md', 'index.js', 'dist/vendor/jsforce.js', 'dist/vendor/THIRD_PARTY_LICENSES.md',
		]));
		expect(files.filter((path) => !/^(dist\/|index\.js$|package\.json$|README\.md$|CHANGELOG\.md$|LICENSE$)/.test(path))).toEqual([]);
		expect(files.filter((path) => /(^|\/)(test|tests|__tests__|fixtures|emulator)\/|\.(test|spec|bench)\.|node_modules\//.test(path))).toEqual([]);
		// Compiled JavaScript and its declarations only. No source maps: they would point at sources the package does
		// not ship (and n8n runs without --enable-source-maps); dist/ is readable as it is.
		expect(files.filter((path) => /\.(ts|tsx|mts|cts)$/.test(path) && !/\.d\.ts$/.test(path))).toEqual([]);
		expect(files.filter((path) => /\.map$/.test(path))).toEqual([]);
		// Every file n8n loads from package.json: main, and the n8n section's nodes and credentials.
		const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
		const loaded = [manifest.main, ...manifest.n8n.nodes, ...manifest.n8n.credentials];
		expect(loaded.length).toBeGreaterThan(3);
		expect(loaded.filter((path: string) => !files.includes(path))).toEqual([]);
	});

	it('installs JavaScript without source map references', () => {
		const mapped = scripts(join(installed(), 'dist')).filter((file) => /^\/\/# sourceMappingURL=/m.test(readFileSync(file, 'utf8')));
		expect(mapped).toEqual([]);
	});

	it(`installs into n8n's nodes folder as one package, no dependencies, at most ${MAX_FOOTPRINT / MB} MB`, () => {
		const footprint = installedFootprint(live.folder.userFolder);
		console.log(
			`installed footprint: ${(footprint.diskBytes / MB).toFixed(1)} MB on disk (${(footprint.fileBytes / MB).toFixed(1)} MB of files), ` +
				`${footprint.packages.length} package(s): ${footprint.packages.join(', ')}`,
		);
		expect(footprint.packages).toEqual([PACKAGE_NAME]);
		expect(footprint.diskBytes).toBeLessThanOrEqual(MAX_FOOTPRINT);
		expect(footprint.fileBytes).toBeLessThanOrEqual(MAX_FOOTPRINT);
		const manifest = JSON.parse(readFileSync(join(installed(), 'package.json'), 'utf8'));
		expect(manifest).not.toHaveProperty('dependencies');
		expect(manifest).not.toHaveProperty('optionalDependencies');
		expect(Object.keys(manifest.peerDependencies)).toEqual(['n8n-workflow']);
	});

	it("requires nothing but Node's modules, n8n-workflow and its own files", () => {
		// node-fetch's optional `encoding` (legacy charsets) stays a guarded require, as it is in node-fetch itself.
		const allowed = new Set([...builtinModules, 'n8n-workflow', 'encoding']);
		const outside = new Set<string>();
		for (const file of scripts(join(installed(), 'dist'))) {
			for (const id of requiredModules(readFileSync(file, 'utf8'))) {
				if (!id.startsWith('.') && !id.startsWith('node:') && !allowed.has(id)) outside.add(`${id} (${file})`);
			}
		}
		expect([...outside]).toEqual([]);
	});

	it('names the licence of every package bundled into dist/vendor/jsforce.js', () => {
		const bundle = readFileSync(join(installed(), 'dist', 'vendor', 'jsforce.js'), 'utf8');
		const licences = readFileSync(join(installed(), 'dist', 'vendor', 'THIRD_PARTY_LICENSES.md'), 'utf8');
		// The bundler heads each module with its path: `// node_modules/faye/src/faye_node.js`.
		const bundled = new Set([...bundle.matchAll(/^\/\/ (?:.*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map((match) => match[1]));
		// Each package's section: `## <name> <version> (<licence>)`, its repository, its licence text.
		const headings = [...licences.matchAll(/^## (\S+) \S+ \([^)\n]+\)$/gm)];
		const section = (name: string) => {
			const at = headings.findIndex((heading) => heading[1] === name);
			return at < 0 ? '' : licences.slice(headings[at].index, headings[at + 1]?.index);
		};
		expect(bundled.size).toBeGreaterThan(40);
		expect([...bundled].filter((name) => !section(name))).toEqual([]);
		expect(section('jsforce')).toMatch(/^## jsforce 3\.10\.16 \(MIT\)\n[^]*Copyright \(c\) 2011 Shinichi Tomita/);
		expect(section('faye')).toMatch(/^## faye \S+ \(Apache-2\.0\)\n[^]*Apache License/);
	});
});
