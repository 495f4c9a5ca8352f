// Runs the package's nodes in-process through n8n-core (WorkflowExecute, PollContext, TriggerContext, LoadOptionsContext) against
// the emulator, with an OAuth2-aware credentials helper that resolves the credential's expressions and persists
// token updates the way n8n does (ARCHITECTURE.md, "Tokens stay n8n's").
import { createHash, randomBytes } from 'node:crypto';

import {
	ExecutionLifecycleHooks,
	LoadOptionsContext,
	PollContext,
	TriggerContext,
	TriggersAndPollers,
	WorkflowExecute,
} from 'n8n-core';
import {
	ICredentialsHelper,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IBinaryKeyData,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IWorkflowExecuteAdditionalData,
	type IHttpRequestOptions,
	type ICredentials,
	type ICredentialType,
	type INodeProperties,
	type ResourceMapperFields,
	type INodeListSearchResult,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { SalesforceAppOAuth2Api } from '../../credentials/SalesforceAppOAuth2Api.credentials';
import type { GrantType } from '../../nodes/Salesforce/helpers/domain';
import { CREDENTIAL_TYPE } from '../../nodes/Salesforce/transport';
import type { Emulator } from '../emulator/index.ts';

export type { GrantType };
export const CALLBACK_URL = 'http://localhost:5678/rest/oauth2-credential/callback';

/** A single stored credential, as n8n keeps it: raw fields plus oauthTokenData that the OAuth2 helper updates. */
class CredentialStore extends ICredentialsHelper {
	tokenUpdates = 0;

	constructor(
		public data: ICredentialDataDecryptedObject,
		private readonly credentialType: ICredentialType,
	) {
		super();
	}

	getParentTypes(name: string) {
		return name === CREDENTIAL_TYPE ? ['oAuth2Api'] : [];
	}

	isCredentialUsableByNode() {
		return true;
	}

	async authenticate(_c: ICredentialDataDecryptedObject, _t: string, requestOptions: IHttpRequestOptions) {
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by these nodes');
	}

	/** Resolves the credential's `={{ }}` defaults with `$self`, like n8n's CredentialsHelper. */
	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		const resolved: ICredentialDataDecryptedObject = {};
		const workflow = emptyWorkflow();
		const self = { ...defaults(this.credentialType), ...this.data };
		for (const [key, value] of Object.entries(self)) {
			resolved[key] =
				typeof value === 'string' && value.startsWith('=')
					? (workflow.expression.getParameterValue(value, null, 0, 0, 'credential', [], 'internal', { $self: self } as never, undefined, false, self) as string)
					: value;
		}
		return structuredClone(resolved);
	}

	async updateCredentials(_n: unknown, _t: string, data: ICredentialDataDecryptedObject) {
		this.data = { ...this.data, ...data };
	}

	async updateCredentialsOauthTokenData(_n: unknown, _t: string, data: ICredentialDataDecryptedObject) {
		this.tokenUpdates++;
		this.data = { ...this.data, oauthTokenData: data.oauthTokenData };
	}

	getCredentialsProperties(): INodeProperties[] {
		return this.credentialType.properties;
	}
}

function defaults(credentialType: ICredentialType): ICredentialDataDecryptedObject {
	return Object.fromEntries(
		credentialType.properties.filter((property) => property.type !== 'notice').map((property) => [property.name, property.default]),
	) as ICredentialDataDecryptedObject;
}

const itemsNodeType: INodeType = {
	description: {
		displayName: 'Items',
		name: 'testItems',
		group: ['input'],
		version: 1,
		description: 'Emits the items of the test',
		defaults: { name: 'Items' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'Items', name: 'items', type: 'json', default: '[]' },
			{ displayName: 'Binaries', name: 'binaries', type: 'json', default: '[]' },
		],
	},
	async execute() {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as IDataObject[];
		const binaries = JSON.parse(this.getNodeParameter('binaries', 0) as string) as Array<IBinaryKeyData | null>;
		return [items.map((json, index) => (binaries[index] ? { json, binary: binaries[index] } : { json }))];
	},
};

