// Build steps after `tsc`:
// - icons and codex files: n8n loads node and credential icons from dist/, next to the compiled files that reference
//   them as `file:../../icons/…` (nodes/Salesforce) and `file:../icons/…` (credentials);
// - jsforce bundled into dist/vendor/jsforce.js, so the package has no runtime dependencies (README, "Development").
//   The sources import 'jsforce' (tests run them against node_modules); rolldown (vite's bundler, already in the lock
//   file) bundles exactly the specifiers tsc's output requires, with the modules they need (faye, xml2js,
//   node-fetch, …), into one file that exports each of them by name; every `require("jsforce…")` then becomes
//   `require("…/vendor/jsforce.js")["jsforce…"]`. The licences of everything bundled go next to it.
const { src, dest, series } = require('gulp');
const { readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const DIST = 'dist';
const VENDOR = path.join(DIST, 'vendor');
const BUNDLE = path.join(VENDOR, 'jsforce.js');
const LICENSES = path.join(VENDOR, 'THIRD_PARTY_LICENSES.md');
/** `require("jsforce")`, `require("jsforce/lib/transport")`, or one this build already pointed at the bundle. */
const JSFORCE_REQUIRE = /require\((?:"(?:\.\.?\/)+vendor\/jsforce\.js"\)\[)?"(jsforce(?:\/[^"]*)?)"[)\]]/g;
/** The bundle's entry module (virtual): every specifier's exports, by specifier. */
const ENTRY = '\0jsforce-entry';
/** Optional requires of bundled modules, each guarded by try/catch: node-fetch's `encoding` (legacy charsets). */
const OPTIONAL_EXTERNALS = ['encoding'];

function copyIcons() {
	return src('icons/*.svg').pipe(dest('dist/icons'));
}

function copyCodex() {
	return src('nodes/**/*.node.json').pipe(dest('dist/nodes'));
}

/** The compiled JavaScript files of the package (dist/vendor aside). */
function compiledFiles(dir = DIST) {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const file = path.join(dir, entry.name);
		if (entry.isDirectory()) return file === VENDOR ? [] : compiledFiles(file);
		return entry.name.endsWith('.js') ? [file] : [];
	});
}

async function bundleJsforce() {
	const files = compiledFiles().map((file) => ({ file, code: readFileSync(file, 'utf8') }));
	const specifiers = [...new Set(files.flatMap(({ code }) => [...code.matchAll(JSFORCE_REQUIRE)].map((m) => m[1])))].sort();
	if (specifiers.length === 0) throw new Error('No require("jsforce…") in dist/: run tsc first');

	rmSync(VENDOR, { recursive: true, force: true });
	const entry = `module.exports = {\n${specifiers.map((s) => `\t${JSON.stringify(s)}: require(${JSON.stringify(s)}),`).join('\n')}\n};\n`;
	const { rolldown } = await import('rolldown');
	// Resolved from where node_modules really lives, so the bundle's module comments read `// node_modules/faye/…`.
	const bundle = await rolldown({
		cwd: path.dirname(realpathSync('node_modules')),
		input: ENTRY,
		plugins: [{ name: 'jsforce-entry', resolveId: (id) => (id === ENTRY ? id : null), load: (id) => (id === ENTRY ? entry : null) }],
		platform: 'node',
		// What Node's require() loads: the packages' CommonJS entry points.
		resolve: { mainFields: ['main'], conditionNames: ['node', 'require', 'default'] },
		external: OPTIONAL_EXTERNALS,
		onLog(level, log) {
			throw new Error(`rolldown ${level}: ${log.message}`);
		},
	});
	// One file (shared chunks of CommonJS modules could require each other in a cycle), not minified and without
	// source maps: it stays readable (about 2 MB), module by module.
	const { output } = await bundle.write({
		file: path.resolve(BUNDLE), // a relative path would be taken from `cwd` above
		format: 'cjs',
		codeSplitting: false,
		minify: false,
		sourcemap: false,
	});
	await bundle.close();

	for (const { file, code } of files) {
		const bundlePath = path.relative(path.dirname(file), BUNDLE).split(path.sep).join('/');
		const rewritten = code.replace(JSFORCE_REQUIRE, (_, specifier) => `require(${JSON.stringify(bundlePath)})[${JSON.stringify(specifier)}]`);
		if (rewritten !== code) writeFileSync(file, rewritten);
	}
	const moduleIds = output.flatMap((chunk) => chunk.moduleIds ?? []).filter((id) => id !== ENTRY);
	writeFileSync(LICENSES, thirdPartyLicenses(moduleIds));
}

/** The folder of the npm package a bundled module belongs to (rolldown's runtime helpers: rolldown's). */
function packageFolder(moduleId) {
	if (moduleId.startsWith('\0rolldown/')) return path.dirname(require.resolve('rolldown/package.json'));
	const match = /^(.*[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(moduleId);
	if (!match) throw new Error(`Bundled module outside node_modules: ${moduleId}`);
	return match[1];
}

/** A package's licence text: its licence/notice files, else the "License" section of its README. */
function licenceText(folder, manifest) {
	const names = readdirSync(folder).filter((name) => /^(licen[cs]e|copying|notice)([.-]|$)/i.test(name)).sort();
	if (names.length > 0) return names.map((name) => readFileSync(path.join(folder, name), 'utf8').replace(/\r\n/g, '\n').trim()).join('\n\n');
	const readme = readdirSync(folder).find((name) => /^readme(\.|$)/i.test(name));
	const section = readme && /^(?:#+ *licen[cs]e *\n|licen[cs]e *\n-+ *\n)([\s\S]*?)(?=^#|^\S[^\n]*\n-{3,}|(?![\s\S]))/im.exec(readFileSync(path.join(folder, readme), 'utf8'));
	if (section) return section[1].trim();
	const author = typeof manifest.author === 'string' ? manifest.author : manifest.author?.name;
	return `The published package holds no licence text; its package.json declares ${manifest.license}${author ? ` (author: ${author})` : ''}.`;
}

function thirdPartyLicenses(moduleIds) {
	const folders = [...new Set(moduleIds.map(packageFolder))];
	const packages = folders
		.map((folder) => ({ folder, manifest: JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) }))
		.sort((a, b) => `${a.manifest.name}@${a.manifest.version}` < `${b.manifest.name}@${b.manifest.version}` ? -1 : 1);
	const sections = packages.map(({ folder, manifest }) => {
		const repository = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
		const heading = `## ${manifest.name} ${manifest.version} (${manifest.license})`;
		return [heading, ...(repository ? [repository] : []), '', '```', licenceText(folder, manifest), '```', ''].join('\n');
	});
	return [
		'# Third-party software in dist/vendor',
		'',
		`dist/vendor holds jsforce and the modules it uses, bundled at build time (gulpfile.js): ${packages.length} packages, each under its own licence below.`,
		'',
		...sections,
	].join('\n');
}

// dist/ starts empty, so no file of an earlier build (a removed module, a source map) is packed.
exports.clean = async () => rmSync('dist', { recursive: true, force: true });
exports.build = series(copyIcons, copyCodex, bundleJsforce);
