import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  AZURE_CLOUD_ENDPOINTS,
  type Config,
  DEFAULT_LOCAL_WORKSPACE_ID,
  displayPath,
  loadConfig,
  redactConfig,
  workspaceForChannel,
} from '../../../src/app/config.ts';
import { ChatopsError } from '../../../src/core/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'config-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const GUID_A = '11111111-2222-3333-4444-555555555555';
const GUID_B = '66666666-7777-8888-9999-aaaaaaaaaaaa';
const workspace = (over: Record<string, unknown> = {}) => ({
  name: 'prod',
  workspaceId: GUID_A,
  subscriptionId: GUID_B,
  resourceGroup: 'rg-security',
  workspaceName: 'sentinel-prod',
  channels: ['C0123456'],
  approvers: ['U0APPROVER'],
  ...over,
});
/** A valid AUDIT_HMAC_KEY (required in real mode). */
const KEY = '00112233445566778899aabbccddeeff';

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** loadConfig that must fail; returns the problem lines. */
function problems(env: Record<string, string>, overrides: Parameters<typeof loadConfig>[1] = {}): string[] {
  try {
    loadConfig(env, { envFile: false, cwd: dir, ...overrides });
  } catch (err) {
    assert.ok(err instanceof ChatopsError);
    assert.equal(err.code, 'config');
    return err.details.length > 0 ? [...err.details] : [err.message.replace(/^invalid configuration: /, '')];
  }
  assert.fail('expected a config error');
}

describe('loadConfig defaults', () => {
  const config = loadConfig({}, { envFile: false, cwd: dir });

  it('runs in sandbox mode on the built-in workspace with no configuration', () => {
    assert.equal(config.cloudMode, 'sandbox');
    assert.equal(config.dataDir, join(dir, '.data'));
    assert.equal(config.port, 3978);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.logLevel, 'info');
    assert.equal(config.workspacesFile, undefined);
    assert.equal(config.workspaces.length, 1);
    assert.equal(config.workspaces[0].name, 'sandbox');
    assert.equal(config.workspaces[0].workspaceId, DEFAULT_LOCAL_WORKSPACE_ID);
    assert.deepEqual(config.workspaces[0].channels, ['*']);
    assert.equal(config.localWorkspaceId, DEFAULT_LOCAL_WORKSPACE_ID);
  });

  it('uses the public Azure cloud endpoints', () => {
    assert.deepEqual({ ...config.azure }, { cloud: 'public', ...AZURE_CLOUD_ENDPOINTS.public });
    assert.equal(config.azure.logsEndpoint, 'https://api.loganalytics.io/v1');
    assert.equal(config.azure.resourceManagerEndpoint, 'https://management.azure.com');
  });

  it('is deeply frozen', () => {
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.azure));
    assert.ok(Object.isFrozen(config.workspaces));
    assert.ok(Object.isFrozen(config.workspaces[0].channels));
    assert.throws(() => {
      (config as { port: number }).port = 1;
    }, TypeError);
  });

  it('treats blank values as unset', () => {
    assert.equal(loadConfig({ PORT: '', LOG_LEVEL: '  ' }, { envFile: false, cwd: dir }).port, 3978);
  });
});

