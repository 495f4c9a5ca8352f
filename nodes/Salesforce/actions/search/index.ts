import type { Operation } from '../toolkit/operations';
import * as query from './query.operation';
import * as search from './search.operation';

/** The Search resource's operations, by Operation value. */
export const searchOperations: Record<string, Operation> = { query, search };