function nodeTypesOf(types: INodeType[]): INodeTypes {
	const byName = new Map(types.map((type) => [type.description.name, type]));
	return {
		getByName: (name) => byName.get(name)!,
		getByNameAndVersion: (name) => byName.get(name)!,
		getKnownTypes: () => ({}),
	};
}

function emptyWorkflow(nodes: INode[] = [], types: INodeType[] = [], staticData: IDataObject = {}) {
	return new Workflow({ id: 'test', nodes, connections: {}, active: false, nodeTypes: nodeTypesOf(types), staticData, settings: {} });
}

export type OnError = NonNullable<INode['onError']>;

export interface Harness {
	/** The stored credential, including the token n8n persisted. */
	readonly credentials: ICredentialDataDecryptedObject;
	/** How often the OAuth2 helper persisted a new token. */
	readonly tokenUpdates: number;
	runNode(options: {
		nodeType: INodeType;
		parameters: INodeParameters;
		items?: IDataObject[];
		/** Binary data of the items, by position (n8n's in-memory form: base64 `data`, mimeType, fileName). */
		binaries?: Array<IBinaryKeyData | null>;
		/** The node's On Error setting; with "continueErrorOutput" failed items go to a second output, returned in `outputs`. */
		onError?: OnError;
		/** Default: the node type's newest version. */
		typeVersion?: number;
	}): Promise<{ items: INodeExecutionData[]; outputs: INodeExecutionData[][]; error?: Error }>;
	poll(options: {
		nodeType: INodeType;
		parameters: INodeParameters;
		staticData?: IDataObject;
		mode?: 'trigger' | 'manual';
	}): Promise<{ items: INodeExecutionData[][] | null; staticData: IDataObject }>;
	/**
	 * Activates a trigger node as n8n's ActiveWorkflowManager does (TriggersAndPollers with a TriggerContext whose
	 * emit saves static data and records the items, and whose emitError deactivates it), from `staticData` as n8n
	 * stored it.
	 */
	activateTrigger(options: {
		nodeType: INodeType;
		parameters: INodeParameters;
		staticData?: IDataObject;
		/** Called with each emission's items the moment the trigger emits them (after they are recorded). */
		onEmit?: (items: INodeExecutionData[]) => void;
	}): Promise<ActiveTrigger>;
	/** The editor's Fetch Test Event / test run of a trigger node: a manual execution starting at it (WorkflowExecute). */
	fetchTestEvent(options: { nodeType: INodeType; parameters: INodeParameters }): Promise<{ items: INodeExecutionData[]; error?: Error }>;
	/** `path`: where the parameter asking sits (n8n's path, e.g. `parameters.list[0].value`), which `&sibling` names resolve against. */
	loadOptions(nodeType: INodeType, method: string, parameters: INodeParameters, path?: string): Promise<INodePropertyOptions[]>;
	listSearch(nodeType: INodeType, method: string, parameters: INodeParameters, filter?: string): Promise<INodeListSearchResult>;
	resourceMapping(nodeType: INodeType, method: string, parameters: INodeParameters): Promise<ResourceMapperFields>;
}

/** An activated trigger node, as n8n keeps it. */
export interface ActiveTrigger {
	/** The items of each emission (each one an execution in n8n), in order. */
	readonly emissions: INodeExecutionData[][];
	/** What the trigger reported through emitError (n8n then deactivates it). */
	readonly errors: Error[];
	/** The static data n8n has saved: after activation and with every emission. */
	readonly savedStaticData: IDataObject;
	/** Every emitted item so far. */
	items(): INodeExecutionData[];
	/** Resolves with every emitted item once there are at least `count` (or fails after `timeoutMs`). */
	waitForItems(count: number, timeoutMs?: number): Promise<INodeExecutionData[]>;
	/** Deactivation (the trigger's closeFunction). */
	close(): Promise<void>;
}

export async function waitUntil<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

export interface HarnessOptions {
	grantType?: GrantType;
	/** Overrides of the credential fields (domain, clientId, clientSecret, apiVersion…). */
	credentials?: IDataObject;
	/** The credential type whose fields and defaults are resolved; default: the package's, from its sources. */
	credentialType?: ICredentialType;
}