describe('loadConfig values', () => {
  it('reads every variable', () => {
    const ws = file('ws.json', JSON.stringify([workspace()]));
    const c = loadConfig(
      {
        DATA_DIR: '/var/lib/bot',
        HOST: '0.0.0.0',
        PORT: '0',
        LOG_LEVEL: 'DEBUG',
        SENTINEL_WORKSPACES: 'ws.json',
        AWS_PROVISIONING_ROLE_NAME: 'SentinelCloudTrailReader',
        AUDIT_HMAC_KEY: KEY,
        FIRST_EVENTS_TIMEOUT: 'PT30M',
        AZURE_CLOUD: 'usgov',
        LOCAL_WORKSPACE_ID: GUID_B.toUpperCase(),
      },
      { envFile: false, cwd: dir },
    );
    assert.equal(c.dataDir, '/var/lib/bot');
    assert.equal(c.host, '0.0.0.0');
    assert.equal(c.port, 0);
    assert.equal(c.logLevel, 'debug');
    assert.equal(c.cloudMode, 'real', 'Sentinel workspaces configured → real');
    assert.equal(c.onboarding.auditHmacSecret, KEY);
    assert.equal(c.onboarding.firstEventsTimeoutMs, 30 * 60_000);
    assert.deepEqual(c.workspaces[0].approval, {
      requesters: undefined,
      approvers: { users: ['U0APPROVER'], groups: [] },
      twoPersonRule: true,
      approvalExpiryMs: 24 * 3600_000,
    });
    assert.equal(c.workspacesFile, ws);
    assert.equal(c.workspaces[0].name, 'prod');
    assert.equal(c.workspaces[0].builtIn, false);
    assert.equal(c.aws.provisioningRoleName, 'SentinelCloudTrailReader');
    assert.equal(c.azure.logsEndpoint, 'https://api.loganalytics.us/v1');
    assert.equal(c.azure.resourceManagerEndpoint, 'https://management.usgovcloudapi.net');
    assert.equal(c.azure.authorityHost, 'https://login.microsoftonline.us');
    assert.equal(c.localWorkspaceId, GUID_B);
  });

  it('lets --data-dir win over DATA_DIR', () => {
    assert.equal(loadConfig({ DATA_DIR: 'a' }, { envFile: false, cwd: dir, dataDir: 'b' }).dataDir, join(dir, 'b'));
  });

  it('lets explicit endpoints win over AZURE_CLOUD and trims a trailing slash', () => {
    const c = loadConfig({ AZURE_CLOUD: 'usgov', AZURE_LOGS_ENDPOINT: 'https://127.0.0.1:8443/v1/' }, { envFile: false, cwd: dir });
    assert.equal(c.azure.logsEndpoint, 'https://127.0.0.1:8443/v1');
    assert.equal(c.azure.resourceManagerEndpoint, 'https://management.usgovcloudapi.net');
  });

  it('is in real mode when Sentinel workspaces are configured (a provisioning role is optional), else sandbox, or as told', () => {
    const ws = file('ws-one.json', JSON.stringify([workspace()]));
    const real = loadConfig({ SENTINEL_WORKSPACES: ws, AUDIT_HMAC_KEY: KEY }, { envFile: false, cwd: dir });
    assert.equal(real.cloudMode, 'real');
    assert.equal(real.aws.provisioningRoleName, undefined, 'without it, the default credential chain is used');
    assert.equal(loadConfig({ AWS_PROVISIONING_ROLE_NAME: 'r' }, { envFile: false, cwd: dir }).cloudMode, 'sandbox');
    const c = loadConfig({ SENTINEL_WORKSPACES: ws, AWS_PROVISIONING_ROLE_NAME: 'r', CLOUD_MODE: 'sandbox' }, { envFile: false, cwd: dir });
    assert.equal(c.cloudMode, 'sandbox');
    assert.equal(c.workspaces[0].name, 'prod', 'a workspaces file is used in sandbox mode too');
  });

  it('reads a YAML workspaces file, as a list or under "workspaces"', () => {
    const yaml = file(
      'ws.yaml',
      `workspaces:\n  - name: prod\n    workspaceId: ${GUID_A}\n    subscriptionId: ${GUID_B}\n    resourceGroup: rg\n    workspaceName: sentinel-prod\n    channels: ["C1", "19:abc@thread.tacv2"]\n`,
    );
    const c = loadConfig({ SENTINEL_WORKSPACES: yaml, CLOUD_MODE: 'sandbox' }, { envFile: false, cwd: dir });
    assert.deepEqual(c.workspaces[0].channels, ['C1', '19:abc@thread.tacv2']);
    const list = file(
      'ws-list.yml',
      `- name: a\n  workspaceId: ${GUID_A}\n  subscriptionId: ${GUID_B}\n  resourceGroup: rg\n  workspaceName: wsp-a\n  channels: ['*']\n`,
    );
    assert.equal(loadConfig({ SENTINEL_WORKSPACES: list, CLOUD_MODE: 'sandbox' }, { envFile: false, cwd: dir }).workspaces[0].name, 'a');
  });

  it('picks the workspace for a channel: exact match first, then *', () => {
    const ws = file(
      'ws-two.json',
      JSON.stringify({ workspaces: [workspace({ name: 'all', channels: ['*'], workspaceName: 'wsp-all' }), workspace()] }),
    );
    const c = loadConfig({ SENTINEL_WORKSPACES: ws, AUDIT_HMAC_KEY: KEY }, { envFile: false, cwd: dir });
    assert.equal(workspaceForChannel(c, 'C0123456')?.name, 'prod');
    assert.equal(workspaceForChannel(c, 'C999')?.name, 'all');
  });
});

