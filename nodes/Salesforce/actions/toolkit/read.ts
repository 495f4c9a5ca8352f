import type { IDataObject } from 'n8n-workflow';

import { withoutAttributes } from '../../helpers/records';
import { isCountQuery } from '../../helpers/soql';
import type { SalesforceClient } from '../../transport';

/**
 * What one SOQL query gives an item: `{ totalSize }` for `SELECT COUNT()`, else its rows (records or aggregate
 * rows), following nextRecordsUrl up to `max`.
 */
export async function queryOutput(
	client: SalesforceClient,
	soql: string,
	options: Parameters<SalesforceClient['queryAllPages']>[1] = {},
): Promise<IDataObject | IDataObject[]> {
	if (isCountQuery(soql)) return { totalSize: (await client.query(soql, { includeDeleted: options.includeDeleted })).totalSize };
	return (await client.queryAllPages<IDataObject>(soql, options)).map(withoutAttributes);
}