/** Signs in like a user would for the authorization-code grants: authorize → redirect with code → token. */
export async function authorizeWithCode(emulatorUrl: string, grantType: 'authorizationCode' | 'pkce', clientId: string, clientSecret: string) {
	const verifier = randomBytes(32).toString('base64url');
	const authorize = new URL('/services/oauth2/authorize', emulatorUrl);
	authorize.search = new URLSearchParams({
		response_type: 'code',
		client_id: clientId,
		redirect_uri: CALLBACK_URL,
		scope: 'api refresh_token',
		state: 'n8n-state',
		...(grantType === 'pkce'
			? { code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' }
			: {}),
	}).toString();
	const redirect = await fetch(authorize, { redirect: 'manual' });
	const location = new URL(redirect.headers.get('location') ?? '', CALLBACK_URL);
	const code = location.searchParams.get('code');
	if (!code) throw new Error(`authorize failed: ${location.search}`);
	const token = await fetch(new URL('/services/oauth2/token', emulatorUrl), {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'authorization_code',
			code,
			redirect_uri: CALLBACK_URL,
			client_id: clientId,
			client_secret: clientSecret,
			...(grantType === 'pkce' ? { code_verifier: verifier } : {}),
		}),
	});
	if (!token.ok) throw new Error(`token exchange failed: ${await token.text()}`);
	return (await token.json()) as IDataObject;
}