describe('loadConfig errors', () => {
  it('reports every bad variable at once, one line each naming it', () => {
    const lines = problems({
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      CLOUD_MODE: 'production',
      AZURE_CLOUD: 'germany',
      AZURE_LOGS_ENDPOINT: 'http://api.loganalytics.io/v1',
      AZURE_RESOURCE_MANAGER_ENDPOINT: 'not a url',
      AWS_PROVISIONING_ROLE_NAME: 'has spaces in it',
      LOCAL_WORKSPACE_ID: 'abc',
      HOST: 'a b',
    });
    const names = lines.map((l) => l.split(':')[0]);
    assert.deepEqual(names.sort(), [
      'AWS_PROVISIONING_ROLE_NAME',
      'AZURE_CLOUD',
      'AZURE_LOGS_ENDPOINT',
      'AZURE_RESOURCE_MANAGER_ENDPOINT',
      'CLOUD_MODE',
      'HOST',
      'LOCAL_WORKSPACE_ID',
      'LOG_LEVEL',
      'PORT',
    ]);
    for (const line of lines) assert.match(line, /expected/, line);
    assert.ok(lines.find((l) => l.startsWith('PORT'))?.includes('"eighty"'));
  });

  it('says what to do for a single problem, on one line', () => {
    try {
      loadConfig({ PORT: '70000' }, { envFile: false, cwd: dir });
      assert.fail('expected an error');
    } catch (err) {
      assert.ok(err instanceof ChatopsError);
      assert.equal(err.details.length, 0);
      assert.equal(err.userText.split('\n').length, 1);
      assert.match(err.message, /^invalid configuration: PORT: expected a TCP port number from 0 to 65535/);
    }
  });

  it('refuses Azure China with a pointer to README', () => {
    assert.match(problems({ AZURE_CLOUD: 'china' })[0], /21Vianet.*not supported yet/);
  });

  it('requires workspaces and an audit key in real mode, not a provisioning role', () => {
    const lines = problems({ CLOUD_MODE: 'real' });
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^SENTINEL_WORKSPACES: required when CLOUD_MODE=real/);
    assert.match(lines[1], /^AUDIT_HMAC_KEY: required when CLOUD_MODE=real; expected a random key of at least 32 hex characters/);
  });

  it('validates the workspaces file content, every problem with its position', () => {
    const ws = file(
      'bad-ws.json',
      JSON.stringify([
        workspace({ workspaceId: 'not-a-guid', channels: [] }),
        workspace({ name: 'prod', workspaceName: 'x', extra: true }),
      ]),
    );
    const lines = problems({ SENTINEL_WORKSPACES: ws, AUDIT_HMAC_KEY: KEY, PORT: 'x' });
    assert.ok(lines.some((l) => l.startsWith('PORT')));
    const wsLines = lines.filter((l) => l.startsWith('SENTINEL_WORKSPACES'));
    assert.ok(
      wsLines.some((l) => l.includes('workspaces[0].workspaceId: expected a GUID')),
      wsLines.join('\n'),
    );
    assert.ok(wsLines.some((l) => l.includes('workspaces[0].channels: expected at least one channel')));
    assert.ok(wsLines.some((l) => l.includes('workspaces[1].workspaceName')));
    assert.ok(wsLines.some((l) => l.includes('unknown field "extra"')));
  });

  it('rejects duplicate names and channels served twice', () => {
    const ws = file('dup-ws.json', JSON.stringify([workspace(), workspace({ workspaceName: 'other-ws' })]));
    const lines = problems({ SENTINEL_WORKSPACES: ws, AUDIT_HMAC_KEY: KEY });
    assert.ok(lines.some((l) => /names must be unique/.test(l)));
    assert.ok(lines.some((l) => /channel "C0123456" is served by both/.test(l)));
  });

  it('reports a missing or unparsable workspaces file', () => {
    assert.match(
      problems({ SENTINEL_WORKSPACES: 'nope.yaml', CLOUD_MODE: 'sandbox' })[0],
      /^SENTINEL_WORKSPACES \(.*nope\.yaml\): file not found/,
    );
    assert.match(problems({ SENTINEL_WORKSPACES: file('broken.json', '{'), AUDIT_HMAC_KEY: KEY })[0], /not valid JSON/);
    assert.match(problems({ SENTINEL_WORKSPACES: file('broken.yaml', 'a: ['), AUDIT_HMAC_KEY: KEY })[0], /not valid YAML/);
    assert.match(problems({ SENTINEL_WORKSPACES: file('scalar.yaml', 'hello'), AUDIT_HMAC_KEY: KEY })[0], /expected a list of workspaces/);
  });

  it('validates AUDIT_HMAC_KEY and FIRST_EVENTS_TIMEOUT', () => {
    const lines = problems({ AUDIT_HMAC_KEY: 'abc123', FIRST_EVENTS_TIMEOUT: '1 hour' });
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^AUDIT_HMAC_KEY: expected a random key of at least 32 hex characters or 16 bytes in base64/);
    assert.ok(!lines[0].includes('abc123'), 'a secret is never echoed');
    assert.match(lines[0], /\(got 6 characters\)$/);
    assert.match(lines[1], /^FIRST_EVENTS_TIMEOUT: expected an ISO 8601 duration such as PT30M/);
    assert.match(problems({ FIRST_EVENTS_TIMEOUT: 'PT0S' })[0], /^FIRST_EVENTS_TIMEOUT: expected an ISO 8601 duration/);
    const b64 = Buffer.alloc(16, 7).toString('base64');
    assert.equal(loadConfig({ AUDIT_HMAC_KEY: b64 }, { envFile: false, cwd: dir }).onboarding.auditHmacSecret, b64);
    assert.equal(
      loadConfig({ FIRST_EVENTS_TIMEOUT: 'P1DT2H' }, { envFile: false, cwd: dir }).onboarding.firstEventsTimeoutMs,
      26 * 3600_000,
    );
  });

  it('validates approval settings per workspace, each problem with its position', () => {
    const ws = file(
      'bad-approval.json',
      JSON.stringify([
        workspace({ approvers: 'U1', twoPersonRule: 'yes', approvalExpiry: '24h' }),
        workspace({ name: 'b', workspaceName: 'wsp-b', channels: ['C2'], approvers: [], requesters: { users: ['U9'], teams: [] } }),
      ]),
    );
    const lines = problems({ SENTINEL_WORKSPACES: ws, AUDIT_HMAC_KEY: KEY });
    const has = (re: RegExp) =>
      assert.ok(
        lines.some((l) => re.test(l)),
        `${re}\n${lines.join('\n')}`,
      );
    has(/workspaces\[0\]\.approvers: expected a list of chat user IDs, or an object \{users: \[\.\.\.\], groups: \[\.\.\.\]\}/);
    has(/workspaces\[0\]\.twoPersonRule: expected true or false/);
    has(/workspaces\[0\]\.approvalExpiry: expected an ISO 8601 duration/);
    has(/workspaces\[1\]\.requesters: unknown field "teams"|workspaces\[1\]\.requesters.*"teams"/);
  });

  it('requires approvers per workspace in real mode', () => {
    const ws = file('no-approvers.json', JSON.stringify([workspace({ approvers: undefined })]));
    const lines = problems({ SENTINEL_WORKSPACES: ws, AUDIT_HMAC_KEY: KEY });
    assert.equal(lines.length, 1);
    assert.match(lines[0], /workspaces\[0\]\.approvers: required in real mode/);
  });

  it('rejects an empty --data-dir', () => {
    assert.match(problems({}, { dataDir: ' ' })[0], /--data-dir/);
  });
});

