import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { malformedReason } from '../../../../../src/cloud/logs/local/cloudtrail-record.ts';
import { type CloudTrailRecord, generateCloudTrailRecords, writeCloudTrailFiles } from '../../../../../src/cloud/logs/local/generate.ts';

const NOW = Date.parse('2025-06-15T12:00:00Z');
const DAYS = 28;
const records = generateCloudTrailRecords({ now: NOW, days: DAYS, eventsPerDay: 1000, seed: 42 });

const identity = (r: CloudTrailRecord) => r.userIdentity as Record<string, unknown>;
const json = (v: unknown) => (v ?? {}) as Record<string, unknown>;

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('generateCloudTrail', () => {
  it('is deterministic for a seed and now, and differs between seeds', () => {
    const again = generateCloudTrailRecords({ now: new Date(NOW), days: DAYS, eventsPerDay: 1000, seed: 42 });
    assert.equal(JSON.stringify(again), JSON.stringify(records));
    const other = generateCloudTrailRecords({ now: NOW, days: DAYS, eventsPerDay: 1000, seed: 43 });
    assert.notEqual(JSON.stringify(other), JSON.stringify(records));
    assert.notEqual(other[0].eventID, records[0].eventID);
  });

  it('stays within [now − days, now], in time order, with valid unique records', () => {
    const times = records.map((r) => Date.parse(r.eventTime as string));
    assert.ok(times[0] >= NOW - DAYS * 86_400_000);
    assert.ok(times[times.length - 1] <= NOW);
    for (let i = 1; i < times.length; i++) assert.ok(times[i - 1] <= times[i], 'sorted');
    for (const r of records) assert.equal(malformedReason(r), undefined);
    assert.equal(new Set(records.map((r) => r.eventID)).size, records.length);
    assert.ok(Math.abs(records.length / DAYS - 1000) < 100, `about 1000 a day, got ${records.length / DAYS}`);
  });

  it('is busier on weekdays and in the daytime', () => {
    let weekday = 0;
    let weekend = 0;
    let day = 0;
    let night = 0;
    for (const r of records) {
      const d = new Date(r.eventTime as string);
      if (d.getUTCDay() === 0 || d.getUTCDay() === 6) weekend++;
      else weekday++;
      const h = d.getUTCHours();
      if (h >= 9 && h < 17) day++;
      else if (h < 5) night++;
    }
    assert.ok(weekday / 20 > 1.5 * (weekend / 8), `weekday ${weekday / 20}/day, weekend ${weekend / 8}/day`);
    assert.ok(day / 8 > 1.5 * (night / 5), `day ${day / 8}/h, night ${night / 5}/h`);
  });

  it('contains the events detections look for', () => {
    const logins = records.filter((r) => r.eventName === 'ConsoleLogin');
    assert.ok(logins.every((r) => r.eventSource === 'signin.amazonaws.com' && r.eventType === 'AwsConsoleSignIn'));
    assert.ok(logins.some((r) => json(r.additionalEventData).MFAUsed === 'No' && json(r.responseElements).ConsoleLogin === 'Success'));
    assert.ok(logins.some((r) => json(r.additionalEventData).MFAUsed === 'Yes'));
    const failed = logins.filter((r) => json(r.responseElements).ConsoleLogin === 'Failure');
    assert.ok(failed.length > 0 && failed.every((r) => r.errorMessage === 'Failed authentication'));
    assert.ok(records.some((r) => identity(r).type === 'Root'));
    assert.ok(records.some((r) => r.errorCode === 'AccessDenied'));
    assert.ok(records.some((r) => r.errorCode === 'Client.UnauthorizedOperation'));
    assert.ok(records.some((r) => r.eventName === 'StopLogging' && r.eventSource === 'cloudtrail.amazonaws.com'));
    assert.ok(
      records.some(
        (r) => r.eventName === 'AttachUserPolicy' && String(json(r.requestParameters).policyArn).endsWith('/AdministratorAccess'),
      ),
    );
    assert.ok(
      records.some(
        (r) => r.eventName === 'AuthorizeSecurityGroupIngress' && JSON.stringify(r.requestParameters).includes('"cidrIp":"0.0.0.0/0"'),
      ),
    );
    const assumed = records.find((r) => identity(r).type === 'AssumedRole')!;
    assert.equal(json(json(identity(assumed).sessionContext).sessionIssuer).type, 'Role');
    assert.ok(records.some((r) => identity(r).type === 'AWSService' && typeof identity(r).invokedBy === 'string'));
    const sources: Record<string, string> = {
      DescribeInstances: 'ec2.amazonaws.com',
      GetObject: 's3.amazonaws.com',
      PutObject: 's3.amazonaws.com',
      AssumeRole: 'sts.amazonaws.com',
      CreateUser: 'iam.amazonaws.com',
      CreateAccessKey: 'iam.amazonaws.com',
      PutUserPolicy: 'iam.amazonaws.com',
      RevokeSecurityGroupEgress: 'ec2.amazonaws.com',
      Decrypt: 'kms.amazonaws.com',
      UpdateFunctionCode20150331v2: 'lambda.amazonaws.com',
      UpdateTrail: 'cloudtrail.amazonaws.com',
    };
    for (const [name, source] of Object.entries(sources)) {
      const found = records.filter((r) => r.eventName === name);
      assert.ok(found.length > 0, `has ${name}`);
      assert.ok(
        found.every((r) => r.eventSource === source),
        `${name} comes from ${source}`,
      );
    }
    const accounts = new Set(records.map((r) => r.recipientAccountId as string));
    assert.ok(accounts.size >= 3 && [...accounts].some((a) => a.startsWith('0')));
    const regions = new Map<string, number>();
    for (const r of records) regions.set(r.awsRegion as string, (regions.get(r.awsRegion as string) ?? 0) + 1);
    assert.equal([...regions].sort((a, b) => b[1] - a[1])[0][0], 'us-east-1');
    assert.ok(regions.has('eu-west-1') && regions.has('ap-southeast-1'));
    assert.ok(records.some((r) => r.readOnly === true) && records.some((r) => r.readOnly === false));
    assert.ok(records.some((r) => r.managementEvent === false && r.eventCategory === 'Data'));
  });

  it('uses the given accounts', () => {
    const rs = generateCloudTrailRecords({ now: NOW, days: 2, eventsPerDay: 200, seed: 1, accounts: ['000011112222'] });
    assert.deepEqual([...new Set(rs.map((r) => r.recipientAccountId))], ['000011112222']);
    assert.throws(() => generateCloudTrailRecords({ now: NOW, accounts: ['123'] }), /12 digits/);
  });
});

