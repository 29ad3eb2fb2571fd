/**
 * One CloudTrail record (an element of `{"Records":[...]}` as AWS delivers it to S3) → one
 * `AWSCloudTrail` row, as /work/shared/data/AWSCLOUDTRAIL-DATA.md maps it:
 *
 * - JSON-valued fields (requestParameters, responseElements, additionalEventData, resources,
 *   serviceEventDetails) become compact JSON text (`JSON.stringify`, no spaces), so `has` and
 *   `contains` see the same text as in Log Analytics. A field that is already a string is kept as it is.
 * - An absent (or null) field gives "" in a string column and null in a bool or datetime column.
 * - `mfaAuthenticated` ("true"/"false"), `readOnly` and `managementEvent` become bools.
 * - Account IDs stay strings (leading zeros matter).
 *
 * Constant and derived columns, decided here:
 * - `Type` = "AWSCloudTrail"; `TenantId` = the Log Analytics workspace ID (a parameter).
 * - `SourceSystem` = "" and `OperationName` = "": a real export of the table written by the
 *   connector (Azure/Azure-Sentinel `Sample Data/ASIM/AWS_CloudTrail_Authentication_IngestedLogs.csv`)
 *   has both empty on every row. (That export also leaves `Category` empty; we follow the mapping
 *   document, `eventCategory` → `Category`.)
 * - `EC2RoleDelivery` = `userIdentity.sessionContext.ec2RoleDelivery` (the CloudTrail field of the same
 *   name, "1.0"/"2.0" for IMDSv1/v2). `IpProtocol`, `SourcePort`, `DestinationPort`, `CidrIp` have
 *   no documented source field and stay "".
 * - `AwsRequestId` and `AwsRequestId_` both hold `requestID`.
 * - `_ItemId` = `eventID`: Log Analytics gives each record a unique GUID; the local workspace keeps one
 *   row per eventID, so the eventID (a GUID) is unique here too, and the store keeps the two columns in
 *   one array.
 * - `_TimeReceived` = `ctx.receivedAt` when given, else `eventTime` + 5 minutes (CloudTrail delivers
 *   log files about every 5 minutes), so the value is deterministic.
 * - `_BilledSize` = an estimate of the stored row's size in bytes: the lengths of its non-empty string
 *   values plus 8 per datetime/real and 1 per bool.
 * - `_IsBillable` = "true"; `_ResourceId` = `_SubscriptionId` = "" (AWS data has no Azure resource).
 *
 * A record that is not a JSON object, or lacks a string `eventID` or an ISO 8601 `eventTime`, is
 * malformed: the result carries a reason instead of a row (nothing is thrown).
 */
import { AWSCLOUDTRAIL_TABLE, type AwsCloudTrailRow } from './awscloudtrail-columns.ts';

export interface MapContext {
  /** The Log Analytics workspace ID (GUID) that owns the table. */
  tenantId: string;
  /** Ingestion time (ms since epoch) for `_TimeReceived`; default eventTime + 5 minutes. */
  receivedAt?: number;
}

export type MapResult = { ok: true; row: AwsCloudTrailRow } | { ok: false; reason: string };

const DELIVERY_DELAY_MS = 5 * 60 * 1000;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(v: unknown): Json | undefined {
  return isObject(v) ? v : undefined;
}

/** A scalar field as a string column value. */
function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A JSON-valued field as compact JSON text. */
function jsonText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function bool(v: unknown): boolean | null {
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  return null;
}

/** ms since epoch of an ISO 8601 timestamp, or NaN. */
export function parseIsoTime(v: unknown): number {
  if (typeof v !== 'string' || !ISO_TIME.test(v)) return Number.NaN;
  return Date.parse(v);
}

function time(v: unknown): number | null {
  const t = parseIsoTime(v);
  return Number.isNaN(t) ? null : t;
}

/** Why a record cannot become a row, or undefined if it can. */
export function malformedReason(record: unknown): string | undefined {
  if (!isObject(record)) return 'record is not a JSON object';
  const id = record.eventID;
  if (typeof id !== 'string' || id === '') return 'eventID is missing or not a non-empty string';
  if (Number.isNaN(parseIsoTime(record.eventTime))) return 'eventTime is missing or not an ISO 8601 timestamp';
  return undefined;
}

