/**
 * The catalog: one entry per question kind, with examples in both languages, a chart kind our
 * charts draw, titles in both languages, and a query that the official parser accepts for every
 * grouping, filter and window shape a question can have.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ACCESS_DENIED_CODES,
  catalog,
  catalogEntry,
  IAM_CHANGE_EVENTS,
  SECURITY_GROUP_EVENTS,
  TAMPERING_EVENTS,
} from '../../../../src/core/questions/catalog.ts';
import { GROUP_BYS, type GroupBy, type Intent, QUESTION_KINDS } from '../../../../src/core/questions/intent.ts';
import { analyze, nodeKind } from '../../../../src/kql/kusto.ts';
import { kqlValidator } from '../../../../src/kql/validator.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-25T09:30:00Z');

/** Render kinds the chart stage draws (src/core/charts) or is being built to draw (issue 4, item 4). */
const DRAWN = new Set(['timechart', 'columnchart', 'barchart', 'piechart', 'table']);

const rolling = {
  kind: 'rolling' as const,
  start: NOW - 30 * DAY,
  end: NOW,
  bin: DAY,
  binOrigin: NOW,
  label: { en: 'last 30 days', zh: '过去30天' },
};
const calendar = {
  kind: 'calendar' as const,
  start: Date.parse('2026-11-23T00:00:00Z'),
  end: NOW,
  bin: HOUR,
  binOrigin: Date.parse('2026-11-23T00:00:00Z'),
  label: { en: 'this week', zh: '本周' },
};

function intent(kind: Intent['kind'], extra: Partial<Intent> = {}): Intent {
  return {
    kind,
    language: 'en',
    window: rolling,
    filters: kind === 'identity_activity' ? { identities: ['alice'] } : {},
    timeZone: 'UTC',
    ...extra,
  };
}

describe('catalog entries', () => {
  test('one entry for every question kind, in the order of QUESTION_KINDS', () => {
    assert.deepEqual(
      catalog.map((e) => e.kind),
      [...QUESTION_KINDS],
    );
    assert.ok(catalog.length >= 15);
    for (const kind of QUESTION_KINDS) assert.equal(catalogEntry(kind).kind, kind);
  });

  test('2-3 examples per language, distinct across the catalog', () => {
    const seen = new Set<string>();
    for (const e of catalog) {
      for (const lang of ['en', 'zh'] as const) {
        const ex = e.examples[lang];
        assert.ok(ex.length >= 2 && ex.length <= 3, `${e.kind} ${lang}: ${ex.length} examples`);
        for (const q of ex) {
          assert.ok(q.trim().length > 0);
          assert.ok(!seen.has(q), `duplicate example ${q}`);
          seen.add(q);
          if (lang === 'zh') assert.match(q, /\p{Script=Han}/u, `${q} is Chinese`);
        }
      }
    }
  });

  test('every chart kind is one our charts draw', () => {
    for (const e of catalog) assert.ok(DRAWN.has(e.chart), `${e.kind}: ${e.chart}`);
    const used = new Set<string>(catalog.map((e) => e.chart));
    for (const k of ['timechart', 'columnchart', 'barchart', 'piechart', 'table']) assert.ok(used.has(k), `some kind uses ${k}`);
  });

  test('groupings an entry accepts are known groupings', () => {
    for (const e of catalog) for (const g of e.groupBys) assert.ok((GROUP_BYS as readonly string[]).includes(g), `${e.kind}: ${g}`);
  });

  test('titles in both languages, with the window and the filters', () => {
    for (const e of catalog) {
      const t = e.title(intent(e.kind, { filters: { regions: ['eu-west-1'], identities: ['alice'] } }));
      assert.match(t.en, /last 30 days/);
      assert.match(t.zh, /过去30天/);
      assert.match(t.en, /eu-west-1/);
      assert.match(t.zh, /eu-west-1/);
      assert.match(t.zh, /\p{Script=Han}/u);
    }
  });

  test('"new" kinds say which lookback they use', () => {
    for (const kind of ['new_regions', 'new_services'] as const) {
      const t = catalogEntry(kind).title(intent(kind));
      assert.match(t.en, /30 days before/);
      assert.match(t.zh, /此前30天/);
      assert.equal(catalogEntry(kind).lookbackMs, 30 * DAY);
    }
  });

  test('identity_activity without a user or account is refused, not answered for everyone', () => {
    const e = catalogEntry('identity_activity');
    assert.throws(() => e.build(intent('identity_activity', { filters: {} })), { code: 'bad_input' });
    assert.throws(() => e.build(intent('identity_activity', { filters: { regions: ['us-east-1'] }, language: 'zh' })), /用户或角色/);
    assert.doesNotThrow(() => e.build(intent('identity_activity', { filters: { accounts: ['012345678901'] } })));
  });
});

