import type { IExecuteFunctions } from 'n8n-workflow';

import { UnknownFieldError } from '../../helpers/soql';
import { CREDENTIAL_TYPE, type DescribeResult, type SalesforceClient, type SalesforceRecord } from '../../transport';
import { fieldsByName, itemFields, recordFromFields } from './records';

const isUnknownField = (error: unknown): boolean => error instanceof UnknownFieldError;

/** How long a describe result serves later executions; schema changes are picked up on a miss (see `refresh`). */
const SHARED_FOR_MS = 10 * 60_000;

const shared = new Map<string, { until: number; describe: DescribeResult }>();

/**
 * The describe result of an sObject for one execution. It is shared across executions of the same credential for
 * ten minutes: a workflow that writes one record per run then costs one API call, not two. Describe depends on the
 * user's field-level security, hence the credential in the key. A field name missing from a shared result (a field
 * created since) leads to one fresh describe before anything fails.
 */
export class ObjectSchema {
	private constructor(
		private readonly client: SalesforceClient,
		private readonly key: string,
		readonly sobject: string,
		public describe: DescribeResult,
		private fresh: boolean,
	) {}

	static async load(ctx: IExecuteFunctions, client: SalesforceClient, sobject: string): Promise<ObjectSchema> {
		const credentialId = ctx.getNode().credentials?.[CREDENTIAL_TYPE]?.id ?? '';
		const key = [credentialId, client.conn.instanceUrl, client.apiVersion, sobject.toLowerCase()].join('|');
		const entry = shared.get(key);
		if (entry && entry.until > Date.now()) return new ObjectSchema(client, key, sobject, entry.describe, false);
		const schema = new ObjectSchema(client, key, sobject, await client.describe(sobject), true);
		schema.share();
		return schema;
	}

	/** Describes again, once per execution; false when this execution already has a fresh result. */
	async refresh(): Promise<boolean> {
		if (this.fresh) return false;
		this.describe = await this.client.describe(this.sobject);
		this.fresh = true;
		this.share();
		return true;
	}

	/**
	 * The record an item's Fields parameters describe (see itemFields and recordFromFields), describing again first if
	 * a field name is unknown.
	 */
	async itemRecord(ctx: IExecuteFunctions, itemIndex: number): Promise<SalesforceRecord> {
		const { fields, dropEmpty } = itemFields(ctx, itemIndex);
		const known = fieldsByName(this.describe);
		if (Object.keys(fields).some((name) => !known.has(name.toLowerCase()))) await this.refresh();
		return recordFromFields(ctx, itemIndex, this.describe, fields, { dropEmpty });
	}

	/** Runs `build` with the describe result; when it fails for lack of a field, describes again once and retries. */
	async withRetryOnStale<T>(build: (describe: DescribeResult) => T, isStale = isUnknownField): Promise<T> {
		let failure: unknown;
		try {
			return build(this.describe);
		} catch (error) {
			failure = error;
		}
		if (isStale(failure) && (await this.refresh())) return build(this.describe);
		throw failure;
	}

	private share() {
		shared.set(this.key, { until: Date.now() + SHARED_FOR_MS, describe: this.describe });
	}
}
