import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { Expression, Workflow, type ICredentialDataDecryptedObject, type ICredentialType } from 'n8n-workflow';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SalesforceAppOAuth2Api } from '../../credentials/SalesforceAppOAuth2Api.credentials';
import {
	assertDomainFitsGrant,
	DomainError,
	parseSalesforceDomain,
	type DomainRefusal,
} from '../../nodes/Salesforce/helpers/domain';

const root = new URL('../..', import.meta.url).pathname;

/** [input, origin, kind]: accepted with the Local Test Server switch off (and on). */
const accepted: Array<[string, string, string]> = [
	['https://acme.my.salesforce.com', 'https://acme.my.salesforce.com', 'myDomain'],
	['acme.my.salesforce.com', 'https://acme.my.salesforce.com', 'myDomain'],
	['  https://ACME.my.salesforce.com/  ', 'https://acme.my.salesforce.com', 'myDomain'],
	['https://acme.my.salesforce.com:443', 'https://acme.my.salesforce.com', 'myDomain'],
	['https://acme.my.salesforce.com/lightning/page/home', 'https://acme.my.salesforce.com', 'myDomain'],
	['https://acme.my.salesforce.com#@evil.example.com', 'https://acme.my.salesforce.com', 'myDomain'],
	['https://acme.lightning.force.com/lightning/setup/SetupOneHome/home', 'https://acme.my.salesforce.com', 'myDomain'],
	[
		'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEEAV/view?ws=%2Flightning%2Fo%2FLead',
		'https://acme.my.salesforce.com',
		'myDomain',
	],
	['acme--dev.sandbox.my.salesforce.com', 'https://acme--dev.sandbox.my.salesforce.com', 'sandbox'],
	['https://acme--dev.sandbox.lightning.force.com/', 'https://acme--dev.sandbox.my.salesforce.com', 'sandbox'],
	['login.salesforce.com', 'https://login.salesforce.com', 'login'],
	['https://test.salesforce.com', 'https://test.salesforce.com', 'login'],
	['https://na1.salesforce.com?x=1', 'https://na1.salesforce.com', 'other'],
	['https://acme.my.salesforce-setup.com/', 'https://acme.my.salesforce-setup.com', 'other'],
	['https://acme.my.salesforce.mil', 'https://acme.my.salesforce.mil', 'other'],
	['https://acme.cloudforce.com', 'https://acme.cloudforce.com', 'other'],
];

