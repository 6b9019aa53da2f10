import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EMPTY_ALLOW_LIST, checkAddress, checkCallbackUrl, parseAllowList } from '../../src/domain/callback-target.js';

const check = (url: string, allow = EMPTY_ALLOW_LIST) => checkCallbackUrl(new URL(url), allow);
const refusedAs = (url: string) => {
  const result = check(url);
  return result.ok ? 'ok' : result.rule;
};

describe('callback targets (SSRF rules)', () => {
  it('accepts public http(s) hosts and addresses', () => {
    for (const url of ['https://clinic.example/hook', 'http://hooks.clinic.es:8443/x?y=1', 'https://93.184.215.14/', 'https://[2606:4700::1111]/']) {
      assert.equal(refusedAs(url), 'ok', url);
    }
  });

  it('refuses other schemes and credentials', () => {
    assert.equal(refusedAs('ftp://clinic.example/'), 'scheme');
    assert.equal(refusedAs('file:///etc/passwd'), 'scheme');
    assert.equal(refusedAs('https://user:pw@clinic.example/'), 'credentials');
    assert.equal(refusedAs('https://user@clinic.example/'), 'credentials');
  });

  it('refuses loopback, private, link-local, metadata, CGNAT, unique-local and unspecified addresses in every spelling', () => {
    const spellings = [
      'http://127.0.0.1/', 'http://127.1/', 'http://2130706433/', 'http://0177.0.0.1/', 'http://0x7f.0.0.1/', 'http://0x7f000001/',
      'http://[::1]/', 'http://[0:0:0:0:0:0:0:1]/', 'http://[::ffff:127.0.0.1]/', 'http://[::ffff:7f00:1]/',
      'http://10.0.0.1/', 'http://012.0.0.1/', 'http://172.16.5.4/', 'http://192.168.1.1/', 'http://3232235777/',
      'http://169.254.169.254/latest/meta-data/', 'http://[::ffff:169.254.169.254]/', 'http://0xa9fea9fe/', 'http://[fe80::1]/',
      'http://100.64.0.1/', 'http://100.100.100.200/', 'http://[fd00:ec2::254]/', 'http://[fc00::1]/',
      'http://0.0.0.0/', 'http://0/', 'http://[::]/', 'http://224.0.0.1/', 'http://255.255.255.255/',
      'http://[64:ff9b::7f00:1]/', 'http://[2002:7f00:1::]/',
    ];
    for (const url of spellings) assert.equal(refusedAs(url), 'private_address', url);
  });

  it('refuses local and internal names', () => {
    for (const url of ['http://localhost/', 'http://LOCALHOST./', 'http://api.localhost/', 'http://printer.local/', 'http://metadata.google.internal/', 'http://intranet/', 'http://router.home.arpa/']) {
      assert.equal(refusedAs(url), 'private_address', url);
    }
  });

  it('admits allowlisted hosts and networks, and only those', () => {
    const { allow, invalid } = parseAllowList(['127.0.0.1', 'receiver.internal', '10.20.0.0/16', '[fd00::5]', 'not a host!']);
    assert.deepEqual(invalid, ['not a host!']);
    assert.ok(check('http://127.0.0.1:9000/hook', allow).ok);
    assert.ok(check('http://2130706433:9000/hook', allow).ok, 'the same address spelled otherwise');
    assert.ok(check('http://receiver.internal/hook', allow).ok);
    assert.ok(check('http://10.20.3.4/hook', allow).ok);
    assert.ok(check('http://[fd00::5]/hook', allow).ok);
    assert.ok(!check('http://10.21.3.4/hook', allow).ok);
    assert.ok(!check('http://127.0.0.2/hook', allow).ok);
    assert.ok(checkAddress('::ffff:10.20.9.9', allow).ok, 'mapped IPv4 matches an IPv4 network');
    assert.ok(!checkAddress('192.168.0.1', allow).ok);
  });
});