export async function createHarness(emulator: Pick<Emulator, 'url'>, options: HarnessOptions = {}): Promise<Harness> {
	const grantType = options.grantType ?? 'clientCredentials';
	const data: ICredentialDataDecryptedObject = {
		grantType,
		domain: emulator.url,
		allowLocalTestServer: true,
		clientId: 'emulator-consumer-key',
		clientSecret: 'emulator-consumer-secret',
		...options.credentials,
	};
	if (grantType !== 'clientCredentials') {
		data.oauthTokenData = await authorizeWithCode(emulator.url, grantType, String(data.clientId), String(data.clientSecret));
	}
	const store = new CredentialStore(data, options.credentialType ?? new SalesforceAppOAuth2Api());

	const additionalDataFor = (workflow: Workflow): IWorkflowExecuteAdditionalData => {
		const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', workflow as never);
		return {
			credentialsHelper: store,
			hooks,
			executeWorkflow: async () => {
				throw new Error('not used');
			},
			getRunExecutionData: async () => undefined,
			getRuntimeCredential: async () => undefined,
			currentNodeExecutionIndex: 0,
			restApiUrl: 'http://127.0.0.1:5678/rest',
			instanceBaseUrl: 'http://127.0.0.1:5678/',
			formBaseUrl: 'http://127.0.0.1:5678/form',
			formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
			formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
			webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
			webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
			webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
			mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
			mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
			variables: {},
			userId: 'test-user',
		} as unknown as IWorkflowExecuteAdditionalData;
	};

	const newestVersion = (nodeType: INodeType) => Math.max(...[nodeType.description.version].flat());
	const nodeOf = (
		nodeType: INodeType,
		parameters: INodeParameters,
		{ onError = 'stopWorkflow', typeVersion = newestVersion(nodeType) }: { onError?: OnError; typeVersion?: number } = {},
	): INode => ({
		id: 'salesforce-node',
		name: 'Salesforce',
		type: nodeType.description.name,
		typeVersion,
		position: [200, 0],
		parameters,
		credentials: { [CREDENTIAL_TYPE]: { id: 'cred-1', name: 'Salesforce account' } },
		onError,
	});

	const contextFor = (nodeType: INodeType, parameters: INodeParameters, path = 'parameters') => {
		const node = nodeOf(nodeType, parameters);
		const workflow = emptyWorkflow([node], [nodeType]);
		// The editor sends the node's current parameters along; getCurrentNodeParameter() reads them from here.
		const additionalData = { ...additionalDataFor(workflow), currentNodeParameters: parameters };
		return new LoadOptionsContext(workflow, node, additionalData, path);
	};

	return {
		get credentials() {
			return store.data;
		},
		get tokenUpdates() {
			return store.tokenUpdates;
		},

		async runNode({ nodeType, parameters, items = [{}], binaries = [], onError, typeVersion }) {
			const source: INode = {
				id: 'items-node',
				name: 'Items',
				type: 'testItems',
				typeVersion: 1,
				position: [0, 0],
				parameters: { items: JSON.stringify(items), binaries: JSON.stringify(binaries) },
			};
			const target = nodeOf(nodeType, parameters, { onError, typeVersion });
			const workflow = new Workflow({
				id: 'test',
				nodes: [source, target],
				connections: { Items: { main: [[{ node: target.name, type: 'main', index: 0 }]] } },
				active: false,
				nodeTypes: nodeTypesOf([itemsNodeType, nodeType]),
				staticData: {},
				settings: {},
			});
			const run = await new WorkflowExecute(additionalDataFor(workflow), 'manual').run({ workflow, startNode: source });
			const runData = run.data.resultData.runData[target.name]?.[0];
			return {
				items: runData?.data?.main?.[0] ?? [],
				outputs: (runData?.data?.main ?? []).map((output) => output ?? []),
				error: (runData?.error ?? run.data.resultData.error) as Error | undefined,
			};
		},

		async poll({ nodeType, parameters, staticData = {}, mode = 'trigger' }) {
			const node = nodeOf(nodeType, parameters);
			const workflow = emptyWorkflow([node], [nodeType], JSON.parse(JSON.stringify(staticData)) as IDataObject);
			const context = new PollContext(workflow, node, additionalDataFor(workflow), mode, mode === 'manual' ? 'manual' : 'activate');
			const items = await nodeType.poll!.call(context);
			return { items, staticData: JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject };
		},

		async activateTrigger({ nodeType, parameters, staticData = {}, onEmit }) {
			const node = nodeOf(nodeType, parameters);
			const workflow = emptyWorkflow([node], [nodeType], structuredClone(staticData));
			const emissions: INodeExecutionData[][] = [];
			const errors: Error[] = [];
			let saved: IDataObject = structuredClone(staticData);
			// n8n's WorkflowStaticDataService.saveStaticData, called on every emit and after activation.
			const save = () => (saved = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject);
			let close: (() => Promise<void>) | undefined;
			const getTriggerFunctions = (w: Workflow, n: INode, data: IWorkflowExecuteAdditionalData, mode: 'trigger', activation: 'activate') =>
				new TriggerContext(
					w,
					n,
					data,
					mode,
					activation,
					(data) => {
						save();
						emissions.push(data[0] ?? []);
						onEmit?.(data[0] ?? []);
					},
					(error) => {
						errors.push(error);
						void close?.();
					},
				);
			const response = await new TriggersAndPollers().runTriggerFunction(
				workflow,
				node,
				getTriggerFunctions as never,
				additionalDataFor(workflow),
				'trigger',
				'activate',
			);
			save();
			let closed: Promise<void> | undefined;
			close = () => (closed ??= Promise.resolve(response?.closeFunction?.()));
			const items = () => emissions.flat();
			return {
				emissions,
				errors,
				get savedStaticData() {
					return saved;
				},
				items,
				waitForItems: (count, timeoutMs = 15_000) =>
					waitUntil(() => {
						if (errors.length > 0) throw errors[0];
						return items().length >= count ? items() : undefined;
					}, timeoutMs, `${count} items`),
				close: () => close!(),
			};
		},

		async fetchTestEvent({ nodeType, parameters }) {
			const node = nodeOf(nodeType, parameters);
			const workflow = emptyWorkflow([node], [nodeType]);
			const run = await new WorkflowExecute(additionalDataFor(workflow), 'manual').run({ workflow, startNode: node });
			const runData = run.data.resultData.runData[node.name]?.[0];
			return {
				items: runData?.data?.main?.[0] ?? [],
				error: (runData?.error ?? run.data.resultData.error) as Error | undefined,
			};
		},

		async loadOptions(nodeType, method, parameters, path) {
			return await nodeType.methods!.loadOptions![method].call(contextFor(nodeType, parameters, path));
		},

		async listSearch(nodeType, method, parameters, filter) {
			return await nodeType.methods!.listSearch![method].call(contextFor(nodeType, parameters), filter);
		},

		async resourceMapping(nodeType, method, parameters) {
			return await nodeType.methods!.resourceMapping![method].call(contextFor(nodeType, parameters));
		},
	};
}
