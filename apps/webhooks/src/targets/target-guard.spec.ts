import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { isForbiddenAddress, TargetGuard, TargetRefused } from './target-guard';

describe('isForbiddenAddress', () => {
  const forbidden = [
    '127.0.0.1',
    '127.255.255.254',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.100.100.200',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd00:ec2::254',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '64:ff9b::a00:1',
    '2002:c0a8:101::1',
    'ff02::1',
    'not-an-ip',
    '::127.0.0.1',
    '::7f00:1',
    '::a00:1',
    '::169.254.169.254',
    '::ffff:0:7f00:1',
    '64:ff9b:1::a00:1',
    '2001::1',
    '198.18.0.1',
    '192.0.2.1',
    '0:0:0:0:0:0:0:1',
  ];
  const allowed = ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2002:808:808::1'];

  for (const address of forbidden) it(`refuses ${address}`, () => assert.equal(isForbiddenAddress(address), true));
  for (const address of allowed) it(`allows ${address}`, () => assert.equal(isForbiddenAddress(address), false));
});

describe('TargetGuard', () => {
  const dns = (answers: Record<string, string[]>) => (host: string) => {
    if (!answers[host]) return Promise.reject(new Error('ENOTFOUND'));
    return Promise.resolve(answers[host].map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  };

  it('requires https and refuses credentials unless private targets are allowed', async () => {
    const strict = new TargetGuard(false, dns({ 'hooks.example.com': ['93.184.216.34'] }));
    await assert.rejects(strict.resolveTarget('http://hooks.example.com/x'), { code: 'target_scheme' });
    await assert.rejects(strict.resolveTarget('ftp://hooks.example.com/x'), { code: 'target_scheme' });
    await assert.rejects(strict.resolveTarget('https://u:p@hooks.example.com/x'), { code: 'target_invalid' });
    const resolved = await strict.resolveTarget('https://hooks.example.com/x');
    assert.equal(resolved.address.address, '93.184.216.34');
  });

  it('refuses a host when any of its addresses is private, and literal private IPs', async () => {
    const strict = new TargetGuard(false, dns({ 'mixed.example.com': ['93.184.216.34', '10.0.0.5'], localhost: ['127.0.0.1'] }));
    for (const url of [
      'https://mixed.example.com/',
      'https://localhost/',
      'https://127.0.0.1/',
      'https://[::1]/',
      'https://169.254.169.254/latest/meta-data',
    ]) {
      await assert.rejects(
        strict.resolveTarget(url),
        (error: unknown) => error instanceof TargetRefused && error.code === 'target_address',
        url,
      );
    }
    await assert.rejects(strict.resolveTarget('https://nowhere.invalid/'), { code: 'target_unresolvable' });
  });

  it('refuses IPv4-compatible IPv6 literals and never echoes the resolved address', async () => {
    const strict = new TargetGuard(false, dns({ 'inside.example.com': ['10.1.2.3'] }));
    for (const url of ['https://[::127.0.0.1]/', 'https://[::a9fe:a9fe]/latest/meta-data', 'https://[::ffff:10.0.0.1]/']) {
      await assert.rejects(strict.resolveTarget(url), { code: 'target_address' }, url);
    }
    await assert.rejects(strict.resolveTarget('https://inside.example.com/'), (error: unknown) => {
      assert.ok(error instanceof TargetRefused && error.code === 'target_address');
      assert.ok(!error.message.includes('10.1.2.3'), error.message);
      return true;
    });
  });

  it('lets everything through with the development flag', async () => {
    const lax = new TargetGuard(true, dns({ localhost: ['127.0.0.1'] }));
    assert.equal((await lax.resolveTarget('http://localhost:8080/hook')).address.address, '127.0.0.1');
    assert.equal((await lax.resolveTarget('http://10.0.0.1/hook')).address.address, '10.0.0.1');
  });
});