export function mapCloudTrailRecord(record: unknown, ctx: MapContext): MapResult {
  const reason = malformedReason(record);
  if (reason !== undefined) return { ok: false, reason };
  const r = record as Json;
  const timeGenerated = parseIsoTime(r.eventTime);
  const eventId = r.eventID as string;
  const ui = obj(r.userIdentity);
  const session = obj(ui?.sessionContext);
  const attrs = obj(session?.attributes);
  const issuer = obj(session?.sessionIssuer);
  const onBehalfOf = obj(ui?.onBehalfOf);
  const tls = obj(r.tlsDetails);
  const requestId = str(r.requestID);
  const sessionCreation = time(attrs?.creationDate);
  const mfa = bool(attrs?.mfaAuthenticated);
  const readOnly = bool(r.readOnly);
  const managementEvent = bool(r.managementEvent);
  const row: AwsCloudTrailRow = {
    TimeGenerated: timeGenerated,
    AwsEventId: eventId,
    EventVersion: str(r.eventVersion),
    EventSource: str(r.eventSource),
    EventTypeName: str(r.eventType),
    EventName: str(r.eventName),
    UserIdentityType: str(ui?.type),
    UserIdentityPrincipalid: str(ui?.principalId),
    UserIdentityArn: str(ui?.arn),
    UserIdentityAccountId: str(ui?.accountId),
    UserIdentityInvokedBy: str(ui?.invokedBy),
    UserIdentityAccessKeyId: str(ui?.accessKeyId),
    UserIdentityUserName: str(ui?.userName),
    SessionMfaAuthenticated: mfa,
    SessionCreationDate: sessionCreation,
    SessionIssuerType: str(issuer?.type),
    SessionIssuerPrincipalId: str(issuer?.principalId),
    SessionIssuerArn: str(issuer?.arn),
    SessionIssuerAccountId: str(issuer?.accountId),
    SessionIssuerUserName: str(issuer?.userName),
    AWSRegion: str(r.awsRegion),
    SourceIpAddress: str(r.sourceIPAddress),
    UserAgent: str(r.userAgent),
    ErrorCode: str(r.errorCode),
    ErrorMessage: str(r.errorMessage),
    RequestParameters: jsonText(r.requestParameters),
    ResponseElements: jsonText(r.responseElements),
    AdditionalEventData: jsonText(r.additionalEventData),
    AwsRequestId: requestId,
    AwsRequestId_: requestId,
    Resources: jsonText(r.resources),
    APIVersion: str(r.apiVersion),
    ReadOnly: readOnly,
    RecipientAccountId: str(r.recipientAccountId),
    ServiceEventDetails: jsonText(r.serviceEventDetails),
    SharedEventId: str(r.sharedEventID),
    VpcEndpointId: str(r.vpcEndpointId),
    ManagementEvent: managementEvent,
    TenantId: ctx.tenantId,
    SourceSystem: '',
    OperationName: '',
    Category: str(r.eventCategory),
    EC2RoleDelivery: str(session?.ec2RoleDelivery),
    TlsVersion: str(tls?.tlsVersion),
    CipherSuite: str(tls?.cipherSuite),
    ClientProvidedHostHeader: str(tls?.clientProvidedHostHeader),
    IpProtocol: '',
    SourcePort: '',
    DestinationPort: '',
    CidrIp: '',
    UserIdentityUserId: str(onBehalfOf?.userId),
    UserIdentityStoreArn: str(onBehalfOf?.identityStoreArn),
    Type: AWSCLOUDTRAIL_TABLE,
    _ResourceId: '',
    _SubscriptionId: '',
    _BilledSize: 0,
    _IsBillable: 'true',
    _ItemId: eventId,
    _TimeReceived: ctx.receivedAt ?? timeGenerated + DELIVERY_DELAY_MS,
  };
  row._BilledSize = billedSize(row);
  return { ok: true, row };
}

/** Estimated stored size of a row in bytes (see the file header). */
function billedSize(row: AwsCloudTrailRow): number {
  let size = 8 * 3; // TimeGenerated, _TimeReceived, _BilledSize
  if (row.SessionCreationDate !== null) size += 8;
  if (row.SessionMfaAuthenticated !== null) size += 1;
  if (row.ReadOnly !== null) size += 1;
  if (row.ManagementEvent !== null) size += 1;
  // Spelled out (not Object.values) to stay on the fast path: this runs for every record.
  size +=
    row.AwsEventId.length +
    row.EventVersion.length +
    row.EventSource.length +
    row.EventTypeName.length +
    row.EventName.length +
    row.UserIdentityType.length +
    row.UserIdentityPrincipalid.length +
    row.UserIdentityArn.length +
    row.UserIdentityAccountId.length +
    row.UserIdentityInvokedBy.length +
    row.UserIdentityAccessKeyId.length +
    row.UserIdentityUserName.length +
    row.SessionIssuerType.length +
    row.SessionIssuerPrincipalId.length +
    row.SessionIssuerArn.length +
    row.SessionIssuerAccountId.length +
    row.SessionIssuerUserName.length +
    row.AWSRegion.length +
    row.SourceIpAddress.length +
    row.UserAgent.length +
    row.ErrorCode.length +
    row.ErrorMessage.length +
    row.RequestParameters.length +
    row.ResponseElements.length +
    row.AdditionalEventData.length +
    row.AwsRequestId.length +
    row.AwsRequestId_.length +
    row.Resources.length +
    row.APIVersion.length +
    row.RecipientAccountId.length +
    row.ServiceEventDetails.length +
    row.SharedEventId.length +
    row.VpcEndpointId.length +
    row.TenantId.length +
    row.SourceSystem.length +
    row.OperationName.length +
    row.Category.length +
    row.EC2RoleDelivery.length +
    row.TlsVersion.length +
    row.CipherSuite.length +
    row.ClientProvidedHostHeader.length +
    row.IpProtocol.length +
    row.SourcePort.length +
    row.DestinationPort.length +
    row.CidrIp.length +
    row.UserIdentityUserId.length +
    row.UserIdentityStoreArn.length +
    row.Type.length +
    row._ResourceId.length +
    row._SubscriptionId.length +
    row._IsBillable.length +
    row._ItemId.length;
  return size;
}