describe('semantics taken from the peer queries', () => {
  test('the lists named in the detection content are covered', () => {
    for (const n of [
      'CreateUser',
      'DeleteUser',
      'CreateAccessKey',
      'UpdateAccessKey',
      'DeleteAccessKey',
      'AttachUserPolicy',
      'AttachRolePolicy',
      'AttachGroupPolicy',
      'PutUserPolicy',
      'PutRolePolicy',
      'PutGroupPolicy',
      'CreatePolicy',
      'CreatePolicyVersion',
      'DetachUserPolicy',
      'CreateLoginProfile',
      'UpdateLoginProfile',
      'AddUserToGroup',
      'CreateRole',
      'DeleteRole',
      'UpdateAssumeRolePolicy',
      'DeleteGroup',
    ]) {
      assert.ok((IAM_CHANGE_EVENTS as readonly string[]).includes(n), n);
    }
    assert.deepEqual([...SECURITY_GROUP_EVENTS].sort(), [
      'AuthorizeSecurityGroupEgress',
      'AuthorizeSecurityGroupIngress',
      'CreateSecurityGroup',
      'DeleteSecurityGroup',
      'ModifySecurityGroupRules',
      'RevokeSecurityGroupEgress',
      'RevokeSecurityGroupIngress',
    ]);
    assert.deepEqual([...TAMPERING_EVENTS].sort(), ['DeleteTrail', 'PutEventSelectors', 'StopLogging', 'UpdateTrail']);
    assert.deepEqual([...ACCESS_DENIED_CODES].sort(), [
      'AccessDenied',
      'AccessDeniedException',
      'Client.UnauthorizedOperation',
      'UnauthorizedOperation',
    ]);
  });

  test('console logins without MFA: successful, MFAUsed "No", IAM Identity Center sessions left out', () => {
    const kql = catalogEntry('console_logins_without_mfa').build(intent('console_logins_without_mfa'));
    assert.match(kql, /EventName == "ConsoleLogin"/);
    assert.match(kql, /tostring\(parse_json\(AdditionalEventData\)\.MFAUsed\) == "No"/);
    assert.match(kql, /tostring\(parse_json\(ResponseElements\)\.ConsoleLogin\) == "Success"/);
    assert.match(kql, /SessionIssuerUserName !contains "AWSReservedSSO"/);
  });

  test('root: the Root identity type, not invoked by a service, not a service event', () => {
    const kql = catalogEntry('root_activity').build(intent('root_activity'));
    assert.match(kql, /UserIdentityType == "Root"/);
    assert.match(kql, /isempty\(UserIdentityInvokedBy\)/);
    assert.match(kql, /EventTypeName != "AwsServiceEvent"/);
  });
});

describe('every built query validates', () => {
  const filterSets = [
    {},
    { accounts: ['012345678901', '210987654321'], regions: ['eu-west-1'] },
    { identities: ['alice', 'arn:aws:iam::012345678901:user/bob'], eventNames: ['ConsoleLogin'], eventSources: ['signin.amazonaws.com'] },
  ];
  for (const e of catalog) {
    test(`${e.kind}: every grouping it takes (and one it ignores), each filter set, both window shapes and languages`, () => {
      const ignored = GROUP_BYS.find((g) => !e.groupBys.includes(g));
      const groupings: (GroupBy | undefined)[] = [undefined, ...e.groupBys, ...(ignored ? [ignored] : [])];
      let n = 0;
      groupings.forEach((groupBy, i) => {
        filterSets.forEach((filters, j) => {
          const window = (i + j) % 2 ? calendar : rolling;
          const language = (i + j) % 2 ? 'zh' : 'en';
          const f = e.kind === 'identity_activity' && !('identities' in filters) ? { ...filters, identities: ['alice'] } : filters;
          const kql = e.build(intent(e.kind, { groupBy, filters: f, window, language, limit: groupBy ? 3 : undefined }));
          assert.deepEqual(kqlValidator.validate(kql), { ok: true }, `${e.kind} ${groupBy} ${JSON.stringify(f)}\n${kql}`);
          assert.match(kql, new RegExp(`\\| render ${e.chart} with \\(title="`));
          n++;
        });
      });
      assert.equal(n, groupings.length * filterSets.length);
    });
  }

  test('a query names only AWSCloudTrail', () => {
    for (const e of catalog) {
      const { code } = analyze(e.build(intent(e.kind)));
      const tables = new Set<string>();
      const walk = (node: ReturnType<typeof analyze>['code']) => {
        if (!node) return;
        if (nodeKind(node) === 'NameReference' && node.ReferencedSymbol && nodeKind(node.ReferencedSymbol) === 'TableSymbol')
          tables.add(String(node.SimpleName));
        for (let i = 0; i < node.ChildCount; i++) {
          const c = node.GetChild(i);
          if (c && !c.IsToken) walk(c);
        }
      };
      walk(code.Syntax);
      assert.ok(tables.has('AWSCloudTrail'), e.kind);
      for (const t of tables)
        assert.ok(
          ['AWSCloudTrail', 'Events', 'CurrentEvents', 'PreviousEvents', 'KnownBefore', 'KnownBeforePrevious'].includes(t),
          `${e.kind}: ${t}`,
        );
    }
  });
});
