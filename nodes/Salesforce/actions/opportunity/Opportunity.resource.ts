import { resourceOperations } from '../record';
import { operationParameter } from '../toolkit/operations';

export const operations = resourceOperations({});

export const operationProperty = operationParameter('opportunity', operations);