/** [input, origin]: loopback hosts, accepted only with the Local Test Server switch on. */
const loopback: Array<[string, string]> = [
	['http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
	['http://localhost:8787/', 'http://localhost:8787'],
	['http://[::1]:8787', 'http://[::1]:8787'],
	['https://localhost:8443/services', 'https://localhost:8443'],
	['localhost:8787', 'https://localhost:8787'],
];

/** [input, reason]: refused whatever the Local Test Server switch says. */
const hostile: Array<[unknown, DomainRefusal]> = [
	['https://acme.my.salesforce.com@evil.example.com', 'ambiguous'],
	['https://acme.my.salesforce.com:443@evil.example.com', 'ambiguous'],
	['https://acme.my.salesforce.com%40evil.example.com', 'ambiguous'],
	['https://evil.example.com#.my.salesforce.com', 'not-salesforce'],
	['https://evil.example.com?.my.salesforce.com', 'not-salesforce'],
	['https://evil.example.com/.my.salesforce.com', 'not-salesforce'],
	['https://evil.example.com\\.my.salesforce.com', 'ambiguous'],
	['https://evil.example.com%23.my.salesforce.com', 'ambiguous'],
	['https://acme%2emy.salesforce.com', 'ambiguous'],
	['javascript:alert(1)', 'not-https'],
	['JavaScript://acme.my.salesforce.com', 'not-https'],
	['ftp://acme.my.salesforce.com', 'not-https'],
	['https:acme.my.salesforce.com', 'not-https'],
	[' acme.my.salesforce.com evil.example.com', 'ambiguous'],
	['https://acme.my.salesforce.com\t.evil.example', 'ambiguous'],
	['//evil.example.com', 'ambiguous'],
	['https://acme.my.salesforce.com.', 'ambiguous'],
	['http://acme.my.salesforce.com', 'http'],
	['http://localhost.evil.example:8787', 'http'],
	['https://evil.example.com', 'not-salesforce'],
	['https://acme.my.salesforce.com.evil.example', 'not-salesforce'],
	['https://evilsalesforce.com', 'not-salesforce'],
	['https://salesforce.com', 'not-salesforce'],
	['https://127.0.0.1.nip.io', 'not-salesforce'],
	['https://10.0.0.1', 'not-salesforce'],
	['https://acme.my.salesforce.com:8443', 'port'],
	['https://acme.my.salesforce.com:0443', 'port'],
	['', 'empty'],
	['   ', 'empty'],
	[undefined, 'empty'],
];

type Engine = 'legacy' | 'vm';
type Form = 'vitest' | 'tsc';

/** The credential as tsc compiles it into dist/, loaded from a temporary folder. */
function credentialCompiledByTsc(): ICredentialType {
	const config = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
	const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
	const out = mkdtempSync(join(tmpdir(), 'salesforce-domain-tsc-'));
	for (const file of ['nodes/Salesforce/helpers/domain.ts', 'nodes/Salesforce/helpers/setupErrors.ts', 'credentials/SalesforceAppOAuth2Api.credentials.ts']) {
		const { outputText } = ts.transpileModule(readFileSync(join(root, file), 'utf8'), { compilerOptions: options, fileName: file });
		mkdirSync(join(out, dirname(file)), { recursive: true });
		writeFileSync(join(out, file.replace(/\.ts$/, '.js')), outputText);
	}
	const compiled = createRequire(import.meta.url)(join(out, 'credentials/SalesforceAppOAuth2Api.credentials.js')) as {
		SalesforceAppOAuth2Api: new () => ICredentialType;
	};
	return new compiled.SalesforceAppOAuth2Api();
}

const credentials: Record<Form, ICredentialType> = { vitest: new SalesforceAppOAuth2Api(), tsc: credentialCompiledByTsc() };

/**
 * The URLs n8n derives from the credential, evaluated by n8n's expression engine as its CredentialsHelper does:
 * hidden fields over `$self` (the stored fields with the property defaults), the test request over `$credentials`.
 */
async function credentialUrls(form: Form, fields: { domain: unknown; allowLocalTestServer?: boolean }) {
	const credential = credentials[form];
	const self: ICredentialDataDecryptedObject = {
		...Object.fromEntries(credential.properties.map((property) => [property.name, property.default])),
		...fields,
	} as ICredentialDataDecryptedObject;
	const workflow = new Workflow({
		nodes: [],
		connections: {},
		active: false,
		nodeTypes: { getByName: () => undefined, getByNameAndVersion: () => undefined, getKnownTypes: () => ({}) } as never,
	});
	await workflow.expression.acquireIsolate();
	try {
		const evaluate = (expression: unknown, keys: object) =>
			workflow.expression.getParameterValue(expression as string, null, 0, 0, 'x', [], 'internal', keys as never, undefined, false, self);
		const field = (name: string) => evaluate(self[name], { $self: self });
		const request = credential.test!.request;
		return {
			tokenUrl: field('accessTokenUrl'),
			authUrl: field('authUrl'),
			testUrl: `${evaluate(request.baseURL, { $credentials: self }) as string}${evaluate(request.url, { $credentials: self }) as string}`,
		};
	} finally {
		await workflow.expression.releaseIsolate();
	}
}

function refusalOf(act: () => unknown): DomainError {
	try {
		act();
	} catch (error) {
		expect(error).toBeInstanceOf(DomainError);
		return error as DomainError;
	}
	throw new Error('not refused');
}

describe('Salesforce domain, node check', () => {
	it.each(accepted)('normalizes %s', (input, origin, kind) => {
		expect(parseSalesforceDomain(input)).toEqual({ origin, host: new URL(origin).host, kind });
		expect(parseSalesforceDomain(input, { allowLocalTestServer: true })).toMatchObject({ origin, kind });
	});

	it.each(loopback)('accepts %s only with the Local Test Server switch on', (input, origin) => {
		expect(parseSalesforceDomain(input, { allowLocalTestServer: true })).toMatchObject({ origin, kind: 'loopback' });
		const refusal = refusalOf(() => parseSalesforceDomain(input));
		expect(refusal.reason).toBe('local-test-server-off');
		expect(refusal.message).toContain('turn on "Local Test Server" in the credential');
		// Only a boolean true opts in: a stored string such as "false" does not.
		expect(refusalOf(() => parseSalesforceDomain(input, { allowLocalTestServer: 'false' })).reason).toBe('local-test-server-off');
	});

	it.each(hostile)('refuses %j (%s) with or without the Local Test Server switch', (input, reason) => {
		expect(refusalOf(() => parseSalesforceDomain(input)).reason).toBe(reason);
		expect(refusalOf(() => parseSalesforceDomain(input, { allowLocalTestServer: true })).reason).toBe(reason);
	});

	it('names the fix in every refusal', () => {
		const message = (input: string) => refusalOf(() => parseSalesforceDomain(input)).message;
		expect(message('')).toMatch(/empty\. Use your My Domain URL/);
		expect(message('https://acme.my.salesforce.com@evil.example.com')).toMatch(/without "@", "\\", "%" or spaces\. Use your My Domain URL/);
		expect(message('javascript:alert(1)')).toMatch(/must start with https:\/\//);
		expect(message('http://acme.my.salesforce.com')).toMatch(/change "http:\/\/" to "https:\/\/"/);
		expect(message('https://acme.my.salesforce.com:8443')).toMatch(/remove the port .*\(acme\.my\.salesforce\.com:8443\)/);
		expect(message('https://evil.example.com')).toMatch(/^evil\.example\.com is not a Salesforce host: .*must end in \.my\.salesforce\.com/);
	});

	it('refuses client credentials on login/test hosts, allows authorization code there', () => {
		const login = parseSalesforceDomain('https://login.salesforce.com');
		expect(refusalOf(() => assertDomainFitsGrant(login, 'clientCredentials')).reason).toBe('login-host-client-credentials');
		expect(() => assertDomainFitsGrant(login, 'authorizationCode')).not.toThrow();
		expect(() => assertDomainFitsGrant(parseSalesforceDomain('acme.my.salesforce.com'), 'clientCredentials')).not.toThrow();
	});
});

describe.each<[Engine, Form]>([
	['legacy', 'vitest'],
	['legacy', 'tsc'],
	['vm', 'vitest'],
	['vm', 'tsc'],
])("the credential's URLs, n8n %s expression engine, credential compiled by %s", (engine, form) => {
	beforeAll(async () => {
		if (engine === 'vm') await Expression.initExpressionEngine({ engine: 'vm', bridgeTimeout: 5000, bridgeMemoryLimit: 128, poolSize: 1, maxCodeCacheSize: 1024 }); // n8n's defaults
		Expression.setExpressionEngine(engine);
		expect(Expression.getActiveImplementation()).toBe(engine);
	});
	afterAll(async () => {
		await Expression.disposeExpressionEngine();
		Expression.setExpressionEngine('legacy');
	});

	it('embed the node check itself', () => {
		for (const name of ['accessTokenUrl', 'authUrl']) {
			expect(credentials[form].properties.find((property) => property.name === name)!.default).toContain('(function resolveSalesforceDomain(');
		}
		expect(credentials[form].test!.request.baseURL).toContain('(function resolveSalesforceDomain(');
	});

	it.each(accepted)('agree with the node for %s', async (input, origin) => {
		for (const allowLocalTestServer of [false, true]) {
			expect(await credentialUrls(form, { domain: input, allowLocalTestServer })).toEqual({
				tokenUrl: `${origin}/services/oauth2/token`,
				authUrl: `${origin}/services/oauth2/authorize`,
				testUrl: `${origin}/services/data/v64.0/limits`,
			});
		}
	});

	it.each(loopback)('reach %s only with the Local Test Server switch on', async (input, origin) => {
		expect(await credentialUrls(form, { domain: input, allowLocalTestServer: true })).toMatchObject({
			tokenUrl: `${origin}/services/oauth2/token`,
		});
		for (const url of Object.values(await credentialUrls(form, { domain: input }))) {
			expect(new URL(url as string).hostname).toBe('local-test-server-off.refused-salesforce-domain.invalid');
		}
	});

	it.each(hostile)('reach no host for %j', async (input, reason) => {
		for (const allowLocalTestServer of [false, true]) {
			for (const url of Object.values(await credentialUrls(form, { domain: input, allowLocalTestServer }))) {
				// `.invalid` never resolves (RFC 2606, RFC 6761): n8n's request fails before any byte leaves.
				expect(new URL(url as string).hostname).toBe(`${reason}.refused-salesforce-domain.invalid`);
			}
		}
	});
});