describe('writeCloudTrailFiles', () => {
  it('writes gzipped Records files in the S3 key layout', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gen-test-'));
    dirs.push(dir);
    const some = records.slice(0, 3500);
    const files = await writeCloudTrailFiles(some, dir, { recordsPerFile: 1000 });
    let total = 0;
    const ids = new Set<unknown>();
    for (const f of files) {
      const rel = relative(dir, f).split(sep);
      assert.equal(rel[0], 'AWSLogs');
      assert.match(rel[1], /^\d{12}$/);
      assert.equal(rel[2], 'CloudTrail');
      assert.match(rel.slice(4, 7).join('/'), /^\d{4}\/\d{2}\/\d{2}$/);
      assert.equal(rel.length, 8);
      assert.match(rel[7], new RegExp(`^${rel[1]}_CloudTrail_${rel[3]}_\\d{8}T\\d{4}Z_[A-Za-z0-9]{16}\\.json\\.gz$`));
      const doc = JSON.parse(gunzipSync(await readFile(f)).toString('utf8')) as { Records: CloudTrailRecord[] };
      assert.ok(doc.Records.length > 0 && doc.Records.length <= 1000);
      for (const r of doc.Records) {
        assert.equal(r.recipientAccountId, rel[1]);
        assert.equal(r.awsRegion, rel[3]);
        ids.add(r.eventID);
      }
      total += doc.Records.length;
    }
    assert.equal(total, some.length);
    assert.equal(ids.size, some.length);
  });
});
