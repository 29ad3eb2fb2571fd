/**
 * The `AWSCloudTrail` table's columns, in the order of `src/kql/awscloudtrail.schema.json`
 * (a test checks the two agree), and the row type the CloudTrail mapping produces.
 *
 * Row values are in-engine values (see `src/kql/columns.ts`): strings ("" when absent, never null),
 * datetimes as milliseconds since the Unix epoch or null, bools or null, reals as numbers.
 */
import type { KustoType } from '../../../core/result-table.ts';

export const AWSCLOUDTRAIL_TABLE = 'AWSCloudTrail';

export const AWSCLOUDTRAIL_COLUMNS = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'AwsEventId', type: 'string' },
  { name: 'EventVersion', type: 'string' },
  { name: 'EventSource', type: 'string' },
  { name: 'EventTypeName', type: 'string' },
  { name: 'EventName', type: 'string' },
  { name: 'UserIdentityType', type: 'string' },
  { name: 'UserIdentityPrincipalid', type: 'string' },
  { name: 'UserIdentityArn', type: 'string' },
  { name: 'UserIdentityAccountId', type: 'string' },
  { name: 'UserIdentityInvokedBy', type: 'string' },
  { name: 'UserIdentityAccessKeyId', type: 'string' },
  { name: 'UserIdentityUserName', type: 'string' },
  { name: 'SessionMfaAuthenticated', type: 'bool' },
  { name: 'SessionCreationDate', type: 'datetime' },
  { name: 'SessionIssuerType', type: 'string' },
  { name: 'SessionIssuerPrincipalId', type: 'string' },
  { name: 'SessionIssuerArn', type: 'string' },
  { name: 'SessionIssuerAccountId', type: 'string' },
  { name: 'SessionIssuerUserName', type: 'string' },
  { name: 'AWSRegion', type: 'string' },
  { name: 'SourceIpAddress', type: 'string' },
  { name: 'UserAgent', type: 'string' },
  { name: 'ErrorCode', type: 'string' },
  { name: 'ErrorMessage', type: 'string' },
  { name: 'RequestParameters', type: 'string' },
  { name: 'ResponseElements', type: 'string' },
  { name: 'AdditionalEventData', type: 'string' },
  { name: 'AwsRequestId', type: 'string' },
  { name: 'AwsRequestId_', type: 'string' },
  { name: 'Resources', type: 'string' },
  { name: 'APIVersion', type: 'string' },
  { name: 'ReadOnly', type: 'bool' },
  { name: 'RecipientAccountId', type: 'string' },
  { name: 'ServiceEventDetails', type: 'string' },
  { name: 'SharedEventId', type: 'string' },
  { name: 'VpcEndpointId', type: 'string' },
  { name: 'ManagementEvent', type: 'bool' },
  { name: 'TenantId', type: 'string' },
  { name: 'SourceSystem', type: 'string' },
  { name: 'OperationName', type: 'string' },
  { name: 'Category', type: 'string' },
  { name: 'EC2RoleDelivery', type: 'string' },
  { name: 'TlsVersion', type: 'string' },
  { name: 'CipherSuite', type: 'string' },
  { name: 'ClientProvidedHostHeader', type: 'string' },
  { name: 'IpProtocol', type: 'string' },
  { name: 'SourcePort', type: 'string' },
  { name: 'DestinationPort', type: 'string' },
  { name: 'CidrIp', type: 'string' },
  { name: 'UserIdentityUserId', type: 'string' },
  { name: 'UserIdentityStoreArn', type: 'string' },
  { name: 'Type', type: 'string' },
  { name: '_ResourceId', type: 'string' },
  { name: '_SubscriptionId', type: 'string' },
  { name: '_BilledSize', type: 'real' },
  { name: '_IsBillable', type: 'string' },
  { name: '_ItemId', type: 'string' },
  { name: '_TimeReceived', type: 'datetime' },
] as const satisfies readonly { name: string; type: KustoType }[];

/**
 * Columns the CloudTrail mapping fills with another column's value (`AwsRequestId_` =
 * `AwsRequestId`, `_ItemId` = `AwsEventId`): builders and the store keep them once.
 */
export const AWSCLOUDTRAIL_ECHOES: Readonly<Record<string, string>> = { AwsRequestId_: 'AwsRequestId', _ItemId: 'AwsEventId' };

type ColumnSpec = (typeof AWSCLOUDTRAIL_COLUMNS)[number];
export type AwsCloudTrailColumnName = ColumnSpec['name'];

type RowValue<T extends KustoType> = T extends 'string' ? string : T extends 'bool' ? boolean | null : number | null;

/** One AWSCloudTrail row: column name → in-engine value. */
export type AwsCloudTrailRow = { [C in ColumnSpec as C['name']]: RowValue<C['type']> };