describe('.env', () => {
  it('is read from the working directory, beneath the real environment', () => {
    const envDir = mkdtempSync(join(dir, 'envdir-'));
    writeFileSync(join(envDir, '.env'), '# comment\nPORT=4000\nLOG_LEVEL=warn\nDATA_DIR="/srv/data"\n');
    const c = loadConfig({ LOG_LEVEL: 'error' }, { cwd: envDir });
    assert.equal(c.port, 4000);
    assert.equal(c.logLevel, 'error', 'the environment wins over .env');
    assert.equal(c.dataDir, '/srv/data');
    assert.equal(c.envFile, join(envDir, '.env'));
  });

  it('names the .env file in errors about values that came from it', () => {
    const envFile = file('custom.env', 'PORT=abc\n');
    const lines = problems({}, { envFile });
    assert.match(lines[0], /^PORT \(set in .*custom\.env\): expected/);
  });

  it('is optional, but an explicitly named one must exist', () => {
    assert.equal(loadConfig({}, { cwd: dir }).envFile, undefined);
    assert.match(problems({}, { envFile: join(dir, 'missing.env') })[0], /cannot be read/);
  });
});

describe('approval settings', () => {
  it('reads requesters, approvers (users and groups), the two-person rule and the expiry', () => {
    const ws = file(
      'approval.yaml',
      `- name: prod\n  workspaceId: ${GUID_A}\n  subscriptionId: ${GUID_B}\n  resourceGroup: rg\n  workspaceName: sentinel-prod\n  channels: [C1]\n  requesters: [U1, U2]\n  approvers:\n    users: [U3]\n    groups: [S-secops]\n  twoPersonRule: false\n  approvalExpiry: PT4H\n`,
    );
    const c = loadConfig({ SENTINEL_WORKSPACES: ws, AUDIT_HMAC_KEY: KEY }, { envFile: false, cwd: dir });
    assert.deepEqual(c.workspaces[0].approval, {
      requesters: { users: ['U1', 'U2'], groups: [] },
      approvers: { users: ['U3'], groups: ['S-secops'] },
      twoPersonRule: false,
      approvalExpiryMs: 4 * 3600_000,
    });
  });

  it('defaults to anyone requests, anyone but the requester approves in sandbox mode', () => {
    const c = loadConfig({}, { envFile: false, cwd: dir });
    assert.deepEqual(c.workspaces[0].approval, {
      requesters: undefined,
      approvers: { users: ['*'], groups: [] },
      twoPersonRule: true,
      approvalExpiryMs: 24 * 3600_000,
    });
    assert.equal(c.onboarding.auditHmacSecret, undefined, 'the app generates <dataDir>/audit.key');
    assert.equal(c.onboarding.firstEventsTimeoutMs, 3600_000);
    const ws = file('sandbox-file.json', JSON.stringify([workspace({ approvers: undefined })]));
    const s = loadConfig({ SENTINEL_WORKSPACES: ws, CLOUD_MODE: 'sandbox' }, { envFile: false, cwd: dir });
    assert.deepEqual(s.workspaces[0].approval.approvers, { users: ['*'], groups: [] });
  });

  it('never shows the audit key in the printed configuration', () => {
    const c = loadConfig({ AUDIT_HMAC_KEY: KEY }, { envFile: false, cwd: dir });
    assert.ok(!JSON.stringify(redactConfig(c)).includes(KEY));
  });
});

describe('redactConfig', () => {
  it('replaces secret-looking fields at any depth and keeps the rest', () => {
    const base = loadConfig({}, { envFile: false, cwd: dir });
    const withSecrets = { ...base, slack: { botToken: 'xoxb-1-2-abc', signingSecret: 'shh-very-secret' }, teams: { clientSecret: 'pw' } };
    const printed = redactConfig(withSecrets as unknown as Config);
    const text = JSON.stringify(printed);
    assert.ok(!text.includes('xoxb-1-2-abc'));
    assert.ok(!text.includes('shh-very-secret'));
    assert.deepEqual(printed.slack, { botToken: '[redacted]', signingSecret: '[redacted]' });
    assert.equal(printed.port, 3978);
    assert.deepEqual(printed.azure, { ...base.azure });
  });
});

describe('displayPath', () => {
  it('shows paths under the working directory relative to it', () => {
    assert.equal(displayPath('/a/b/.data', '/a/b'), './.data');
    assert.equal(displayPath('/elsewhere/x', '/a/b'), '/elsewhere/x');
    assert.equal(displayPath('/a/b', '/a/b'), '.');
  });
});
